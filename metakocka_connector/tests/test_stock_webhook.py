"""Metakocka's stock webhook: signed deliveries only note which products changed, and their stock is
then read again from Metakocka; a bad signature is refused with nothing read or written."""

import json

from odoo.tests import tagged

from odoo.addons.metakocka_connector.services.stock_webhook import signature

from .common import MetakockaHttpCase

SECRET = "webhook-client-secret-1234567890"


@tagged("post_install", "-at_install")
class TestStockWebhook(MetakockaHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.main = cls.env["stock.warehouse"].search([("company_id", "=", cls.company.id)], limit=1)
        cls.env["metakocka.warehouse.map"].create({"warehouse_id": cls.main.id, "mark": "glavno"})
        cls.coffee = cls.make_product("KAVA-500", "Coffee beans", 12.0, cls.tax_95, is_storable=True)
        cls.company.sudo().write({"metakocka_webhook_secret": SECRET, "metakocka_stock_master": "metakocka"})
        cls.Update = cls.env["metakocka.stock.update"]

    def url(self, company=None):
        return f"/metakocka_connector/webhook/stock/{(company or self.company).id}"

    def body(self, code="KAVA-500"):
        return json.dumps({"opr_code": "0", "opr_time_ms": "0", "stock_list_count": "1", "stock_list": [
            {"warehouse_id": "1600000101", "mk_id": "1600000301", "count_code": "PA-1001", "code": code,
             "amount": "999999", "reserved_amount": "0", "free_amount": "999999", "unit": "kos"}]}).encode()

    def post(self, body, secret=SECRET, event_id="4711", company=None, **headers):
        headers = {"Content-Type": "application/json; charset=UTF-8", "X-MetaKocka-Event":
                   "warehouse_product_stock_update", "X-MetaKocka-Id": event_id, **headers}
        if secret:
            headers["X-MetaKocka-Signature"] = signature(secret, body)
        return self.url_open(self.url(company), data=body, headers=headers)

    def on_hand(self):
        return self.coffee.with_context(warehouse_id=self.main.id).qty_available

    def test_a_signed_delivery_makes_odoo_read_the_products_stock_again(self):
        response = self.post(self.body())

        self.assertEqual((response.status_code, response.json()), (200, {"status": "ok"}))
        self.assertEqual(self.Update.search([]).mapped("product_code"), ["KAVA-500"])
        self.assertEqual(self.simulator.count("warehouse_stock"), 0)  # the webhook only noted it
        self.env["metakocka.stock.sync"]._process_stock_work()
        self.assertEqual(self.on_hand(), 120)  # Metakocka's stock, not the body's 999999
        request = [r for r in self.simulator.requests if r.op == "warehouse_stock"][-1]
        self.assertEqual(request.body["product_code_list"], "KAVA-500")
        self.assertFalse(self.Update.search([]))

    def test_the_simulators_own_delivery_is_accepted(self):
        status = self.simulator.send_stock_webhook(f"{self.base_url()}{self.url()}", SECRET, "KAVA-500", retries=0)
        self.assertEqual(status, 200)
        self.env["metakocka.stock.sync"]._process_stock_work()
        self.assertEqual(self.on_hand(), 120)

    def test_a_bad_or_missing_signature_is_refused_and_nothing_is_read_or_written(self):
        logs_before = self.env["metakocka.sync.log"].search_count([])
        with self.assertLogs("odoo.addons.metakocka_connector.controllers.stock_webhook", "WARNING") as logged:
            wrong = self.post(self.body(), secret="not-the-secret")
            missing = self.post(self.body(), secret=None)
            tampered = self.url_open(self.url(), data=self.body("MLIN-01"), headers={
                "X-MetaKocka-Id": "1", "X-MetaKocka-Signature": signature(SECRET, self.body())})
        self.assertEqual([wrong.status_code, missing.status_code, tampered.status_code], [401, 401, 401])
        self.assertNotIn(SECRET, "\n".join(logged.output) + wrong.text)
        self.assertFalse(self.Update.search([]))
        self.assertFalse(self.env["metakocka.webhook.delivery"].search([]))
        self.assertEqual(self.env["metakocka.sync.log"].search_count([]), logs_before)
        self.env["metakocka.stock.sync"]._process_stock_work()
        self.assertEqual(len(self.simulator.requests), 0)

    def test_a_repeated_delivery_adds_nothing(self):
        self.assertEqual(self.post(self.body(), event_id="77").status_code, 200)
        self.env["metakocka.stock.sync"]._process_stock_work()
        self.assertEqual(self.post(self.body(), event_id="77").json(), {"status": "ok"})
        self.assertFalse(self.Update.search([]))
        self.assertEqual(self.post(self.body(), event_id="78").status_code, 200)
        self.assertEqual(len(self.Update.search([])), 1)

    def test_an_oversized_or_malformed_body_is_refused(self):
        too_big = b"{" + b" " * (1024 * 1024) + b"}"
        self.assertEqual(self.post(too_big).status_code, 413)
        self.assertEqual(self.post(b"not json").status_code, 400)
        self.assertEqual(self.post(json.dumps({"stock_list": []}).encode()).status_code, 400)
        self.assertFalse(self.Update.search([]))

    def test_when_odoo_keeps_the_stock_the_delivery_is_acknowledged_and_nothing_is_read(self):
        self.company.metakocka_stock_master = "odoo"
        self.assertEqual(self.post(self.body()).json(), {"status": "ok"})
        self.assertFalse(self.Update.search([]))

    def test_a_company_without_a_webhook_secret_has_no_endpoint(self):
        other = self.env["res.company"].create({"name": "No webhook here", "metakocka_enabled": True})
        self.assertEqual(self.post(self.body(), company=other).status_code, 404)
        self.assertEqual(self.url_open("/metakocka_connector/webhook/stock/999999", data=self.body()).status_code, 404)

    def test_the_settings_show_the_url_and_generate_a_secret(self):
        settings = self.env["res.config.settings"].create({})
        self.assertTrue(settings.metakocka_webhook_url.endswith(self.url()))
        settings.action_metakocka_generate_webhook_secret()
        self.assertNotEqual(self.company.sudo().metakocka_webhook_secret, SECRET)
        self.assertGreaterEqual(len(self.company.sudo().metakocka_webhook_secret), 40)
