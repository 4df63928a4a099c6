"""Scenario 3: two Odoo servers, each with two cron workers, on one database, working one bulk run.

Proves that nothing is done twice when several workers on several hosts serve the same run: every
item is taken once and done once, every order is created in Metakocka with one put_document, and
Metakocka holds exactly one sales order per order. Odoo runs a scheduled action in one worker at a
time (it locks the ``ir_cron`` row), for at most ten calls (here ten batches of 50) before another
worker may take it; 600 orders make the run change hands at least once, to whichever worker of
either server wakes first. The servers' logs tell which one ran each batch.
"""

import re
from collections import Counter

from . import actions

NUMBER, TITLE, LIMIT = 3, "two servers on one run", 240
ORDERS = 600
BATCH_LINE = re.compile(r"Job 'Metakocka: process sync runs' \(\d+\) processed (\d+) records")


def cron_batches(log_text):
    """How many batches with work the log shows for the Metakocka run processor."""
    return sum(1 for match in BATCH_LINE.finditer(log_text) if int(match[1]) > 0)


def creates_per_order(metakocka, names):
    """put_document calls without ``mk_id`` (creates), counted by the Odoo order they carried."""
    wanted = set(names)
    return Counter(request["body"].get("title") for request in metakocka.requests("put_document")
                   if request.get("body") and not request["body"].get("mk_id") and request["body"].get("title") in wanted)


def run(lab, trial):
    first = lab.servers["A"]
    second = lab.add_server("B", cron_threads=2)
    try:
        work_one_run(lab, trial, first, second)
    finally:
        second.stop()
        del lab.servers["B"]


def work_one_run(lab, trial, first, second):
    odoo, metakocka = first.rpc(), lab.metakocka.admin
    orders = actions.create_orders(odoo, lab.catalog, ORDERS)
    names = actions.order_names(odoo, orders)
    metakocka.clear_requests()
    offsets = {server: server.log_offset() for server in (first, second)}
    run_id = actions.sync_in_background(second.rpc(), orders)  # queued on B, the cron workers of both take it
    trial.wait_or_fail(lambda: actions.run_done(odoo, run_id), trial.remaining() - 20, "the run's end")
    batches = {server.name: cron_batches(server.log_since(offset)) for server, offset in offsets.items()}
    items = actions.run_items(odoo, run_id)
    taken_again = sum(1 for item in items if item["attempts"] != 1)
    documents = actions.sales_orders_of(metakocka, names)
    duplicates = actions.duplicate_buyer_orders(documents)
    creates = creates_per_order(metakocka, names)
    sent_twice = sum(1 for count in creates.values() if count > 1)
    trial.figure(f"{actions.describe_run(items)}, {len(documents)} documents, {duplicates} duplicates, "
                 f"{taken_again} items taken more than once, {sent_twice} orders created twice, "
                 + ", ".join(f"server {name} ran {count} batches" for name, count in batches.items()))
    states = actions.item_states(items)
    trial.check(states.get("done", 0) == ORDERS, f"{states.get('done', 0)} of {ORDERS} done")
    trial.check(len(documents) == ORDERS, f"{len(documents)} sales orders in Metakocka instead of {ORDERS}")
    trial.check(duplicates == 0, f"{duplicates} duplicate buyer_order")
    trial.check(taken_again == 0, f"{taken_again} items taken more than once")
    trial.check(sent_twice == 0 and len(creates) == ORDERS,
                f"{sent_twice} orders created twice, {ORDERS - len(creates)} never created")
    idle = [name for name, count in batches.items() if not count]
    trial.check(not idle, f"server {' and '.join(idle)} ran no batch: the two servers did not share the run")
