"""Customers deleted in ERPNext: seen in Deleted Document (or by a full reconciliation when that
list is out of reach), the partner archived with its history kept."""

from odoo.tests import tagged

from .common import ERPNextCase


@tagged("post_install", "-at_install")
class TestDeletions(ERPNextCase):
    def test_a_customer_deleted_in_erpnext_archives_the_partner_and_keeps_its_history(self):
        self.pull()
        jane = self.partner("Jane Doe")
        self.simulator.delete("Customer", "Jane Doe")

        run = self.pull()

        self.assertEqual(run.archived_count, 1)
        self.assertFalse(jane.active)
        self.assertTrue(jane.exists())
        link = self.link("Jane Doe")
        self.assertEqual(link.state, "deleted")
        self.assertFalse(jane.erpnext_synced)
        self.assertEqual(self.Log.search([("partner_id", "=", jane.id)]).mapped("operation"), ["delete", "create"])
        deleted = self.simulator.docs("Deleted Document")
        self.assertEqual(self.company.sudo().erpnext_cursor_deleted,
                         max(row["creation"] for row in deleted if row["deleted_doctype"] == "Customer"))
        # Deleted once is enough: the next pull does not archive it again.
        self.assertEqual(self.pull().archived_count, 0)

    def test_without_access_to_deleted_document_the_run_says_so_and_a_full_sync_catches_it(self):
        self.simulator.settings.api_user_roles.discard("System Manager")
        self.pull()
        self.simulator.delete("Customer", "Nguyen Optics")

        run = self.pull()

        self.assertEqual((run.state, run.archived_count), ("done", 0))
        self.assertIn("System Manager", run.message)
        full = self.pull(mode="full")
        self.assertEqual(full.archived_count, 1)
        self.assertEqual(self.link("Nguyen Optics").state, "deleted")

    def test_a_restored_customer_is_linked_again(self):
        self.pull()
        jane = self.partner("Jane Doe")
        kept = self.simulator.customer("Jane Doe")
        self.simulator.delete("Customer", "Jane Doe")
        self.pull()
        self.simulator.insert("Customer", {"customer_name": "Jane Doe", "customer_type": "Individual",
                                           "email_id": kept["email_id"]})

        run = self.pull()

        self.assertEqual((run.created_count, run.updated_count), (0, 1))
        self.assertTrue(jane.active)
        self.assertEqual(self.link("Jane Doe").state, "synced")
