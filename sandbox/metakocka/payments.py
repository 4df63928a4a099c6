"""Payments on documents: ``mark_paid`` on put_document, the put_transaction endpoint, and what
get_document and search show of them.

A payment is stored as ``{"payment_type", "date" (ISO), "amount", "cashRegister", "notes"}``.

``show_last_payment_date`` (get_document and search, reference §3.2) adds, as live Metakocka's
documentation shows them (``"last_paid_date": "06.09.2015"``, ``"last_paid_sum": "3"``,
``"sum_full_paid_when": "2015-09-07+02:00"``, ``"sum_creditnote": "2.44"``):

* ``last_paid_date``: the date of the latest payment, ``dd.mm.yyyy`` (of two on one day, the one
  entered last); ``last_paid_sum``: that payment's amount, a sum with a dot (``"30.00"``);
* ``sum_creditnote``: the total of the credit notes linked to a bill;
* ``sum_full_paid_when``: the day payments and credit notes reached the document's total and stayed
  there (``YYYY-MM-DD+02:00``, the document-date form); left out while it is not paid in full, and
  again once a return takes it below.

Fields with no value are left out, as everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable

from . import registers
from .finders import find_order_by_buyer_order
from .errors import PARAMETER, MkError, invalid, required
from .pricing import document_totals
from .state import Data, Store
from .values import (
    doc_date as dated_with_offset,
    dotted_date,
    is_blank,
    money,
    objects,
    optional_text,
    parse_decimal,
    parse_loose_date,
    slovenian_money,
)

PAYMENT_MODES = ("payment", "prepayment", "return")


def payments_from_mark_paid(data, value: Any, doc_date: date, full_amount: Callable[[], Decimal]) -> list[dict] | None:
    """The payments ``mark_paid`` asks for, replacing all earlier ones.

    ``None`` (missing key or empty list) leaves the payments alone; a list of zero amounts
    (``[{"amount": "0"}]``) clears them. An entry without ``amount`` pays the whole document.
    A bad payment type fails the whole put_document.
    """
    entries = objects(value, "mark_paid")
    if not entries:
        return None
    if all(not is_blank(e.get("amount")) and parse_decimal(e["amount"], "amount") == 0 for e in entries):
        return []
    payments = []
    for entry in entries:
        amount = full_amount() if is_blank(entry.get("amount")) else parse_decimal(entry["amount"], "amount")
        payments.append(
            make_payment(data, entry.get("payment_type"), entry.get("date"), doc_date, amount,
                         entry.get("cashRegister"), entry.get("notes"))
        )
    return payments


def payment_details(doc: dict[str, Any]) -> list[dict[str, str]]:
    """``mark_paid`` as get_document shows it with ``show_payment_detail``: Slovenian amounts
    (``"1.895,01"``) and ``dd.mm.yyyy`` dates."""
    return [
        {
            "payment_type": payment["payment_type"],
            "date": dotted_date(date.fromisoformat(payment["date"])),
            "amount": slovenian_money(Decimal(payment["amount"])),
            "cashRegister": payment["cashRegister"],
            "notes": payment["notes"],
        }
        for payment in doc["payments"]
    ]


def put_transaction(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Add one payment to a document (identified by ``mk_id``, ``count_code`` or, for a sales
    order, ``buyer_order``); ``payment_mode: return`` books a negative amount."""
    doc_type = required(body, "doc_type")
    doc_types = registers.BILL_TYPES if doc_type == "bill" else (registers.require_doc_type(body),)
    mode = body.get("payment_mode") or "payment"
    if mode not in PAYMENT_MODES:
        raise invalid("payment_mode", mode, ",".join(PAYMENT_MODES))
    price = parse_decimal(required(body, "price"), "price")
    with store.write() as data:
        doc = _transaction_document(data, doc_types, body)
        payment = make_payment(data, body.get("payment_type"), body.get("date"), store.now().date(),
                               -price if mode == "return" else price, body.get("cash_register"), body.get("notes"))
        doc["payments"].append(payment)
        doc["last_change_ts"] = store.timestamp()
    return {}


def _transaction_document(data, doc_types: tuple[str, ...], body: dict[str, Any]) -> dict[str, Any]:
    if not is_blank(body.get("mk_id")):
        doc = data["documents"].get(str(body["mk_id"]))
        if doc is None or doc["doc_type"] not in doc_types:
            raise MkError(PARAMETER, f"Cannot find document type {body['doc_type']} with id = {body['mk_id']}")
        return doc
    if not is_blank(body.get("count_code")):
        for doc in data["documents"].values():
            if doc["doc_type"] in doc_types and doc["count_code"] == str(body["count_code"]):
                return doc
        raise MkError(PARAMETER, f"Cannot find document type {body['doc_type']} with count_code = {body['count_code']}")
    if not is_blank(body.get("buyer_order")) and doc_types == ("sales_order",):
        return find_order_by_buyer_order(data, body["buyer_order"])
    raise MkError(PARAMETER, "Paramether 'mk_id' is required")


def make_payment(data, payment_type: Any, when: Any, default_date: date, amount: Decimal, cash_register: Any,
                 notes: Any) -> dict[str, Any]:
    """A stored payment; the payment type must be a Vrednost of "Vrsta plačila" (see registers)."""
    if is_blank(payment_type):
        raise MkError(PARAMETER, "Paramether 'payment_type' is required")
    return {
        "payment_type": registers.check_payment_type(data, payment_type),
        "date": (default_date if is_blank(when) else parse_loose_date(when, "date")).isoformat(),
        "amount": str(amount),
        "cashRegister": optional_text(cash_register),
        "notes": optional_text(notes),
    }


# --- show_last_payment_date ------------------------------------------------------------------


def payment_summary(data: Data, doc: dict[str, Any]) -> dict[str, str]:
    """The fields ``show_last_payment_date`` adds to ``doc`` (see the module's docstring)."""
    fields: dict[str, str] = {}
    payments = doc["payments"]
    if payments:
        _position, last = max(enumerate(payments), key=lambda item: (item[1]["date"], item[0]))
        fields["last_paid_date"] = dotted_date(date.fromisoformat(last["date"]))
        fields["last_paid_sum"] = money(Decimal(last["amount"]))
    credit_notes = [(date.fromisoformat(note["doc_date"]), _total(note)) for note in _credit_notes(data, doc)]
    if credit_notes:
        fields["sum_creditnote"] = money(sum((amount for _day, amount in credit_notes), Decimal(0)))
    events = [(date.fromisoformat(payment["date"]), Decimal(payment["amount"])) for payment in payments]
    since = full_paid_since(events + credit_notes, _total(doc))
    if since:
        fields["sum_full_paid_when"] = dated_with_offset(since)
    return fields


def full_paid_since(events: list[tuple[date, Decimal]], total: Decimal) -> date | None:
    """The day the running sum of ``events`` (day, amount) reached ``total`` and stayed there."""
    if total <= 0:
        return None
    paid, since = Decimal(0), None
    for day, amount in sorted(events, key=lambda event: event[0]):
        paid += amount
        since = (since or day) if paid >= total else None
    return since


def is_paid_in_full(data: Data, doc: dict[str, Any]) -> bool:
    """What search's ``payment_status`` asks: payments and credit notes cover the document's total."""
    return "sum_full_paid_when" in payment_summary(data, doc)


def _credit_notes(data: Data, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The credit notes linked to a bill (none for other documents)."""
    if doc["doc_type"] not in registers.BILL_TYPES:
        return []
    notes = (data["documents"].get(link["mk_id"]) for link in doc["links"] if link["doc_type"] == registers.CREDIT_NOTE)
    return [note for note in notes if note is not None]


def _total(doc: dict[str, Any]) -> Decimal:
    return document_totals(doc["lines"], doc["discount_value"]).sum_all
