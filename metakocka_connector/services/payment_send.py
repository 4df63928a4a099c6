"""Sending Odoo payments of invoices in Metakocka with put_transaction (see ``metakocka.payment.transaction``).

put_transaction adds a transaction at every call: it is not idempotent. Nothing is sent twice because:

* what a row sends is the part of its payment on the invoice that was not sent yet, read when it is sent
  from what is committed (not this transaction's snapshot), under a lock per invoice that two workers
  never hold at once: a second row of the same payment finds nothing left to send;
* each sending carries our own reference in its notes (``Odoo <payment> #<row>``), and is noted on a cursor
  of its own before the call (``create_guard``): after a lost reply, a timeout or a crash, the bill's payments
  are read (``show_payment_detail``) and the reference looked for before it is ever sent again;
* payments the connector registered from Metakocka are never sent back.

A payment taken off an invoice after it was sent is logged for a person (Metakocka's API cannot delete a
payment); nothing is deleted remotely.
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import format_amount

from ..metakocka_api import MetakockaError, TransientError, UnknownOutcomeError
from .connection import CompanyService
from .create_guard import create_was_attempted, forget_refused_create, forget_transaction_once_sent
from .create_guard import note_create_attempt
from .locks import try_lock
from .payment_ledger import applied_amount, committed_sent_amount
from .payment_mapper import entry_amount, find_transaction, transaction_payload, transaction_reference

#: A transient failure is tried again after 1, 2, 4, 8 minutes, then the row is failed.
MAX_ATTEMPTS = 5
#: An invoice another transaction holds is tried again this soon.
BUSY_SECONDS = 5
#: The create note's document type of a transaction (its key is the reference).
GUARD_TYPE = "put_transaction"


def bill_link(invoice):
    """The invoice's link to its bill in Metakocka (empty when it has none with an id)."""
    links = invoice.sudo().metakocka_link_ids.filtered(
        lambda link: link.doc_type in ("sales_bill_domestic", "sales_bill_foreign") and link.mk_id)
    return links[:1]


def may_send(invoice, payment):
    """Whether ``payment`` on ``invoice`` is for Metakocka: the company sends payments, the invoice is a bill
    there, and the payment is Odoo's own (not registered from Metakocka)."""
    company = invoice.company_id.sudo()
    return bool(company.metakocka_enabled and company.metakocka_payment_send and invoice.move_type == "out_invoice"
                and not payment.sudo().metakocka_from_metakocka and bill_link(invoice))


class TransactionSender:
    """Sends rows with each company's service (made once per company), with the sync's rights."""

    def __init__(self, env):
        self.env = env
        self._services = {}

    def send(self, row):
        """Send one row; the values to write on it."""
        service = self._service(row.company_id)
        return service.send(row.with_env(service.env))

    def _service(self, company):
        if company.id not in self._services:
            env = self.env(su=True, context=dict(self.env.context, allowed_company_ids=[company.id]))
            self._services[company.id] = PaymentSendService(env, company.with_env(env))
        return self._services[company.id]

    @staticmethod
    def soon(message):
        return soon(message)


class PaymentSendService(CompanyService):
    """Sends the payments of one company's invoices; never commits."""

    def send(self, row):
        invoice, payment, link = row.move_id, row.payment_id, bill_link(row.move_id)
        if not payment or not may_send(invoice, payment):
            return skipped(self.env._("Not sent: sending payments is off, the invoice is not in Metakocka, or the "
                                      "payment came from Metakocka."))
        if not try_lock(self.env, "payment", invoice.id):
            return soon(self.env._("%(invoice)s is busy; it is tried again.", invoice=invoice.display_name))
        reference = row.reference or transaction_reference(payment, row.id)
        try:
            found = self._already_there(row, link, reference)
            if found is not None:
                return sent(reference, found, self.env._("Found in Metakocka after a sending without an answer."))
            return self._send_new(row, invoice, payment, link, reference)
        except UnknownOutcomeError as exc:
            return later(row, str(exc), reference=reference, outcome_unknown=True)
        except TransientError as exc:
            return later(row, str(exc), reference=reference)
        except MetakockaError as exc:
            return {"state": "failed", "message": str(exc), "reference": reference}

    def _already_there(self, row, link, reference):
        """After a sending without a sure answer: its amount when Metakocka has it, else None (then it may be
        sent). Costs one read, and only then."""
        if not (row.outcome_unknown or create_was_attempted(self.env, self.company, GUARD_TYPE, reference)):
            return None
        document = self.client.get_document(link.doc_type, link.mk_id, show_payment_detail="true")
        entry = find_transaction(document, reference)
        if entry is None:
            return None
        forget_transaction_once_sent(self.env, self.company, reference)
        return entry_amount(entry, row.amount)

    def _send_new(self, row, invoice, payment, link, reference):
        amount = invoice.currency_id.round(applied_amount(invoice, payment)
                                           - committed_sent_amount(self.env, invoice, payment))
        if invoice.currency_id.compare_amounts(amount, 0) <= 0:
            return skipped(self.env._("Nothing of %(payment)s is left to send to %(invoice)s.",
                                      payment=payment.name, invoice=invoice.display_name), reference=reference)
        payload = transaction_payload(link, self.company.metakocka_payment_type.strip(), amount, payment.date,
                                      reference)
        note_create_attempt(self.env, self.company, GUARD_TYPE, reference)
        try:
            self.client.put_transaction(payload)
        except MetakockaError as exc:
            if not isinstance(exc, UnknownOutcomeError):
                forget_refused_create(self.env, self.company, GUARD_TYPE, reference)  # surely not carried out
            raise
        forget_transaction_once_sent(self.env, self.company, reference)
        self._log(invoice, self.env._("Payment %(payment)s of %(amount)s sent to Metakocka (%(number)s).",
                                      payment=payment.name, amount=format_amount(self.env, amount, invoice.currency_id),
                                      number=link.count_code or link.mk_id))
        return sent(reference, amount)

    def _log(self, invoice, message):
        self.env["metakocka.sync.log"]._record(invoice, company_id=self.company.id, direction="push",
                                               operation="payment", status="success", message=message)


def sent(reference, amount, message=False):
    return {"state": "done", "reference": reference, "amount": amount, "sent_at": fields.Datetime.now(),
            "outcome_unknown": False, "next_try_at": False, "message": message}


def skipped(message, **values):
    return {"state": "skipped", "message": message, **values}


def soon(message):
    """Another transaction holds the invoice for a moment: try again in a few seconds (not an attempt)."""
    return {"message": message, "next_try_at": fields.Datetime.now() + timedelta(seconds=BUSY_SECONDS)}


def later(row, message, **values):
    """Try the row again later, or fail it when it was tried often enough (a person may send it again)."""
    attempts = row.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        return {"state": "failed", "attempts": attempts, "message": message, **values}
    return {"attempts": attempts, "message": message, **values,
            "next_try_at": fields.Datetime.now() + timedelta(minutes=2 ** (attempts - 1))}
