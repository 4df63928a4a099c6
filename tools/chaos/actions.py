"""What a user does in Odoo for the chaos scenarios, over XML-RPC, and what the simulators show.

Orders are created and confirmed as a salesperson would, sent with the list's "Sync to Metakocka"
action or the order's button; runs and their items are read as the run's form shows them.
"""

from collections import Counter

#: Orders per XML-RPC call when creating and confirming many.
CHUNK = 100
RUN_FIELDS = ["state", "total_count", "done_count", "failed_count"]
ITEM_FIELDS = ["res_id", "record_name", "state", "attempts", "result", "error"]


def order_lines(catalog, number):
    """Two lines of the demo's products, quantities varying with ``number``."""
    return [(0, 0, {"product_id": catalog.products["KAVA-500"], "product_uom_qty": 1 + number % 3,
                    "discount": 5.0 if number % 2 else 0.0}),
            (0, 0, {"product_id": catalog.products["SKODELICA"], "product_uom_qty": 2})]


def create_orders(odoo, catalog, count, lines=order_lines, confirm=True):
    """``count`` new orders of the demo's customers (confirmed unless ``confirm`` is false); their ids."""
    ids = []
    for start in range(0, count, CHUNK):
        values = [{"partner_id": catalog.customers[number % len(catalog.customers)],
                   "order_line": lines(catalog, number)} for number in range(start, min(start + CHUNK, count))]
        chunk = odoo.call("sale.order", "create", values)
        if confirm:
            odoo.call("sale.order", "action_confirm", chunk)
        ids += chunk
    return ids


def order_names(odoo, ids):
    return [row["name"] for row in odoo.call("sale.order", "read", ids, ["name"])]


def sync_in_background(odoo, orders):
    """Orders list → select → Action → "Sync to Metakocka"; returns the run the action opens."""
    action = odoo.call("ir.actions.server", "search",
                       [("name", "=", "Sync to Metakocka"), ("model_name", "=", "sale.order")])[0]
    result = odoo.call("ir.actions.server", "run", [action],
                       context={"active_model": "sale.order", "active_ids": orders, "active_id": orders[0]})
    return result["res_id"]


def press_sync_button(odoo, order):
    """The order's "Sync to Metakocka" button; returns the notification it answers with."""
    return odoo.call("sale.order", "action_metakocka_sync", [order])["params"]


def read_run(odoo, run_id):
    return odoo.call("metakocka.sync.run", "read", [run_id], RUN_FIELDS)[0]


def run_done(odoo, run_id):
    return read_run(odoo, run_id)["state"] == "done"


def run_items(odoo, run_id):
    return odoo.call("metakocka.sync.run.item", "search_read", [("run_id", "=", run_id)], ITEM_FIELDS, order="id")


def item_states(items):
    return Counter(item["state"] for item in items)


def describe_run(items):
    """``done 250, failed 0, running 50, queued 0`` from the items themselves."""
    states = item_states(items)
    return ", ".join(f"{state} {states.get(state, 0)}" for state in ("done", "failed", "running", "queued"))


# -- the Metakocka simulator ------------------------------------------------------------------------


def sales_orders_of(metakocka, names):
    """The simulator's sales orders made from the Odoo orders ``names`` (by their title)."""
    wanted = set(names)
    return [doc for doc in metakocka.documents("sales_order") if doc.get("title") in wanted]


def duplicate_buyer_orders(documents):
    """How many documents share a ``buyer_order`` with an earlier one (0: each order is there once)."""
    counts = Counter(doc.get("buyer_order") for doc in documents)
    return sum(count - 1 for count in counts.values() if count > 1)


def faulted_calls(metakocka, op):
    return sum(1 for request in metakocka.requests(op) if request.get("fault"))
