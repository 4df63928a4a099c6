"""A linked order changed in Odoo and in Metakocka since the last sync: the company's policy decides, never
the last writer silently."""

from odoo.tests import tagged

from odoo.addons.metakocka_connector.metakocka_api.values import parse_number
from odoo.addons.metakocka_connector.services.document_import import DocumentImporter
from odoo.addons.metakocka_connector.services.order_status import StatusChanger
from odoo.addons.metakocka_connector.services.pull import pull_changed_orders

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestTwoWayEdits(MetakockaCase):
    def setUp(self):
        super().setUp()
        self.order = self.make_order()  # 2 × Widget @ 10 −10 %, 1 × Book @ 5
        self.order.action_metakocka_sync()
        self.mk_id = self.order.metakocka_mk_id
        self.link = self.order.metakocka_link_ids
        self.simulator.clear_requests()

    # -- helpers ----------------------------------------------------------------------------------

    def edit_in_metakocka(self, amount="7"):
        """A Metakocka user sets the first line's quantity."""
        row = self.simulator.document(self.mk_id)["product_list"][0]["mk_row_id"]
        return self.simulator.edit_order(self.mk_id, product_list=[{"mk_row_id": row, "amount": amount}])

    def edit_in_odoo(self, quantity=5):
        self.order.order_line[0].product_uom_qty = quantity

    def remote_amounts(self):
        return [parse_number(line["amount"]) for line in self.simulator.document(self.mk_id)["product_list"]]

    def ops(self):
        return [request.op for request in self.simulator.requests]

    def policy(self, policy):
        self.company.metakocka_edit_conflict = policy

    def last_log(self):
        return self.env["metakocka.sync.log"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.order.id)], limit=1, order="id desc")

    def pull(self):
        return pull_changed_orders(self.env, self.company)

    # -- push ---------------------------------------------------------------------------------------

    def test_the_policy_is_a_company_setting_held_by_default(self):
        self.assertEqual(self.company.metakocka_edit_conflict, "hold")
        settings = self.env["res.config.settings"].create({"metakocka_edit_conflict": "odoo"})
        settings.execute()
        self.assertEqual(self.company.metakocka_edit_conflict, "odoo")

    def test_an_update_metakocka_did_not_change_reads_it_once_then_replaces_it(self):
        self.edit_in_odoo()

        self.order.action_metakocka_sync()

        self.assertEqual(self.ops(), ["get_document", "put_document"])
        self.assertEqual(self.remote_amounts(), [5, 1])
        self.assertEqual(self.order.metakocka_state, "synced")

    def test_our_own_status_change_is_no_change_of_metakocka(self):
        target = self.env["metakocka.order.status"]._for_meaning(self.company, "ready")
        StatusChanger(self.env, self.company).change(self.order, target)
        self.edit_in_odoo()

        self.order.action_metakocka_sync()

        self.assertEqual(self.remote_amounts(), [5, 1])
        self.assertEqual(self.order.metakocka_state, "synced")
        self.assertEqual(self.simulator.document(self.mk_id)["status_desc"], target.code)

    def test_a_status_set_in_metakocka_is_taken_and_kept_by_the_replacement(self):
        self.simulator.set_order_status(self.mk_id, "paused")
        self.edit_in_odoo()

        self.order.action_metakocka_sync()

        self.assertEqual(self.ops(), ["get_document", "put_document"])
        self.assertEqual(self.remote_amounts(), [5, 1])
        self.assertEqual(self.simulator.document(self.mk_id)["status_desc"], "paused")
        self.assertEqual((self.order.metakocka_status_id.code, self.order.metakocka_state), ("paused", "synced"))

    def test_changed_on_both_sides_is_held_for_review_by_default_and_not_tried_again(self):
        self.edit_in_metakocka()
        self.edit_in_odoo()

        action = self.order.action_metakocka_sync()

        self.assertEqual(self.ops(), ["get_document"])
        self.assertEqual(self.remote_amounts(), [7, 1])
        self.assertEqual(self.order.order_line[0].product_uom_qty, 5)
        self.assertEqual((self.order.metakocka_state, self.link.edit_conflict), ("needs_review", True))
        self.assertTrue(self.order.metakocka_edit_conflict)
        for text in (self.order.metakocka_last_error, action["params"]["message"], self.order.message_ids[0].body,
                     self.last_log().message):
            self.assertIn(self.order.name, text)
            self.assertIn("changed in Odoo and in Metakocka", text)
        self.assertEqual(self.last_log().status, "warning")
        # Held: neither a second click nor the schedules send it, or read it again.
        self.simulator.clear_requests()
        self.order.action_metakocka_sync()
        self.env["metakocka.scheduler"]._cron_push_changed()
        self.env["metakocka.scheduler"]._cron_retry_errors()
        self.assertEqual(self.simulator.requests, [])
        self.assertFalse(self.env["metakocka.sync.run.item"].search([("res_id", "=", self.order.id)]))

    def test_send_odoos_version_of_a_held_order(self):
        self.edit_in_metakocka()
        self.edit_in_odoo()
        self.order.action_metakocka_sync()

        action = self.order.action_metakocka_send_odoo_version()

        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.remote_amounts(), [5, 1])
        self.assertEqual((self.order.metakocka_state, self.link.edit_conflict), ("synced", False))
        self.assertIn("overwritten with Odoo's version", self.last_log().message)

    def test_take_metakocka_version_of_a_held_order_keeps_odoos_lines_in_the_chatter(self):
        self.edit_in_metakocka()
        self.edit_in_odoo()
        self.order.action_metakocka_sync()

        action = self.order.action_metakocka_take_metakocka_version()

        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [7, 1])
        self.assertEqual((self.order.metakocka_state, self.link.edit_conflict), ("synced", False))
        replaced = self.order.message_ids.filtered(lambda message: "Odoo's lines were" in (message.body or ""))
        self.assertIn("5 × ", replaced.body)
        # In step again: nothing to choose, and the next pull or push overwrites nothing.
        self.simulator.clear_requests()
        self.assertEqual(self.pull().counts, {"unchanged": 1})

    def test_odoo_wins_overwrites_metakocka_and_says_so(self):
        self.policy("odoo")
        self.edit_in_metakocka()
        self.edit_in_odoo()

        self.order.action_metakocka_sync()

        self.assertEqual(self.ops(), ["get_document", "put_document"])
        self.assertEqual(self.remote_amounts(), [5, 1])
        self.assertEqual(self.order.metakocka_state, "synced")
        log = self.last_log()
        self.assertEqual((log.operation, log.status), ("update", "warning"))
        self.assertIn("overwritten with Odoo's version (Metakocka had: 7 × Widget", log.message)

    def test_metakocka_wins_takes_its_version_into_odoo_without_sending(self):
        self.policy("metakocka")
        self.edit_in_metakocka()
        self.edit_in_odoo()

        self.order.action_metakocka_sync()

        self.assertEqual(self.ops(), ["get_document"])
        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [7, 1])
        self.assertEqual(self.order.metakocka_state, "synced")
        self.assertTrue(self.order.message_ids.filtered(lambda message: "Odoo's lines were" in (message.body or "")))

    # -- pull ---------------------------------------------------------------------------------------

    def test_the_pull_does_not_rewrite_lines_odoo_changed_when_metakocka_did_not(self):
        self.simulator.set_order_status(self.mk_id, "paused")  # a change in Metakocka, but not of the lines
        self.edit_in_odoo()
        synced_at = self.link.last_sync_at

        self.pull()

        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [5, 1])
        self.assertEqual(self.order.metakocka_status_id.code, "paused")
        # The link is left as the push made it, so that the schedule still sees the order changed since its sync.
        self.assertEqual((self.link.last_sync_at, self.link.last_direction), (synced_at, "push"))
        self.order.action_metakocka_sync()  # Odoo's change still goes to Metakocka, keeping Metakocka's status
        self.assertEqual(self.remote_amounts(), [5, 1])
        self.assertEqual(self.simulator.document(self.mk_id)["status_desc"], "paused")

    def test_the_pull_takes_metakocka_lines_when_odoo_did_not_change(self):
        self.edit_in_metakocka()

        self.pull()

        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [7, 1])
        self.assertEqual(self.order.metakocka_state, "synced")
        self.assertEqual(self.order.action_metakocka_sync()["params"]["type"], "success")
        self.assertEqual(self.remote_amounts(), [7, 1])  # Metakocka's change is not taken for a conflict
        self.assertEqual(self.order.metakocka_state, "synced")

    def test_the_pull_holds_an_order_changed_on_both_sides(self):
        self.edit_in_metakocka()
        self.edit_in_odoo()

        self.pull()

        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [5, 1])
        self.assertEqual((self.order.metakocka_state, self.link.edit_conflict), ("needs_review", True))
        self.assertIn(self.order.name, self.order.metakocka_last_error)
        self.assertEqual((self.last_log().direction, self.last_log().status), ("pull", "warning"))
        # Pulled again: still held, nothing written.
        messages = len(self.order.message_ids)
        self.assertEqual(self.pull().counts, {"needs_review": 1})
        self.assertEqual(len(self.order.message_ids), messages)

    def test_the_pull_keeps_odoos_change_when_odoo_wins_and_the_push_sends_it(self):
        self.policy("odoo")
        self.edit_in_metakocka()
        self.edit_in_odoo()

        self.pull()

        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [5, 1])
        self.order.action_metakocka_sync()
        self.assertEqual(self.remote_amounts(), [5, 1])

    def test_the_pull_takes_metakocka_version_when_metakocka_wins(self):
        self.policy("metakocka")
        self.edit_in_metakocka()
        self.edit_in_odoo()

        outcome = DocumentImporter(self.env, self.company).import_document("sales_order", self.mk_id)

        self.assertEqual(outcome.status, "updated", outcome.message)
        self.assertEqual(self.order.order_line.mapped("product_uom_qty"), [7, 1])
