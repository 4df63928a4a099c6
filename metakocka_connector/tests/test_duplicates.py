"""Never two documents for one record: double clicks, lost replies, a run that stopped half-way."""

from psycopg2 import IntegrityError

from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.metakocka_connector.services.create_guard import create_was_attempted, note_create_attempt
from odoo.addons.metakocka_connector.services.document_push import DocumentPusher, buyer_order_of
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

    def test_a_run_stopped_after_its_first_batch_resumes_with_exact_counts(self):
        orders = self.env["sale.order"].browse([self.make_order().id for _ in range(7)])
        run = self.env["metakocka.sync.run"]._queue_push(orders)
        Run = self.env["metakocka.sync.run"]

        # First batch done and committed.
        Run._process_items(Run._claim_batch(size=3))
        self.assertEqual((run.done_count, run.failed_count), (3, 0))
        # Second batch taken, its first order created in Metakocka, then the worker dies.
        taken = Run._claim_batch(size=3)
        self.simulator_create_as(self.env["sale.order"].browse(taken[0].res_id))
        self.env.cr.execute("UPDATE metakocka_sync_run_item SET claimed_at = claimed_at - interval '1 hour' "
                            "WHERE id IN %s", [tuple(taken.ids)])
        self.env.invalidate_all()

        while Run._cron_process_runs():
            pass

        self.assertEqual((run.state, run.total_count, run.done_count, run.failed_count), ("done", 7, 7, 0))
        self.assertEqual(sorted(doc["buyer_order"] for doc in self.remote_orders()),
                         sorted(f"{order.name}-{order.id}" for order in orders))

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
        link = self.env["metakocka.document.link"].new({"buyer_order": buyer_order_of(order)})
        note_create_attempt(self.env, self.company, "sales_order", link.buyer_order)
        pusher.client.put_document(pusher._payload(order, "sales_order", link))
