from odoo import api, fields, models


class SaleOrderCancel(models.TransientModel):
    """Odoo's cancel dialog asks why, when the order is in Metakocka: the reason goes there with the status."""

    _inherit = "sale.order.cancel"

    metakocka_linked = fields.Boolean("In Metakocka", compute="_compute_metakocka_linked")
    metakocka_cancel_reason = fields.Char("Reason", help="Kept on the order and sent to Metakocka with the "
                                                         "cancelled status.")

    @api.depends("order_id")
    def _compute_metakocka_linked(self):
        for wizard in self:
            wizard.metakocka_linked = bool(wizard.order_id.sudo()._metakocka_link("sales_order").mk_id)

    def action_cancel(self):
        if self.metakocka_linked:  # a reason of an earlier cancellation is not sent again
            self.order_id.metakocka_cancel_reason = (self.metakocka_cancel_reason or "").strip() or False
        return super().action_cancel()
