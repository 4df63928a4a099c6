"""Documents (offers, orders, bills, credit notes, packing lists): put_document, get_document,
and their shape. Every type is stored and shown alike; what is special about credit notes and
packing lists lives in :mod:`.credit_notes` and :mod:`.packing_lists`.

A document is stored as::

    {"mk_id", "doc_type", "count_code", "doc_date" (ISO date), "created_ts", "last_change_ts",
     "partner", "receiver"      partner snapshots (see partners.snapshot),
     "fields"                   head text fields (title, buyer_order, notes, ...; a credit note's
                                credit_note_type and credit_note_bill),
     "warehouse", "profit_center", "status" (the Opis code or None), "discount_value",
     "lines", "payments", "links" ([{mk_id, count_code, doc_type}]), "extra_column",
     "raw_fields"               optional: fields shown as they are in place of the rendered ones}

and a line as::

    {"mk_row_id", "product_mk_id", "code", "count_code", "name", "name_desc", "unit",
     "service", "amount", "price" | "price_with_tax", "discount", "tax", "tax_factor", "doc_desc"}

Sums are not stored; they are computed from the lines (see :mod:`.pricing`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from . import credit_notes, numbering, packing_lists, partners, products, registers
from .errors import APPLICATION, PARAMETER, MkError, required
from .finders import find_document, find_order_by_buyer_order
from .payments import payment_details, payment_summary, payments_from_mark_paid
from .pricing import document_totals, parse_discounts
from .state import Data, Store
from .values import doc_date, is_blank, is_true, money, objects, optional_text, parse_decimal, parse_doc_date, plain

# Head fields kept as text. ``customer_order`` is not among them: the live service drops it
# silently (the customer's order number is ``buyer_order``).
HEAD_FIELDS = (
    "title", "buyer_order", "currency_code", "notes_header", "notes", "sales_pricelist_code", "delivery_type",
    "method_of_payment", "pariteta", "priority", "parcel_shop_id", "doc_created_email", "commercialist_email",
    "order_create_ts", "delivery_deadline", "finish_date", "shipped_date_expected_seller", "service_from_date",
    "service_to_date", "bank_ref_prefix", "bank_ref_number", "location_of_service", "valid_days", "valid_to",
    "inquiry_num", "salesOrderTrackingType", "eshop_name",
)
LINK_LISTS = ("offer_list", "order_list", "sales_order_list")


@dataclass
class NewRecords:
    """Partners and products a document creates, inserted only once the document is valid."""

    partners: list[dict[str, Any]] = field(default_factory=list)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)  # by code

    def insert_into(self, data: Data) -> None:
        for partner in self.partners:
            data["partners"][partner["mk_id"]] = partner
        for product in self.products.values():
            data["products"][product["mk_id"]] = product


# --- put_document --------------------------------------------------------------------------


def put_document(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Insert a document, or with ``mk_id`` replace it completely: lines that are not sent are
    gone, the ``count_code`` is kept (a sent one is ignored), and payments follow ``mark_paid``.

    Bills and packing lists link to the orders of ``sales_order_list``, a credit note to the
    invoice it credits (see :mod:`.credit_notes`); a packing list moves stock (see
    :mod:`.packing_lists`)."""
    doc_type = registers.require_doc_type(body)
    with store.write() as data:
        current = find_document(data, doc_type, body["mk_id"]) if not is_blank(body.get("mk_id")) else None
        sources = _linked_sources(data, doc_type, body)
        new = NewRecords()
        doc = _document_from_body(store, data, doc_type, body, current, new, sources)
        new.insert_into(data)
        if current is None:
            doc["mk_id"] = store.new_id()
            doc["count_code"] = numbering.count_code(store, data, doc_type, date.fromisoformat(doc["doc_date"]),
                                                     body.get("count_code"))
        if doc_type == registers.PACKING_LIST:
            if current is not None:
                packing_lists.move_stock(data, current, +1)
            packing_lists.move_stock(data, doc, -1)
        data["documents"][doc["mk_id"]] = doc
        for source in sources:
            link_documents(source, doc, store.timestamp())
        response: dict[str, Any] = {"mk_id": doc["mk_id"], "count_code": doc["count_code"]}
        if doc_type == "sales_order":
            total = document_totals(doc["lines"], doc["discount_value"]).sum_all
            response.update(document_type_short="PR_SO", partner={"mk_id": doc["partner"]["mk_id"]},
                            total_price=money(total))
            if is_true(body.get("create_invoice")):
                response["attachment_list"] = [{"bill_mk_id": create_invoice(store, data, doc)["mk_id"]}]
    return response


def _linked_sources(data: Data, doc_type: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The documents a new document links to, found (or refused) before anything changes."""
    if doc_type in registers.ORDER_LINKED_TYPES:
        return _ordered_from(data, body)
    if doc_type == registers.CREDIT_NOTE:
        return credit_notes.credited_bills(data, body)
    return []


def _document_from_body(store: Store, data: Data, doc_type: str, body: dict[str, Any],
                        current: dict[str, Any] | None, new: NewRecords,
                        sources: list[dict[str, Any]]) -> dict[str, Any]:
    day = parse_doc_date(required(body, "doc_date"))
    partner = _partner(store, data, doc_type, body, sources, new)
    receiver = None
    if not is_blank(body.get("receiver")):
        receiver = partners.document_partner(store, data, body["receiver"], new.partners)
    lines = [build_line(store, data, entry, new) for entry in objects(body.get("product_list"), "product_list")]
    discount_value = _discount_value(body.get("discount_value"))
    status = current["status"] if current else None
    if not is_blank(body.get("status_code")):
        status = registers.check_status(data, doc_type, body["status_code"])
    fields = {name: optional_text(body.get(name)) for name in HEAD_FIELDS}
    fields["currency_code"] = fields["currency_code"] or "EUR"
    fields.update({name: _link_list(body.get(name), name) for name in LINK_LISTS})
    if doc_type == registers.CREDIT_NOTE:
        fields.update(credit_notes.head_fields(body))
    payments = payments_from_mark_paid(
        data, body.get("mark_paid"), day, lambda: document_totals(lines, discount_value).sum_all
    )
    now = store.timestamp()
    return {
        "mk_id": current["mk_id"] if current else None,
        "doc_type": doc_type,
        "count_code": current["count_code"] if current else None,
        "doc_date": day.isoformat(),
        "created_ts": current["created_ts"] if current else now,
        "last_change_ts": now,
        "partner": partner,
        "receiver": receiver,
        "fields": fields,
        "warehouse": registers.warehouse_by_mark(data, body.get("warehouse"))["mark"],
        "profit_center": registers.profit_center(data, body.get("profit_center"))["code"],
        "status": status,
        "discount_value": discount_value,
        "lines": lines,
        "payments": payments if payments is not None else (current["payments"] if current else []),
        "links": current["links"] if current else [],
        "extra_column": _extra_columns(body.get("extra_column")),
    }


def _partner(store: Store, data: Data, doc_type: str, body: dict[str, Any], sources: list[dict[str, Any]],
             new: NewRecords) -> dict[str, Any]:
    """The document's partner; a credit note without one takes the credited invoice's (§3.1:
    "some credit notes may omit it")."""
    if doc_type == registers.CREDIT_NOTE and is_blank(body.get("partner")) and sources:
        return copy.deepcopy(sources[0]["partner"])
    return partners.document_partner(store, data, body.get("partner"), new.partners)


def build_line(store: Store, data: Data, entry: dict[str, Any], new: NewRecords,
               row_id: str | None = None) -> dict[str, Any]:
    """A document line from a ``product_list`` entry (see :func:`products.product_for_line`)."""
    product = products.product_for_line(store, data, entry, new.products)
    amount = parse_decimal(required(entry, "amount"), "amount")
    if not is_blank(entry.get("tax")):
        tax = entry["tax"]
        registers.tax_rate(data, tax)
    elif not is_blank(entry.get("tax_factor")):
        tax = registers.tax_code_for_factor(data, entry["tax_factor"])
    elif product["tax"]:
        tax = product["tax"]
    else:
        raise MkError(PARAMETER, f"Tax is not set for product {product['code']}")
    price = price_with_tax = None
    if not is_blank(entry.get("price")):
        price = str(parse_decimal(entry["price"], "price"))
    elif not is_blank(entry.get("price_with_tax")):
        price_with_tax = str(parse_decimal(entry["price_with_tax"], "price_with_tax"))
    else:
        price = product["price"] or "0"
    discounts = parse_discounts(entry.get("discount"))
    return {
        "mk_row_id": row_id or store.new_id(),
        "product_mk_id": product["mk_id"],
        **{key: product[key] for key in ("code", "count_code", "name", "name_desc", "unit", "service")},
        "amount": str(amount),
        "price": price,
        "price_with_tax": price_with_tax,
        "discount": ";".join(plain(d) for d in discounts) or None,
        "tax": tax,
        "tax_factor": data["taxes"][tax],
        "doc_desc": optional_text(entry.get("doc_desc")),
    }


def create_invoice(store: Store, data: Data, order: dict[str, Any]) -> dict[str, Any]:
    """The invoice of a sales order (``create_invoice``): domestic, or foreign for a foreign
    partner. Like every API invoice it is saved but not issued (no ``publish_ts``)."""
    doc_type = "sales_bill_foreign" if order["partner"]["foreign_county"] else "sales_bill_domestic"
    today = store.now().date()
    now = store.timestamp()
    keep = ("title", "buyer_order", "currency_code", "method_of_payment", "delivery_type")
    bill = {
        **copy.deepcopy({key: order[key] for key in ("partner", "receiver", "warehouse", "profit_center",
                                                     "discount_value", "extra_column")}),
        "mk_id": store.new_id(),
        "doc_type": doc_type,
        "count_code": numbering.count_code(store, data, doc_type, today),
        "doc_date": today.isoformat(),
        "created_ts": now,
        "last_change_ts": now,
        "fields": {name: order["fields"].get(name) for name in keep},
        "status": None,
        "lines": [{**line, "mk_row_id": store.new_id()} for line in order["lines"]],
        "payments": [],
        "links": [],
    }
    data["documents"][bill["mk_id"]] = bill
    link_documents(order, bill, now)
    return bill


def link_documents(first: dict[str, Any], second: dict[str, Any], now: str) -> None:
    """List each document in the other's ``doc_link_list`` (once: a replaced document that
    names the same source again is not listed twice). A document whose list grew has changed:
    its ``last_change_ts`` becomes ``now``."""
    for one, other in ((first, second), (second, first)):
        if not any(link["mk_id"] == other["mk_id"] for link in one["links"]):
            one["links"].append({key: other[key] for key in ("mk_id", "count_code", "doc_type")})
            one["last_change_ts"] = now


def _ordered_from(data: Data, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The sales orders named in ``sales_order_list`` (by ``mk_id``, ``buyer_order`` or
    ``count_code``)."""
    orders = []
    for entry in objects(body.get("sales_order_list"), "sales_order_list"):
        if not is_blank(entry.get("mk_id")):
            orders.append(find_document(data, "sales_order", entry["mk_id"]))
        elif not is_blank(entry.get("buyer_order")):
            orders.append(find_order_by_buyer_order(data, entry["buyer_order"]))
        else:
            orders.append(_order_by_count_code(data, entry.get("count_code")))
    return orders


def _order_by_count_code(data: Data, count_code: Any) -> dict[str, Any]:
    for doc in data["documents"].values():
        if doc["doc_type"] == "sales_order" and doc["count_code"] == optional_text(count_code):
            return doc
    raise MkError(PARAMETER, f"Cannot find document type sales_order with count_code = {count_code}")


def _discount_value(value: Any) -> str | None:
    if is_blank(value):
        return None
    try:
        return str(parse_decimal(value, "discount_value"))
    except MkError:
        raise MkError(APPLICATION, "Not valid number for discount_value") from None


def _link_list(value: Any, field: str) -> list[dict[str, str]] | None:
    return [{key: optional_text(item) for key, item in entry.items()} for entry in objects(value, field)] or None


def _extra_columns(value: Any) -> list[dict[str, str]]:
    return [{"name": str(e["name"]), "value": optional_text(e.get("value"))}
            for e in objects(value, "extra_column") if not is_blank(e.get("name"))]


# --- get_document --------------------------------------------------------------------------


def get_document(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """By ``doc_id`` (not ``mk_id``!), or for a sales order by ``buyer_order``."""
    doc_type = registers.require_doc_type(body)
    with store.read() as data:
        if not is_blank(body.get("doc_id")):
            doc = find_document(data, doc_type, body["doc_id"])
        elif doc_type == "sales_order" and not is_blank(body.get("buyer_order")):
            doc = find_order_by_buyer_order(data, body["buyer_order"])
        else:
            raise MkError(PARAMETER, f"Cannot find document type {doc_type} with id = null")
        return render_document(data, doc, body)


def render_document(data: Data, doc: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """A document as get_document shows it; ``options`` holds the ``show_*`` flags
    (``show_last_payment_date``: see :mod:`.payments`)."""
    show_tax_factor = is_true(options.get("show_tax_factor"))
    show_product_detail = is_true(options.get("show_product_detail"))
    view: dict[str, Any] = {
        "mk_id": doc["mk_id"],
        "doc_type": doc["doc_type"],
        "count_code": doc["count_code"],
        "doc_date": doc_date(date.fromisoformat(doc["doc_date"])),
        "created_ts": doc["created_ts"],
        "last_change_ts": doc["last_change_ts"],
        "partner": doc["partner"],
        "receiver": doc["receiver"],
        **doc["fields"],
        "warehouse": doc["warehouse"],
        "profit_center": doc["profit_center"],
        "profit_center_desc": _profit_center_desc(data, doc["profit_center"]),
    }
    if doc["status"]:
        view["status_code"] = registers.status_values(data, doc["doc_type"]).get(doc["status"], doc["status"])
        view["status_desc"] = doc["status"]
    if doc["discount_value"]:
        view["discount_value"] = plain(Decimal(doc["discount_value"]))
    view["product_list"] = [_line_view(line, show_tax_factor, show_product_detail) for line in doc["lines"]]
    view.update(document_totals(doc["lines"], doc["discount_value"], doc["payments"]).as_fields())
    view["doc_link_list"] = doc["links"]
    view["extra_column"] = doc["extra_column"]
    if is_true(options.get("show_payment_detail")):
        view["mark_paid"] = payment_details(doc)
    if is_true(options.get("show_last_payment_date")):
        view.update(payment_summary(data, doc))
    view.update(doc.get("raw_fields") or {})
    return view


def _line_view(line: dict[str, Any], show_tax_factor: bool, show_product_detail: bool) -> dict[str, Any]:
    view = {
        "mk_id": line["product_mk_id"],
        **{key: line[key] for key in ("count_code", "code", "name", "name_desc", "unit")},
        "amount": plain(Decimal(line["amount"])),
    }
    if line["price_with_tax"] is not None:
        view["price_with_tax"] = plain(Decimal(line["price_with_tax"]))
    else:
        view["price"] = plain(Decimal(line["price"]))
    view.update(discount=line["discount"], tax=line["tax"], doc_desc=line["doc_desc"])
    if show_tax_factor:
        rate = Decimal(line["tax_factor"])
        view.update(tax_factor=plain(rate), tax_desc=plain(rate * 100))
    if show_product_detail:
        view.update(type="service" if line["service"] else "material", mk_row_id=line["mk_row_id"])
    return view


def _profit_center_desc(data: Data, code: str) -> str | None:
    return next((c["desc"] for c in data["profit_centers"] if c["code"] == code), None)
