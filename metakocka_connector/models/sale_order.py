from odoo import fields, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "metakocka.synced.mixin"]

    _metakocka_link_column = "sale_order_id"

    metakocka_link_ids = fields.One2many("metakocka.document.link", "sale_order_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user",
                                         copy=False)

    def action_confirm(self):
        result = super().action_confirm()
        if self.env.context.get("metakocka_no_push"):
            return result
        to_send = self.filtered(lambda order: order.company_id.metakocka_enabled
                                and order.company_id.metakocka_push_on_confirm)
        if to_send:
            self.env["metakocka.sync.run"].sudo()._queue_push(to_send, origin="confirmation")
        return result
