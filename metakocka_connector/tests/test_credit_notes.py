"""Customer credit notes of invoices in Metakocka: credit notes (``sales_bill_credit_note``) linked to their bill."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.metakocka_connector.metakocka_api.values import parse_number

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestCreditNotes(MetakockaCase):
    def setUp(self):
        super().setUp()
        self.invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": "2026-01-15",
            "invoice_line_ids": [
                Command.create({"product_id": self.widget.id, "quantity": 2, "price_unit": 10.0,
                                "tax_ids": [Command.set(self.tax_22.ids)]}),
                Command.create({"product_id": self.book.id, "quantity": 1, "price_unit": 5.0,
                                "tax_ids": [Command.set(self.tax_95.ids)]}),
            ],
        })
        self.invoice.action_post()

    def credit_note(self):
        wizard = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=self.invoice.ids).create({
                "reason": "Damaged", "journal_id": self.invoice.journal_id.id, "date": "2026-01-20"})
        action = wizard.refund_moves()
        refund = self.env["account.move"].browse(action["res_id"])
        refund.action_post()
        return refund

    def test_a_credit_note_of_a_bill_in_metakocka_is_linked_to_that_bill(self):
        self.invoice.action_metakocka_sync()
        bill_number = self.invoice.metakocka_count_code
        refund = self.credit_note()
        self.simulator.clear_requests()

        action = refund.action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "success", action["params"]["message"])
        self.assertEqual([request.op for request in self.simulator.requests], ["put_document"])
        link = refund.metakocka_link_ids
        self.assertEqual((link.doc_type, refund.metakocka_state), ("sales_bill_credit_note", "synced"))
        document = self.simulator.document(link.mk_id)
        self.assertEqual(document["doc_type"], "sales_bill_credit_note")
        self.assertEqual((document["credit_note_type"], document["credit_note_bill"]), ("financial", bill_number))
        self.assertEqual(parse_number(document["sum_all"]), parse_number(str(refund.amount_total)))
        self.assertGreater(refund.amount_total, 0)
        bill = self.simulator.document(self.invoice.metakocka_mk_id)
        self.assertIn(link.mk_id, [entry["mk_id"] for entry in bill["doc_link_list"]])
        # Unchanged: no call the second time.
        self.simulator.clear_requests()
        refund.action_metakocka_sync()
        self.assertEqual(self.simulator.requests, [])

    def test_a_credit_note_of_an_invoice_not_in_metakocka_is_refused_naming_both(self):
        refund = self.credit_note()

        action = refund.action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "danger")
        for text in (action["params"]["message"], refund.metakocka_last_error):
            self.assertIn(refund.name, text)
            self.assertIn(self.invoice.name, text)
            self.assertIn("not in Metakocka yet", text)
        self.assertEqual(refund.metakocka_state, "error")
        self.assertEqual(self.simulator.count("put_document"), 0)

    def test_a_credit_note_is_sent_with_the_changed_invoices(self):
        self.invoice.action_metakocka_sync()
        refund = self.credit_note()

        self.assertIn(refund, self.env["account.move"]._metakocka_records_to_sync(self.company))
