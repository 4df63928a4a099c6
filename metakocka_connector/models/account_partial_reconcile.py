from odoo import api, models

from ..services.payment_ledger import invoice_payment_pairs


class AccountPartialReconcile(models.Model):
    """Odoo's reconciliation is where a payment lands on an invoice, whatever put it there (the Register
    Payment dialog, an outstanding payment added on the invoice, a reconciliation): an Odoo payment put on an
    invoice in Metakocka is queued to be sent there, and one taken off after it was sent is logged."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        self.env["metakocka.payment.transaction"]._enqueue_partials(partials)
        return partials

    def unlink(self):
        pairs = invoice_payment_pairs(self.sudo()) if self else []
        result = super().unlink()
        if pairs:
            self.env["metakocka.payment.transaction"]._note_removed(pairs)
        return result
