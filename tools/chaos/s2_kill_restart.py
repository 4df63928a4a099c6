"""Scenario 2: the Odoo server is SIGKILLed half-way through a bulk push of 300 orders, then started again.

Proves that a crash in the middle of a batch (Metakocka may already have created some of its
documents, Odoo's transaction is lost) leaves nothing behind: the run ends by itself within five
minutes of the restart, no item stays ``running``, and Metakocka holds exactly one sales order per
Odoo order. put_document answers in 0.1 s here, as a real service over the internet does, so that
the kill lands in the middle of a batch.
"""

import time

from . import actions

NUMBER, TITLE, LIMIT = 2, "server SIGKILLed half-way", 420
ORDERS = 300
LATENCY = 0.1
#: The run must end by itself within this many seconds of the restart.
RECOVERY_LIMIT = 300


def run(lab, trial):
    server = lab.servers["A"]
    odoo, metakocka = server.rpc(), lab.metakocka.admin
    orders = actions.create_orders(odoo, lab.catalog, ORDERS)
    names = actions.order_names(odoo, orders)
    metakocka.add_fault("latency", seconds=LATENCY, times=None, ops=["put_document"])
    try:
        run_id = actions.sync_in_background(odoo, orders)
        seen = {}

        def half_way():
            seen.update(actions.read_run(odoo, run_id))
            return seen["done_count"] >= ORDERS // 2

        if not trial.wait_or_fail(half_way, trial.remaining() - RECOVERY_LIMIT - 30, "half of the run", interval=0.1):
            return
        server.kill()
        trial.figure(f"killed at {seen['done_count']}/{ORDERS} done "
                     f"({len(actions.sales_orders_of(metakocka, names))} documents)")
        restarted = time.monotonic()
        trial.figure(f"started again (answering after {server.start():.1f} s)")
        odoo = server.rpc()
        ended = trial.wait(lambda: actions.run_done(odoo, run_id), RECOVERY_LIMIT - (time.monotonic() - restarted))
        recovery = time.monotonic() - restarted
    finally:
        metakocka.clear_faults()
    report(trial, odoo, metakocka, run_id, names, ended, recovery)


def report(trial, odoo, metakocka, run_id, names, ended, recovery):
    items = actions.run_items(odoo, run_id)
    states = actions.item_states(items)
    documents = actions.sales_orders_of(metakocka, names)
    duplicates = actions.duplicate_buyer_orders(documents)
    verdict = "ended" if ended else "not ended"
    trial.figure(f"{verdict} {recovery:.0f} s after the restart: {actions.describe_run(items)}, "
                 f"{len(documents)} documents, {duplicates} duplicates")
    trial.check(ended, f"the run did not end within {RECOVERY_LIMIT} s of the restart")
    trial.check(states.get("running", 0) == 0, f"{states.get('running', 0)} items left running")
    trial.check(states.get("done", 0) == ORDERS, f"{states.get('done', 0)} of {ORDERS} done")
    trial.check(len(documents) == ORDERS, f"{len(documents)} sales orders in Metakocka instead of {ORDERS}")
    trial.check(duplicates == 0, f"{duplicates} duplicate buyer_order")
