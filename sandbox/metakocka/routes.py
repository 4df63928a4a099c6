"""The three path families. Each family answers only its own endpoints; anything else, the
right name under the wrong family included, is an HTML 404 (the simulator's default)."""

from __future__ import annotations

from ..core import Route
from . import document_changes, documents, partners, payments, products, search, shipping, stock
from .api import Credentials, Handler, json_endpoint
from .state import Store

FAMILIES: dict[str, dict[str, Handler]] = {
    "/rest/eshop/v1": {
        "put_document": documents.put_document,
        "get_document": documents.get_document,
        "update_document": document_changes.update_document,
        "delete_document": document_changes.delete_document,
        "change_document_status": document_changes.change_document_status,
        "mark_orders_as_shipped": shipping.mark_orders_as_shipped,
        "search": search.search,
        "put_transaction": payments.put_transaction,
        "get_partner": partners.get_partner,
        "add_partner": partners.add_partner,
        "update_partner": partners.update_partner,
    },
    "/rest/eshop/v1/json": {
        "product_list": products.product_list,
        "product_add": products.product_add,
        "product_update": products.product_update,
        "product_delete": products.product_delete,
        "warehouse_list": stock.warehouse_list,
        "warehouse_stock": stock.warehouse_stock,
        "put_transaction": payments.put_transaction,  # the old path of put_transaction
    },
    "/rest/eshop": {
        "sync_stock": stock.sync_stock,
    },
}

# These answer without opr_code on success.
BARE_SUCCESS = {"get_partner", "add_partner", "update_partner"}


def build_routes(store: Store, credentials: Credentials) -> dict[str, Route]:
    """Full path -> route; the operation name is the endpoint's name."""
    return {
        f"{family}/{name}": Route(name, json_endpoint(store, credentials, handler, bare_success=name in BARE_SUCCESS))
        for family, handlers in FAMILIES.items()
        for name, handler in handlers.items()
    }


def find_route(routes: dict[str, Route], path: str) -> Route | None:
    """A trailing slash is accepted (``/rest/eshop/v1/search/``)."""
    return routes.get(path.rstrip("/"))
