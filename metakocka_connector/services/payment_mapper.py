"""Metakocka's payment fields of a bill as Odoo values, and Odoo payments as put_transaction bodies.

Pure functions: they read documents and records and return plain data; they never call Metakocka or write.

A bill read with ``show_last_payment_date`` (get_document or a search with ``result_type: doc``) carries
``sum_paid`` (left out while nothing is paid), ``last_paid_date`` (``dd.mm.yyyy``), ``last_paid_sum``,
``sum_full_paid_when`` (a document date, ``YYYY-MM-DD+02:00``) and ``sum_all``; numbers may come in any of
Metakocka's formats (``"12.30"``, ``"12,30"``, ``"1.895,01"``). A value that cannot be read fails the bill
alone, naming the field.
"""

import datetime
from dataclasses import dataclass

from ..metakocka_api.values import LJUBLJANA, as_list, parse_amount, parse_date, parse_id, parse_text


class PaymentFieldProblem(ValueError):
    """A payment field of a bill that cannot be read; the message names the field."""

    def __init__(self, field, error):
        super().__init__(f"{field}: {error}")
        self.field = field


@dataclass(frozen=True)
class PaymentStatus:
    """What Metakocka knows of a bill's payment."""

    paid: float
    paid_in_full: bool
    paid_in_full_on: datetime.date | None
    last_paid_date: datetime.date | None
    last_paid_amount: float

    def link_values(self):
        return {"mk_paid_amount": self.paid, "mk_paid_in_full": self.paid_in_full,
                "mk_paid_in_full_on": self.paid_in_full_on or False,
                "mk_last_paid_date": self.last_paid_date or False, "mk_last_paid_amount": self.last_paid_amount}


def document_id(document):
    """The ``mk_id`` of a search result, or None when it has none that can be read (then it is no bill of ours)."""
    try:
        return parse_id(document.get("mk_id")) if isinstance(document, dict) else None
    except ValueError:
        return None


def payment_status(document):
    """The :class:`PaymentStatus` of a bill; :class:`PaymentFieldProblem` for a value that cannot be read.

    Paid in full is Metakocka's own word (``sum_full_paid_when``, where credit notes count too), or a paid
    amount that covers the total.
    """
    if not isinstance(document, dict):
        raise PaymentFieldProblem("document", f"Metakocka gave {repr(document)[:60]} instead of a document")
    paid = _field(document, "sum_paid", parse_amount) or 0
    total = _field(document, "sum_all", parse_amount)
    full_on = _field(document, "sum_full_paid_when", parse_date)
    last_date = _field(document, "last_paid_date", parse_date)
    in_full = bool(full_on) or (total is not None and 0 < total <= paid)
    last_amount = _field(document, "last_paid_sum", parse_amount) or 0
    return PaymentStatus(paid=float(paid), paid_in_full=in_full,
                         paid_in_full_on=full_on or (last_date if in_full else None),
                         last_paid_date=last_date, last_paid_amount=float(last_amount))


def _field(document, name, parse):
    try:
        return parse(document.get(name))
    except ValueError as exc:
        raise PaymentFieldProblem(name, exc) from None


def search_date(day):
    """A day as the search filters ``doc_date_from``/``doc_date_to`` take it: ``YYYY-MM-DD`` with Ljubljana's
    offset of that day (the form known to work in summer and in winter, reference §2.3)."""
    offset = datetime.datetime.combine(day, datetime.time(), LJUBLJANA).strftime("%z")
    return f"{day.isoformat()}{offset[:3]}:{offset[3:]}"


def transaction_reference(payment, row_id):
    """The notes of a transaction Odoo sends: the payment's name, and our key of this sending."""
    return f"Odoo {payment.name} #{row_id}"


def transaction_payload(link, payment_type, amount, day, reference, mode="payment"):
    """The body of put_transaction for ``amount`` paid on ``day`` on the linked bill."""
    return {
        "doc_type": link.doc_type,
        "mk_id": link.mk_id,
        "payment_mode": mode,
        "payment_type": payment_type,
        "date": f"{day.isoformat()}+02:00",  # the documented form (reference §3.7); "+02:00" is a literal there
        "price": f"{amount:.2f}",
        "notes": reference,
    }


def find_transaction(document, reference):
    """The payment whose notes are ``reference`` in a bill read with ``show_payment_detail`` (its
    ``mark_paid`` entry), or None when it has none."""
    entries = as_list(document.get("mark_paid")) if isinstance(document, dict) else []
    return next((entry for entry in entries
                 if isinstance(entry, dict) and _text(entry.get("notes")) == reference), None)


def entry_amount(entry, default):
    """The amount of a ``mark_paid`` entry (Slovenian format, ``"1.895,01"``), or ``default`` when unreadable."""
    try:
        amount = parse_amount(entry.get("amount"))
    except ValueError:
        return default
    return default if amount is None else abs(float(amount))


def _text(value):
    try:
        return parse_text(value)
    except ValueError:
        return ""
