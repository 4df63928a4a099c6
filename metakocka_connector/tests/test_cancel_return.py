"""Cancelling a linked order with a reason, the shipped order that cannot be cancelled, and returns."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..services.connection import client_for
from .common import MetakockaCase

REASON = "Customer changed their mind"


@tagged("post_install", "-at_install")
class TestCancelAndReturn(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.coffee = cls.make_product("KAVA-500", "Coffee", 12.0, cls.tax_95, is_storable=True)
        cls.env["stock.quant"]._update_available_quantity(cls.coffee, cls.warehouse.lot_stock_id, 10)

    def setUp(self):
        super().setUp()
        self.Event = self.env["metakocka.order.event"]

    def linked_order(self, quantity=3):
        order = self.make_order([(self.coffee, quantity, 12.0, 0)])
        order.action_metakocka_sync()
        self.Event._process_queued_events()
        return order

    def remote(self, order):
        return self.simulator.document(order.metakocka_mk_id)

    def reserved_in_metakocka(self):
        rows = client_for(self.company).warehouse_stock(product_codes=[self.coffee.default_code])
        return sum(float(row["reserved_amount"].replace(",", ".")) for row in rows)

    def cancel_in_dialog(self, order, reason):
        action = order.action_cancel()
        self.assertEqual(action["res_model"], "sale.order.cancel")
        wizard = Form(self.env["sale.order.cancel"].with_context(action["context"]))
        self.assertTrue(wizard.metakocka_linked)
        wizard.metakocka_cancel_reason = reason
        return wizard.save().action_cancel()

    def test_cancel_with_a_reason_cancels_in_metakocka_with_that_note_and_releases_both_reservations(self):
        reserved_before = self.reserved_in_metakocka()
        order = self.linked_order()
        self.assertEqual(self.reserved_in_metakocka(), reserved_before + 3)
        self.assertEqual(order.order_line.metakocka_reserved_qty, 3)

        self.cancel_in_dialog(order, REASON)

        self.assertEqual((order.state, order.metakocka_cancel_reason), ("cancel", REASON))
        self.assertEqual(order.picking_ids.mapped("state"), ["cancel"])  # Odoo's reservation released
        self.Event._process_queued_events()
        remote = self.remote(order)
        self.assertEqual(remote["status_desc"], "canceled")
        self.assertIn(REASON, remote["notes"])
        self.assertEqual(self.reserved_in_metakocka(), reserved_before)
        self.assertTrue(any(REASON in str(message.body) and "Preklican" in str(message.body)
                            for message in order.message_ids))

    def test_a_second_cancellation_does_not_send_the_first_one_s_reason(self):
        order = self.linked_order()
        self.cancel_in_dialog(order, REASON)
        self.Event._process_queued_events()
        order.action_draft()
        order.action_confirm()

        self.cancel_in_dialog(order, "")

        self.assertFalse(order.metakocka_cancel_reason)

    def test_the_dialog_asks_no_reason_for_an_order_not_in_metakocka(self):
        order = self.make_order([(self.coffee, 1, 12.0, 0)])
        action = order.action_cancel()
        wizard = Form(self.env["sale.order.cancel"].with_context(action["context"]))
        self.assertFalse(wizard.metakocka_linked)

    def test_a_shipped_order_is_not_cancelled_the_message_points_to_a_return(self):
        order = self.linked_order()
        order.picking_ids.button_validate()

        with self.assertRaisesRegex(UserError, "Return the goods instead"):
            order.action_cancel()
        self.assertEqual(order.state, "sale")

    def test_a_validated_return_moves_the_order_to_returned(self):
        order = self.linked_order()
        delivery = order.picking_ids
        delivery.button_validate()
        self.Event._process_queued_events()
        self.assertEqual(self.remote(order)["status_desc"], "shipped")

        wizard = Form(self.env["stock.return.picking"].with_context(active_id=delivery.id, active_model="stock.picking"))
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = 3
        returned = self.env["stock.picking"].browse(wizard.save().action_create_returns()["res_id"])
        returned.button_validate()
        self.Event._process_queued_events()

        self.assertEqual(self.remote(order)["status_desc"], "package_returned")
        self.assertEqual(order.metakocka_status_id.meaning, "returned")
        self.assertEqual(len(order.metakocka_fulfilment_ids), 1)  # a return is not a fulfilment
