"""The search endpoint: list documents, page through them, find what changed.

Pages hold at most 100 records; ``result_all_records`` is the total, ``result_count`` the
number in the page; results are ordered by mk_id. With ``result_type: doc`` each result is the
document as get_document shows it, with the same ``show_*`` flags (``show_last_payment_date``
among them); ``payment_status`` (``false`` = not paid in full, partly paid included) follows
``sum_full_paid_when``. Only one search runs at a time per company:
concurrent searches wait for each other (the store's ``search_lock``). With the store's
``single_result_as_object``, a page of one record holds it as a bare object, the shape some
Metakocka lists take (reference §2.4).
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any, Callable

from . import registers
from .documents import render_document
from .errors import PARAMETER, MkError
from .payments import is_paid_in_full
from .state import Data, Store
from .values import is_blank, is_true, objects, page_window, parse_loose_date, parse_timestamp, text_list

PAGE_SIZE = 100

Filter = Callable[[dict[str, Any]], bool]


def search(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    doc_type = registers.require_doc_type(body)
    offset, limit = page_window(body, PAGE_SIZE)
    items = objects(body.get("query_advance"), "query_advance")
    with store.search_lock:
        time.sleep(store.search_delay)
        with store.read() as data:
            filters = [_advanced_filter(data, doc_type, item) for item in items]
            if not is_blank(body.get("query")):
                filters.append(_free_text(str(body["query"])))
            matches = [doc for doc in data["documents"].values()
                       if doc["doc_type"] == doc_type and all(check(doc) for check in filters)]
            matches.sort(key=lambda doc: int(doc["mk_id"]), reverse=body.get("order_direction") == "desc")
            page = [_result(data, doc, body) for doc in matches[offset : offset + limit]]
    return {
        "result_all_records": len(matches),
        "result_count": len(page),
        "offset": offset,
        "limit": limit,
        "result": page[0] if len(page) == 1 and store.single_result_as_object else page,
    }


def _result(data: Data, doc: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    if body.get("result_type") == "doc":
        return {"opr_code": "0", **render_document(data, doc, body)}
    result = {"mk_id": doc["mk_id"], "opr_code": "0", "count_code": doc["count_code"]}
    if is_true(body.get("show_status_code")) and doc["status"]:
        result["status_code"] = registers.status_values(data, doc["doc_type"]).get(doc["status"], doc["status"])
    return result


def _free_text(query: str) -> Filter:
    """``query`` matches the number, the customer's order number, the title or the partner."""
    needle = query.casefold()

    def check(doc: dict[str, Any]) -> bool:
        haystack = (doc["count_code"], doc["fields"].get("buyer_order"), doc["fields"].get("title"),
                    doc["partner"].get("customer"))
        return any(needle in (text or "").casefold() for text in haystack)

    return check


def _advanced_filter(data: Data, doc_type: str, item: dict[str, Any]) -> Filter:
    if is_blank(item.get("type")):
        raise MkError(PARAMETER, "Paramether 'query_advance' needs a type in every entry")
    kind, value = item["type"], item.get("value")
    if kind in ("doc_date_from", "doc_date_to"):
        if doc_type == "sales_offer":  # the live service refuses date filters on offers
            raise MkError(PARAMETER, f"Paramether query_advance : cannot get beQueryParam for type {kind}")
        day = parse_loose_date(value, kind)
        if kind == "doc_date_from":
            return lambda doc: date.fromisoformat(doc["doc_date"]) >= day
        return lambda doc: date.fromisoformat(doc["doc_date"]) <= day
    if kind in ("last_change_from", "last_change_to"):
        moment = parse_timestamp(value, kind)
        if kind == "last_change_from":
            return lambda doc: parse_timestamp(doc["last_change_ts"], kind) >= moment
        return lambda doc: parse_timestamp(doc["last_change_ts"], kind) <= moment
    if kind == "customer_order":
        return lambda doc: doc["fields"].get("buyer_order") == str(value)
    if kind == "status_list":
        wanted = set(text_list(value))
        return lambda doc: doc["status"] in wanted
    if kind == "partner_mk_id":
        return lambda doc: doc["partner"]["mk_id"] == str(value)
    if kind == "payment_status":  # "false": not paid in full (partly paid included), as sum_full_paid_when says
        paid = is_true(value)
        return lambda doc: is_paid_in_full(data, doc) == paid
    raise MkError(PARAMETER, f"Paramether query_advance : unknown type {kind}")
