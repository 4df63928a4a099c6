"""The product catalogue both ways: the pull (match, map, create, compare) and the push of changes."""

from unittest.mock import patch

from odoo.tests import tagged

from ..services.connection import client_for
from ..services.product_pull import ProductPuller
from ..services.product_push import ProductPusher
from ..services.product_runs import ProductRunWork
from .common import MetakockaCase

KAVA_500, KAVA_1000, MLIN, SKODELICA, CAJ, TERMOS, DELIVERY = (str(1600000301 + i) for i in range(7))


@tagged("post_install", "-at_install")
class TestProductCatalogue(MetakockaCase):
    def pull(self):
        return ProductPuller(self.env, self.company).pull_all()

    def link(self, mk_id):
        return self.env["metakocka.product.link"].search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)])

    def linked(self, mk_id):
        return self.link(mk_id).product_id

    def process_runs(self):
        return self.env["metakocka.sync.run"]._process_queued_items()

    def product_runs(self, operation):
        return self.env["metakocka.sync.run"].search([("operation", "=", operation)])

    def remote(self, mk_id):
        return self.simulator.products()[mk_id]

    # -- pull -------------------------------------------------------------------------------

    def test_pull_creates_links_by_code_then_barcode_and_maps_the_fields(self):
        by_code = self.make_product("KAVA-500", "Kava (Odoo)", 1.0, self.tax_95)
        by_barcode = self.make_product("MLIN-ODOO", "Mlinček", 1.0, self.tax_22, barcode="3830012340031")
        result = self.pull()
        self.assertEqual(result.counts, {"created": 5, "linked": 2, "updated": 0, "unchanged": 0, "failed": 0})
        self.assertEqual(self.linked(KAVA_500), by_code)
        self.assertEqual(self.linked(MLIN), by_barcode)
        self.assertEqual((by_code.name, by_code.list_price), ("Kava v zrnu, 500 g", 12.29))
        self.assertEqual(by_barcode.default_code, "MLIN-01")
        tea, delivery = self.linked(CAJ), self.linked(DELIVERY)
        self.assertEqual(tea.uom_id, self.env.ref("uom.product_uom_kgm"))
        self.assertEqual(tea.uom_po_id, self.env.ref("uom.product_uom_kgm"))
        self.assertEqual((tea.type, delivery.type), ("consu", "service"))
        self.assertEqual(self.linked(KAVA_1000).list_price, 22.80)
        self.assertEqual(self.linked(SKODELICA).uom_id, self.env.ref("uom.product_uom_unit"))
        self.assertFalse(self.product_runs("product_push"), "what a pull writes is not sent back")
        log = self.env["metakocka.sync.log"].search([("direction", "=", "pull")], limit=1)
        self.assertIn("created 5, linked 2, updated 0, unchanged 0, failed 0", log.message)

    def test_pull_again_writes_nothing_and_changes_are_taken(self):
        self.pull()
        products = self.link(KAVA_500).search([]).product_id
        self.env.flush_all()
        self.env.cr.execute("UPDATE product_template SET write_date = '2000-01-01'")
        self.env.cr.execute("UPDATE metakocka_product_link SET write_date = '2000-01-01'")
        products.invalidate_recordset()
        self.assertEqual(self.pull().counts["unchanged"], 7)
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM product_template WHERE write_date > '2000-01-01'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute("SELECT count(*) FROM metakocka_product_link WHERE write_date > '2000-01-01'")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        client_for(self.company).product_update({"mk_id": TERMOS, "name": "Termovka 1 l", "activated": "false",
                                                 "pricelist": [{"price_def": [{"price": "20"}]}]})
        self.assertEqual(self.pull().counts, {"created": 0, "linked": 0, "updated": 1, "unchanged": 6, "failed": 0})
        termos = self.linked(TERMOS)
        self.assertEqual((termos.name, termos.list_price, termos.active), ("Termovka 1 l", 20.0, False))
        self.assertFalse(self.product_runs("product_push"))

    def test_a_bad_row_fails_alone_naming_the_code_and_field(self):
        self.simulator.set_product_raw_fields(KAVA_500, pricelist=[{"price_def": {"price": "12,x"}}])
        result = self.pull()
        self.assertEqual((result.counts["failed"], result.counts["created"]), (1, 6))
        self.assertEqual(len(result.errors), 1)
        self.assertIn("KAVA-500: price:", result.errors[0])
        self.assertFalse(self.link(KAVA_500))
        errors = self.env["metakocka.sync.log"].search([("status", "=", "error"), ("mk_id", "=", KAVA_500)])
        self.assertIn("KAVA-500: price:", errors.message)

    def test_an_unknown_unit_keeps_the_default_and_is_logged(self):
        self.simulator.set_product_raw_fields(SKODELICA, unit="stor")
        self.pull()
        self.assertEqual(self.linked(SKODELICA).uom_id, self.env.ref("uom.product_uom_unit"))
        warning = self.env["metakocka.sync.log"].search([("status", "=", "warning"), ("mk_id", "=", SKODELICA)])
        self.assertIn("stor", warning.message)

    def test_two_odoo_products_never_share_a_metakocka_product(self):
        self.pull()
        twin = client_for(self.company).product_add({"count_code": "PA-TWIN", "code": "KAVA-500", "name": "Twin",
                                                     "unit": "kos"})["mk_id"]
        self.assertEqual(self.pull().counts["created"], 1)
        self.assertNotEqual(self.linked(twin), self.linked(KAVA_500))
        for product in self.linked(twin) | self.linked(KAVA_500):
            self.assertEqual(len(product.metakocka_link_ids), 1)

    def test_several_odoo_products_with_the_code_fail_the_row(self):
        self.make_product("TERMOS", "Termos A", 1.0, self.tax_22)
        self.make_product("TERMOS", "Termos B", 1.0, self.tax_22)
        result = self.pull()
        self.assertEqual(result.counts["failed"], 1)
        self.assertIn("TERMOS: default_code:", result.errors[0])

    # -- runs -------------------------------------------------------------------------------

    def test_the_settings_button_pulls_in_the_background_page_by_page(self):
        settings = self.env["res.config.settings"].create({})
        with patch.object(ProductRunWork, "page_size", 3):
            action = settings.action_metakocka_pull_products()
            run = self.env["metakocka.sync.run"].browse(action["res_id"])
            self.assertEqual((run.operation, run.state), ("product_pull", "queued"))
            self.assertEqual(settings.action_metakocka_pull_products()["res_id"], run.id, "one pull at a time")
            self.process_runs()
        self.assertEqual((run.state, run.total_count, run.done_count), ("done", 3, 3))
        self.assertEqual(run.item_ids.mapped("page_offset"), [0, 3, 6])
        self.assertEqual(len(self.link(KAVA_500).search([])), 7)

    def test_the_scheduled_pull_queues_a_run_for_the_companies_that_chose_it(self):
        self.assertTrue(self.env.ref("metakocka_connector.ir_cron_pull_products").active)
        self.env["metakocka.scheduler"]._cron_pull_products()
        self.assertFalse(self.product_runs("product_pull"), "off until the company asks for it")
        self.env["res.config.settings"].create({"metakocka_product_schedule": True}).execute()
        self.env["metakocka.scheduler"]._cron_pull_products()
        run = self.product_runs("product_pull")
        self.assertEqual(run.origin, "schedule")
        self.process_runs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.item_ids.result, "created 7, linked 0, updated 0, unchanged 0, failed 0")

    # -- push -------------------------------------------------------------------------------

    def test_changes_of_a_linked_product_are_sent_without_echo(self):
        self.pull()
        mill = self.linked(MLIN)
        mill.product_tmpl_id.write({"name": "Mlinček Deluxe", "list_price": 40.0})
        mill.write({"default_code": "MLIN-02", "barcode": False})
        self.assertEqual(len(self.product_runs("product_push").item_ids), 1, "one item for the product")
        self.process_runs()
        remote = self.remote(MLIN)
        self.assertEqual((remote["name"], remote["code"], remote["barcode"], remote["price"], remote["tax"]),
                         ("Mlinček Deluxe", "MLIN-02", None, "40.00", "EX4"))
        self.assertEqual(self.link(MLIN).last_direction, "push")
        self.assertEqual(self.pull().counts["unchanged"], 7, "the pull finds what the push sent")
        self.assertEqual(ProductPusher(self.env, self.company).push(mill).status, "unchanged")

    def test_archiving_deactivates_never_deletes_and_the_unit_follows(self):
        self.pull()
        tea = self.linked(CAJ)
        tea.write({"uom_id": self.env.ref("uom.product_uom_gram").id,
                   "uom_po_id": self.env.ref("uom.product_uom_gram").id})
        tea.product_tmpl_id.action_archive()
        self.process_runs()
        remote = self.remote(CAJ)
        self.assertEqual((remote["activated"], remote["unit"]), (False, "g"))
        self.assertIn(CAJ, self.simulator.products())

    def test_new_products_are_sent_on_creation_only_when_the_company_chooses(self):
        self.make_product("NEW-1", "New one", 3.5, self.tax_22)
        self.assertFalse(self.product_runs("product_push"))
        self.company.metakocka_push_new_products = True
        product = self.make_product("NEW-2", "New two", 3.5, self.tax_22)
        self.process_runs()
        link = product.metakocka_link_ids
        self.assertEqual(link.state, "synced")
        remote = self.remote(link.mk_id)
        self.assertEqual((remote["code"], remote["name"], remote["price"]), ("NEW-2", "New two", "3.50"))
        self.assertFalse([p for p in self.simulator.products().values() if p["code"] == "NEW-1"])

