from . import test_client_in_odoo
