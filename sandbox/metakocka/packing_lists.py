"""Warehouse packing lists ("Dobavnica", ``warehouse_packing_list``): goods leaving a warehouse.

A packing list is put like any document (reference §7.3) and names the sales orders it ships
in ``sales_order_list`` (``count_code``, ``mk_id`` or ``buyer_order``; §2.5, §4.4); both sides
then list each other in ``doc_link_list``. Its material (non-service) lines:

* lower the physical stock (``amount`` in warehouse_stock) of the packing list's warehouse
  when it is put; a replacement (put_document with ``mk_id``) puts the old amounts back first,
  a deleted packing list puts them back;
* count as shipped for the orders it names, which reserve only what is not shipped yet (see
  :func:`.stock.open_amounts`). Several partial packing lists per order are fine; one for more
  than the order has left is accepted, the order's reservation just stops at 0.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import registers
from .state import Data


def material_amounts(doc: dict[str, Any]) -> dict[str, Decimal]:
    """Product mk_id -> the amount of the document's material lines (services hold no stock)."""
    amounts: dict[str, Decimal] = {}
    for line in doc["lines"]:
        if not line["service"]:
            amounts[line["product_mk_id"]] = amounts.get(line["product_mk_id"], Decimal(0)) + Decimal(line["amount"])
    return amounts


def move_stock(data: Data, doc: dict[str, Any], sign: int) -> None:
    """Add ``sign`` × the document's material amounts to the stock of its warehouse."""
    warehouse_id = registers.warehouse_by_mark(data, doc["warehouse"])["mk_id"]
    for product_id, amount in material_amounts(doc).items():
        per_warehouse = data["stock"].setdefault(product_id, {})
        per_warehouse[warehouse_id] = str(Decimal(per_warehouse.get(warehouse_id, "0")) + sign * amount)


def shipped_amounts(data: Data) -> dict[tuple[str, str], Decimal]:
    """``(order mk_id, product mk_id)`` -> the amount the order's packing lists shipped.

    A packing list naming several orders serves them in the order it names them, each up to
    what it still has open of the product; the last one takes the rest."""
    shipped: dict[tuple[str, str], Decimal] = {}
    for doc in data["documents"].values():
        if doc["doc_type"] != registers.PACKING_LIST:
            continue
        orders = [data["documents"][link["mk_id"]] for link in doc["links"]
                  if link["doc_type"] == "sales_order" and link["mk_id"] in data["documents"]]
        for product_id, amount in material_amounts(doc).items():
            for index, order in enumerate(orders):
                key = (order["mk_id"], product_id)
                done = shipped.get(key, Decimal(0))
                still_open = max(material_amounts(order).get(product_id, Decimal(0)) - done, Decimal(0))
                taken = amount if index == len(orders) - 1 else min(still_open, amount)
                shipped[key] = done + taken
                amount -= taken
    return shipped
