"""The company's register of Metakocka order statuses, and moving an order along its transitions."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools.sql import column_exists

from odoo.addons.metakocka_connector.services.document_import import DocumentImporter

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestOrderStatus(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Storable and out of stock: its orders stay "confirmed" (a ready delivery would make them "ready").
        cls.coffee = cls.make_product("KAVA-500", "Coffee", 12.0, cls.tax_95, is_storable=True)

    def setUp(self):
        super().setUp()
        self.Status = self.env["metakocka.order.status"]

    def status(self, code):
        return self.Status._by_code(self.company, code)

    def linked_order(self):
        order = self.make_order([(self.coffee, 2, 12.0, 0)])
        order.action_metakocka_sync()
        return order

    def change(self, order, code):
        wizard = Form(self.env["metakocka.status.wizard"].with_context(default_order_id=order.id))
        wizard.status_id = self.status(code)
        return wizard.save().action_apply()

    def test_every_company_starts_with_metakockas_default_register_and_its_transitions(self):
        other = self.env["res.company"].create({"name": "Druga d.o.o."})
        for company in (self.company, other):
            register = self.Status.search([("company_id", "=", company.id)])
            self.assertEqual(len(register), 10)
            self.assertEqual(self.Status._for_meaning(company, "paused").name, "Pavziran")
        shipped = self.status("shipped")
        self.assertEqual(sorted(shipped.next_status_ids.mapped("code")), ["completed", "package_returned"])

    def test_a_confirmed_order_goes_with_the_registers_confirmed_status_and_shows_its_name(self):
        order = self.linked_order()
        ready = self.make_order()  # consumables: its delivery is ready at once

        ready.action_metakocka_sync()

        self.assertEqual([doc["status_desc"] for doc in self.remote_orders()], ["created", "ready_to_ship"])
        self.assertEqual((order.metakocka_status_id.name, ready.metakocka_status_id.name),
                         ("Novo", "Pripravljen za odpremo"))
        self.assertTrue(order.metakocka_status_changed_at)

    def test_the_dialog_offers_only_the_statuses_the_order_may_move_to(self):
        order = self.linked_order()
        wizard = self.env["metakocka.status.wizard"].create({"order_id": order.id, "status_id": self.status("paused").id})
        self.assertEqual(sorted(wizard.allowed_status_ids.mapped("code")), sorted(
            ["ready_to_ship", "shipped", "paused", "completed", "canceled", "duplicate", "manually_closed"]))

    def test_a_change_is_sent_shown_logged_and_in_the_chatter(self):
        order = self.linked_order()
        self.simulator.clear_requests()

        action = self.change(order, "paused")

        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.simulator.count("change_document_status"), 1)
        self.assertEqual(self.remote_orders()[0]["status_desc"], "paused")
        self.assertEqual(order.metakocka_status_id.name, "Pavziran")
        log = self.env["metakocka.sync.log"].search([("res_id", "=", order.id), ("operation", "=", "status")])
        self.assertEqual((log.status, log.message), ("success", "Metakocka status: Novo → Pavziran."))
        self.assertIn("Novo → Pavziran", order.message_ids[0].body)

    def test_a_move_the_register_does_not_allow_is_refused_naming_both_statuses(self):
        order = self.linked_order()
        self.change(order, "shipped")
        self.simulator.clear_requests()
        wizard = self.env["metakocka.status.wizard"].create({"order_id": order.id, "status_id": self.status("paused").id})

        with self.assertRaises(UserError) as refusal:
            wizard.action_apply()

        self.assertIn("cannot move from the Metakocka status Odpremljen (shipped) to Pavziran (paused)",
                      str(refusal.exception))
        self.assertEqual(self.simulator.count("change_document_status"), 0)

    def test_an_order_not_yet_in_metakocka_cannot_change_status(self):
        order = self.make_order()
        wizard = self.env["metakocka.status.wizard"].create({"order_id": order.id, "status_id": self.status("paused").id})
        with self.assertRaisesRegex(UserError, "is not in Metakocka yet"):
            wizard.action_apply()

    def test_metakockas_refusal_of_a_status_is_shown_and_logged(self):
        order = self.linked_order()
        self.status("paused").code = "not_in_metakocka"

        with self.assertRaisesRegex(UserError, "Dinamični šifrant"):
            self.change(order, "not_in_metakocka")

        self.assertEqual(order.metakocka_status_id.code, "created")
        log = self.env["metakocka.sync.log"].search([("res_id", "=", order.id), ("operation", "=", "status")])
        self.assertEqual(log.status, "error")

    def test_an_update_of_an_order_keeps_the_status_it_has_in_metakocka(self):
        order = self.linked_order()
        self.change(order, "ready_to_ship")
        order.order_line[0].product_uom_qty = 3

        order.action_metakocka_sync()

        self.assertEqual(self.remote_orders()[0]["status_desc"], "ready_to_ship")

    def test_the_status_codes_of_earlier_versions_stay_first_of_their_meaning(self):
        for column in ("metakocka_status_confirmed", "metakocka_status_done", "metakocka_status_cancel"):
            if not column_exists(self.env.cr, "res_company", column):
                self.env.cr.execute(f"ALTER TABLE res_company ADD COLUMN {column} varchar")  # noqa: S608
        self.env.cr.execute("UPDATE res_company SET metakocka_status_confirmed = 'potrjeno', "
                            "metakocka_status_done = 'zaklenjeno', metakocka_status_cancel = 'canceled' "
                            "WHERE id = %s", [self.company.id])

        self.Status._adopt_old_status_codes()

        confirmed = self.Status._for_meaning(self.company, "confirmed")
        self.assertEqual((confirmed.code, confirmed.name), ("potrjeno", "potrjeno"))
        self.assertEqual(self.Status._for_meaning(self.company, "completed").code, "zaklenjeno")
        self.assertEqual(self.Status._for_meaning(self.company, "cancelled").code, "canceled")


@tagged("post_install", "-at_install")
class TestStatusFromMetakocka(MetakockaCase):
    def setUp(self):
        super().setUp()
        self.order = self.make_order()
        self.order.action_metakocka_sync()
        self.mk_id = self.order.metakocka_mk_id

    def pull(self):
        return DocumentImporter(self.env, self.company).import_document("sales_order", self.mk_id)

    def status_lines(self):
        return self.env["metakocka.sync.log"].search([("res_id", "=", self.order.id), ("operation", "=", "status"),
                                                      ("direction", "=", "pull")])

    def test_a_status_set_in_metakocka_comes_back_with_its_name_time_log_and_chatter(self):
        self.simulator.set_order_status(self.mk_id, "paused")

        outcome = self.pull()

        self.assertEqual(outcome.status, "updated")
        self.assertEqual(self.order.metakocka_status_id.name, "Pavziran")
        self.assertTrue(self.order.metakocka_status_changed_at)
        self.assertEqual(self.status_lines().message,
                         "Metakocka status: Pripravljen za odpremo → Pavziran (changed in Metakocka).")
        self.assertIn("Pripravljen za odpremo → Pavziran", self.order.message_ids[0].body)
        self.assertEqual(self.pull().status, "unchanged")  # the same status again writes nothing
        self.assertEqual(len(self.status_lines()), 1)

    def test_cancelled_in_metakocka_cancels_an_undelivered_order_and_its_delivery(self):
        self.simulator.set_order_status(self.mk_id, "canceled")

        self.pull()

        self.assertEqual(self.order.state, "cancel")
        self.assertEqual(set(self.order.picking_ids.mapped("state")), {"cancel"})
        self.assertIn("cancelled in Odoo too", self.status_lines().message)

    def test_cancelled_in_metakocka_only_marks_a_partly_delivered_order_for_review(self):
        product = self.make_product("KAVA-500", "Coffee", 12.0, self.tax_95, is_storable=True)
        warehouse = self.order.warehouse_id
        self.env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        order = self.make_order([(product, 2, 12.0, 0)])
        order.action_metakocka_sync()
        move = order.picking_ids.move_ids
        move.write({"quantity": 1, "picked": True})
        order.picking_ids.with_context(cancel_backorder=False)._action_done()
        self.assertEqual(order.order_line.qty_delivered, 1)
        self.simulator.set_order_status(order.metakocka_mk_id, "canceled")

        importer = DocumentImporter(self.env, self.company)
        importer.import_document("sales_order", order.metakocka_mk_id)

        self.assertEqual(order.state, "sale")
        self.assertEqual(order.metakocka_state, "needs_review")
        self.assertIn("delivered, invoiced or locked", order.metakocka_last_error)
        # Pulled again (the pull re-reads a few minutes back): it still needs review, and nothing is written.
        self.assertEqual(importer.import_document("sales_order", order.metakocka_mk_id).status, "unchanged")
        self.assertEqual(order.metakocka_state, "needs_review")

    def test_cancelled_in_metakocka_leaves_an_invoiced_or_locked_order_for_review(self):
        invoiced = self.order
        invoiced._create_invoices().action_post()
        locked = self.make_order()
        locked.action_metakocka_sync()
        locked.action_lock()
        for order in (invoiced, locked):
            self.simulator.set_order_status(order.metakocka_mk_id, "canceled")

            DocumentImporter(self.env, self.company).import_document("sales_order", order.metakocka_mk_id)

            self.assertEqual((order.state, order.metakocka_state), ("sale", "needs_review"))

    def test_a_status_the_register_lacks_is_added_to_it(self):
        self.simulator.set_order_status(self.mk_id, "lost")

        self.pull()

        status = self.order.metakocka_status_id
        self.assertEqual((status.code, status.name, status.meaning), ("lost", "Izgubljen", "other"))
