from odoo import api, fields, models

from .metakocka_document_link_payment import BILL_TYPES


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "metakocka.synced.mixin"]

    _metakocka_link_column = "move_id"

    metakocka_link_ids = fields.One2many("metakocka.document.link", "move_id", string="Metakocka links",
                                         groups="metakocka_connector.group_metakocka_user", copy=False)

    # What Metakocka knows of the invoice's payment (its bill's link, read by "Metakocka: read invoice payments"),
    # computed with sudo so that whoever may read the invoice reads them.
    metakocka_paid_amount = fields.Monetary("Paid in Metakocka", compute="_compute_metakocka_payment",
                                            compute_sudo=True, currency_field="currency_id")
    metakocka_paid_in_full = fields.Boolean("Paid in full in Metakocka", compute="_compute_metakocka_payment",
                                            compute_sudo=True)
    metakocka_paid_in_full_on = fields.Date("Paid in full in Metakocka on", compute="_compute_metakocka_payment",
                                            compute_sudo=True)
    metakocka_last_paid_date = fields.Date("Last payment in Metakocka", compute="_compute_metakocka_payment",
                                           compute_sudo=True)
    metakocka_payment_error = fields.Text("Metakocka payment error", compute="_compute_metakocka_payment",
                                          compute_sudo=True)
    metakocka_payment_known = fields.Boolean(compute="_compute_metakocka_payment", compute_sudo=True)

    @api.depends("metakocka_link_ids.mk_paid_amount", "metakocka_link_ids.mk_paid_in_full",
                 "metakocka_link_ids.mk_paid_in_full_on", "metakocka_link_ids.mk_last_paid_date",
                 "metakocka_link_ids.mk_payment_error")
    def _compute_metakocka_payment(self):
        for move in self:
            link = move.metakocka_link_ids.filtered(lambda link: link.doc_type in BILL_TYPES and link.mk_id)[:1]
            move.metakocka_payment_known = bool(link)
            move.metakocka_paid_amount = link.mk_paid_amount
            move.metakocka_paid_in_full = link.mk_paid_in_full
            move.metakocka_paid_in_full_on = link.mk_paid_in_full_on
            move.metakocka_last_paid_date = link.mk_last_paid_date
            move.metakocka_payment_error = link.mk_payment_error

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        orders = posted.filtered(lambda move: move.move_type == "out_invoice").invoice_line_ids.sale_line_ids.order_id
        self.env["metakocka.order.event"]._enqueue_status(orders)  # delivered and now invoiced: completed
        return posted
