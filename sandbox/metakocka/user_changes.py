"""Changes a Metakocka user makes in Metakocka's web application, for tests to simulate: an order's
status, an edited order, a payment recorded on a document (e.g. from a bank statement).

Partners have no change time in Metakocka (the register has no "changed since"): a client finds a
partner's change only by reading the register again, so ``edit_partner`` moves no clock.

A client that pulls orders finds such changes by their ``last_change_ts`` (search with
``last_change_from``, reference §3.3), so both hooks move it, and only when something changed.
They go straight to the store: no HTTP, no credentials, no faults, nothing recorded. What a
user could not do either (an unknown status, a tracking code before the invoice, an unknown
product) raises ``ValueError`` with Metakocka's message.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .document_changes import ORDER_TEXT_FIELDS, change_document_status, save_if_changed, updated_order
from . import partners
from .documents import HEAD_FIELDS, NewRecords
from .errors import MkError
from .finders import find_document
from .payments import make_payment
from .state import Store
from .values import is_blank, optional_text, parse_decimal, parse_doc_date

#: The payment type a user's payment gets when none is named: a bank transfer.
BANK_TRANSFER = "Transakcijski račun"

# Set as given; "" or None clears them.
TEXT_FIELDS = frozenset(HEAD_FIELDS) | frozenset(ORDER_TEXT_FIELDS)
# As update_document takes them (see document_changes.update_document).
UPDATE_FIELDS = frozenset({"status_code", "tracking_code", "discount_value", "warehouse", "partner", "receiver",
                           "extra_column", "count_code_new", "clear", "product_add", "product_list", "product_remove"})
EDITABLE = TEXT_FIELDS | UPDATE_FIELDS | {"doc_date"}


@contextmanager
def as_value_errors() -> Iterator[None]:
    try:
        yield
    except MkError as error:
        raise ValueError(error.desc) from None


def set_order_status(store: Store, mk_id: str, status_code: str) -> None:
    """Give the sales order ``mk_id`` the status with the Opis ``status_code``."""
    with as_value_errors():
        change_document_status(store, {"doc_type": "sales_order", "mk_id": mk_id, "status_code": status_code})


def edit_order(store: Store, mk_id: str, changes: dict[str, Any]) -> None:
    """Edit the sales order ``mk_id``: head text fields (``TEXT_FIELDS``, ``""`` clears),
    ``doc_date``, and whatever update_document takes (``UPDATE_FIELDS``: lines with
    ``product_add`` / ``product_list`` + ``mk_row_id`` / ``product_remove``, partner, ...)."""
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(sorted(EDITABLE))})")
    with as_value_errors(), store.write() as data:
        current = find_document(data, "sales_order", mk_id)
        new = NewRecords()
        doc = updated_order(store, data, current, {k: v for k, v in changes.items() if k in UPDATE_FIELDS}, new)
        for name in TEXT_FIELDS & set(changes):
            if doc["fields"].get(name) != optional_text(changes[name]):
                doc["fields"][name] = optional_text(changes[name])
        if "doc_date" in changes:
            doc["doc_date"] = parse_doc_date(changes["doc_date"]).isoformat()
        new.insert_into(data)
        save_if_changed(store, data, current, doc)


def add_payment(store: Store, mk_id: str, amount: Any, *, date: Any = None, payment_type: Any = None,
                notes: Any = None) -> None:
    """Record a payment of ``amount`` (a number or Metakocka text such as ``"1.895,01"``; negative for
    money paid back) on the document ``mk_id`` on ``date`` (``dd.mm.yyyy`` or ISO; today when none),
    as put_transaction would, but as a user: nothing recorded, no faults."""
    with as_value_errors(), store.write() as data:
        document = data["documents"].get(str(mk_id))
        if document is None:
            raise ValueError(f"Cannot find document with id = {mk_id}")
        if is_blank(amount):
            raise ValueError("Paramether 'amount' is required")
        payment = make_payment(data, payment_type or BANK_TRANSFER, date, store.now().date(),
                               parse_decimal(amount, "amount"), None, notes)
        document["payments"].append(payment)
        document["last_change_ts"] = store.timestamp()


def edit_partner(store: Store, mk_id: str, changes: dict[str, Any]) -> None:
    """Edit the partner ``mk_id`` (see ``partners.edited_partner`` for what ``changes`` may hold)."""
    unknown = sorted(set(changes) - partners.USER_EDITABLE)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(sorted(partners.USER_EDITABLE))})")
    with as_value_errors(), store.write() as data:
        current = partners.find_partner(data, mk_id=mk_id)
        if current is None:
            raise ValueError(f"no partner {mk_id}")
        data["partners"][current["mk_id"]] = partners.edited_partner(store, current, changes)
