"""18.0.0.2.0: the single Metakocka warehouse mark of a company becomes its first warehouse row, and
the status register is seeded (keeping the codes the company had set for confirmed and cancelled
orders)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["metakocka.warehouse.map"]._adopt_single_marks()
    env["metakocka.order.status"]._adopt_old_status_codes()
