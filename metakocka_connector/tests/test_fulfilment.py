"""Validated deliveries of linked orders go to Metakocka: packing lists, shipped date, carrier, tracking."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..services.connection import client_for
from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestFulfilment(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.coffee = cls.make_product("KAVA-500", "Coffee", 12.0, cls.tax_95, is_storable=True)
        cls.tea = cls.make_product("CAJ-100", "Tea", 4.0, cls.tax_95, is_storable=True)
        cls.honey = cls.make_product("MED-250", "Honey", 8.0, cls.tax_95, is_storable=True)
        for product in cls.coffee | cls.tea | cls.honey:
            cls.env["stock.quant"]._update_available_quantity(product, cls.warehouse.lot_stock_id, 10)
        cls.carrier = cls.env["delivery.carrier"].create({
            "name": "GLS", "product_id": cls.env["product.product"].create({"name": "GLS", "type": "service"}).id})

    def setUp(self):
        super().setUp()
        self.Event = self.env["metakocka.order.event"]

    def linked_order(self, lines=None):
        order = self.make_order(lines or [(self.coffee, 2, 12.0, 0), (self.tea, 3, 4.0, 0), (self.honey, 1, 8.0, 0)])
        order.action_metakocka_sync()
        self.Event._process_queued_events()
        self.simulator.clear_requests()
        return order

    def fulfil(self, order, quantities=None, **values):
        """The Fulfil dialog as a person fills it: ``quantities`` by product (the rest as prefilled)."""
        form = Form(self.env["metakocka.fulfil.wizard"].with_context(default_order_id=order.id))
        for field, value in values.items():
            setattr(form, field, value)
        for index, line in enumerate(form.line_ids._records):
            product = self.env["product.product"].browse(self.env["stock.move"].browse(line["move_id"]).product_id.id)
            if quantities and product in quantities:
                with form.line_ids.edit(index) as row:
                    row.quantity = quantities[product]
        return form.save().action_fulfil()

    def remote(self, order):
        return self.simulator.document(order.metakocka_mk_id)

    def packing_lists(self):
        return self.simulator.documents("warehouse_packing_list")

    def test_a_partial_delivery_is_a_packing_list_the_backorder_another_and_the_last_ships_the_order(self):
        order = self.linked_order()
        self.fulfil(order, {self.honey: 0}, tracking_ref="TRK-1", carrier_id=self.carrier, notes="Leave at the door")

        fulfilment = order.metakocka_fulfilment_ids
        self.assertEqual((fulfilment.state, fulfilment.tracking_ref, fulfilment.carrier_name),
                         ("queued", "TRK-1", "GLS"))
        self.assertEqual(len(self.packing_lists()), 0)  # nothing inside the user's transaction
        backorder = order.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
        self.assertEqual(backorder.move_ids.product_id, self.honey)

        self.Event._process_queued_events()

        [packing_list] = self.packing_lists()
        self.assertEqual(sorted((line["code"], line["amount"]) for line in packing_list["product_list"]),
                         [("CAJ-100", "3"), ("KAVA-500", "2")])
        self.assertIn(order.metakocka_mk_id, [link["mk_id"] for link in packing_list["doc_link_list"]])
        self.assertEqual(fulfilment.count_code, packing_list["count_code"])
        remote = self.remote(order)
        self.assertEqual((remote.get("delivery_type"), remote.get("status_desc")), ("GLS", "ready_to_ship"))
        self.assertIn("Leave at the door", remote.get("notes", ""))
        self.assertTrue(remote.get("shipped_date"))
        # No invoice yet: Metakocka refuses the tracking number; it waits, not lost.
        self.assertEqual(fulfilment.state, "waiting_invoice")
        self.assertNotIn("tracking_code", remote)

        self.fulfil(order)  # the backorder, in full
        self.Event._process_queued_events()
        self.assertEqual(len(self.packing_lists()), 2)
        self.assertEqual(self.remote(order)["status_desc"], "shipped")
        self.assertEqual(order.metakocka_status_id.name, "Odpremljen")

        invoice = order._create_invoices()
        invoice.action_post()
        invoice.action_metakocka_sync()
        self.Event._process_queued_events()
        self.assertEqual(self.remote(order).get("tracking_code"), "TRK-1")
        self.assertEqual(fulfilment.state, "done")
        self.assertTrue(fulfilment.tracking_sent)

    def test_shipping_lowers_metakocka_stock_and_reservation(self):
        order = self.linked_order([(self.coffee, 4, 12.0, 0)])
        amount, reserved = self.stock_row(self.coffee)
        self.assertEqual(reserved, 4)

        self.fulfil(order, {self.coffee: 3})
        self.Event._process_queued_events()

        self.assertEqual(self.stock_row(self.coffee), (amount - 3, 1))

    def test_with_create_invoice_metakocka_makes_the_invoice_and_takes_the_tracking_number(self):
        self.company.metakocka_tracking_without_invoice = "create_invoice"
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])

        self.fulfil(order, tracking_ref="TRK-9", carrier_id=self.carrier)
        self.Event._process_queued_events()

        remote = self.remote(order)
        self.assertEqual(remote.get("tracking_code"), "TRK-9")
        self.assertTrue([link for link in remote["doc_link_list"] if link["doc_type"].startswith("sales_bill")])
        self.assertEqual(order.metakocka_fulfilment_ids.state, "done")

    def test_a_lost_reply_to_create_invoice_never_asks_for_a_second_invoice(self):
        self.company.metakocka_tracking_without_invoice = "create_invoice"
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        self.simulator.add_fault("lost_reply", times=1, ops=["update_document"], match="create_invoice")
        self.fulfil(order, tracking_ref="TRK-5")

        self.Event._process_queued_events()  # the invoice is made, its reply lost: tried again later
        event = self.Event.search([("order_id", "=", order.id)], order="id desc", limit=1)
        self.assertEqual(event.state, "queued")
        event.next_try_at = False
        self.Event._process_queued_events()

        remote = self.remote(order)
        self.assertEqual(remote.get("tracking_code"), "TRK-5")
        self.assertEqual(len([link for link in remote["doc_link_list"] if link["doc_type"].startswith("sales_bill")]), 1)
        self.assertEqual(self.simulator.count("update_document") - self.count_with("create_invoice"), 2)
        self.assertEqual(self.count_with("create_invoice"), 1)

    def count_with(self, text):
        return sum(1 for request in self.simulator.requests if text in str(request.body))

    def test_a_lost_reply_to_the_packing_list_never_makes_a_second_one(self):
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        self.simulator.add_fault("lost_reply", times=1, ops=["put_document"])

        self.fulfil(order)
        self.Event._process_queued_events()

        self.assertEqual(len(self.packing_lists()), 1)
        fulfilment = order.metakocka_fulfilment_ids
        self.assertEqual(fulfilment.count_code, self.packing_lists()[0]["count_code"])
        self.assertEqual(self.remote(order)["status_desc"], "shipped")

    def test_metakocka_away_means_the_fulfilment_is_sent_later(self):
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        self.simulator.add_fault("http_error", status=503, times=50, ops=["put_document"])
        self.fulfil(order)

        self.Event._process_queued_events()

        event = self.Event.search([("order_id", "=", order.id)], order="id desc", limit=1)
        self.assertEqual((event.state, order.metakocka_fulfilment_ids.state), ("queued", "queued"))
        self.simulator.clear_faults()
        event.next_try_at = False
        self.Event._process_queued_events()
        self.assertEqual(order.metakocka_fulfilment_ids.state, "done")
        self.assertEqual(len(self.packing_lists()), 1)

    def test_the_status_waits_for_a_refused_packing_list_and_follows_when_it_is_sent_again(self):
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        link = order._metakocka_link("sales_order").sudo()
        key = link.buyer_order
        link.buyer_order = "NOT-IN-METAKOCKA"  # the packing list names an order Metakocka does not know
        self.fulfil(order)

        self.Event._process_queued_events()

        self.assertEqual(order.metakocka_fulfilment_ids.state, "failed")
        self.assertEqual(self.remote(order)["status_desc"], "ready_to_ship")
        event = self.Event.search([("order_id", "=", order.id)], order="id desc", limit=1)
        self.assertIn(order.picking_ids.name, event.message)
        link.buyer_order = key
        order.metakocka_fulfilment_ids.action_send_again()
        self.Event._process_queued_events()
        self.assertEqual((order.metakocka_fulfilment_ids.state, self.remote(order)["status_desc"]), ("done", "shipped"))

    def test_a_delivery_validated_before_the_order_was_in_metakocka_goes_once_it_is(self):
        order = self.make_order([(self.coffee, 2, 12.0, 0)])
        order.picking_ids.carrier_tracking_ref = "TRK-EARLY"
        order.picking_ids.button_validate()
        self.assertFalse(order.metakocka_fulfilment_ids)

        order.action_metakocka_sync()
        self.Event._process_queued_events()

        self.assertEqual(len(self.packing_lists()), 1)
        self.assertEqual(order.metakocka_fulfilment_ids.tracking_ref, "TRK-EARLY")
        self.assertEqual(self.remote(order)["status_desc"], "shipped")

    def test_a_delivery_sent_again_never_winds_the_order_back_to_an_older_one(self):
        other_carrier = self.env["delivery.carrier"].create({"name": "Pošta Slovenije",
                                                             "product_id": self.carrier.product_id.id})
        order = self.linked_order([(self.coffee, 2, 12.0, 0)])
        self.fulfil(order, {self.coffee: 1}, carrier_id=self.carrier)
        self.Event._process_queued_events()
        first = order.metakocka_fulfilment_ids
        first.shipped_at = "2026-11-02 10:00:00"
        self.fulfil(order, carrier_id=other_carrier)
        self.Event._process_queued_events()
        latest = self.remote(order)
        self.assertEqual(latest["delivery_type"], "Pošta Slovenije")

        first.picking_id.carrier_tracking_ref = "TRK-OLD"  # the first delivery goes again
        self.Event._process_queued_events()

        remote = self.remote(order)
        self.assertEqual(self.simulator.count("update_document"), 4)  # it was sent again (refused tracking, then without)
        self.assertEqual((remote["delivery_type"], remote["shipped_date"]),
                         ("Pošta Slovenije", latest["shipped_date"]))

    def test_replacing_the_order_sends_its_deliveries_again(self):
        self.company.metakocka_tracking_without_invoice = "create_invoice"
        order = self.linked_order([(self.coffee, 2, 12.0, 0)])
        self.fulfil(order, tracking_ref="TRK-7", carrier_id=self.carrier, notes="Fragile")
        self.Event._process_queued_events()
        self.assertEqual(self.remote(order).get("tracking_code"), "TRK-7")

        order.note = "Deliver before noon"
        order.action_metakocka_sync()  # put_document with mk_id: the whole order replaced
        self.Event._process_queued_events()

        remote = self.remote(order)
        self.assertEqual((remote.get("tracking_code"), remote.get("delivery_type")), ("TRK-7", "GLS"))
        self.assertIn("Deliver before noon", remote["notes"])
        self.assertIn("Fragile", remote["notes"])

    def test_a_refused_packing_list_fails_with_metakocka_s_reason_and_can_be_sent_again(self):
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        client_for(self.company).delete_document("sales_order", order.metakocka_mk_id)  # deleted in Metakocka
        self.fulfil(order)

        self.Event._process_queued_events()

        fulfilment = order.metakocka_fulfilment_ids
        self.assertEqual(fulfilment.state, "failed")
        self.assertIn(order._metakocka_link("sales_order").buyer_order, fulfilment.error)
        log = self.env["metakocka.sync.log"].search([("operation", "=", "fulfil")], limit=1)
        self.assertEqual((log.status, log.res_model), ("error", "stock.picking"))
        fulfilment.action_send_again()
        self.assertEqual(fulfilment.state, "queued")
        self.assertEqual(self.Event.search([("order_id", "=", order.id), ("state", "=", "queued")]).order_id, order)

    def test_a_tracking_number_entered_after_validating_goes_to_metakocka(self):
        self.company.metakocka_tracking_without_invoice = "create_invoice"
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        self.fulfil(order)
        self.Event._process_queued_events()
        self.assertNotIn("tracking_code", self.remote(order))

        order.picking_ids.carrier_tracking_ref = "TRK-LATE"
        self.Event._process_queued_events()

        self.assertEqual(self.remote(order).get("tracking_code"), "TRK-LATE")

    def test_validating_the_delivery_the_odoo_way_sends_it_too(self):
        order = self.linked_order([(self.coffee, 2, 12.0, 0)])
        picking = order.picking_ids
        picking.carrier_tracking_ref = "TRK-2"
        picking.button_validate()

        self.Event._process_queued_events()

        self.assertEqual(order.metakocka_fulfilment_ids.tracking_ref, "TRK-2")
        self.assertEqual(len(self.packing_lists()), 1)
        self.assertEqual(self.remote(order)["status_desc"], "shipped")

    def test_the_dialog_made_without_the_screen_fills_itself_as_the_screen_does(self):
        order = self.linked_order([(self.coffee, 2, 12.0, 0)])
        wizard = self.env["metakocka.fulfil.wizard"].create({"order_id": order.id, "tracking_ref": "TRK-API"})

        self.assertEqual((wizard.picking_id, wizard.line_ids.quantity), (order.picking_ids, 2.0))
        wizard.action_fulfil()
        self.assertEqual(order.metakocka_fulfilment_ids.tracking_ref, "TRK-API")

    def test_the_dialog_refuses_nothing_to_ship(self):
        order = self.linked_order([(self.coffee, 1, 12.0, 0)])
        with self.assertRaisesRegex(UserError, "Nothing to ship"):
            self.fulfil(order, {self.coffee: 0})

    def stock_row(self, product):
        """Metakocka's amount and reservation of ``product``, summed over its warehouses."""
        rows = client_for(self.company).warehouse_stock(product_codes=[product.default_code])
        return tuple(sum(float(row[key].replace(",", ".")) for row in rows) for key in ("amount", "reserved_amount"))
