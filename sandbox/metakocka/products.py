"""Products: the catalogue, the ``json/product_*`` endpoints, and the product of a document line.

A product is stored as text fields, numeric fields (canonical decimal strings), boolean flags,
and its default sales ``price`` (net) and ``tax`` code::

    {"mk_id", "count_code", "code", "barcode", "name", "name_desc", "unit", "unit2",
     "customs_fee", "country", "height", "width", "depth", "weight", "gross_weight",
     "unit_factor", "min_stock", "service", "sales", "purchasing", "activated",
     "eshop_sync", "work", "price", "tax"}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import registers, stock
from .errors import APPLICATION, PARAMETER, PRODUCT_NOT_FOUND, MkError, required
from .state import Data, Store
from .values import comma, is_blank, is_true, objects, one_or_list, optional_text, page_window, parse_decimal, plain

PAGE_SIZE = 1000
REMOVE = "$REMOVE_STRING_VALUE$"

TEXT_FIELDS = ("code", "barcode", "name", "name_desc", "unit", "unit2", "customs_fee", "country")
NUMBER_FIELDS = ("height", "width", "depth", "weight", "gross_weight", "unit_factor", "min_stock")
COMMA_FIELDS = ("weight", "gross_weight", "unit_factor")  # output with a decimal comma
FLAGS = {"service": False, "sales": True, "purchasing": False, "activated": True, "eshop_sync": False, "work": False}
# product_list filter name -> stored flag
FLAG_FILTERS = {"sales": "sales", "purchase": "purchasing", "service": "service", "work": "work",
                "active": "activated", "eshop_sync": "eshop_sync"}
# product_list filter name -> stored field (matched exactly, or as a substring with search_with_like)
TEXT_FILTERS = {"count_code": "count_code", "code": "code", "title": "name"}
CREDENTIALS = ("secret_key", "company_id")


def new_product(store: Store, data: Data, fields: dict[str, Any]) -> dict[str, Any]:
    """A product built from product_add fields (not yet in the catalogue)."""
    for field in ("code", "name", "unit"):
        required(fields, field)
    count_code = optional_text(fields.get("count_code")) or f"PA-{store.next_in_sequence('product', start=1001)}"
    product: dict[str, Any] = {"mk_id": store.new_id(), "count_code": count_code}
    product.update({field: optional_text(fields.get(field)) for field in TEXT_FIELDS})
    product.update({field: _number(fields, field) for field in NUMBER_FIELDS})
    for flag, default in FLAGS.items():
        value = fields.get(flag, fields.get("active") if flag == "activated" else None)
        product[flag] = is_true(value) if not is_blank(value) else default
    product["price"], product["tax"] = _sales_price(data, fields)
    return product


def product_for_line(store: Store, data: Data, entry: dict[str, Any],
                     created: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The catalogue product a document line names by ``code`` (or ``count_code``).

    An unknown code fails with opr_code 8, unless the line has a ``unit``: then the line
    creates a catalogue product. New products go into ``created`` (by code) for the caller to
    insert once the whole document is valid.
    """
    code, count_code = optional_text(entry.get("code")), optional_text(entry.get("count_code"))
    if code and code in created:
        return created[code]
    product = find_product(data, code=code) if code else find_product(data, count_code=count_code)
    if product is not None:
        return product
    if not code or is_blank(entry.get("unit")):
        raise MkError(
            PRODUCT_NOT_FOUND,
            f"Product with code {code or count_code or 'null'} not found - unit must be set to add new product",
        )
    fields = {"code": code, "name": entry.get("name") or code, "unit": entry["unit"], "service": entry.get("service"),
              "tax": entry.get("tax") if entry.get("tax") in data["taxes"] else None}
    created[code] = new_product(store, data, fields)
    return created[code]


def find_product(data: Data, *, mk_id: Any = None, count_code: Any = None, code: Any = None) -> dict[str, Any] | None:
    products = data["products"]
    if not is_blank(mk_id):
        return products.get(str(mk_id))
    key, value = ("code", code) if not is_blank(code) else ("count_code", count_code)
    if is_blank(value):
        return None
    return next((p for p in products.values() if p[key] == str(value)), None)


def used_on_documents(data: Data, product: dict[str, Any]) -> bool:
    return any(line["product_mk_id"] == product["mk_id"] for doc in data["documents"].values() for line in doc["lines"])


# --- endpoints -----------------------------------------------------------------------------


def product_list(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Pages of at most 1000, ``product_list_count`` = the count in this page (there is no
    total), a single product as a bare object, and the head echoes the request's filters.
    The stock flag is spelt ``return_warehause_stock``, as in the real API."""
    offset, limit = page_window(body, PAGE_SIZE)
    like = is_true(body.get("search_with_like"))
    with store.read() as data:
        matches = [p for p in data["products"].values() if _matches(p, body, like)]
        levels = stock.StockLevels(data)
        page = [_list_view(data, levels, p, body) for p in matches[offset : offset + limit]]
    echo = {key: value for key, value in body.items() if key not in CREDENTIALS and not isinstance(value, (dict, list))}
    return {**echo, "limit": limit, "offset": offset, "product_list_count": len(page),
            "product_list": one_or_list(page)}


def product_add(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Fails only when a product has the same ``count_code`` AND the same ``code``."""
    with store.write() as data:
        count_code, code = optional_text(body.get("count_code")), optional_text(body.get("code"))
        if count_code and any(p["count_code"] == count_code and p["code"] == code for p in data["products"].values()):
            raise MkError(APPLICATION, f"Product with count_code {count_code} and code {code} already exists.")
        product = new_product(store, data, body)
        data["products"][product["mk_id"]] = product
    return {"mk_id": product["mk_id"], "count_code": product["count_code"]}


def product_update(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Empty values leave a field alone; ``$REMOVE_STRING_VALUE$`` clears a text field."""
    with store.write() as data:
        current = _product_to_change(data, body)
        product = dict(current)
        for field in TEXT_FIELDS:
            if body.get(field) == REMOVE:
                product[field] = None
            elif not is_blank(body.get(field)):
                product[field] = optional_text(body[field])
        for field in NUMBER_FIELDS:
            if not is_blank(body.get(field)):
                product[field] = _number(body, field)
        for flag in FLAGS:
            if not is_blank(body.get(flag)):
                product[flag] = is_true(body[flag])
        if not is_blank(body.get("pricelist")):
            # a price given without a tax keeps the product's tax: empty values do not clear a field
            product["price"], product["tax"] = _sales_price(data, {"tax": current["tax"], **body})
        _check_used_product_change(data, current, product, body)
        data["products"][product["mk_id"]] = product
    return {"mk_id": product["mk_id"], "count_code": product["count_code"]}


def product_delete(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    with store.write() as data:
        product = _product_to_change(data, body)
        if used_on_documents(data, product):
            raise MkError(APPLICATION, f"Product {product['count_code']} is used on documents and cannot be deleted.")
        del data["products"][product["mk_id"]]
        data["stock"].pop(product["mk_id"], None)
    return {}


# --- helpers -------------------------------------------------------------------------------


def _product_to_change(data: Data, body: dict[str, Any]) -> dict[str, Any]:
    if is_blank(body.get("mk_id")) and is_blank(body.get("count_code")):
        raise MkError(PARAMETER, "Paramether 'count_code' or 'mk_id' is required")
    product = find_product(data, mk_id=body.get("mk_id"), count_code=body.get("count_code"))
    if product is None:
        key = "mk_id" if not is_blank(body.get("mk_id")) else "count_code"
        raise MkError(PARAMETER, f"Product with {key} {body[key]} not found")
    return product


def _check_used_product_change(data: Data, before: dict[str, Any], after: dict[str, Any], body: dict[str, Any]) -> None:
    if not used_on_documents(data, before):
        return
    if before["sales"] and not after["sales"]:
        raise MkError(APPLICATION, "Product is used on sales documents; the sales flag cannot be removed.")
    if before["service"] != after["service"] and not is_true(body.get("confirm_save_change_product_service")):
        raise MkError(
            APPLICATION,
            "Product is used on documents; changing it to or from a service needs confirm_save_change_product_service.",
        )


def _matches(product: dict[str, Any], body: dict[str, Any], like: bool) -> bool:
    if not is_blank(body.get("mk_id")) and product["mk_id"] != str(body["mk_id"]):
        return False
    for name, field in TEXT_FILTERS.items():
        wanted = body.get(name)
        if is_blank(wanted):
            continue
        value = product[field] or ""
        if not (str(wanted).casefold() in value.casefold() if like else value == str(wanted)):
            return False
    return all(product[flag] == is_true(body[name])
               for name, flag in FLAG_FILTERS.items() if not is_blank(body.get(name)))


def _list_view(data: Data, levels: stock.StockLevels, product: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    view = {"count_code": product["count_code"], "mk_id": product["mk_id"]}
    view.update({field: product[field] for field in TEXT_FIELDS})
    for field in NUMBER_FIELDS:
        if product[field] is not None:
            number = Decimal(product[field])
            view[field] = comma(number) if field in COMMA_FIELDS else plain(number)
    view.update({flag: product[flag] for flag in FLAGS})
    per_warehouse = levels.for_product(product["mk_id"])
    if is_true(body.get("return_warehause_stock")):
        view["amount"] = comma(sum((level.amount for _, level in per_warehouse), Decimal(0)))
        view["amount_detail"] = [
            {"warehouse_mark": w["mark"], "warehouse_name": w["name"], "amount": comma(level.amount)}
            for w, level in per_warehouse
        ]
    if is_true(body.get("return_free_amount")):
        shown = (level.free for w, level in per_warehouse if w["show_product_free_stock"])
        view["free_amount"] = comma(sum(shown, Decimal(0)))
    if is_true(body.get("return_warehouse_reservation")):
        view["reservation_detail"] = [
            {"warehouse_mark": w["mark"], "warehouse_name": w["name"], "amount": comma(level.reserved)}
            for w, level in per_warehouse
            if level.reserved
        ]
    if is_true(body.get("return_pricelist")) and product["price"] is not None:
        view["pricelist"] = [_pricelist_view(data, product, is_true(body.get("show_tax_factor")))]
    view.update(product.get("raw_fields") or {})  # a malformed product for a client to survive
    return view


def _pricelist_view(data: Data, product: dict[str, Any], show_tax_factor: bool) -> dict[str, Any]:
    price_def: dict[str, Any] = {"tax": product["tax"], "price": plain(Decimal(product["price"]))}
    if show_tax_factor and product["tax"]:
        rate = registers.tax_rate(data, product["tax"])
        price_def.update(tax_desc=plain(rate * 100), tax_factor=plain(rate))
    return {"count_code": "PC-OSNOVNI", "title": "Osnovni cenik", "sales_purchase": "sales", "price_def": price_def}


def _sales_price(data: Data, fields: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(net price, tax code)`` from the first entry of a ``pricelist`` (or a line's ``tax``)."""
    tax = fields.get("tax")
    price = None
    for pricelist in objects(fields.get("pricelist"), "pricelist")[:1]:
        for price_def in objects(pricelist.get("price_def"), "price_def")[:1]:
            tax = price_def.get("tax") or tax
            if not is_blank(price_def.get("price")):
                price = parse_decimal(price_def["price"], "price")
            elif not is_blank(price_def.get("price_with_tax")):
                if is_blank(tax):
                    raise MkError(PARAMETER, "Paramether 'tax' is required with price_with_tax")
                gross = parse_decimal(price_def["price_with_tax"], "price_with_tax")
                price = gross / (1 + registers.tax_rate(data, tax))
    if not is_blank(tax):
        registers.tax_rate(data, tax)  # an unknown code is refused
    return (str(price) if price is not None else None), (tax or None)


def _number(fields: dict[str, Any], field: str) -> str | None:
    value = fields.get(field)
    return None if is_blank(value) else str(parse_decimal(value, field))
