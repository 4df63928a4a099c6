"""Bulk runs: queued from a list, worked through in batches, retried, and the schedules that feed them."""

import datetime

from odoo import fields
from odoo.tests import tagged

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestRuns(MetakockaCase):
    def process_all(self):
        return self.env["metakocka.sync.run"]._process_queued_items()

    def test_the_list_action_queues_a_run_and_wakes_the_processing_cron(self):
        orders = self.env["sale.order"].browse([self.make_order().id for _ in range(3)])
        cron = self.env.ref("metakocka_connector.ir_cron_process_sync_runs")
        triggers_before = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

        action = self.env["metakocka.sync.run"]._action_queue_push(orders)

        run = self.env["metakocka.sync.run"].browse(action["res_id"])
        self.assertEqual((run.state, run.total_count, run.done_count, run.progress), ("queued", 3, 0, 0.0))
        self.assertEqual(run.user_id, self.env.user)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers_before + 1)
        self.assertEqual(self.simulator.count("put_document"), 0)  # nothing is sent inside the click

        self.process_all()

        self.assertEqual((run.state, run.done_count, run.failed_count, run.progress), ("done", 3, 0, 100.0))
        self.assertEqual(len(self.remote_orders()), 3)
        self.assertTrue(all(order.metakocka_state == "synced" for order in orders))

    def test_transient_faults_end_with_every_order_sent_exactly_once(self):
        orders = self.env["sale.order"].browse([self.make_order().id for _ in range(12)])
        self.env["metakocka.sync.run"]._queue_push(orders)
        self.simulator.add_fault("rate_limit", times=2, ops=["put_document"])
        self.simulator.add_fault("http_error", status=503, times=1, ops=["put_document"])
        self.simulator.add_fault("lost_reply", times=2, ops=["put_document"])

        self.process_all()

        run = self.env["metakocka.sync.run"].search([], limit=1)
        self.assertEqual((run.done_count, run.failed_count), (12, 0))
        self.assertEqual(sorted(doc["buyer_order"] for doc in self.remote_orders()),
                         sorted(f"{order.name}-{order.id}" for order in orders))

    def test_a_failed_item_does_not_stop_the_batch_and_can_be_retried(self):
        good = self.make_order()
        loose = self.make_product(False, "Loose part", 1.0, self.tax_22)
        bad = self.make_order([(loose, 1, 1.0, 0)])
        run = self.env["metakocka.sync.run"]._queue_push(bad + good)

        self.process_all()

        self.assertEqual((run.state, run.done_count, run.failed_count), ("done", 1, 1))
        self.assertIn("Internal Reference", run.failed_item_ids.error)
        self.assertEqual(bad.metakocka_state, "error")

        loose.default_code = "LOOSE"
        run.action_retry_failed()
        self.assertEqual((run.state, run.failed_count), ("queued", 0))
        self.process_all()

        self.assertEqual((run.state, run.done_count, run.failed_count), ("done", 2, 0))
        self.assertEqual(len(self.remote_orders()), 2)

    def test_sync_all_queues_unsynced_and_changed_orders_only(self):
        synced, changed, never = self.make_order(), self.make_order(), self.make_order()
        (synced + changed).action_metakocka_sync()
        changed.order_line[0].product_uom_qty = 9
        self.env.flush_all()
        # The edit happened after the sync; make that visible at the database's clock resolution.
        self.env.cr.execute("UPDATE sale_order SET write_date = write_date + interval '1 minute' WHERE id = %s",
                            [changed.id])

        action = self.env["metakocka.sync.run"]._action_sync_all("sale.order")

        run = self.env["metakocka.sync.run"].browse(action["res_id"])
        self.assertEqual(set(run.item_ids.mapped("res_id")), {changed.id, never.id})
        self.process_all()
        self.assertEqual(len(self.remote_orders()), 3)

    def test_confirming_an_order_queues_it_when_the_company_asks(self):
        self.company.metakocka_push_on_confirm = True
        order = self.make_order()
        run = self.env["metakocka.sync.run"].search([("origin", "=", "confirmation")])
        self.assertEqual(run.item_ids.res_id, order.id)

    def test_failed_syncs_are_retried_with_growing_delays(self):
        order = self.make_order()
        self.env["metakocka.order.status"]._for_meaning(self.company, "ready").code = "no_such_status"
        order.action_metakocka_sync()
        link = order.metakocka_link_ids
        Scheduler = self.env["metakocka.scheduler"]

        delays = []
        for _attempt in range(3):
            before = fields.Datetime.now()
            link.next_retry_at = False if not delays else before - datetime.timedelta(seconds=1)
            Scheduler._cron_retry_errors()
            delays.append(link.next_retry_at - before)
            self.process_all()

        self.assertEqual(link.retry_count, 3)
        self.assertLess(delays[0], delays[1])
        self.assertLess(delays[1], delays[2])
        runs = self.env["metakocka.sync.run"].search([("origin", "=", "retry")])
        self.assertEqual(len(runs), 3)

    def test_scheduled_push_sends_changed_linked_orders_only(self):
        order, other = self.make_order(), self.make_order()
        order.action_metakocka_sync()
        order.order_line[0].product_uom_qty = 4
        self.env.flush_all()
        self.env.cr.execute("UPDATE sale_order SET write_date = write_date + interval '1 minute' WHERE id = %s",
                            [order.id])

        self.env["metakocka.scheduler"]._cron_push_changed()
        self.process_all()

        self.assertEqual(len(self.remote_orders()), 1)
        self.assertEqual(other.metakocka_state, "not_synced")
        self.assertEqual(self.remote_orders()[0]["product_list"][0]["amount"], "4")

    def test_old_log_lines_are_deleted(self):
        Log = self.env["metakocka.sync.log"].sudo()
        old = Log.create({"direction": "push", "operation": "create", "status": "success"})
        new = Log.create({"direction": "push", "operation": "create", "status": "success"})
        self.env.cr.execute("UPDATE metakocka_sync_log SET create_date = now() - interval '100 days' WHERE id = %s",
                            [old.id])
        Log._cron_delete_old_lines()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())
