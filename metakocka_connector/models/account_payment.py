from odoo import api, fields, models

PAYMENT_STATES = [
    ("from_metakocka", "Registered from Metakocka"),
    ("queued", "To send"),
    ("sent", "Sent"),
    ("failed", "Failed"),
]


class AccountPayment(models.Model):
    """A payment's relation to Metakocka: registered from it (never sent back), or sent to it
    (``metakocka.payment.transaction``)."""

    _inherit = "account.payment"

    metakocka_from_metakocka = fields.Boolean(
        "Registered from Metakocka", copy=False, readonly=True,
        help="Registered by the connector from Metakocka's payment of the invoice; it is never sent back.")
    metakocka_transaction_ids = fields.One2many("metakocka.payment.transaction", "payment_id",
                                                string="Sent to Metakocka", readonly=True)
    metakocka_payment_state = fields.Selection(
        PAYMENT_STATES, string="Metakocka", compute="_compute_metakocka_payment_state", store=True, copy=False,
        compute_sudo=True)
    metakocka_sent_at = fields.Datetime("Sent to Metakocka on", compute="_compute_metakocka_payment_state",
                                        store=True, copy=False, compute_sudo=True)

    @api.depends("metakocka_from_metakocka", "metakocka_transaction_ids.state", "metakocka_transaction_ids.sent_at")
    def _compute_metakocka_payment_state(self):
        for payment in self:
            rows = payment.metakocka_transaction_ids
            states = set(rows.mapped("state"))
            if payment.metakocka_from_metakocka:
                state = "from_metakocka"
            else:
                state = next((state for state in ("failed", "queued") if state in states),
                             "sent" if "done" in states else False)
            payment.metakocka_payment_state = state
            payment.metakocka_sent_at = max(rows.filtered("sent_at").mapped("sent_at"), default=False)
