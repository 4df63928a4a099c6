"""The webhook endpoint: signatures checked, refusals without side effects, deliveries only
trigger a re-read, duplicates and late deliveries harmless."""

import json

from odoo.tests import tagged

from .common import WEBHOOK_SECRET, ERPNextHttpCase


@tagged("post_install", "-at_install")
class TestWebhook(ERPNextHttpCase):
    def setUp(self):
        super().setUp()
        self.pull()
        self.Event = self.env["erpnext.webhook.event"]

    def process(self):
        self.Run._process_queued_runs()

    def test_a_signed_delivery_makes_odoo_read_the_customer_again(self):
        self.simulator.add_webhook(self.webhook_url(), WEBHOOK_SECRET)
        self.simulator.touch("Customer", "Jane Doe", {"tax_id": "US-123"})

        self.assertEqual(self.simulator.deliver_webhooks(), [200])

        self.assertEqual(self.Event.search([]).mapped("docname"), ["Jane Doe"])
        self.process()
        self.assertEqual(self.partner("Jane Doe").vat, "US-123")
        run = self.Run.search([("trigger", "=", "webhook")])
        self.assertEqual((run.processed_count, run.updated_count), (1, 1))
        self.assertFalse(self.Event.search([]))

    def test_missing_or_wrong_signatures_are_refused_with_no_side_effect(self):
        before = (self.Run.search_count([]), self.Log.search_count([]), self.env["ir.cron.trigger"].search_count([]))
        with self.assertLogs("odoo.addons.erpnext_customer_sync.controllers.webhook", "WARNING"):
            self.assertEqual(self.simulator.send_webhook(self.webhook_url(), None, "Customer", "Jane Doe"), 401)
            self.assertEqual(self.simulator.send_webhook(self.webhook_url(), "not-the-secret", "Customer",
                                                         "Jane Doe"), 401)
        self.assertFalse(self.Event.search([]))
        self.assertEqual((self.Run.search_count([]), self.Log.search_count([]),
                          self.env["ir.cron.trigger"].search_count([])), before)
        other = self.env["res.company"].create({"name": "No ERPNext here"})
        self.assertEqual(self.simulator.send_webhook(self.webhook_url(other), WEBHOOK_SECRET, "Customer", "x"), 404)
        unknown = f"{self.base_url()}/erpnext_customer_sync/webhook/999999"
        self.assertEqual(self.simulator.send_webhook(unknown, WEBHOOK_SECRET, "Customer", "x"), 404)

    def test_the_body_is_never_trusted(self):
        forged = json.dumps({"doctype": "Customer", "name": "Jane Doe", "customer_name": "Mallory",
                             "tax_id": "FORGED"}).encode()
        status = self.simulator.send_webhook(self.webhook_url(), WEBHOOK_SECRET, "Customer", "Jane Doe", body=forged)
        self.assertEqual(status, 200)
        self.process()
        jane = self.partner("Jane Doe")
        self.assertEqual((jane.name, jane.vat), ("Jane Doe", False))

    def test_duplicate_and_out_of_order_deliveries_do_no_harm(self):
        url = self.webhook_url()
        self.simulator.touch("Customer", "Sharma Traders", {"tax_id": "FIRST"})
        old_body = json.dumps({"doctype": "Customer", "name": "Sharma Traders", "tax_id": "FIRST"}).encode()
        self.simulator.touch("Customer", "Sharma Traders", {"tax_id": "SECOND"})
        for _ in range(3):
            self.assertEqual(self.simulator.send_webhook(url, WEBHOOK_SECRET, "Customer", "Sharma Traders"), 200)
        self.assertEqual(self.simulator.send_webhook(url, WEBHOOK_SECRET, "Customer", "Sharma Traders",
                                                     body=old_body), 200)
        self.assertEqual(self.Event.search_count([]), 1)

        self.process()

        self.assertEqual(self.partner("Sharma Traders").vat, "SECOND")
        self.assertEqual(self.Log.search_count([("erpnext_id", "=", "Sharma Traders"), ("operation", "=", "update")]), 1)
        # A late delivery after that: read again, nothing changed, nothing written.
        partners = self.row_versions("res_partner")
        self.simulator.send_webhook(url, WEBHOOK_SECRET, "Customer", "Sharma Traders", body=old_body)
        self.process()
        self.assertNotWritten("res_partner", partners)
        self.assertEqual(self.partner("Sharma Traders").vat, "SECOND")

    def test_a_deletion_webhook_archives_the_partner(self):
        self.simulator.add_webhook(self.webhook_url(), WEBHOOK_SECRET, events=["on_trash"])
        self.simulator.settings.api_user_roles.discard("System Manager")  # only the webhook tells
        self.simulator.delete("Customer", "Jane Doe")
        self.assertEqual(self.simulator.deliver_webhooks(), [200])
        self.process()
        self.assertFalse(self.partner("Jane Doe").active)
        self.assertEqual(self.link("Jane Doe").state, "deleted")

    def test_a_contact_webhook_reads_its_customer_again(self):
        self.simulator.add_webhook(self.webhook_url(), WEBHOOK_SECRET, doctype="Contact", fields=["email_id"])
        contact = self.simulator.customer("Jane Doe")["customer_primary_contact"]
        self.simulator.touch("Contact", contact, {"email_ids": [{"email_id": "jane@elsewhere.example", "is_primary": 1}]})
        self.assertEqual(self.simulator.deliver_webhooks(), [200])
        self.process()
        self.assertEqual(self.partner("Jane Doe").email, "jane@elsewhere.example")
