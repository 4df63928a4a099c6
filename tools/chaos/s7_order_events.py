"""Scenario 7: orders cancelled in Odoo reach Metakocka as cancelled, through the order events' outbox.

Proves that an Odoo change that must reach Metakocka (here a cancellation of linked orders) is sent
by the real scheduled action "Metakocka: send order events" after the user's transaction commits —
woken at once, not at its next regular call — and that each order ends cancelled in Metakocka with
its event done.
"""

import time

from . import actions

NUMBER, TITLE, LIMIT = 7, "order events after the commit", 120
ORDERS = 5
#: The cron worker is woken by the commit; this is the most it may take.
SEND_LIMIT = 90


def run(lab, trial):
    odoo, metakocka = lab.servers["A"].rpc(), lab.metakocka.admin
    orders = actions.create_orders(odoo, lab.catalog, ORDERS)
    names = actions.order_names(odoo, orders)
    answers = [actions.press_sync_button(odoo, order)["type"] for order in orders]
    trial.check(answers == ["success"] * ORDERS, f"the orders were not sent: {answers}")
    cancelled = time.monotonic()
    odoo.call("sale.order", "action_cancel", orders, context={"disable_cancel_warning": True})

    def all_cancelled_there():
        return [doc.get("status_desc") for doc in actions.sales_orders_of(metakocka, names)] == ["canceled"] * ORDERS

    arrived = trial.wait(all_cancelled_there, SEND_LIMIT, interval=0.5)
    seconds = time.monotonic() - cancelled
    events = odoo.call("metakocka.order.event", "search_read", [("order_id", "in", orders)], ["state", "meaning"])
    states = sorted({(event["state"], event["meaning"]) for event in events})
    statuses = [doc.get("status_desc") for doc in actions.sales_orders_of(metakocka, names)]
    trial.figure(f"{ORDERS} linked orders cancelled in Odoo, {statuses.count('canceled')} cancelled in Metakocka "
                 f"{seconds:.1f} s later, events {states}")
    trial.check(arrived, f"not all cancelled in Metakocka within {SEND_LIMIT} s: {statuses}")
    trial.check(len(events) == ORDERS and states == [("done", "cancelled")], f"events {states}")
