"""Metakocka → Odoo: the import screen, importing documents, and the incremental pull."""

from odoo.tests import tagged

from odoo.addons.metakocka_connector.services.connection import client_for
from odoo.addons.metakocka_connector.services.pull import pull_changed_orders

from .common import MetakockaCase

# Seeded in the simulator: partner Kavarna Novak d.o.o. and products KAVA-500 (9.5 %), MLIN-01 (22 %).
KAVARNA = {"mk_id": "1600000201", "mk_address_id": "1600000202"}


@tagged("post_install", "-at_install")
class TestPull(MetakockaCase):
    def remote_order(self, buyer_order, lines=None, doc_type="sales_order", **head):
        lines = lines or [
            {"code": "KAVA-500", "amount": "3", "price": "12.29", "discount": "10", "tax": "095"},
            {"code": "MLIN-01", "amount": "1", "price": "32.70", "discount": "5", "tax": "EX4"},
        ]
        answer = client_for(self.company).put_document({
            "doc_type": doc_type, "doc_date": "15.01.2026", "buyer_order": buyer_order, "partner": KAVARNA,
            "product_list": lines, **head,
        })
        return answer["mk_id"]

    def import_screen(self, **values):
        wizard = self.env["metakocka.import.wizard"].create(values)
        wizard.action_load()
        return wizard

    def test_the_import_screen_lists_unlinked_documents_and_imports_the_selection(self):
        first = self.remote_order("WEB-1")
        self.remote_order("WEB-2")
        pushed = self.make_order()
        pushed.action_metakocka_sync()

        wizard = self.import_screen(doc_type="sales_order")

        self.assertEqual(wizard.total, 3)
        self.assertEqual(sorted(wizard.line_ids.mapped("buyer_order")), ["WEB-1", "WEB-2"])
        wizard.line_ids.filtered(lambda line: line.mk_id == first).selected = True
        action = wizard.action_import_selected()

        self.assertEqual(action["params"]["type"], "success")
        order = self.env["sale.order"].search([("metakocka_link_ids.mk_id", "=", first)])
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.partner_id.name, "Kavarna Novak d.o.o.")
        self.assertEqual(order.order_line.mapped("product_id.default_code"), ["KAVA-500", "MLIN-01"])
        self.assertEqual(order.order_line.mapped("tax_id"), self.tax_95 + self.tax_22)
        self.assertEqual(order.metakocka_state, "synced", order.metakocka_last_error)
        self.assertEqual(wizard.line_ids.mapped("buyer_order"), ["WEB-2"])

    def test_imported_totals_match_metakocka_to_the_cent(self):
        mk_id = self.remote_order("WEB-3")
        remote = client_for(self.company).get_document("sales_order", mk_id)
        order = self.import_one("sales_order", mk_id)
        self.assertEqual(f"{order.amount_total:.2f}", remote["sum_all"])
        self.assertEqual(order.metakocka_state, "synced")

    def test_a_difference_in_totals_marks_the_order_for_review_with_the_difference(self):
        mk_id = self.remote_order("WEB-4", discount_value="1.00")
        order = self.import_one("sales_order", mk_id)
        self.assertEqual(order.metakocka_state, "needs_review")
        self.assertIn("differs from Odoo's", order.metakocka_last_error)
        self.assertIn("by -1.0", order.metakocka_last_error)
        # Read again unchanged: still to be reviewed, and nothing written (no log line either).
        logs = self.env["metakocka.sync.log"].search_count([])
        self.assertEqual(self.importer().import_document("sales_order", mk_id).status, "unchanged")
        self.assertEqual(self.env["metakocka.sync.log"].search_count([]), logs)

    def test_an_offer_becomes_a_quotation_and_an_unknown_tax_is_reported_not_guessed(self):
        offer = self.remote_order("WEB-5", doc_type="sales_offer")
        quotation = self.import_one("sales_offer", offer)
        self.assertEqual(quotation.state, "draft")

        self.tax_95.active = False
        odd = self.remote_order("WEB-6")
        outcome = self.importer().import_document("sales_order", odd)
        self.assertEqual(outcome.status, "failed")
        self.assertIn("No Odoo sales tax of 9.5 % for product KAVA-500", outcome.message)
        self.assertFalse(self.env["metakocka.document.link"].search([("mk_id", "=", odd)]))

    def test_importing_a_linked_document_again_updates_it_and_never_creates_a_second_order(self):
        mk_id = self.remote_order("WEB-7")
        order = self.import_one("sales_order", mk_id)
        orders_before = self.env["sale.order"].search_count([])

        unchanged = self.importer().import_document("sales_order", mk_id)
        self.assertEqual(unchanged.status, "unchanged")

        client_for(self.company).update_document("sales_order", {
            "mk_id": mk_id, "product_add": [{"code": "KAVA-1000", "amount": "2", "price": "22.80", "tax": "095"}]})
        updated = self.importer().import_document("sales_order", mk_id)

        self.assertEqual(updated.status, "updated")
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
        self.assertEqual(order.order_line.mapped("product_id.default_code"), ["KAVA-500", "MLIN-01", "KAVA-1000"])

    def test_import_all_queues_a_run_of_every_unlinked_document(self):
        for number in range(3):
            self.remote_order(f"WEB-A{number}")
        wizard = self.import_screen(doc_type="sales_order")

        action = wizard.action_import_all()

        run = self.env["metakocka.sync.run"].browse(action["res_id"])
        self.assertEqual((run.operation, run.total_count), ("import", 3))
        self.env["metakocka.sync.run"]._process_queued_items()
        self.assertEqual((run.state, run.done_count, run.failed_count), ("done", 3, 0))

    def test_incremental_pull_imports_changes_and_a_second_pull_writes_nothing(self):
        self.remote_order("WEB-P1")
        self.remote_order("WEB-P2")
        first = pull_changed_orders(self.env, self.company)
        self.assertEqual(first.counts, {"created": 2})
        cursor = self.company.metakocka_pull_cursor
        self.assertTrue(cursor)
        self.env.flush_all()
        orders = self.env["sale.order"].search([("metakocka_link_ids", "!=", False)])
        stamps = self.write_dates(orders)
        logs = self.env["metakocka.sync.log"].search_count([])

        second = pull_changed_orders(self.env, self.company)

        self.env.flush_all()
        self.assertEqual(second.counts, {"unchanged": 2})  # the overlap re-reads them
        self.assertEqual(self.write_dates(orders), stamps)
        self.assertEqual(self.env["metakocka.sync.log"].search_count([]), logs)
        self.assertEqual(self.company.metakocka_pull_cursor, cursor)
        search = [req for req in self.simulator.requests if req.op == "search"][-1]
        self.assertEqual(search.body["query_advance"][0]["type"], "last_change_from")

    def test_the_pull_cursor_stays_at_a_failed_document(self):
        good = self.remote_order("WEB-G", lines=[{"code": "MLIN-01", "amount": "1", "price": "32.70", "tax": "EX4"}])
        self.remote_order("WEB-F", lines=[{"code": "KAVA-500", "amount": "1", "price": "12.29", "tax": "095"}])
        self.tax_95.active = False
        result = pull_changed_orders(self.env, self.company)
        self.assertEqual(result.counts, {"created": 1, "failed": 1})
        failed_change = client_for(self.company).find_sales_order("WEB-F")["last_change_ts"]
        self.assertEqual(self.company.metakocka_pull_cursor, failed_change)
        self.assertTrue(self.env["metakocka.document.link"].search([("mk_id", "=", good)]))

    def import_one(self, doc_type, mk_id):
        outcome = self.importer().import_document(doc_type, mk_id)
        self.assertTrue(outcome.ok, outcome.message)
        return outcome.record

    def importer(self):
        from odoo.addons.metakocka_connector.services.document_import import DocumentImporter  # noqa: PLC0415

        return DocumentImporter(self.env, self.company)

    def write_dates(self, orders):
        self.env.cr.execute("SELECT id, write_date FROM sale_order WHERE id IN %s ORDER BY id", [tuple(orders.ids)])
        order_rows = self.env.cr.fetchall()
        self.env.cr.execute("SELECT id, write_date FROM sale_order_line WHERE order_id IN %s ORDER BY id",
                            [tuple(orders.ids)])
        return order_rows, self.env.cr.fetchall()
