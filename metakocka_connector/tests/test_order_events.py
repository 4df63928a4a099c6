"""Odoo events move a linked order's Metakocka status by themselves, after the commit, through an outbox."""

from odoo.tests import tagged

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestOrderEvents(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coffee = cls.make_product("KAVA-500", "Coffee", 12.0, cls.tax_95, is_storable=True)
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)

    def setUp(self):
        super().setUp()
        self.Event = self.env["metakocka.order.event"]

    def linked_order(self, quantity=2):
        order = self.make_order([(self.coffee, quantity, 12.0, 0)])
        order.action_metakocka_sync()
        self.simulator.clear_requests()
        return order

    def remote_status(self, order):
        return next(doc for doc in self.remote_orders() if doc["mk_id"] == order.metakocka_mk_id).get("status_desc")

    def deliver(self, order, quantity=None):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.write({"quantity": quantity if quantity is not None else move.product_uom_qty, "picked": True})
        picking.with_context(cancel_backorder=False)._action_done()

    def test_an_order_waiting_for_stock_goes_as_confirmed_and_a_ready_delivery_moves_it_to_ready_to_ship(self):
        order = self.linked_order()
        self.assertEqual(self.remote_status(order), "created")  # nothing reserved yet: confirmed
        self.env["stock.quant"]._update_available_quantity(self.coffee, self.warehouse.lot_stock_id, 10)

        order.picking_ids.action_assign()

        self.assertEqual(self.simulator.count("change_document_status"), 0)  # nothing inside the transaction
        self.assertEqual(self.Event.search([("order_id", "=", order.id)]).state, "queued")
        self.Event._process_queued_events()
        self.assertEqual(self.remote_status(order), "ready_to_ship")
        self.assertEqual(order.metakocka_status_id.name, "Pripravljen za odpremo")

    def test_the_last_delivery_done_ships_the_order_and_its_invoice_completes_it(self):
        self.env["stock.quant"]._update_available_quantity(self.coffee, self.warehouse.lot_stock_id, 10)
        order = self.linked_order(quantity=2)
        self.assertEqual(self.remote_status(order), "ready_to_ship")

        self.deliver(order, quantity=1)  # a backorder of 1 is left
        self.Event._process_queued_events()
        self.assertEqual(self.remote_status(order), "ready_to_ship")
        self.deliver(order)
        self.Event._process_queued_events()
        self.assertEqual(self.remote_status(order), "shipped")

        order._create_invoices().action_post()
        self.Event._process_queued_events()
        self.assertEqual(self.remote_status(order), "completed")
        self.assertEqual(order.metakocka_status_id.name, "Zaključena")

    def test_cancelling_in_odoo_cancels_in_metakocka(self):
        order = self.linked_order()

        order._action_cancel()
        self.Event._process_queued_events()

        self.assertEqual(self.remote_status(order), "canceled")

    def test_one_waiting_event_per_order_and_a_move_the_register_forbids_is_not_sent(self):
        self.env["stock.quant"]._update_available_quantity(self.coffee, self.warehouse.lot_stock_id, 10)
        order = self.linked_order()
        self.deliver(order)
        self.Event._process_queued_events()
        self.assertEqual(self.remote_status(order), "shipped")
        self.simulator.clear_requests()
        # Back to "confirmed" in Odoo's eyes: shipped may not move there.
        self.Event._enqueue_status(order)
        self.Event._enqueue_status(order)
        self.assertEqual(self.Event.search_count([("order_id", "=", order.id), ("state", "=", "queued")]), 1)
        order.picking_ids.write({"state": "cancel"})

        self.Event._process_queued_events()

        event = self.Event.search([("order_id", "=", order.id)], order="id desc", limit=1)
        self.assertEqual(event.state, "skipped")
        self.assertIn("does not allow", event.message)
        self.assertEqual(self.simulator.count("change_document_status"), 0)

    def test_metakocka_away_means_later_not_lost(self):
        order = self.linked_order()
        self.simulator.add_fault("http_error", status=503, times=20, ops=["change_document_status"])
        order._action_cancel()

        self.Event._process_queued_events()

        event = self.Event.search([("order_id", "=", order.id)])
        self.assertEqual((event.state, event.attempts), ("queued", 1))
        self.assertTrue(event.next_try_at)
        self.simulator.clear_faults()
        event.next_try_at = False
        self.Event._process_queued_events()
        self.assertEqual((event.state, self.remote_status(order)), ("done", "canceled"))

    def test_a_lost_reply_to_a_status_change_is_tried_again_and_the_retry_gets_a_wake_up(self):
        order = self.linked_order()
        self.simulator.add_fault("lost_reply", times=1, ops=["change_document_status"])
        order._action_cancel()

        self.Event._process_queued_events()

        event = self.Event.search([("order_id", "=", order.id)])
        self.assertEqual((event.state, event.attempts), ("queued", 1))
        cron = self.env.ref("metakocka_connector.ir_cron_send_order_events")
        self.Event._wake_up_for_retries()
        self.assertTrue(self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", cron.id), ("call_at", "=", event.next_try_at)]))
        event.next_try_at = False
        self.Event._process_queued_events()
        self.assertEqual((event.state, self.remote_status(order)), ("done", "canceled"))

    def test_an_order_with_nothing_to_deliver_is_completed_once_invoiced(self):
        service = self.make_product("delivery_service", "Postage", 4.0, self.tax_22, type="service")
        order = self.make_order([(service, 1, 4.0, 0)])
        order.action_metakocka_sync()
        self.assertEqual(self.remote_status(order), "created")

        order._create_invoices().action_post()
        self.Event._process_queued_events()

        self.assertEqual(self.remote_status(order), "completed")

    def test_an_order_not_in_metakocka_makes_no_event(self):
        order = self.make_order([(self.coffee, 1, 12.0, 0)])
        order._action_cancel()
        self.assertFalse(self.Event.search([("order_id", "=", order.id)]))
