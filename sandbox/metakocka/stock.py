"""Stock: amounts per product and warehouse, reservations, and the warehouse endpoints.

``data["stock"]`` holds the physical amounts. Reservations are not stored: they are derived
from the sales orders, so that a replaced, deleted or cancelled order can never leave a stale
reservation behind. A sales order reserves, in its warehouse, the amounts of its material
(non-service) lines that its packing lists have not shipped yet (never less than 0), until it
is deleted or gets the status ``canceled`` (then only what is still open is released; what
was shipped stays shipped).

The physical amount drops when a packing list is put (see :mod:`.packing_lists`). Metakocka
lowers stock when a packing list or invoice is *issued* (reference §7.2); the simulator has no
user to issue documents, and the connector has to be able to observe the drop its fulfilments
cause, so every packing list put through the API counts as issued. Invoices do not: API
invoices are saved not issued (§3.2) and change no stock here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import registers
from .packing_lists import material_amounts, shipped_amounts
from .state import Data, Store
from .values import comma, is_blank, is_true, objects, one_or_list, page_window, parse_decimal, text_list

PAGE_SIZE = 1000
RELEASING_STATUSES = {"canceled"}


@dataclass(frozen=True)
class Level:
    amount: Decimal = Decimal(0)
    reserved: Decimal = Decimal(0)

    @property
    def free(self) -> Decimal:
        return self.amount - self.reserved


class StockLevels:
    """Amount and reservation of every (product, warehouse), computed once per request."""

    def __init__(self, data: Data) -> None:
        reserved: dict[tuple[str, str], Decimal] = {}
        for (order_id, product_id), amount in open_amounts(data).items():
            warehouse_id = registers.warehouse_by_mark(data, data["documents"][order_id]["warehouse"])["mk_id"]
            key = (product_id, warehouse_id)
            reserved[key] = reserved.get(key, Decimal(0)) + amount
        self._levels: dict[str, dict[str, Level]] = {}
        for product_id, amounts in data["stock"].items():
            for warehouse_id, amount in amounts.items():
                self._levels.setdefault(product_id, {})[warehouse_id] = Level(Decimal(amount))
        for (product_id, warehouse_id), amount in reserved.items():
            current = self._levels.setdefault(product_id, {}).get(warehouse_id, Level())
            self._levels[product_id][warehouse_id] = Level(current.amount, amount)
        self._warehouses = data["warehouses"]

    def for_product(self, product_id: str, *, every_warehouse: bool = False) -> list[tuple[dict[str, Any], Level]]:
        """``(warehouse, level)`` pairs in warehouse order: the warehouses with stock or a
        reservation, or with ``every_warehouse`` every active warehouse (zero rows included)."""
        levels = self._levels.get(product_id, {})
        return [
            (warehouse, levels.get(warehouse["mk_id"], Level()))
            for warehouse in self._warehouses
            if warehouse["mk_id"] in levels or (every_warehouse and warehouse["active"])
        ]


def open_amounts(data: Data) -> dict[tuple[str, str], Decimal]:
    """``(order mk_id, product mk_id)`` -> what a reserving order still reserves: ordered minus
    shipped by its packing lists, at least 0. Cancelled orders reserve nothing."""
    shipped = shipped_amounts(data)
    return {
        (doc["mk_id"], product_id): max(amount - shipped.get((doc["mk_id"], product_id), Decimal(0)), Decimal(0))
        for doc in data["documents"].values()
        if doc["doc_type"] == "sales_order" and doc.get("status") not in RELEASING_STATUSES
        for product_id, amount in material_amounts(doc).items()
    }


def stock_rows(data: Data, product: dict[str, Any], warehouse: dict[str, Any], level: Level) -> list[dict[str, Any]]:
    """The rows of one product in one warehouse: one, or one per microlocation when its stock there is
    kept on several (``data["microlocations"]``, see :func:`set_microlocations`). A change of the total
    made since (a packing list, say) is on the first microlocation, as on a warehouse's default one;
    the reservation is on the first row too."""
    split = data.get("microlocations", {}).get(product["mk_id"], {}).get(warehouse["mk_id"])
    if not split:
        return [stock_row(product, warehouse, level)]
    places = [(place, Decimal(amount)) for place, amount in split.items()]
    first_place, first_amount = places[0]
    places[0] = (first_place, first_amount + level.amount - sum(amount for _place, amount in places))
    rows = []
    for index, (place, amount) in enumerate(places):
        row_level = Level(amount, level.reserved if index == 0 else Decimal(0))
        rows.append({**stock_row(product, warehouse, row_level), "microlocation": place})
    return rows


def set_microlocations(data: Data, product_id: str, warehouse_id: str, amounts: dict[str, Any]) -> None:
    """Keep the stock of a product in a warehouse on these microlocations (``{"A1": "3", "B2": "7,5"}``):
    its amount there becomes their sum; an empty ``amounts`` keeps it on one row again."""
    splits = data.setdefault("microlocations", {})
    if not amounts:
        splits.get(product_id, {}).pop(warehouse_id, None)
        return
    parsed = {str(place): parse_decimal(amount, "amount") for place, amount in amounts.items()}
    splits.setdefault(product_id, {})[warehouse_id] = {place: str(amount) for place, amount in parsed.items()}
    data["stock"].setdefault(product_id, {})[warehouse_id] = str(sum(parsed.values()))


def stock_row(product: dict[str, Any], warehouse: dict[str, Any], level: Level) -> dict[str, Any]:
    """One warehouse_stock row; amounts use a decimal comma when fractional."""
    return {
        "warehouse_id": warehouse["mk_id"],
        "mk_id": product["mk_id"],
        "count_code": product["count_code"],
        "code": product["code"],
        "title": product["name"],
        "amount": comma(level.amount),
        "reserved_amount": comma(level.reserved),
        "free_amount": comma(level.free),
        "unit": product["unit"],
        "unit2": product["unit2"],
        "unit_factor": comma(Decimal(product["unit_factor"])) if product["unit_factor"] else None,
    }


# --- endpoints -----------------------------------------------------------------------------


def warehouse_list(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    with store.read() as data:
        warehouses = [
            {
                "mk_id": w["mk_id"], "mark": w["mark"], "name": w["name"], "main_warehouse": w["main_warehouse"],
                "same_address_as_company": False, "street": w["street"], "post": w["post"], "place": w["place"],
                "country": w["country"], "include_in_stock_info": True, "active": w["active"],
                "warehouse_type": "normal", "show_product_free_stock": w["show_product_free_stock"],
            }
            for w in data["warehouses"]
        ]
    return {"warehouse_list_count": len(warehouses), "warehouse_list": warehouses}


def warehouse_stock(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """One row per product × warehouse that has stock or a reservation. ``product_code_list``
    matches the product's ``code``, not its ``count_code``."""
    offset, limit = page_window(body, PAGE_SIZE)
    warehouse_ids = set(text_list(body.get("wh_id_list")))
    codes = set(text_list(body.get("product_code_list")))
    product_ids = set(text_list(body.get("product_mk_id_list")))
    with store.read() as data:
        levels = StockLevels(data)
        rows = [
            row
            for product in data["products"].values()
            if not product["service"]
            and (not codes or product["code"] in codes)
            and (not product_ids or product["mk_id"] in product_ids)
            and (is_blank(body.get("eshop_sync")) or product["eshop_sync"] == is_true(body["eshop_sync"]))
            for warehouse, level in levels.for_product(product["mk_id"])
            if not warehouse_ids or warehouse["mk_id"] in warehouse_ids
            for row in stock_rows(data, product, warehouse, level)
        ]
    page = rows[offset : offset + limit]
    return {"offset": offset, "limit": limit, "stock_list_count": len(page), "stock_list": page}


def sync_stock(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Write stock amounts (an inventory of the previous day, in Metakocka).

    Destructive: in every warehouse the request names, a product that is not in the request
    loses its stock (it is listed in ``stock_remove_list``). Unknown products or warehouses go
    to ``error_list``; the rest is still written. An amount written is on one row again (the
    inventory has no microlocations).
    """
    with store.write() as data:
        registers.check_api_user(data, body.get("api_user_email"))
        entries = objects(body.get("stock_list"), "stock_list")
        amounts, synced, errors = _requested_amounts(data, entries)
        named = (registers.warehouse_by_id(data, entry.get("warehouse_id")) for entry in entries)
        warehouses = {warehouse["mk_id"] for warehouse in named if warehouse}
        removed = []
        for product_id, per_warehouse in data["stock"].items():
            for warehouse_id in warehouses & set(per_warehouse):
                if (product_id, warehouse_id) not in amounts:
                    del per_warehouse[warehouse_id]
                    product = data["products"][product_id]
                    removed.append({"warehouse_id": warehouse_id, "product_id": product_id,
                                    "product_code": product["code"]})
        for (product_id, warehouse_id), amount in amounts.items():
            data["stock"].setdefault(product_id, {})[warehouse_id] = str(amount)
            set_microlocations(data, product_id, warehouse_id, {})
        for entry in removed:
            set_microlocations(data, entry["product_id"], entry["warehouse_id"], {})
    return {
        "opr_desc": "Sync successful",
        "stock_list": synced,
        "stock_remove_list": one_or_list(removed),
        "error_list": errors,
    }


def _requested_amounts(data: Data, entries: list[dict[str, Any]]):
    """``(amounts by (product, warehouse), rows written, error_list)`` of a sync_stock request."""
    amounts: dict[tuple[str, str], Decimal] = {}
    synced, errors = [], []
    for entry in entries:
        code, product_id, warehouse_id = entry.get("product_code"), entry.get("product_id"), entry.get("warehouse_id")
        product = (data["products"].get(str(product_id)) if not is_blank(product_id)
                   else next((p for p in data["products"].values() if p["code"] == code), None))
        warehouse = registers.warehouse_by_id(data, warehouse_id)
        error = "Product not found" if product is None else "Warehouse not found" if warehouse is None else None
        if error:
            errors.append({"product_code": code or product_id, "warehouse_id": warehouse_id, "error": error})
            continue
        amount = parse_decimal(entry.get("amount"), "amount")
        amounts[(product["mk_id"], warehouse["mk_id"])] = amount
        synced.append({"warehouse_id": warehouse["mk_id"], "product_id": product["mk_id"],
                       "product_code": product["code"], "amount": comma(amount)})
    return amounts, synced, errors
