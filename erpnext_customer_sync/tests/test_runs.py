"""The run loop: a broken run never stops the others, and the company lock cannot outlive its transaction."""

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.erpnext_customer_sync.services import locks

from .common import ERPNextCase


@tagged("post_install", "-at_install")
class TestRunLoop(ERPNextCase):
    def test_a_run_that_breaks_for_any_reason_is_failed_with_the_reason_and_the_next_run_is_worked(self):
        broken = self.Run._queue(self.company, "pull", mode="full", progress={"phase": "no_such_phase"})
        self.Run._queue(self.company, "pull")

        with mute_logger("odoo.addons.erpnext_customer_sync.models.erpnext_sync_run"):
            self.Run._process_queued_runs()

        self.assertEqual(broken.state, "failed")
        self.assertIn("no_such_phase", broken.message)
        following = self.Run.search([("id", ">", broken.id)])
        self.assertEqual((following.state, following.created_count), ("done", 4))
        self.assertTrue(self.Log.search([("run_id", "=", broken.id), ("status", "=", "error")]))

    def test_the_company_lock_ends_with_its_transaction_even_an_aborted_one(self):
        with db_connect(self.env.cr.dbname).cursor() as first, db_connect(self.env.cr.dbname).cursor() as second:
            as_first, as_second = (api.Environment(cr, SUPERUSER_ID, {}) for cr in (first, second))
            self.assertTrue(locks.try_lock(as_first, "company", 4711))
            self.assertFalse(locks.try_lock(as_second, "company", 4711))
            second.rollback()
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.Error):
                first.execute("SELECT 1 / 0")  # the transaction is aborted now
            first.rollback()

            self.assertTrue(locks.try_lock(as_second, "company", 4711))
            second.rollback()
