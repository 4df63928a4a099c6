"""Settings per company: environment variables for empty values, "Test connection", and clear
answers for missing settings, refused credentials, unreachable servers and API errors."""

import os
import socket
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SIM_KEY, SIM_SECRET, ERPNextCase


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@tagged("post_install", "-at_install")
class TestSettings(ERPNextCase):
    def settings(self):
        return self.env["res.config.settings"].create({})

    def check_connection(self, **values):
        self.company.sudo().write(values)
        result = self.settings().action_erpnext_test_connection()
        return result["params"]["type"], result["params"]["message"]

    def test_a_working_connection_says_who_we_are(self):
        kind, message = self.check_connection()
        self.assertEqual(kind, "success")
        self.assertIn("as sync@sandbox.example (site time zone Asia/Kolkata); 4 customers", message)
        self.assertEqual(self.company.erpnext_site_timezone, "Asia/Kolkata")
        log = self.Log.search([("operation", "=", "connection")], limit=1)
        self.assertEqual(log.status, "success")

    def test_environment_variables_fill_empty_settings(self):
        environment = {"NEXT_PUBLIC_ERPNEXT_URL": self.simulator.url, "ERPNEXT_API_KEY": SIM_KEY,
                       "ERPNEXT_API_SECRET": SIM_SECRET}
        with patch.dict(os.environ, environment):
            kind, message = self.check_connection(erpnext_url=False, erpnext_api_key=False, erpnext_api_secret=False)
        self.assertEqual(kind, "success", message)
        self.assertIn("Taken from the environment: api_key, api_secret, url.", message)
        with patch.dict(os.environ, {"ERPNEXT_URL": self.simulator.url, "ERPNEXT_API_KEY": "ignored"}):
            os.environ.pop("NEXT_PUBLIC_ERPNEXT_URL", None)
            kind, message = self.check_connection(erpnext_url=False, erpnext_api_key=SIM_KEY,
                                                  erpnext_api_secret=SIM_SECRET)
        self.assertEqual(kind, "success", message)
        self.assertIn("Taken from the environment: url.", message)

    def test_missing_settings_are_named(self):
        self.company.sudo().write({"erpnext_url": False, "erpnext_api_secret": False})
        with patch.dict(os.environ, {}, clear=False):
            for name in ("NEXT_PUBLIC_ERPNEXT_URL", "ERPNEXT_URL", "ERPNEXT_API_KEY", "ERPNEXT_API_SECRET"):
                os.environ.pop(name, None)
            with self.assertRaisesRegex(UserError, "set the ERPNext URL, API secret in Settings"):
                self.env["res.partner"].action_erpnext_pull()
            kind, message = self.check_connection()
        self.assertEqual(kind, "danger")
        self.assertIn("ERPNext is not configured for", message)
        self.company.erpnext_enabled = False
        with self.assertRaisesRegex(UserError, "not enabled"):
            self.env["res.partner"].action_erpnext_pull()

    def test_refused_credentials_and_unreachable_servers_get_a_clear_message(self):
        kind, message = self.check_connection(erpnext_api_secret="wrong-secret-value")
        self.assertEqual(kind, "danger")
        self.assertIn("ERPNext refused the API key and secret", message)
        self.assertNotIn("wrong-secret-value", message)
        with self.assertLogs("odoo.addons.erpnext_customer_sync.erpnext_api.retry", "WARNING"):
            kind, message = self.check_connection(erpnext_api_secret=SIM_SECRET, erpnext_url=closed_port_url())
        self.assertEqual(kind, "danger")
        self.assertIn("ERPNext cannot be reached", message)
        kind, message = self.check_connection(erpnext_url="not a url")
        self.assertIn("is not an http(s) address", message)

    def test_a_run_that_cannot_reach_erpnext_fails_clearly_and_the_next_one_works(self):
        self.simulator.add_fault("http_error", status=502, times=None, ops=["list:Customer"])
        with self.assertLogs("odoo.addons.erpnext_customer_sync.erpnext_api.retry", "WARNING"):
            run = self.pull()
        self.assertEqual(run.state, "failed")
        self.assertIn("ERPNext cannot be reached: ERPNext is unavailable: HTTP 502", run.message)
        self.assertFalse(self.Link.search([]))
        self.assertFalse(self.company.sudo().erpnext_cursor_customer)
        self.simulator.clear_faults()
        self.assertEqual(self.pull().created_count, 4)

    def test_maintenance_mode_fails_the_run_with_the_reason(self):
        self.simulator.settings.maintenance_mode = True
        with self.assertLogs("odoo.addons.erpnext_customer_sync.erpnext_api.retry", "WARNING"):
            run = self.pull()
        self.assertEqual(run.state, "failed")
        self.assertIn("HTTP 503", run.message)
        log = self.Log.search([("run_id", "=", run.id)])
        self.assertEqual((log.operation, log.status), ("run", "error"))

    def test_an_api_error_is_reported_with_erpnext_s_message(self):
        # Frappe v14 runs a call with wrong credentials as Guest, who is refused with 403.
        self.simulator.settings.frappe_version = 14
        self.company.sudo().erpnext_api_secret = "not-the-secret"
        run = self.pull()
        self.assertEqual(run.state, "failed")
        self.assertIn("(HTTP 403): Not permitted", run.message)
        self.assertIn("the API key and secret are wrong", run.message)

    def test_transient_faults_are_retried_inside_a_run(self):
        self.simulator.add_fault("rate_limit", times=2, ops=["list:Contact"])
        self.simulator.add_fault("drop", times=1, ops=["list:Address"])
        with self.assertLogs("odoo.addons.erpnext_customer_sync.erpnext_api.retry", "WARNING") as logs:
            run = self.pull()
        self.assertEqual((run.state, run.created_count), ("done", 4))
        self.assertEqual(len(logs.records), 3)

    def test_the_settings_form_writes_the_company(self):
        settings = self.settings()
        settings.write({"erpnext_direction": "both", "erpnext_conflict_policy": "manual",
                        "erpnext_company": "Sandbox Europe GmbH", "erpnext_sync_interval": 30})
        settings.execute()
        self.assertEqual((self.company.erpnext_direction, self.company.erpnext_conflict_policy,
                          self.company.erpnext_company), ("both", "manual", "Sandbox Europe GmbH"))
        self.assertEqual(self.env.ref("erpnext_customer_sync.ir_cron_sync").interval_number, 30)
        self.assertTrue(settings.erpnext_webhook_url.endswith(f"/erpnext_customer_sync/webhook/{self.company.id}"))
