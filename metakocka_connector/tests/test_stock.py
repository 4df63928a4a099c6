"""Who keeps the stock: the order's warehouse decides the Metakocka warehouse, and storable lines are
checked against free stock (Odoo's or Metakocka's) before an order is first sent."""

from odoo.tests import tagged
from odoo.tools.sql import column_exists

from odoo.addons.metakocka_connector.services import stock_check

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestStock(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.main = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.shop = cls.env["stock.warehouse"].create({"name": "Maribor shop", "code": "MBX",
                                                      "company_id": cls.company.id})
        Map = cls.env["metakocka.warehouse.map"]
        Map.create({"warehouse_id": cls.main.id, "mark": "glavno"})
        Map.create({"warehouse_id": cls.shop.id, "mark": "trgovina"})
        # Storable products Metakocka knows (its sample stock: KAVA-500 120 in glavno, 30 in trgovina).
        cls.coffee = cls.make_product("KAVA-500", "Coffee beans", 12.0, cls.tax_95, is_storable=True)
        cls.tea = cls.make_product("CAJ-ZELENI", "Green tea", 30.0, cls.tax_95, is_storable=True)
        cls.postage = cls.make_product("delivery_service", "Postage", 4.0, cls.tax_22, type="service")

    def on_hand(self, product, quantity, warehouse=None):
        self.env["stock.quant"]._update_available_quantity(product, (warehouse or self.main).lot_stock_id, quantity)

    def order_of(self, lines, warehouse=None):
        return self.make_order([(product, quantity, 10.0, 0) for product, quantity in lines],
                               warehouse_id=(warehouse or self.main).id)

    def test_an_order_goes_to_the_metakocka_warehouse_its_warehouse_is_mapped_to(self):
        self.company.metakocka_stock_check = "off"
        for warehouse, mark in ((self.main, "glavno"), (self.shop, "trgovina")):
            order = self.order_of([(self.widget, 1)], warehouse)
            order.action_metakocka_sync()
            self.assertEqual(self.simulator.documents("sales_order")[-1]["warehouse"], mark)

    def test_under_block_an_order_short_of_odoo_stock_is_not_sent_and_names_each_product(self):
        self.company.metakocka_stock_check = "block"
        self.on_hand(self.coffee, 2)
        order = self.order_of([(self.coffee, 5), (self.tea, 1), (self.postage, 1)])

        action = order.action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(self.simulator.count("put_document"), 0)
        self.assertEqual(order.metakocka_state, "error")
        self.assertIn("Not enough stock", order.metakocka_last_error)
        self.assertIn("Coffee beans needs 5 Units, 2 free", order.metakocka_last_error)
        self.assertIn("Green tea needs 1 Units, 0 free", order.metakocka_last_error)
        self.assertNotIn("Postage", order.metakocka_last_error)  # services are not checked

    def test_an_orders_own_reservation_is_not_a_shortage(self):
        self.company.metakocka_stock_check = "block"
        self.on_hand(self.coffee, 3)
        order = self.order_of([(self.coffee, 3)])
        self.assertEqual(order.order_line.metakocka_reserved_qty, 3.0)  # sale_stock reserved it on the delivery

        order.action_metakocka_sync()

        self.assertEqual((order.metakocka_state, len(self.remote_orders())), ("synced", 1))
        self.assertEqual(order.metakocka_stock_line_ids.mapped("metakocka_reserved_qty"), [3.0])

    def test_under_warn_an_order_short_of_stock_is_sent_and_marked_with_the_shortage(self):
        self.on_hand(self.coffee, 1)
        order = self.order_of([(self.coffee, 4)])

        order.action_metakocka_sync()

        self.assertEqual((order.metakocka_state, len(self.remote_orders())), ("synced", 1))
        self.assertIn("Coffee beans needs 4 Units, 1 free", order.metakocka_stock_shortage)
        log = self.env["metakocka.sync.log"].search([("res_id", "=", order.id), ("res_model", "=", "sale.order")])
        self.assertEqual((log.status, log.operation), ("warning", "create"))

    def test_when_metakocka_keeps_the_stock_its_free_amount_in_the_mapped_warehouse_decides(self):
        self.company.write({"metakocka_stock_master": "metakocka", "metakocka_stock_check": "block"})
        self.on_hand(self.coffee, 1000)  # Odoo's stock does not count now
        short = self.order_of([(self.coffee, 40)], self.shop)  # trgovina has 30
        enough = self.order_of([(self.coffee, 100)], self.main)  # glavno has 120

        short.action_metakocka_sync()
        self.assertEqual(self.simulator.count("warehouse_stock"), 1)
        enough.action_metakocka_sync()

        self.assertIn("Coffee beans needs 40 Units, 30 free", short.metakocka_last_error)
        self.assertEqual((short.metakocka_state, enough.metakocka_state), ("error", "synced"))
        self.assertEqual([doc["buyer_order"] for doc in self.remote_orders()], [f"{enough.name}-{enough.id}"])

    def test_a_bulk_run_reads_metakockas_warehouses_once_and_its_stock_once_per_order(self):
        self.company.write({"metakocka_stock_master": "metakocka", "metakocka_stock_check": "block"})
        orders = self.order_of([(self.coffee, 1)]) | self.order_of([(self.coffee, 2)], self.shop)
        run = self.env["metakocka.sync.run"]._queue_push(orders)

        self.env["metakocka.sync.run"]._process_queued_items()

        self.assertEqual((run.done_count, len(self.remote_orders())), (2, 2))
        self.assertEqual((self.simulator.count("warehouse_list"), self.simulator.count("warehouse_stock")), (1, 2))

    def test_a_mark_metakocka_does_not_know_is_named(self):
        self.company.write({"metakocka_stock_master": "metakocka", "metakocka_stock_check": "block"})
        self.env["metakocka.warehouse.map"].search([("warehouse_id", "=", self.shop.id)]).mark = "nowhere"
        order = self.order_of([(self.coffee, 1)], self.shop)

        order.action_metakocka_sync()

        self.assertIn("Metakocka has no warehouse with the mark nowhere", order.metakocka_last_error)
        self.assertEqual(self.simulator.count("put_document"), 0)

    def test_a_stock_row_metakocka_sends_that_cannot_be_read_is_named(self):
        order = self.order_of([(self.coffee, 1)])
        with self.assertRaisesRegex(stock_check.StockCheckProblem,
                                    "Metakocka's stock of .*Coffee beans cannot be read: free_amount: .*NaN"):
            stock_check._free_amount(order, self.coffee, {"code": "KAVA-500", "free_amount": "NaN"})

    def test_a_linked_order_is_not_checked_again(self):
        self.company.metakocka_stock_check = "block"
        self.on_hand(self.coffee, 5)
        order = self.order_of([(self.coffee, 5)])
        order.action_metakocka_sync()
        self.env["stock.quant"]._update_available_quantity(self.coffee, self.main.lot_stock_id, -5)
        order.order_line.product_uom_qty = 6  # changed after it was sent: an update, not a first send

        order.action_metakocka_sync()

        self.assertEqual((order.metakocka_state, self.simulator.count("put_document")), ("synced", 2))

    def test_the_single_mark_of_earlier_versions_becomes_the_first_warehouse_row(self):
        Map = self.env["metakocka.warehouse.map"]
        Map.search([]).unlink()
        if not column_exists(self.env.cr, "res_company", "metakocka_warehouse_mark"):
            self.env.cr.execute("ALTER TABLE res_company ADD COLUMN metakocka_warehouse_mark varchar")
        self.env.cr.execute("UPDATE res_company SET metakocka_warehouse_mark = ' glavno ' WHERE id = %s",
                            [self.company.id])

        rows = Map._adopt_single_marks()

        self.assertEqual([(row.company_id, row.warehouse_id, row.mark) for row in rows],
                         [(self.company, self.main, "glavno")])
        self.assertFalse(Map._adopt_single_marks())  # once is enough
