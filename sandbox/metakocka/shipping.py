"""mark_orders_as_shipped: give many sales orders the shipped status at once (reference §3.6).

The orders are chosen by exactly one of ``sales_order_id_list`` (mk_ids),
``customer_order_list`` (``buyer_order`` values), or ``country`` + ``status_code`` together
(every order of that country, by its receiver's or else its partner's address, that has that
status, an Opis). None, several, or ``country`` without ``status_code`` (or the other way
round) is a parameter error (opr_code 2); so is an unknown order, and then nothing changes.
The status set is the register's entry for shipped orders: Opis ``shipped``, or else the Opis
of the entry whose Vrednost is "Odpremljen" or "Odposlan". Only orders whose status changes
get a new ``last_change_ts``.
"""

from __future__ import annotations

from typing import Any

from . import registers
from .errors import APPLICATION, PARAMETER, MkError
from .finders import find_document, find_order_by_buyer_order
from .partners import country_iso
from .state import Data, Store
from .values import is_blank, text_list

SELECTORS = "'sales_order_id_list', 'customer_order_list' or 'country' with 'status_code'"
SHIPPED_VALUES = ("Odpremljen", "Odposlan")


def mark_orders_as_shipped(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    with store.write() as data:
        orders = _chosen_orders(data, body)
        status = shipped_status(data)
        for order in orders:
            if order["status"] != status:
                order["status"] = status
                order["last_change_ts"] = store.timestamp()
    return {}


def shipped_status(data: Data) -> str:
    """The Opis of the sales-order register's shipped status."""
    values = registers.status_values(data, "sales_order")  # Opis -> Vrednost
    if "shipped" in values:
        return "shipped"
    for desc, value in values.items():
        if value in SHIPPED_VALUES:
            return desc
    raise MkError(APPLICATION, "The register 'Prodajna naročila - status' has no status for shipped orders.")


def _chosen_orders(data: Data, body: dict[str, Any]) -> list[dict[str, Any]]:
    by_id, by_customer_order = body.get("sales_order_id_list"), body.get("customer_order_list")
    by_country = not is_blank(body.get("country")) or not is_blank(body.get("status_code"))
    given = [not is_blank(by_id), not is_blank(by_customer_order), by_country]
    if sum(given) == 0:
        raise MkError(PARAMETER, f"Paramether {SELECTORS} is required")
    if sum(given) > 1:
        raise MkError(PARAMETER, f"Only one of the paramethers {SELECTORS} may be set")
    if not is_blank(by_id):
        return [find_document(data, "sales_order", mk_id) for mk_id in text_list(by_id)]
    if not is_blank(by_customer_order):
        return [find_order_by_buyer_order(data, number) for number in text_list(by_customer_order)]
    return _orders_of_country(data, body)


def _orders_of_country(data: Data, body: dict[str, Any]) -> list[dict[str, Any]]:
    for name, other in (("country", "status_code"), ("status_code", "country")):
        if is_blank(body.get(name)):
            raise MkError(PARAMETER, f"Paramether '{name}' is required with '{other}'")
    status = registers.check_status(data, "sales_order", body["status_code"])
    wanted = country_iso(body["country"])
    if wanted is None:
        raise MkError(PARAMETER, f"Paramether 'country' has invalid value : {body['country']}")
    return [doc for doc in data["documents"].values()
            if doc["doc_type"] == "sales_order" and doc["status"] == status
            and (doc["receiver"] or doc["partner"]).get("country_iso_2") == wanted]
