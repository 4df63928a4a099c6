"""Never two documents for one record: double clicks, lost replies, a run that stopped half-way."""

import time
from datetime import timedelta

import psycopg2
from psycopg2 import IntegrityError

from odoo import fields
from odoo.sql_db import connection_info_for, db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.metakocka_connector.services.create_guard import create_was_attempted, note_create_attempt
from odoo.addons.metakocka_connector.services.document_push import DocumentPusher, buyer_order_of, order_status_for
from odoo.addons.metakocka_connector.services import run_queue
from odoo.addons.metakocka_connector.services.locks import lock_key

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestNoDuplicates(MetakockaCase):
    def test_a_second_click_while_the_first_is_running_sends_nothing(self):
        order = self.make_order()
        # Another transaction (the first click) holds the order's lock.
        with db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(order._name, order.id)])
            action = order.action_metakocka_sync()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("already being sent", action["params"]["message"])
        self.assertEqual(self.simulator.count("put_document"), 0)

        order.action_metakocka_sync()
        order.action_metakocka_sync()
        self.assertEqual(len(self.remote_orders()), 1)

    def test_a_lost_reply_is_resolved_by_buyer_order_without_a_second_document(self):
        order = self.make_order()
        self.simulator.add_fault("lost_reply", ops=["put_document"])

        action = order.action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.simulator.count("put_document"), 1)
        self.assertEqual(len(self.remote_orders()), 1)
        self.assertEqual(order.metakocka_state, "synced")
        self.assertEqual(order.metakocka_mk_id, self.remote_orders()[0]["mk_id"])

    def test_an_unknown_outcome_not_found_yet_stays_pending_and_is_looked_up_before_the_next_create(self):
        order = self.make_order()
        self.simulator.add_fault("drop", ops=["put_document"])

        action = order.action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(order.metakocka_state, "pending")
        self.assertTrue(create_was_attempted(self.env, self.company, "sales_order", buyer_order_of(order)))
        # Meanwhile the create arrives after all (a slow server): the next push must find it.
        self.simulator_create_as(order)
        self.simulator.clear_requests()

        order.action_metakocka_sync()

        self.assertEqual(len(self.remote_orders()), 1)
        self.assertEqual(self.simulator.count("put_document"), 0)
        self.assertEqual(order.metakocka_state, "synced")

    def test_a_run_whose_worker_died_half_way_resumes_at_once_with_exact_counts(self):
        orders = self.env["sale.order"].browse([self.make_order().id for _ in range(7)])
        run = self.env["metakocka.sync.run"]._queue_push(orders)
        Run = self.env["metakocka.sync.run"]
        self.work(Run._claim_batch(size=3))
        self.assertEqual((run.done_count, run.failed_count), (3, 0))
        # The second batch is taken, its first order created in Metakocka, then the worker is killed:
        # its items stay "running" with the process id of a connection that is gone.
        taken = Run._claim_batch(size=3)
        self.simulator_create_as(self.env["sale.order"].browse(taken[0].res_id))
        self.claim_as(taken, pid=-1)

        Run._process_queued_items()

        self.assertEqual((run.state, run.total_count, run.done_count, run.failed_count), ("done", 7, 7, 0))
        self.assertEqual(sorted(doc["buyer_order"] for doc in self.remote_orders()),
                         sorted(f"{order.name}-{order.id}" for order in orders))
        self.assertEqual(taken.mapped("attempts"), [2, 2, 2])

    def test_items_another_live_worker_holds_are_left_to_it(self):
        orders = self.env["sale.order"].browse([self.make_order().id for _ in range(2)])
        run = self.env["metakocka.sync.run"]._queue_push(orders)
        Run = self.env["metakocka.sync.run"]
        taken = Run._claim_batch(size=1)
        worker = psycopg2.connect(**connection_info_for(self.env.cr.dbname)[1])  # another worker's connection
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        self.claim_as(taken, pid=pid)

        Run._process_queued_items()

        self.assertEqual((taken.state, run.done_count, len(self.remote_orders())), ("running", 1, 1))
        worker.close()  # the worker is gone, and so is its connection: the item is free
        self.wait_for_backend_to_end(pid)
        Run._process_queued_items()
        self.assertEqual((run.state, run.done_count, len(self.remote_orders())), ("done", 2, 2))

    def test_an_item_whose_worker_died_too_often_is_failed_with_the_reason(self):
        run = self.env["metakocka.sync.run"]._queue_push(self.make_order())
        self.claim_as(run.item_ids, pid=-1)
        run.item_ids.attempts = run_queue.MAX_ATTEMPTS

        self.env["metakocka.sync.run"]._process_queued_items()

        self.assertEqual((run.state, run.failed_count, self.simulator.count("put_document")), ("done", 1, 0))
        self.assertIn(f"taken {run_queue.MAX_ATTEMPTS} times without an outcome, the last time by a worker that stopped",
                      run.item_ids.error)
        run.action_retry_failed()
        self.env["metakocka.sync.run"]._process_queued_items()
        self.assertEqual((run.done_count, run.item_ids.attempts, len(self.remote_orders())), (1, 1, 1))

    def test_a_busy_record_waits_a_little_and_is_not_sent_twice(self):
        order = self.make_order()
        run = self.env["metakocka.sync.run"]._queue_push(order)
        Run = self.env["metakocka.sync.run"]
        with db_connect(self.env.cr.dbname).cursor() as other:  # a click that is sending the order now
            other.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(order._name, order.id)])
            Run._process_queued_items()
        item = run.item_ids
        self.assertEqual((item.state, item.attempts, self.simulator.count("put_document")), ("queued", 1, 0))
        self.assertIn("already being sent", item.error)
        self.assertGreater(item.available_at, fields.Datetime.now())
        self.assertEqual(Run._process_queued_items(), 0)  # not at once: it waits its turn

        item.available_at = fields.Datetime.now() - timedelta(minutes=1)  # its turn came
        Run._process_queued_items()

        self.assertEqual((run.state, run.done_count, len(self.remote_orders())), ("done", 1, 1))

    def test_a_refused_create_leaves_no_note_and_fails_again_with_metakockas_message(self):
        tax_15 = self.sales_tax(self.company, 15.0)
        order = self.make_order([(self.make_product("ODD", "Odd tax", 3.0, tax_15), 1, 3.0, 0)])
        run = self.env["metakocka.sync.run"]._queue_push(order)

        for _attempt in range(2):
            self.env["metakocka.sync.run"]._process_queued_items()
            self.assertEqual((run.failed_count, len(self.remote_orders())), (1, 0))
            self.assertIn("tax", run.item_ids.error)
            self.assertFalse(create_was_attempted(self.env, self.company, "sales_order", buyer_order_of(order)))
            run.action_retry_failed()

    def work(self, items):
        workers = self.env["metakocka.sync.run"]._workers_for(items)
        for item in items:
            self.env["metakocka.sync.run"]._work_item(item, workers)

    def wait_for_backend_to_end(self, pid):
        for _try in range(100):
            self.env.cr.execute("SELECT pg_stat_clear_snapshot()")
            self.env.cr.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
            if not self.env.cr.rowcount:
                return
            time.sleep(0.05)
        self.fail(f"PostgreSQL kept the backend {pid} of a closed connection")

    def claim_as(self, items, pid):
        """Make ``items`` look claimed by the connection with process id ``pid``, just now."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE metakocka_sync_run_item SET state = 'running', claimed_by = %s, "
            "claimed_at = clock_timestamp() AT TIME ZONE 'UTC' WHERE id IN %s", [pid, tuple(items.ids)])
        items.invalidate_recordset()

    def test_the_database_refuses_a_second_link(self):
        order = self.make_order()
        order.action_metakocka_sync()
        link = order.metakocka_link_ids
        Link = self.env["metakocka.document.link"]
        other = self.make_order()
        for values in (
            {"sale_order_id": order.id, "mk_id": "999"},  # the same order and document type again
            {"sale_order_id": other.id, "mk_id": link.mk_id},  # the same Metakocka document again
        ):
            with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                Link.create({"company_id": self.company.id, "doc_type": "sales_order", "buyer_order": "x", **values})

    def simulator_create_as(self, order):
        """Create the order in Metakocka as a push does (the note of the attempt first, then the
        document), but without the Odoo side that a crash would lose."""
        pusher = DocumentPusher(self.env, self.company)
        link = self.env["metakocka.document.link"].new({"buyer_order": buyer_order_of(order),
                                                        "doc_type": "sales_order"})
        note_create_attempt(self.env, self.company, "sales_order", link.buyer_order)
        pusher.client.put_document(pusher._payload(order, "sales_order", link, order_status_for(order, link)))
