"""Settings, "Test connection", the environment fallback, access rights, company walls and secrets."""

import os
import socket
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.metakocka_connector.services.connection import company_credentials

from .common import SIM_SECRET_KEY, MetakockaCase


@tagged("post_install", "-at_install")
class TestSettings(MetakockaCase):
    def check_connection(self, **company_values):
        self.company.sudo().write(company_values)
        settings = self.env["res.config.settings"].create({})
        return settings.action_metakocka_test_connection()["params"]

    def test_test_connection_says_connected(self):
        params = self.check_connection()
        self.assertEqual(params["type"], "success")
        self.assertIn("Connected to Metakocka company 1000", params["message"])
        self.assertIn("glavno", params["message"])

    def test_test_connection_names_a_wrong_key_and_an_unknown_company(self):
        params = self.check_connection(metakocka_secret_key="not-the-key")
        self.assertEqual(params["type"], "danger")
        self.assertIn("refused the company id or secret key", params["message"])
        self.assertNotIn("not-the-key", params["message"])
        params = self.check_connection(metakocka_secret_key=SIM_SECRET_KEY, metakocka_company_id="4242")
        self.assertIn("refused the company id or secret key", params["message"])

    def test_test_connection_names_an_unreachable_host_and_missing_settings(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
        params = self.check_connection(metakocka_api_url=closed)
        self.assertIn("cannot be reached", params["message"])
        params = self.check_connection(metakocka_api_url=self.simulator.url, metakocka_secret_key=False)
        self.assertIn("set the secret key in Settings", params["message"])

    def test_environment_fills_a_company_without_credentials_and_typed_values_win(self):
        environment = {"METAKOCKA_API_URL": self.simulator.url, "METAKOCKA_COMPANY_ID": "1000",
                       "METAKOCKA_API_KEY": SIM_SECRET_KEY}
        with patch.dict(os.environ, environment):
            self.assertEqual(company_credentials(self.company).source, "settings")
            self.company.sudo().write({"metakocka_company_id": False, "metakocka_secret_key": False,
                                       "metakocka_api_url": "https://main.metakocka.si"})
            credentials = company_credentials(self.company)
            self.assertEqual((credentials.source, credentials.api_url, credentials.company_id),
                             ("environment", self.simulator.url, "1000"))
            self.assertNotIn(SIM_SECRET_KEY, repr(credentials))
            self.assertEqual(self.check_connection()["type"], "success")

    def test_the_pull_interval_setting_drives_the_scheduled_action(self):
        settings = self.env["res.config.settings"].create({"metakocka_pull_interval": 30})
        settings.execute()
        cron = self.env.ref("metakocka_connector.ir_cron_pull_changes")
        self.assertEqual((cron.interval_number, cron.interval_type), (30, "minutes"))


@tagged("post_install", "-at_install")
class TestSecurity(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B", "country_id": cls.slovenia.id})
        cls.salesman = new_test_user(cls.env, "salesman", groups="sales_team.group_sale_salesman",
                                     company_id=cls.company.id)
        cls.mk_user = new_test_user(cls.env, "mk_user", groups="sales_team.group_sale_salesman_all_leads,"
                                    "metakocka_connector.group_metakocka_user", company_id=cls.company.id)
        cls.mk_user_b = new_test_user(cls.env, "mk_user_b", groups="sales_team.group_sale_salesman_all_leads,"
                                      "metakocka_connector.group_metakocka_user", company_id=cls.company_b.id,
                                      company_ids=[Command.set(cls.company_b.ids)])

    def test_a_user_without_the_group_gets_an_access_error(self):
        order = self.make_order(user_id=self.salesman.id)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).action_metakocka_sync()
        self.assertEqual(self.simulator.count("put_document"), 0)

    def test_a_salesman_without_metakocka_groups_reads_a_synced_order_and_its_metakocka_facts(self):
        order = self.make_order(user_id=self.salesman.id)
        order.action_metakocka_sync()
        as_salesman = order.with_user(self.salesman)
        as_salesman.invalidate_recordset()

        values = as_salesman.read(["metakocka_state", "metakocka_mk_id", "metakocka_count_code",
                                   "metakocka_last_sync_at", "metakocka_last_error", "metakocka_log_count"])[0]

        self.assertEqual((values["metakocka_state"], values["metakocka_count_code"]),
                         ("synced", self.remote_orders()[0]["count_code"]))
        self.assertEqual(values["metakocka_log_count"], 1)
        self.assertNotIn("metakocka_link_ids", as_salesman.fields_get())

    def test_a_metakocka_user_syncs_one_record_but_cannot_run_bulk_or_read_the_key(self):
        order = self.make_order()
        action = order.with_user(self.mk_user).action_metakocka_sync()
        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertEqual(len(self.remote_orders()), 1)
        self.assertTrue(self.env["metakocka.sync.log"].with_user(self.mk_user).search([]))
        with self.assertRaises(AccessError):
            self.env["metakocka.sync.run"].with_user(self.mk_user).search([])
        with self.assertRaises(AccessError):
            self.company.with_user(self.mk_user).read(["metakocka_secret_key"])

    def test_a_metakocka_user_updates_a_linked_order_and_odoo_keeps_what_metakocka_now_holds(self):
        order = self.make_order()
        order.with_user(self.mk_user).action_metakocka_sync()
        order.order_line[0].product_uom_qty = 6
        self.simulator.clear_requests()

        action = order.with_user(self.mk_user).action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertEqual(self.simulator.count("put_document"), 1)
        self.assertEqual(self.remote_orders()[0]["product_list"][0]["amount"], "6")
        link = order.metakocka_link_ids
        self.assertEqual((link.state, link.last_error), ("synced", False))
        # What was sent is what the link remembers: the same order again costs no call.
        order.with_user(self.mk_user).action_metakocka_sync()
        self.assertEqual(self.simulator.count("put_document"), 1)

    def test_companies_are_walled_off(self):
        order = self.make_order()
        order.action_metakocka_sync()
        self.env["metakocka.sync.run"]._queue_push(order)
        as_b = self.env(user=self.mk_user_b)
        self.assertFalse(as_b["metakocka.document.link"].search([]))
        self.assertFalse(as_b["metakocka.sync.log"].search([]))
        self.assertFalse(as_b["metakocka.partner.link"].search([]))
        with self.assertRaises(AccessError):
            order.with_user(self.mk_user_b).action_metakocka_sync()

    def test_no_secret_in_any_log_line_chatter_message_or_error(self):
        order = self.make_order()
        order.action_metakocka_sync()
        self.simulator.add_fault("lost_reply", ops=["put_document"])
        order.order_line[0].product_uom_qty = 7
        order.action_metakocka_sync()
        self.company.sudo().metakocka_secret_key = "wrong-" + SIM_SECRET_KEY
        order.order_line[0].product_uom_qty = 8
        order.action_metakocka_sync()
        self.env["res.config.settings"].create({}).action_metakocka_test_connection()

        texts = self.env["metakocka.sync.log"].search([]).mapped("message")
        texts += order.message_ids.mapped("body") + [order.metakocka_last_error or ""]
        self.assertGreater(len([text for text in texts if text]), 3)
        for text in texts:
            self.assertNotIn(SIM_SECRET_KEY, text or "")
