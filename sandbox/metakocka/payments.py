"""Payments on documents: ``mark_paid`` on put_document, and the put_transaction endpoint.

A payment is stored as ``{"payment_type", "date" (ISO), "amount", "cashRegister", "notes"}``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable

from . import registers
from .finders import find_order_by_buyer_order
from .errors import PARAMETER, MkError, invalid, required
from .state import Store
from .values import dotted_date, is_blank, objects, optional_text, parse_decimal, parse_loose_date, slovenian_money

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
            _payment(data, entry.get("payment_type"), entry.get("date"), doc_date, amount,
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
        payment = _payment(data, body.get("payment_type"), body.get("date"), store.now().date(),
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


def _payment(data, payment_type: Any, when: Any, default_date: date, amount: Decimal, cash_register: Any, notes: Any):
    if is_blank(payment_type):
        raise MkError(PARAMETER, "Paramether 'payment_type' is required")
    return {
        "payment_type": registers.check_payment_type(data, payment_type),
        "date": (default_date if is_blank(when) else parse_loose_date(when, "date")).isoformat(),
        "amount": str(amount),
        "cashRegister": optional_text(cash_register),
        "notes": optional_text(notes),
    }
