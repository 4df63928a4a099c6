"""The screens a user touches, in a real browser (headless Chromium) driven by Odoo tours."""

from odoo.tests import tagged

from odoo.addons.metakocka_connector.services.connection import client_for

from .common import MetakockaHttpCase


@tagged("post_install", "-at_install")
class TestTours(MetakockaHttpCase):
    def test_sync_one_order_from_its_form(self):
        order = self.make_order()
        self.start_tour(f"/odoo/action-sale.action_orders/{order.id}", "metakocka_sync_one_order",
                        login="accountman")
        self.assertEqual(order.metakocka_state, "synced")
        self.assertEqual(len(self.remote_orders()), 1)

    def test_bulk_sync_from_the_list_reaches_one_hundred_percent(self):
        orders = self.env["sale.order"].browse([self.make_order().id for _ in range(3)])
        self.start_tour("/odoo/action-sale.action_orders", "metakocka_bulk_sync_start", login="accountman")
        run = self.env["metakocka.sync.run"].search([("item_ids.res_id", "in", orders.ids)])
        self.assertEqual(run.total_count, 3)

        # What the scheduled action does in the background while the user waits.
        self.env["metakocka.sync.run"]._process_queued_items()

        self.start_tour(f"/odoo/action-metakocka_connector.action_metakocka_sync_run/{run.id}",
                        "metakocka_bulk_sync_done", login="accountman")
        self.assertEqual(len(self.remote_orders()), 3)

    def test_import_one_metakocka_order_from_the_import_screen(self):
        client_for(self.company).put_document({
            "doc_type": "sales_order", "doc_date": "15.01.2026", "buyer_order": "WEB-TOUR-1",
            "partner": {"mk_id": "1600000201", "mk_address_id": "1600000202"},
            "product_list": [{"code": "MLIN-01", "amount": "1", "price": "32.70", "tax": "EX4"}],
        })
        self.start_tour("/odoo/action-metakocka_connector.action_server_open_import", "metakocka_import_one_order",
                        login="accountman")
        imported = self.env["sale.order"].search([("metakocka_link_ids.buyer_order", "=", "WEB-TOUR-1")])
        self.assertEqual(imported.order_line.product_id.default_code, "MLIN-01")

    def test_fulfil_an_order_from_its_form_with_a_tracking_number(self):
        order = self.make_order()
        order.action_metakocka_sync()
        self.start_tour(f"/odoo/action-sale.action_orders/{order.id}", "metakocka_fulfil_order", login="accountman")
        self.assertEqual(order.picking_ids.mapped("state"), ["done"])
        self.assertEqual(order.metakocka_fulfilment_ids.tracking_ref, "TRK-1")

        # What the scheduled action "send order events" does right after the commit.
        self.env["metakocka.order.event"]._process_queued_events()

        self.start_tour(f"/odoo/action-sale.action_orders/{order.id}", "metakocka_fulfilment_shown",
                        login="accountman")
        self.assertEqual(len(self.simulator.documents("warehouse_packing_list")), 1)

    def test_cancel_an_order_with_a_reason(self):
        order = self.make_order()
        order.action_metakocka_sync()
        self.start_tour(f"/odoo/action-sale.action_orders/{order.id}", "metakocka_cancel_with_reason",
                        login="accountman")
        self.assertEqual((order.state, order.metakocka_cancel_reason), ("cancel", "Customer changed their mind"))

        self.env["metakocka.order.event"]._process_queued_events()

        remote = self.simulator.document(order.metakocka_mk_id)
        self.assertEqual(remote["status_desc"], "canceled")
        self.assertIn("Customer changed their mind", remote["notes"])
