"""The contacts screens in a real browser (headless Chromium) driven by an Odoo tour."""

from odoo.tests import tagged

from .common import ERPNextHttpCase


@tagged("post_install", "-at_install")
class TestTours(ERPNextHttpCase):
    def test_sync_from_erpnext_on_the_contacts_list(self):
        admin = self.env.ref("base.user_admin")
        self.env["bus.bus"].search([]).unlink()
        self.start_tour("/odoo/contacts?view_type=list", "erpnext_sync_from_contacts_start", login="admin")
        run = self.Run.search([("state", "=", "queued"), ("user_id", "=", admin.id)])
        self.assertEqual(len(run), 1)

        # What the scheduled action does in the background a moment later.
        run._process_all()

        # Odoo disables websockets in tests, so the browser cannot receive the result notification
        # here: the message the bus would deliver is checked instead.
        notes = self.env["bus.bus"].search([("message", "like", "simple_notification")])
        self.assertEqual(len(notes), 1)
        self.assertIn("4 processed, 4 created", notes.message)
        self.start_tour("/odoo/contacts?view_type=list", "erpnext_sync_from_contacts_result", login="admin")
