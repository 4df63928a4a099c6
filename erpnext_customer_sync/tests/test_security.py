"""Groups, per-company walls, and secrets that never show."""

import logging

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ERPNextCase

SECRET = "very-secret-api-secret-4711"


@tagged("post_install", "-at_install")
class TestSecurity(ERPNextCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Other company"})
        cls.sync_user = new_test_user(cls.env, "erpnext_user", groups="base.group_user,base.group_partner_manager,"
                                      "erpnext_customer_sync.group_erpnext_user",
                                      company_id=cls.company.id, company_ids=[cls.company.id])
        cls.plain_user = new_test_user(cls.env, "plain_user", groups="base.group_user,base.group_partner_manager",
                                       company_id=cls.company.id, company_ids=[cls.company.id])

    def test_users_see_links_logs_and_runs_of_their_companies_only(self):
        self.pull()
        partner = self.env["res.partner"].create({"name": "Elsewhere"})
        self.Link.create({"company_id": self.other_company.id, "partner_id": partner.id, "erpnext_id": "X-1"})
        self.Log.create({"company_id": self.other_company.id, "direction": "pull", "operation": "create",
                         "status": "success", "erpnext_id": "X-1"})
        as_user = self.Link.with_user(self.sync_user)
        self.assertEqual(as_user.search_count([]), 4)
        self.assertNotIn("X-1", as_user.search([]).mapped("erpnext_id"))
        self.assertFalse(self.Log.with_user(self.sync_user).search([("erpnext_id", "=", "X-1")]))
        self.assertEqual(len(self.Run.with_user(self.sync_user).search([])), 1)
        with self.assertRaises(AccessError):
            as_user.search([], limit=1).write({"erpnext_id": "changed"})

    def test_each_company_syncs_on_its_own(self):
        self.configure_company(self.other_company)
        self.env.user.company_ids += self.other_company
        self.pull()
        run = self.pull(company=self.other_company)
        self.assertEqual(run.created_count, 4)
        for name in ("Jane Doe", "Sharma Traders"):
            ours, theirs = self.partner(name), self.partner(name, company=self.other_company)
            self.assertTrue(ours and theirs)
            self.assertNotEqual(ours, theirs)
            self.assertEqual((ours.company_id, theirs.company_id), (self.company, self.other_company))
        self.assertEqual(self.Link.with_user(self.sync_user).search_count([]), 4)
        self.assertEqual(self.partner("Jane Doe").with_company(self.other_company).erpnext_id, False)
        self.assertEqual(self.partner("Jane Doe").erpnext_id, "Jane Doe")

    def test_only_erpnext_users_start_a_sync_and_only_managers_send(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.plain_user).action_erpnext_pull()
        action = self.env["res.partner"].with_user(self.sync_user).action_erpnext_pull()
        self.assertEqual(action["tag"], "display_notification")
        self.both_ways()
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.sync_user).create({"name": "Mine"}).action_erpnext_push()

    def test_secrets_are_for_settings_managers_only(self):
        company = self.company.with_user(self.sync_user)
        self.assertTrue(company.erpnext_enabled)
        with self.assertRaises(AccessError):
            company.read(["erpnext_url"])
        with self.assertRaises(AccessError):
            company.read(["erpnext_api_secret"])
        with self.assertRaises(AccessError):
            company.read(["erpnext_webhook_secret"])

    def test_a_secret_never_reaches_logs_messages_or_the_sync_log(self):
        self.company.sudo().erpnext_api_secret = SECRET
        self.env.flush_all()  # the test's own UPDATE is not the sync's to log (Odoo logs SQL at DEBUG)
        with self.assertLogs(level=logging.DEBUG) as logs:
            logging.getLogger("odoo.addons.erpnext_customer_sync").debug("capture everything")
            failed = self.pull()
            result = self.env["res.config.settings"].create({}).action_erpnext_test_connection()
        self.assertEqual(failed.state, "failed")
        for record in logs.records:
            self.assertNotIn(SECRET, record.getMessage())
        texts = [failed.message, result["params"]["message"], *self.Log.search([]).mapped("message")]
        self.assertTrue(all(SECRET not in (text or "") for text in texts))
        self.assertNotIn(SECRET, str(self.Run.search([]).read()))
