import logging
import time

from psycopg2 import errors

from odoo import api, fields, models
from odoo.tools import format_amount

from ..services.locks import try_lock_latest_row
from ..services.payment_ledger import FROM_METAKOCKA, invoice_payment_pairs
from ..services.payment_send import TransactionSender, may_send

_logger = logging.getLogger(__name__)

#: A call sends payments for this long, then lets the cron engine call again.
SEND_SECONDS = 30.0

STATES = [("queued", "To send"), ("done", "Sent"), ("skipped", "Not needed"), ("failed", "Failed")]


class MetakockaPaymentTransaction(models.Model):
    """An Odoo payment put on an invoice in Metakocka, to be added there with put_transaction: an outbox.

    A row is written in the transaction that reconciles the payment with the invoice (Odoo's own
    ``account.partial.reconcile``), so it exists exactly when the payment is on the invoice, and it is sent
    after that transaction commits by the scheduled action "Metakocka: send payments", woken at once.
    What a row sends is read when it is sent: the part of the payment on the invoice that was not sent
    yet (nothing, when the payment was taken off the invoice meanwhile). Sending is never twice: see
    ``services/payment_send``.
    """

    _name = "metakocka.payment.transaction"
    _description = "Metakocka payment to send"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True, ondelete="cascade")
    payment_id = fields.Many2one("account.payment", string="Payment", index=True, ondelete="set null",
                                 help="Kept empty once the payment is deleted; what was sent is still counted.")
    payment_name = fields.Char("Payment reference")
    reference = fields.Char(help="The notes the transaction carries in Metakocka, by which it is found again.")
    payment_mode = fields.Selection([("payment", "Payment"), ("return", "Return")], default="payment",
                                    required=True)
    amount = fields.Float(help="What was sent (in the invoice's currency).")
    paid_on = fields.Date("Payment date")
    state = fields.Selection(STATES, default="queued", required=True, index=True)
    attempts = fields.Integer(default=0)
    next_try_at = fields.Datetime(help="A transient failure is tried again from this time on.")
    outcome_unknown = fields.Boolean(
        help="Sent without a sure answer: Metakocka's payments of the bill are read for the reference before it "
             "is ever sent again.")
    removed_in_odoo = fields.Boolean(help="The payment was taken off the invoice in Odoo after it was sent.")
    message = fields.Text()
    sent_at = fields.Datetime()

    # -- queueing, in the transaction of what caused it --------------------------------------

    @api.model
    def _enqueue_partials(self, partials):
        """Queue the Odoo payments these new reconciliations put on invoices in Metakocka."""
        if self.env.context.get(FROM_METAKOCKA):
            return self.browse()
        return self._enqueue_pairs(invoice_payment_pairs(partials.sudo()))

    @api.model
    def _enqueue_for_invoices(self, invoices):
        """Queue the payments already on ``invoices`` (an invoice paid before it reached Metakocka)."""
        partials = invoices.sudo().line_ids.matched_credit_ids
        return self._enqueue_partials(partials)

    @api.model
    def _enqueue_pairs(self, pairs):
        """One row to send per (invoice, payment) that may be sent, unless one is waiting already (then that
        one, held by this transaction until it commits, sends the new part too)."""
        values = []
        for invoice, payment in pairs:
            if not may_send(invoice, payment) or self._waiting_row(invoice, payment):
                continue
            values.append({"company_id": invoice.company_id.id, "move_id": invoice.id, "payment_id": payment.id,
                           "payment_name": payment.name, "paid_on": payment.date})
        if not values:
            return self.browse()
        rows = self.sudo().create(values)
        self.env.ref("metakocka_connector.ir_cron_send_payments").sudo()._trigger()
        return rows

    @api.model
    def _waiting_row(self, invoice, payment):
        """A queued row of this pair no worker is sending (locked for this transaction), or None. A row a worker
        holds, or changed since this transaction began, may have read the payment before this change."""
        for row in self.sudo().search([("move_id", "=", invoice.id), ("payment_id", "=", payment.id),
                                       ("state", "=", "queued")]):
            if try_lock_latest_row(self.env, self._table, row.id):
                return row
        return None

    @api.model
    def _note_removed(self, pairs):
        """Payments taken off invoices (cancelled, reset to draft, unreconciled) after they were sent: Metakocka
        still counts them and its API cannot take them back, so a person is told."""
        for invoice, payment in pairs:
            sent = self.sudo().search([("move_id", "=", invoice.id), ("payment_id", "=", payment.id),
                                       ("state", "=", "done"), ("removed_in_odoo", "=", False)])
            if sent:
                sent.write({"removed_in_odoo": True})
                sent._log_removed(invoice, payment)

    def _log_removed(self, invoice, payment):
        message = self.env._(
            "The payment %(payment)s of %(amount)s was taken off %(invoice)s in Odoo after it was sent to Metakocka "
            "(%(references)s). Metakocka still counts it: remove it there by hand if it should go.",
            payment=payment.name, amount=format_amount(self.env, sum(self.mapped("amount")), invoice.currency_id),
            invoice=invoice.display_name,
            references=", ".join(filter(None, self.mapped("reference"))))
        self.env["metakocka.sync.log"]._record(invoice, company_id=invoice.company_id.id, direction="push",
                                               operation="payment", status="warning", message=message)
        invoice.sudo().message_post(body=message)

    # -- sending (see metakocka_order_event for the same ownership of commits) -----------------

    @api.model
    def _cron_send_transactions(self):
        """Send queued payments one by one for up to SEND_SECONDS, committing after each."""
        deadline, sent = time.monotonic() + SEND_SECONDS, 0
        sender = TransactionSender(self.env)
        while time.monotonic() < deadline and (row := self._take_next()):
            row._send_with(sender)
            self.env.cr.commit()  # ends the row's lock and the invoice's
            sent += 1
        remaining = self.search_count([("state", "=", "queued")])
        self._wake_up_for_retries()
        self.env["ir.cron"]._notify_progress(done=sent, remaining=remaining)
        return sent

    @api.model
    def _process_queued_transactions(self):
        """Send every payment that may be sent now, in this transaction (tests and tools); how many."""
        sender, count = TransactionSender(self.env), 0
        while row := self._take_next():
            row._send_with(sender)
            count += 1
        return count

    @api.model
    def _wake_up_for_retries(self):
        waiting = self.search([("state", "=", "queued"), ("next_try_at", "!=", False)], order="next_try_at", limit=1)
        if waiting:
            self.env.ref("metakocka_connector.ir_cron_send_payments")._trigger(at=waiting.next_try_at)

    @api.model
    def _take_next(self):
        """The oldest row due now that no other worker holds, locked for this transaction."""
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT id FROM metakocka_payment_transaction
             WHERE state = 'queued' AND (next_try_at IS NULL OR next_try_at <= (now() AT TIME ZONE 'UTC'))
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""")
        row = self.env.cr.fetchone()
        return self.sudo().browse(row[0]) if row else None

    def _send_with(self, sender):
        """One row in a savepoint; whatever happens is written on the row."""
        try:
            with self.env.cr.savepoint():
                values = sender.send(self)
        except (errors.SerializationFailure, errors.LockNotAvailable):
            values = sender.soon(self.env._("Another process was changing the invoice; it is tried again."))
        except Exception as exc:  # noqa: BLE001 - one payment must never stop the others
            _logger.warning("Metakocka payment transaction %s failed", self.id, exc_info=True)
            values = {"state": "failed", "message": str(exc)}
        self.write(values)

    def action_send_again(self):
        """A failed payment is queued again (a sending without a sure answer is looked up first)."""
        failed = self.filtered(lambda row: row.state == "failed")
        failed.write({"state": "queued", "attempts": 0, "next_try_at": False, "message": False})
        if failed:
            self.env.ref("metakocka_connector.ir_cron_send_payments").sudo()._trigger()
        return True
