from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..services.connection import INTERACTIVE
from ..services.order_status import StatusChanger


class MetakockaStatusWizard(models.TransientModel):
    """"Change Metakocka status": the statuses a linked order may move to, from its company's register."""

    _name = "metakocka.status.wizard"
    _description = "Change Metakocka status"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    current_status_id = fields.Many2one(related="order_id.metakocka_status_id", string="Current status")
    allowed_status_ids = fields.Many2many("metakocka.order.status", compute="_compute_allowed_status_ids")
    status_id = fields.Many2one("metakocka.order.status", string="New status", required=True,
                                domain="[('id', 'in', allowed_status_ids)]")

    @api.depends("order_id")
    def _compute_allowed_status_ids(self):
        Status = self.env["metakocka.order.status"].sudo()
        for wizard in self:
            current = wizard.order_id.metakocka_status_id
            wizard.allowed_status_ids = current.next_status_ids if current else Status.search(
                [("company_id", "=", wizard.order_id.company_id.id)])

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("metakocka_connector.group_metakocka_user"):
            raise AccessError(self.env._("Only Metakocka users may change an order's Metakocka status."))
        order = self.order_id
        changer = StatusChanger(self.env, order.company_id, client_options=INTERACTIVE)
        status = changer.change(order, self.status_id.sudo())
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Metakocka"), "type": "success",
            "message": self.env._("%(order)s is %(status)s in Metakocka now.", order=order.display_name,
                                  status=status.name),
            "next": {"type": "ir.actions.act_window_close"}}}
