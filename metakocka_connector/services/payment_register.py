"""Metakocka's payments of invoices registered in Odoo, so that the invoice's payment status follows.

What is registered is the part Metakocka shows as paid that Odoo does not have from Metakocka yet:

    new = Metakocka's paid amount (sum_paid) − what Odoo sent there (put_transaction, done)
          − what was registered from Metakocka before (the link's ``mk_paid_registered``)

It becomes one Odoo payment through Odoo's own ``account.payment.register`` (its reconciliation moves the
invoice to partly paid or paid), in the company's chosen bank or cash journal, dated with Metakocka's last
payment date. Never twice:

* ``mk_paid_registered`` grows in the same transaction as the payment is made; a payment a person cancels
  later is not registered again (Metakocka's side is then for that person to correct);
* what Odoo sent itself is subtracted; an invoice with a payment still on its way to Metakocka (queued, or
  sent without a sure answer) waits, for Metakocka's amount may or may not hold it yet;
* a payment larger than what the invoice has open is capped to it, and the rest is logged (once: it counts
  as taken); a paid amount that went down (a return, a payment removed in Metakocka) is logged, never guessed;
* a payment put on the invoice in Odoo after this read's snapshot was taken changed the invoice's receivable
  line, so PostgreSQL refuses this transaction's write to it (REPEATABLE READ): the registration is undone and
  tried again at the next read, which sees that payment.

Payments registered here carry ``metakocka_from_metakocka`` and are never sent back. Never commits.
"""

from psycopg2 import errors

from odoo import fields
from odoo.tools import SQL, format_amount

from .locks import try_lock
from .payment_ledger import FROM_METAKOCKA, SIGNED_AMOUNT, invoices_with_payments_on_their_way, sent_amounts

BILL_TYPES = ("sales_bill_domestic", "sales_bill_foreign")


class PaymentRegistrar:
    """Registers the new part of Metakocka's payments of one company's invoices, with the reader's rights."""

    def __init__(self, service):
        self.env = service.env
        self.company = service.company

    def register_open(self, result):
        """Every linked invoice of the company with something new paid in Metakocka; counts in ``result``."""
        links = self._open_links()
        sent = sent_amounts(self.env, links.move_id)
        waiting = invoices_with_payments_on_their_way(self.env, links.move_id)
        for link in links:
            if link.move_id.id in waiting or not try_lock(self.env, "payment", link.move_id.id):
                continue  # tried again at the next read
            self._register_one(link, sent.get(link.move_id.id, 0.0), result)

    def _open_links(self):
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT link.id FROM metakocka_document_link link
                 JOIN account_move move ON move.id = link.move_id AND move.state = 'posted'
            LEFT JOIN (SELECT move_id, SUM(%(signed)s) AS sent FROM metakocka_payment_transaction
                        WHERE state = 'done' GROUP BY move_id) done ON done.move_id = link.move_id
                WHERE link.company_id = %(company)s AND link.doc_type IN %(types)s AND link.mk_id IS NOT NULL
                  AND COALESCE(link.mk_paid_amount, 0) - COALESCE(link.mk_paid_registered, 0)
                      - COALESCE(done.sent, 0) >= 0.005
             ORDER BY link.id""",
            signed=SIGNED_AMOUNT, company=self.company.id, types=BILL_TYPES))
        return self.env["metakocka.document.link"].sudo().browse([row[0] for row in self.env.cr.fetchall()])

    def _register_one(self, link, sent, result):
        invoice, currency = link.move_id, link.move_id.currency_id
        new = currency.round(link.mk_paid_amount - link.mk_paid_registered - sent)
        if currency.compare_amounts(new, 0) <= 0:
            return
        amount = min(new, currency.round(invoice.amount_residual))
        try:
            with self.env.cr.savepoint():
                payment = self._register_payment(invoice, amount, link.mk_last_paid_date) if amount > 0 else None
                link.write({"mk_paid_registered": link.mk_paid_registered + new, "mk_payment_error": False})
        except (errors.SerializationFailure, errors.LockNotAvailable):
            return  # the invoice changed meanwhile: the next read sees how
        except Exception as exc:  # noqa: BLE001 - Odoo refused the payment (lock date, journal …): this invoice only
            message = self.env._("%(invoice)s: the payment of %(amount)s from Metakocka could not be registered: "
                                 "%(error)s", invoice=invoice.display_name, amount=_money(invoice, amount), error=exc)
            if link.mk_payment_error != message:
                link.mk_payment_error = message
                self._log(invoice, link, "error", message)
            result.failed += 1
            return
        result.registered += bool(payment)
        self._report(invoice, link, payment, new, amount)

    def _register_payment(self, invoice, amount, day):
        """One payment of ``amount`` on ``invoice`` in the company's journal, reconciled by Odoo itself."""
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids, **{FROM_METAKOCKA: True},
        ).create({
            "journal_id": self.company.metakocka_payment_journal_id.id,
            "payment_date": day or fields.Date.context_today(invoice),
            "amount": amount,
            "currency_id": invoice.currency_id.id,
            "payment_difference_handling": "open",
        })
        payments = wizard._create_payments()
        payments.write({"metakocka_from_metakocka": True})
        return payments

    def _report(self, invoice, link, payment, new, amount):
        env, currency = self.env, invoice.currency_id
        messages = []
        if payment:
            messages.append(env._("Payment %(payment)s of %(amount)s registered from Metakocka (paid on %(day)s).",
                                  payment=payment.name, amount=_money(invoice, amount), day=payment.date))
        if currency.compare_amounts(new, amount) > 0:
            messages.append(env._(
                "Metakocka shows %(more)s more paid on %(invoice)s than it had open in Odoo; that part is not "
                "registered (check for a payment entered on both sides).",
                more=_money(invoice, new - amount), invoice=invoice.display_name))
        message = " ".join(messages)
        self._log(invoice, link, "success" if len(messages) == 1 and payment else "warning", message)
        invoice.message_post(body=message)

    def note_decrease(self, link):
        """Metakocka's paid amount of the bill is below what Odoo has from and sent to it: logged, not guessed."""
        invoice = link.move_id
        sent = sent_amounts(self.env, invoice).get(invoice.id, 0.0)
        behind = invoice.currency_id.round(link.mk_paid_registered + sent - link.mk_paid_amount)
        if invoice.currency_id.compare_amounts(behind, 0) <= 0:
            return
        self._log(invoice, link, "warning", self.env._(
            "Metakocka's paid amount of %(invoice)s went down to %(paid)s, %(behind)s less than Odoo registered from "
            "and sent to Metakocka: a return or a payment removed there is not taken into Odoo; check the invoice.",
            invoice=invoice.display_name, paid=_money(invoice, link.mk_paid_amount), behind=_money(invoice, behind)))

    def _log(self, invoice, link, status, message):
        self.env["metakocka.sync.log"]._record(invoice, company_id=self.company.id, direction="pull",
                                               operation="payment", status=status, mk_id=link.mk_id, message=message)


def _money(invoice, amount):
    """An amount in the invoice's currency, as Odoo shows it (``78.00 €``)."""
    return format_amount(invoice.env, amount, invoice.currency_id)
