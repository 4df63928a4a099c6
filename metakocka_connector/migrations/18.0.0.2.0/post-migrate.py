"""18.0.0.2.0: the single Metakocka warehouse mark of a company becomes its first warehouse row."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["metakocka.warehouse.map"]._adopt_single_marks()
