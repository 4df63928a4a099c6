"""Stock levels from the stock master to the other side, per mapped warehouse: Metakocka's stock into
Odoo's on-hand quantities by inventory adjustments, or Odoo's stock into Metakocka with sync_stock."""

from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.metakocka_connector.metakocka_api import TemporarilyUnavailableError
from odoo.addons.metakocka_connector.services import stock_levels
from odoo.addons.metakocka_connector.services.connection import client_for

from .common import MetakockaCase

MAIN, SHOP = "1600000101", "1600000102"
API_USER = "api@sandbox.example"


@tagged("post_install", "-at_install")
class TestStockLevels(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.main = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.shop = cls.env["stock.warehouse"].create({"name": "Maribor shop", "code": "MBX",
                                                      "company_id": cls.company.id})
        Map = cls.env["metakocka.warehouse.map"]
        Map.create({"warehouse_id": cls.main.id, "mark": "glavno"})
        Map.create({"warehouse_id": cls.shop.id, "mark": "trgovina"})
        # Metakocka's sample stock: KAVA-500 120 in glavno and 30 in trgovina, CAJ-ZELENI 2.5 in glavno.
        cls.coffee = cls.make_product("KAVA-500", "Coffee beans", 12.0, cls.tax_95, is_storable=True)
        cls.tea = cls.make_product("CAJ-ZELENI", "Green tea", 30.0, cls.tax_95, is_storable=True)
        cls.flask = cls.make_product("TERMOS", "Flask", 16.0, cls.tax_22, is_storable=True)  # none in Metakocka
        cls.odoo_only = cls.make_product("ODOO-ONLY", "Odoo only", 1.0, cls.tax_22, is_storable=True)
        cls.big_coffee = cls.make_product("KAVA-1000", "Coffee 1 kg", 22.0, cls.tax_95)  # a consumable
        cls.env["metakocka.product.link"].create({"product_id": cls.flask.id, "mk_id": "1600000306"})
        cls.Sync = cls.env["metakocka.stock.sync"]
        cls.Run = cls.env["metakocka.sync.run"]

    def on_hand(self, product, warehouse=None):
        return product.with_context(warehouse_id=(warehouse or self.main).id).qty_available

    def put(self, product, quantity, warehouse=None):
        self.env["stock.quant"]._update_available_quantity(product, (warehouse or self.main).lot_stock_id, quantity)

    def inventory_moves(self):
        return self.env["stock.move"].search([("is_inventory", "=", True), ("name", "=", "Metakocka stock level")])

    def logs(self, status=None):
        domain = [("operation", "=", "stock")] + ([("status", "=", status)] if status else [])
        return self.env["metakocka.sync.log"].search(domain, order="id")

    def metakocka_amount(self, code, warehouse_id):
        rows = client_for(self.company).warehouse_stock(product_codes=[code], warehouse_ids=[warehouse_id])
        return sum(float(row["amount"].replace(",", ".")) for row in rows)

    def sync(self):
        """A full pass as the settings button and the schedule queue it: a stock run, worked to its end."""
        run = self.Run._queue_stock_levels(self.company)
        self.Run._process_queued_items()
        return run

    # -- Metakocka keeps the stock -------------------------------------------------------------

    def test_metakockas_levels_become_odoos_on_hand_through_inventory_adjustments(self):
        self.company.metakocka_stock_master = "metakocka"
        self.put(self.coffee, 5)
        self.put(self.flask, 7, self.shop)
        self.put(self.odoo_only, 9)

        run = self.sync()

        self.assertEqual((self.on_hand(self.coffee), self.on_hand(self.coffee, self.shop)), (120, 30))
        self.assertEqual((self.on_hand(self.tea), self.on_hand(self.tea, self.shop)), (2.5, 0))
        self.assertEqual(self.on_hand(self.flask, self.shop), 0)  # linked, absent from the whole list: none
        self.assertEqual(self.on_hand(self.odoo_only), 9)  # Metakocka does not know it: left as it is
        self.assertEqual(self.on_hand(self.big_coffee), 0)  # not storable: not touched
        moves = self.inventory_moves()
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(set(moves.product_id.mapped("default_code")), {"KAVA-500", "CAJ-ZELENI", "TERMOS"})
        self.assertEqual((run.operation, run.state, run.total_count, run.done_count), ("stock_pull", "done", 2, 2))
        self.assertEqual(run.item_ids.mapped("result"), ["2 of 3 changed", "2 of 3 changed"])
        messages = self.logs("success").mapped("message")
        self.assertIn("from the Metakocka warehouse glavno: 2 of 3 quantities changed", messages[0])
        self.assertIn("from the Metakocka warehouse trgovina: 2 of 3 quantities changed", messages[1])
        self.assertEqual(self.company.metakocka_stock_synced_at, run.finished_at)

    def test_unchanged_quantities_cost_no_write(self):
        self.company.metakocka_stock_master = "metakocka"
        self.sync()
        moves = self.inventory_moves()
        quants = self.env["stock.quant"].search([("product_id", "in", (self.coffee | self.tea).ids)])
        written = {quant.id: quant.write_date for quant in quants}

        self.sync()

        self.assertEqual(self.inventory_moves(), moves)
        self.assertEqual({quant.id: quant.write_date for quant in quants}, written)
        self.assertIn("0 of 3 quantities changed", self.logs("success")[-1].message)

    def test_every_page_is_read_and_a_products_rows_are_summed(self):
        self.company.metakocka_stock_master = "metakocka"
        with patch.object(stock_levels, "PAGE_SIZE", 2):
            self.sync()
        self.assertGreaterEqual(self.simulator.count("warehouse_stock"), 3)
        self.assertEqual((self.on_hand(self.coffee), self.on_hand(self.coffee, self.shop)), (120, 30))

        rows = [{"warehouse_id": MAIN, "mk_id": "1600000301", "code": "KAVA-500", "amount": "1,5"},
                {"warehouse_id": MAIN, "mk_id": "1600000301", "code": "KAVA-500", "amount": "2"}]
        with patch.object(type(client_for(self.company)), "iter_warehouse_stock", return_value=iter(rows)):
            self.sync()
        self.assertEqual((self.on_hand(self.coffee), self.on_hand(self.coffee, self.shop)), (3.5, 0))

    def test_a_list_cut_short_writes_nothing(self):
        self.company.metakocka_stock_master = "metakocka"
        self.put(self.flask, 7)
        client_class = type(client_for(self.company))
        real = client_class.warehouse_stock
        calls = []

        def second_page_fails(client, **kwargs):
            calls.append(kwargs)
            if len(calls) > 1:
                raise TemporarilyUnavailableError("Metakocka is being upgraded")
            return real(client, **kwargs)

        with patch.object(stock_levels, "PAGE_SIZE", 2), patch.object(client_class, "warehouse_stock",
                                                                      second_page_fails):
            run = self.sync()

        self.assertEqual((self.on_hand(self.flask), self.on_hand(self.coffee)), (7, 0))
        self.assertFalse(self.inventory_moves())
        self.assertIn("upgraded", self.logs("error")[0].message)
        self.assertEqual((run.failed_count, run.failed_item_ids[0].error), (2, "Metakocka is being upgraded"))
        self.assertFalse(self.company.metakocka_stock_synced_at)

        run.action_retry_failed()  # Metakocka is back
        self.Run._process_queued_items()
        self.assertEqual((self.on_hand(self.flask), self.on_hand(self.coffee)), (0, 120))
        self.assertEqual((run.state, run.failed_count, run.done_count), ("done", 0, 2))

    def test_a_mark_metakocka_lacks_is_named(self):
        self.company.metakocka_stock_master = "metakocka"
        self.env["metakocka.warehouse.map"].search([("warehouse_id", "=", self.shop.id)]).mark = "nowhere"
        run = self.sync()
        self.assertIn("Metakocka has no warehouse with the mark nowhere", self.logs("error").message)
        self.assertEqual((run.done_count, run.failed_count), (1, 1))  # the other warehouse is in step
        self.assertEqual((self.on_hand(self.coffee), self.on_hand(self.coffee, self.shop)), (120, 0))

    def test_products_read_again_by_code_only_for_those(self):
        self.company.metakocka_stock_master = "metakocka"
        self.put(self.flask, 7)
        action = self.env["metakocka.stock.update"]._action_queue_products(self.coffee | self.big_coffee)
        self.assertEqual(action["params"]["type"], "info")
        self.assertEqual(self.env["metakocka.stock.update"].search([]).mapped("product_code"), ["KAVA-500"])

        self.Sync._process_stock_work()

        self.assertEqual((self.on_hand(self.coffee), self.on_hand(self.flask)), (120, 7))
        request = [r for r in self.simulator.requests if r.op == "warehouse_stock"][-1]
        self.assertEqual(request.body["product_code_list"], "KAVA-500")
        self.assertFalse(self.env["metakocka.stock.update"].search([]))

    # -- Odoo keeps the stock ------------------------------------------------------------------

    def test_odoos_stock_replaces_each_mapped_warehouse_whole(self):
        self.company.metakocka_api_user_email = API_USER
        self.put(self.coffee, 7)
        self.put(self.coffee, 3, self.shop)
        self.put(self.odoo_only, 2)

        self.sync()

        self.assertEqual((self.metakocka_amount("KAVA-500", MAIN), self.metakocka_amount("KAVA-500", SHOP)), (7, 3))
        self.assertEqual(self.metakocka_amount("KAVA-1000", MAIN), 0)  # not in Odoo's list: cleared
        sent = [r.body for r in self.simulator.requests if r.op == "sync_stock"]
        self.assertEqual([{line["warehouse_id"] for line in body["stock_list"]} for body in sent], [{MAIN}, {SHOP}])
        self.assertEqual({line["product_code"]: line["amount"] for line in sent[0]["stock_list"]},
                         {"KAVA-500": "7", "ODOO-ONLY": "2", "TERMOS": "0"})
        refused = self.logs("error")
        self.assertEqual(len(refused), 1)
        self.assertIn("ODOO-ONLY", refused.message)
        self.assertIn("Product not found", refused.message)

    def test_an_empty_list_is_never_sent(self):
        self.company.metakocka_api_user_email = API_USER
        self.env["metakocka.product.link"].search([]).unlink()
        self.put(self.coffee, 7)  # the shop has nothing Metakocka knows

        self.sync()

        sent = [r.body for r in self.simulator.requests if r.op == "sync_stock"]
        self.assertEqual([body["stock_list"][0]["warehouse_id"] for body in sent], [MAIN])
        self.assertEqual(self.metakocka_amount("KAVA-500", SHOP), 30)
        self.assertIn("Nothing was sent for the Metakocka warehouse trgovina", self.logs("warning").message)

    def test_without_the_api_user_email_nothing_is_sent_and_the_log_says_what_to_set(self):
        self.put(self.coffee, 7)
        run = self.sync()
        self.assertEqual(self.simulator.count("sync_stock"), 0)
        self.assertIn("set the API user email in Settings", self.logs("error")[0].message)
        self.assertIn("set the API user email in Settings", run.failed_item_ids[0].error)
        self.assertEqual((run.operation, run.failed_count), ("stock_push", 2))

    # -- when ------------------------------------------------------------------------------------

    def test_the_schedule_is_off_until_a_company_asks_for_it(self):
        self.assertFalse(self.company.metakocka_stock_schedule)
        self.Sync._cron_schedule_levels()
        self.assertFalse(self.Run.search([("operation", "in", ("stock_pull", "stock_push"))]))
        self.company.write({"metakocka_stock_schedule": True, "metakocka_stock_master": "metakocka"})
        self.Sync._cron_schedule_levels()
        self.Sync._cron_schedule_levels()  # a pass already waiting is not queued twice
        run = self.Run.search([("operation", "in", ("stock_pull", "stock_push"))])
        self.assertEqual((run.operation, run.origin, run.total_count), ("stock_pull", "schedule", 2))
        self.Run._process_queued_items()
        self.assertEqual(self.on_hand(self.coffee), 120)

    def test_the_settings_button_opens_a_run_worked_in_the_background(self):
        self.company.metakocka_stock_master = "metakocka"
        settings = self.env["res.config.settings"].create({})
        action = settings.action_metakocka_sync_stock_levels()
        run = self.Run.browse(action["res_id"])
        self.assertEqual((action["res_model"], run.operation, run.state), ("metakocka.sync.run", "stock_pull", "queued"))
        self.assertEqual(run.item_ids.mapped("record_name"), [f"{self.main.name} ⇄ glavno", "Maribor shop ⇄ trgovina"])
        self.assertEqual(self.simulator.count("warehouse_stock"), 0)  # nothing read in the click
        self.Run._process_queued_items()
        self.assertEqual(self.on_hand(self.coffee), 120)

    def test_without_a_mapped_warehouse_the_button_says_what_to_do(self):
        self.env["metakocka.warehouse.map"].search([]).unlink()
        action = self.env["res.config.settings"].create({}).action_metakocka_sync_stock_levels()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("map them in Settings", action["params"]["message"])
