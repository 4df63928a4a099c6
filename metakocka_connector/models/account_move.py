from odoo import fields, models


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "metakocka.synced.mixin"]

    _metakocka_link_column = "move_id"

    metakocka_link_ids = fields.One2many("metakocka.document.link", "move_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user", copy=False)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        orders = posted.filtered(lambda move: move.move_type == "out_invoice").invoice_line_ids.sale_line_ids.order_id
        self.env["metakocka.order.event"]._enqueue_status(orders)  # delivered and now invoiced: completed
        return posted
