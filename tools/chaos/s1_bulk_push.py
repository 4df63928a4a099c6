"""Scenario 1: a bulk push of 300 confirmed orders under 10 % transient faults on put_document.

Proves that the scheduled run ends with every order done and none failed, and that Metakocka holds
exactly one sales order per Odoo order although a quarter of the faults were lost replies (the
document was created, then the connection closed) and the rest rate limits, 503s and maintenance
pages (nothing was created): no order is created twice, none is lost.
"""

import time

from . import actions

NUMBER, TITLE, LIMIT = 1, "bulk push under faults", 180
ORDERS = 300
FAULT_RATE = 0.10
FAULTS = (("rate_limit", {}), ("http_error", {"status": 503}), ("maintenance", {}), ("lost_reply", {}))


def arm_transient_faults(metakocka, rate):
    """``rate`` of all put_document calls hit, evenly by the four kinds (seeded, so reproducible)."""
    for seed, (kind, options) in enumerate(FAULTS, start=1):
        metakocka.add_fault(kind, probability=rate / len(FAULTS), times=None, seed=seed, ops=["put_document"],
                            **options)


def run(lab, trial):
    odoo, metakocka = lab.servers["A"].rpc(), lab.metakocka.admin
    orders = actions.create_orders(odoo, lab.catalog, ORDERS)
    names = actions.order_names(odoo, orders)
    metakocka.clear_requests()
    arm_transient_faults(metakocka, FAULT_RATE)
    started = time.monotonic()
    run_id = actions.sync_in_background(odoo, orders)
    try:
        trial.wait_or_fail(lambda: actions.run_done(odoo, run_id), trial.remaining() - 20, "the run's end")
    finally:
        metakocka.clear_faults()
    seconds = time.monotonic() - started
    state = actions.read_run(odoo, run_id)
    documents = actions.sales_orders_of(metakocka, names)
    duplicates = actions.duplicate_buyer_orders(documents)
    trial.figure(f"{state['done_count']} done, {state['failed_count']} failed, {len(documents)} documents, "
                 f"{duplicates} duplicates, {actions.faulted_calls(metakocka, 'put_document')} faulted calls, "
                 f"run {seconds:.1f} s")
    trial.check(state["done_count"] == ORDERS, f"{state['done_count']} of {ORDERS} done")
    trial.check(state["failed_count"] == 0, f"{state['failed_count']} failed")
    trial.check(len(documents) == ORDERS, f"{len(documents)} sales orders in Metakocka instead of {ORDERS}")
    trial.check(duplicates == 0, f"{duplicates} duplicate buyer_order")
