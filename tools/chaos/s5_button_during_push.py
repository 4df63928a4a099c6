"""Scenario 5: "Sync to Metakocka" pressed on an order while the scheduled action is pushing it.

Metakocka is made slow on this order's put_document (a ``hold`` fault), the simulator tells when
that call is in flight, and the order's button is pressed right then, on the same server. Proves that
the order arrives in Metakocka exactly once, whatever the button answers (it is printed).
"""

import time

from . import actions

NUMBER, TITLE, LIMIT = 5, "button pressed during the scheduled push", 90
HOLD = 8.0


def in_flight(metakocka, name):
    return any((request.get("body") or {}).get("title") == name for request in metakocka.in_flight("put_document"))


def run(lab, trial):
    server, metakocka = lab.servers["A"], lab.metakocka.admin
    odoo, user = server.rpc(), server.rpc()  # the user's session apart from the polling one
    [order] = actions.create_orders(odoo, lab.catalog, 1)
    [name] = actions.order_names(odoo, [order])
    metakocka.add_fault("hold", seconds=HOLD, times=1, ops=["put_document"], match=name)
    try:
        run_id = actions.sync_in_background(odoo, [order])
        if not trial.wait_or_fail(lambda: in_flight(metakocka, name), 30, "the scheduled push in flight",
                                  interval=0.05):
            return
        pressed = time.monotonic()
        answer = actions.press_sync_button(user, order)
        answered = time.monotonic() - pressed
        overlapped = in_flight(metakocka, name)
        trial.wait_or_fail(lambda: actions.run_done(odoo, run_id), 40, "the scheduled run's end")
    finally:
        metakocka.clear_faults()
    report(trial, odoo, metakocka, run_id, order, name, (answer, answered, overlapped))


def report(trial, odoo, metakocka, run_id, order, name, press):
    answer, answered, overlapped = press
    documents = actions.sales_orders_of(metakocka, [name])
    items = actions.run_items(odoo, run_id)
    state = odoo.call("sale.order", "read", [order], ["metakocka_state"])[0]["metakocka_state"]
    trial.figure(f"pressed while put_document was held, the button answered in {answered:.1f} s "
                 f"({'the push still in flight' if overlapped else 'after the push'}): "
                 f"{answer['title']}: \"{answer['message']}\"")
    trial.figure(f"run {actions.describe_run(items)}, order {state}, {len(documents)} documents")
    trial.check(len(documents) == 1, f"{len(documents)} sales orders in Metakocka instead of 1")
    trial.check(actions.item_states(items).get("done") == 1, "the scheduled run's item is not done")
    trial.check(state == "synced", f"the order shows {state}, not synced")
