"""Finding documents the ways the endpoints identify them."""

from __future__ import annotations

from typing import Any

from .errors import PARAMETER, MkError
from .state import Data
from .values import is_blank


def find_document(data: Data, doc_type: str, mk_id: Any) -> dict[str, Any]:
    doc = data["documents"].get(str(mk_id))
    if doc is None or doc["doc_type"] != doc_type:
        raise MkError(PARAMETER, f"Cannot find document type {doc_type} with id = {mk_id}")
    return doc


def find_order_by_buyer_order(data: Data, buyer_order: Any) -> dict[str, Any]:
    """The first sales order with that customer order number."""
    for doc in data["documents"].values():
        if doc["doc_type"] == "sales_order" and doc["fields"].get("buyer_order") == str(buyer_order):
            return doc
    raise MkError(PARAMETER, f"Cannot find document type sales_order with buyer_order = {buyer_order}")


def find_order(data: Data, body: dict[str, Any]) -> dict[str, Any]:
    """A sales order named by ``mk_id`` or ``buyer_order``."""
    if not is_blank(body.get("mk_id")):
        return find_document(data, "sales_order", body["mk_id"])
    if not is_blank(body.get("buyer_order")):
        return find_order_by_buyer_order(data, body["buyer_order"])
    raise MkError(PARAMETER, "Paramether 'mk_id' is required")
