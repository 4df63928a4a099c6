"""What Odoo's books say about the payments of invoices in Metakocka: which payment is on which invoice and
for how much (Odoo's own reconciliation, ``account.partial.reconcile``), and what Odoo has sent to Metakocka.

Reads only; never writes or calls Metakocka. Amounts are in the invoice's currency (the bill's in Metakocka).
"""

from odoo.tools import SQL

#: Context key of what the connector registers from Metakocka itself: it is never sent back.
FROM_METAKOCKA = "metakocka_payment_from_metakocka"
#: A sent ``return`` takes money back: it counts negative.
SIGNED_AMOUNT = SQL("CASE WHEN payment_mode = 'return' THEN -amount ELSE amount END")


def invoice_payment_pairs(partials):
    """(invoice, payment) of each partial reconciliation between a customer invoice and an Odoo payment."""
    pairs = []
    for partial in partials:
        invoice, payment = partial.debit_move_id.move_id, partial.credit_move_id.move_id.origin_payment_id
        if invoice.move_type == "out_invoice" and payment and (invoice, payment) not in pairs:
            pairs.append((invoice, payment))
    return pairs


def applied_amount(invoice, payment):
    """How much of ``payment`` Odoo's reconciliation puts on ``invoice`` now."""
    payment_lines = payment.move_id.line_ids
    total = sum(partial.debit_amount_currency
                for partial in invoice.line_ids.matched_credit_ids if partial.credit_move_id in payment_lines)
    return invoice.currency_id.round(total)


def sent_amounts(env, invoices):
    """{invoice id: what Odoo has sent to Metakocka for it (put_transaction, done)}."""
    if not invoices:
        return {}
    env.flush_all()
    env.cr.execute(SQL(
        """SELECT move_id, SUM(%s) FROM metakocka_payment_transaction
            WHERE move_id IN %s AND state = 'done' GROUP BY move_id""", SIGNED_AMOUNT, tuple(invoices.ids)))
    return dict(env.cr.fetchall())


def invoices_with_payments_on_their_way(env, invoices):
    """Ids of those ``invoices`` with a payment still to be sent, or sent without a sure answer: Metakocka's
    paid amount may or may not hold it yet, so nothing is registered from it until it is settled."""
    if not invoices:
        return set()
    env.flush_all()
    env.cr.execute(SQL("SELECT DISTINCT move_id FROM metakocka_payment_transaction WHERE move_id IN %s "
                       "AND state = 'queued'", tuple(invoices.ids)))
    return {row[0] for row in env.cr.fetchall()}


def committed_sent_amount(env, invoice, payment):
    """What was sent for this payment on this invoice, as committed now (whatever this transaction's snapshot
    shows): a worker that waited for another one's lock sees what that one sent."""
    env.flush_all()
    with env.registry.cursor() as cr:
        cr.execute(SQL("""SELECT COALESCE(SUM(%s), 0) FROM metakocka_payment_transaction
                           WHERE move_id = %s AND payment_id = %s AND state = 'done'""",
                       SIGNED_AMOUNT, invoice.id, payment.id))
        return cr.fetchone()[0]
