from . import controllers
from . import metakocka_api
from . import models
from . import wizards


def post_init_hook(env):
    """Every company starts with Metakocka's default register of order statuses."""
    env["metakocka.order.status"]._seed_default_register(env["res.company"].search([]))
