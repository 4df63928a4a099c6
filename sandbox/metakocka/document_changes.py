"""Changing documents after put_document: update_document, delete_document and
change_document_status."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from . import packing_lists, partners, registers
from .documents import NewRecords, build_line, create_invoice
from .errors import APPLICATION, INTERNAL, PARAMETER, MkError, invalid, required
from .finders import find_document, find_order
from .state import Data, Store
from .values import is_blank, is_true, objects, optional_text, parse_decimal, text_list

# Head fields update_document may change on a sales order (besides the special cases below).
ORDER_TEXT_FIELDS = ("delivery_type", "tracking_intermediate_code", "shipped_date", "parcel_shop_id",
                     "notes_header", "notes")
CLEARABLE = ("tracking_code", "notes", "notes_header")
# Head fields update_document may change on a warehouse document (reference §3.4).
WAREHOUSE_TEXT_FIELDS = ("title", "notes", "buyer_order", "delivery_type")
NO_INVOICE = "No invoice for given sales order. Tracking code cannot be add."


def update_document(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Partial changes. Sales orders (by ``mk_id`` or ``buyer_order``): the head fields of
    ``ORDER_TEXT_FIELDS``, ``status_code``, ``tracking_code`` (only once the order has an
    invoice), ``discount_value``, ``warehouse``, ``partner``/``receiver``, ``extra_column``,
    ``count_code_new``, ``clear``, and lines (``product_add``, ``product_list`` entries with
    ``mk_row_id`` to change or ``mark_delete``, ``product_remove``). Bills (by ``mk_id`` or
    ``count_code``): ``status_code`` only, ``""`` clears it. Packing lists (by ``mk_id``):
    ``WAREHOUSE_TEXT_FIELDS`` and ``status_code`` (reference §3.4).

    Values change only if they differ; ``last_change_ts`` moves only when something changed.
    """
    doc_type = registers.require_doc_type(body)
    response: dict[str, Any] = {}
    with store.write() as data:
        new = NewRecords()
        if doc_type == "sales_order":
            current = find_order(data, body)
            updated = updated_order(store, data, current, body, new)
        elif doc_type in registers.BILL_TYPES:
            current = _find_bill(data, doc_type, body)
            updated = _with_status(data, current, body)
        elif doc_type == registers.PACKING_LIST:
            current = find_document(data, doc_type, required(body, "mk_id"))
            updated = _updated_warehouse_document(data, current, body)
        else:
            raise MkError(PARAMETER, f"update_document is not supported for document type : {doc_type}")
        new.insert_into(data)
        save_if_changed(store, data, current, updated)
        if doc_type == "sales_order" and is_true(body.get("create_invoice")):
            order = data["documents"][updated["mk_id"]]
            response["attachment_list"] = [{"bill_mk_id": create_invoice(store, data, order)["mk_id"]}]
    return response


def save_if_changed(store: Store, data: Data, current: dict[str, Any], updated: dict[str, Any]) -> None:
    """Store ``updated`` in place of ``current`` with a new ``last_change_ts``, if it differs."""
    if updated != current:
        updated["last_change_ts"] = store.timestamp()
        data["documents"][updated["mk_id"]] = updated


def delete_document(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Needs ``mk_id`` and ``doc_type`` (with the live service's odd errors when one is
    missing); sales orders and packing lists can be deleted (reference §3.5). Deleting an order
    releases its reservation; deleting a packing list puts its stock back, and its orders
    reserve what it had shipped again."""
    if is_blank(body.get("mk_id")):
        raise MkError(PARAMETER, "Paramether mk_id must be set")
    if is_blank(body.get("doc_type")):
        raise MkError(INTERNAL, "Internal server error.")
    doc_type = registers.require_doc_type(body)
    if doc_type not in ("sales_order", registers.PACKING_LIST):
        raise MkError(PARAMETER, f"delete_document is not supported for document type : {doc_type}")
    with store.write() as data:
        doc = find_document(data, doc_type, body["mk_id"])
        del data["documents"][doc["mk_id"]]
        if doc_type == registers.PACKING_LIST:
            packing_lists.move_stock(data, doc, +1)
        for link in doc["links"]:
            linked = data["documents"].get(link["mk_id"])
            if linked:
                linked["links"] = [entry for entry in linked["links"] if entry["mk_id"] != doc["mk_id"]]
    return {}


def change_document_status(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Set a status by its Opis code on documents named by ``mk_id``, ``mk_id_list`` or (sales
    orders) ``buyer_order``. The code must be in the company's status register."""
    doc_type = registers.require_doc_type(body)
    status = required(body, "status_code")
    with store.write() as data:
        if not is_blank(body.get("api_user_email")):
            registers.check_api_user(data, body["api_user_email"])
        registers.check_status(data, doc_type, status)
        if not is_blank(body.get("mk_id_list")):
            docs = [find_document(data, doc_type, mk_id) for mk_id in text_list(body["mk_id_list"])]
        elif doc_type == "sales_order":
            docs = [find_order(data, body)]
        else:
            docs = [find_document(data, doc_type, required(body, "mk_id"))]
        for doc in docs:
            if doc["status"] != status:
                doc["status"] = status
                doc["last_change_ts"] = store.timestamp()
    return {}


# --- sales orders --------------------------------------------------------------------------


def updated_order(store: Store, data: Data, current: dict[str, Any], body: dict[str, Any],
                  new: NewRecords) -> dict[str, Any]:
    """A changed copy of the sales order ``current`` (see :func:`update_document`)."""
    doc = copy.deepcopy(current)
    fields = doc["fields"]
    for name in ORDER_TEXT_FIELDS:
        if not is_blank(body.get(name)):
            fields[name] = optional_text(body[name])
    if not is_blank(body.get("tracking_code")):
        if not any(link["doc_type"] in registers.BILL_TYPES for link in doc["links"]):
            raise MkError(APPLICATION, NO_INVOICE)
        fields["tracking_code"] = optional_text(body["tracking_code"])
    doc = _with_status(data, doc, body)
    if not is_blank(body.get("discount_value")):
        doc["discount_value"] = str(parse_decimal(body["discount_value"], "discount_value"))
    if not is_blank(body.get("warehouse")):
        doc["warehouse"] = registers.warehouse_by_mark(data, body["warehouse"])["mark"]
    for role in ("partner", "receiver"):
        if not is_blank(body.get(role)):
            doc[role] = partners.document_partner(store, data, body[role], new.partners)
    for column in objects(body.get("extra_column"), "extra_column"):
        _set_extra_column(doc["extra_column"], column)
    if not is_blank(body.get("count_code_new")):
        doc["count_code"] = optional_text(body["count_code_new"])
    for name in text_list(body.get("clear")):
        if name not in CLEARABLE:
            raise invalid("clear", name, ",".join(CLEARABLE))
        fields.pop(name, None)
    _change_lines(store, data, doc, body, new)
    return doc


def _change_lines(store: Store, data: Data, doc: dict[str, Any], body: dict[str, Any], new: NewRecords) -> None:
    lines = doc["lines"]
    for entry in objects(body.get("product_add"), "product_add"):
        lines.append(build_line(store, data, entry, new))
    for entry in objects(body.get("product_list"), "product_list"):
        if is_blank(entry.get("mk_row_id")):
            lines.append(build_line(store, data, entry, new))
            continue
        index = _row_index(lines, lambda line: line["mk_row_id"] == str(entry["mk_row_id"]), entry["mk_row_id"])
        if is_true(entry.get("mark_delete")):
            del lines[index]
        else:
            row_id = lines[index]["mk_row_id"]
            lines[index] = build_line(store, data, _merged_line_entry(lines[index], entry), new, row_id)
    for entry in objects(body.get("product_remove"), "product_remove"):
        index = _row_index(lines, _removal_match(entry), entry)
        remaining = Decimal(lines[index]["amount"])
        if not is_blank(entry.get("amount")):
            remaining -= parse_decimal(entry["amount"], "amount")
        if is_blank(entry.get("amount")) or remaining <= 0:
            del lines[index]
        else:
            lines[index]["amount"] = str(remaining)


def _merged_line_entry(line: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """A product_list entry for a changed line: the line as it is, overlaid with the entry."""
    merged = {key: line[key] for key in ("code", "amount", "price", "price_with_tax", "discount", "tax", "doc_desc")}
    changes = {key: value for key, value in entry.items() if not is_blank(value)}
    if "price" in changes or "price_with_tax" in changes:
        merged["price"] = merged["price_with_tax"] = None
    if "tax_factor" in changes:
        merged["tax"] = None
    return {**merged, **changes}


def _removal_match(entry: dict[str, Any]):
    if not is_blank(entry.get("mk_row_id")):
        return lambda line: line["mk_row_id"] == str(entry["mk_row_id"])
    if not is_blank(entry.get("code")):
        return lambda line: line["code"] == str(entry["code"])
    if not is_blank(entry.get("mk_id")):
        return lambda line: line["product_mk_id"] == str(entry["mk_id"])
    raise MkError(PARAMETER, "Paramether 'mk_row_id', 'code' or 'mk_id' is required in product_remove")


def _row_index(lines: list[dict[str, Any]], matches, what: Any) -> int:
    for index, line in enumerate(lines):
        if matches(line):
            return index
    raise MkError(PARAMETER, f"Cannot find document row : {what}")


def _set_extra_column(columns: list[dict[str, Any]], column: dict[str, Any]) -> None:
    if is_blank(column.get("name")):
        raise MkError(PARAMETER, "Paramether 'extra_column' needs a name")
    value = optional_text(column.get("value"))
    for existing in columns:
        if existing["name"] == column["name"]:
            existing["value"] = value
            return
    columns.append({"name": str(column["name"]), "value": value})


# --- warehouse documents -------------------------------------------------------------------


def _updated_warehouse_document(data: Data, current: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    fields = {**current["fields"]}
    for name in WAREHOUSE_TEXT_FIELDS:
        if not is_blank(body.get(name)):
            fields[name] = optional_text(body[name])
    return _with_status(data, {**current, "fields": fields}, body)


# --- shared ------------------------------------------------------------------------------


def _with_status(data: Data, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with the ``status_code`` of the body (an Opis; ``""`` clears); unchanged when absent."""
    if "status_code" not in body or body["status_code"] is None:
        return doc
    status = body["status_code"]
    return {**doc, "status": registers.check_status(data, doc["doc_type"], status) if status != "" else None}


def _find_bill(data: Data, doc_type: str, body: dict[str, Any]) -> dict[str, Any]:
    if not is_blank(body.get("mk_id")):
        return find_document(data, doc_type, body["mk_id"])
    count_code = required(body, "count_code")
    for doc in data["documents"].values():
        if doc["doc_type"] == doc_type and doc["count_code"] == str(count_code):
            return doc
    raise MkError(PARAMETER, f"Cannot find document type {doc_type} with count_code = {count_code}")
