"""Payment status of invoices: what Metakocka knows of their payment is read and shown, optionally registered in
Odoo, and Odoo's own payments are optionally sent there with put_transaction — never twice either way."""

from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MetakockaCase


class InvoicePaymentCase(MetakockaCase):
    """A company that reads invoice payments from the simulator; invoices of 122.00 (100 + 22 % VAT)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.company_data["default_journal_bank"]
        cls.company.write({"metakocka_payment_read": True, "metakocka_payment_journal_id": cls.bank.id})
        cls.Sync = cls.env["metakocka.payment.sync"]
        cls.Transaction = cls.env["metakocka.payment.transaction"]
        cls.Log = cls.env["metakocka.sync.log"]

    def sent_invoice(self, price=100.0, send=True):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": "2026-01-15",
            "invoice_line_ids": [Command.create({"product_id": self.widget.id, "quantity": 1, "price_unit": price,
                                                 "tax_ids": [Command.set(self.tax_22.ids)]})],
        })
        invoice.action_post()
        if send:
            invoice.action_metakocka_sync()
            self.assertEqual(invoice.metakocka_state, "synced")
        return invoice

    def read_payments(self):
        self.simulator.clear_requests()
        self.Sync._process_payment_reads()

    def calls(self):
        return [request.op for request in self.simulator.requests]

    def link(self, invoice):
        return invoice.metakocka_link_ids.filtered(lambda link: link.doc_type == "sales_bill_domestic")

    def odoo_payments(self, invoice):
        return self.env["account.payment"].search([("invoice_ids", "in", invoice.ids), ("state", "!=", "canceled")])

    def pay_in_odoo(self, invoice, amount, day="2026-01-20"):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"amount": amount, "payment_date": day, "journal_id": self.bank.id})._create_payments()

    def remote(self, invoice):
        return self.simulator.document(invoice.metakocka_mk_id)

    def payment_logs(self, status=None):
        domain = [("operation", "=", "payment")] + ([("status", "=", status)] if status else [])
        return self.Log.search(domain)


@tagged("post_install", "-at_install")
class TestInvoicePaymentStatus(InvoicePaymentCase):
    def test_what_metakocka_knows_is_read_and_shown_until_paid_in_full(self):
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "30,50", date="16.01.2026")

        self.read_payments()

        self.assertEqual(self.calls(), ["search"])  # one search of the open bills
        self.assertEqual((invoice.metakocka_paid_amount, invoice.metakocka_paid_in_full), (30.5, False))
        self.assertEqual(invoice.metakocka_last_paid_date, date(2026, 1, 16))
        self.assertEqual(invoice.payment_state, "not_paid")  # registering is off
        self.simulator.add_payment(invoice.metakocka_mk_id, "91.50", date="20.01.2026")

        self.read_payments()

        self.assertEqual(self.calls(), ["search", "get_document"])  # no longer open: read alone, once
        self.assertEqual((invoice.metakocka_paid_amount, invoice.metakocka_paid_in_full), (122.0, True))
        self.assertEqual(invoice.metakocka_paid_in_full_on, date(2026, 1, 20))
        lines = self.payment_logs("success").filtered(lambda log: log.res_id == invoice.id)
        self.assertIn("Paid in full in Metakocka", lines[0].message)
        self.read_payments()
        self.assertEqual(self.calls(), [], "a bill paid in full is not read again")

    def test_an_unchanged_bill_costs_no_write(self):
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "10", date="16.01.2026")
        self.read_payments()
        link, logs = self.link(invoice), len(self.payment_logs())
        self.env.flush_all()
        self.env.cr.execute("UPDATE metakocka_document_link SET write_date = '2000-01-01' WHERE id = %s", [link.id])
        link.invalidate_recordset()

        self.read_payments()

        self.assertEqual(self.calls(), ["search"])
        self.env.flush_all()
        self.env.cr.execute("SELECT write_date FROM metakocka_document_link WHERE id = %s", [link.id])
        self.assertEqual(str(self.env.cr.fetchone()[0]), "2000-01-01 00:00:00")
        self.assertEqual(len(self.payment_logs()), logs)

    def test_a_malformed_bill_fails_alone_naming_the_invoice_and_field(self):
        bad, good = self.sent_invoice(), self.sent_invoice()
        self.simulator.add_payment(good.metakocka_mk_id, "10", date="16.01.2026")
        self.simulator.set_raw_fields(bad.metakocka_mk_id, sum_paid="12,x")

        self.read_payments()

        self.assertEqual(good.metakocka_paid_amount, 10.0)
        error = bad.metakocka_payment_error
        for fragment in (bad.name, bad.metakocka_count_code, "sum_paid", "12,x"):
            self.assertIn(fragment, error)
        self.assertEqual(bad.metakocka_paid_amount, 0.0)
        self.assertEqual(len(self.payment_logs("error").filtered(lambda log: log.res_id == bad.id)), 1)
        self.read_payments()  # the same error again: no second line
        self.assertEqual(len(self.payment_logs("error").filtered(lambda log: log.res_id == bad.id)), 1)
        self.simulator.set_raw_fields(bad.metakocka_mk_id)
        self.read_payments()
        self.assertFalse(bad.metakocka_payment_error)

    def test_a_bill_gone_from_metakocka_fails_alone(self):
        gone, other = self.sent_invoice(), self.sent_invoice()
        self.link(gone).mk_id = "1600999999"
        self.simulator.add_payment(other.metakocka_mk_id, "5", date="16.01.2026")

        self.read_payments()

        self.assertIn(gone.name, gone.metakocka_payment_error)
        self.assertIn("1600999999", gone.metakocka_payment_error)
        self.assertEqual(other.metakocka_paid_amount, 5.0)

    def test_read_payments_now_reads_a_company_that_does_not_read_on_a_schedule(self):
        self.company.metakocka_payment_read = False
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "7", date="16.01.2026")
        self.read_payments()
        self.assertEqual(self.calls(), [], "reading is off")
        settings = self.env["res.config.settings"].create({})

        settings.action_metakocka_read_payments()

        cron = self.env.ref("metakocka_connector.ir_cron_read_payments")
        self.assertTrue(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]))
        self.assertTrue(self.company.metakocka_payments_requested)
        self.read_payments()
        self.assertEqual(invoice.metakocka_paid_amount, 7.0)
        self.assertFalse(self.company.metakocka_payments_requested)
        summary = self.payment_logs().filtered(lambda log: not log.res_id)[0]
        self.assertIn("1 invoices watched, 1 changed", summary.message)


@tagged("post_install", "-at_install")
class TestInvoicePaymentRegistration(InvoicePaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"metakocka_payment_register": True, "metakocka_payment_send": True})

    def test_metakocka_payments_are_registered_once_and_the_invoice_follows(self):
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "50", date="16.01.2026")

        self.read_payments()
        self.read_payments()  # pulled twice: still one payment

        payment = self.odoo_payments(invoice)
        self.assertEqual(len(payment), 1)
        self.assertEqual((payment.amount, payment.date, payment.journal_id), (50.0, date(2026, 1, 16), self.bank))
        self.assertTrue(payment.metakocka_from_metakocka)
        self.assertEqual(payment.metakocka_payment_state, "from_metakocka")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertTrue(any("registered from Metakocka" in message.body for message in invoice.message_ids))
        self.simulator.add_payment(invoice.metakocka_mk_id, "72", date="25.01.2026")

        self.read_payments()
        self.read_payments()

        self.assertEqual(sorted(self.odoo_payments(invoice).mapped("amount")), [50.0, 72.0])
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(self.link(invoice).mk_paid_registered, 122.0)
        self.assertFalse(self.Transaction.search([("move_id", "=", invoice.id)]), "never sent back")
        self.Transaction._process_queued_transactions()
        self.assertEqual(self.simulator.count("put_transaction"), 0)

    def test_a_payment_larger_than_the_open_amount_is_capped_and_logged(self):
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "200", date="16.01.2026")

        self.read_payments()
        self.read_payments()

        self.assertEqual(self.odoo_payments(invoice).mapped("amount"), [122.0])
        self.assertEqual(invoice.payment_state, "paid")
        warnings = self.payment_logs("warning")
        self.assertEqual(len(warnings), 1, "logged once")
        self.assertIn("78.00", warnings.message)

    def test_money_paid_back_in_metakocka_is_logged_not_guessed(self):
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "50", date="16.01.2026")
        self.read_payments()
        self.simulator.add_payment(invoice.metakocka_mk_id, "-20", date="18.01.2026")

        self.read_payments()

        self.assertEqual(self.odoo_payments(invoice).mapped("amount"), [50.0])
        self.assertEqual(invoice.metakocka_paid_amount, 30.0)
        self.assertIn("went down", self.payment_logs("warning").message)
        self.simulator.add_payment(invoice.metakocka_mk_id, "40", date="20.01.2026")
        self.read_payments()  # 70 paid in Metakocka, 50 registered: 20 more
        self.assertEqual(sorted(self.odoo_payments(invoice).mapped("amount")), [20.0, 50.0])

    def test_registering_off_registers_nothing(self):
        self.company.metakocka_payment_register = False
        invoice = self.sent_invoice()
        self.simulator.add_payment(invoice.metakocka_mk_id, "50", date="16.01.2026")

        self.read_payments()

        self.assertEqual(invoice.metakocka_paid_amount, 50.0)
        self.assertFalse(self.odoo_payments(invoice))
        self.assertEqual(invoice.payment_state, "not_paid")


@tagged("post_install", "-at_install")
class TestInvoicePaymentSending(InvoicePaymentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"metakocka_payment_send": True, "metakocka_payment_register": True})

    def test_an_odoo_payment_is_sent_once_after_the_commit_and_not_registered_back(self):
        invoice = self.sent_invoice()
        self.simulator.clear_requests()

        payment = self.pay_in_odoo(invoice, 50)

        self.assertEqual(self.simulator.count("put_transaction"), 0, "nothing inside the user's transaction")
        row = self.Transaction.search([("move_id", "=", invoice.id)])
        self.assertEqual((row.state, row.payment_id, payment.metakocka_payment_state), ("queued", payment, "queued"))
        self.Transaction._process_queued_transactions()
        self.Transaction._process_queued_transactions()

        self.assertEqual(self.simulator.count("put_transaction"), 1)
        self.assertEqual((row.state, row.amount), ("done", 50.0))
        self.assertEqual(payment.metakocka_payment_state, "sent")
        self.assertTrue(payment.metakocka_sent_at)
        [entry] = self.remote(invoice)["mark_paid"]
        self.assertEqual((entry["amount"], entry["date"], entry["payment_type"]), ("50,00", "20.01.2026",
                                                                                   "Transakcijski račun"))
        self.assertEqual(entry["notes"], row.reference)
        self.assertIn(payment.name, row.reference)
        self.read_payments()
        self.assertEqual(self.odoo_payments(invoice), payment, "what Odoo sent is not registered back")
        self.assertEqual(invoice.metakocka_paid_amount, 50.0)

    def test_a_lost_reply_is_looked_up_and_not_sent_again(self):
        invoice = self.sent_invoice()
        self.simulator.add_fault("lost_reply", ops=["put_transaction"])
        self.pay_in_odoo(invoice, 122)
        self.simulator.clear_requests()

        self.Transaction._process_queued_transactions()

        row = self.Transaction.search([("move_id", "=", invoice.id)])
        self.assertEqual((row.state, row.outcome_unknown, row.attempts), ("queued", True, 1))
        self.assertTrue(row.next_try_at)
        row.next_try_at = False
        self.Transaction._process_queued_transactions()

        self.assertEqual(self.calls(), ["put_transaction", "get_document"])
        self.assertEqual((row.state, row.outcome_unknown), ("done", False))
        self.assertEqual(len(self.remote(invoice)["mark_paid"]), 1, "exactly one transaction in Metakocka")
        self.read_payments()
        self.assertEqual(len(self.odoo_payments(invoice)), 1)

    def test_a_payment_that_did_not_arrive_is_sent_after_the_look_up(self):
        invoice = self.sent_invoice()
        self.simulator.add_fault("drop", ops=["put_transaction"])  # connection closed: nothing was done
        self.pay_in_odoo(invoice, 30)

        self.Transaction._process_queued_transactions()
        row = self.Transaction.search([("move_id", "=", invoice.id)])
        row.next_try_at = False
        self.Transaction._process_queued_transactions()

        self.assertEqual(row.state, "done")
        self.assertEqual(self.remote(invoice)["sum_paid"], "30.00")

    def test_an_invoicing_user_without_metakocka_rights_pays_and_the_payment_is_sent(self):
        invoice = self.sent_invoice()
        clerk = self.env["res.users"].create({
            "name": "Clerk", "login": "metakocka_clerk", "company_id": self.company.id,
            "company_ids": [Command.set(self.company.ids)],
            "groups_id": [Command.set([self.env.ref("account.group_account_invoice").id])]})

        payment = self.env["account.payment.register"].with_user(clerk).with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"amount": 40, "payment_date": "2026-01-20", "journal_id": self.bank.id})._create_payments()
        self.Transaction._process_queued_transactions()

        self.assertEqual(self.remote(invoice)["sum_paid"], "40.00")
        self.assertEqual(payment.with_user(clerk).metakocka_payment_state, "sent")
        self.read_payments()
        self.assertEqual(invoice.with_user(clerk).metakocka_paid_amount, 40.0)

    def test_sending_off_sends_nothing(self):
        self.company.metakocka_payment_send = False
        invoice = self.sent_invoice()

        self.pay_in_odoo(invoice, 50)
        self.Transaction._process_queued_transactions()

        self.assertFalse(self.Transaction.search([("move_id", "=", invoice.id)]))
        self.assertEqual(self.simulator.count("put_transaction"), 0)

    def test_metakocka_refusing_the_payment_type_fails_the_payment_with_its_message(self):
        self.company.metakocka_payment_type = "Ček"
        invoice = self.sent_invoice()
        self.pay_in_odoo(invoice, 50)

        self.Transaction._process_queued_transactions()

        row = self.Transaction.search([("move_id", "=", invoice.id)])
        self.assertEqual(row.state, "failed")
        self.assertIn("Transakcijski račun", row.message)
        self.assertEqual(row.payment_id.metakocka_payment_state, "failed")
        self.company.metakocka_payment_type = "Transakcijski račun"
        row.action_send_again()
        self.Transaction._process_queued_transactions()
        self.assertEqual((row.state, self.remote(invoice)["sum_paid"]), ("done", "50.00"))

    def test_a_payment_taken_off_after_it_was_sent_is_logged_not_deleted(self):
        invoice = self.sent_invoice()
        payment = self.pay_in_odoo(invoice, 50)
        self.Transaction._process_queued_transactions()

        payment.action_draft()
        payment.action_cancel()

        row = self.Transaction.search([("move_id", "=", invoice.id)])
        self.assertTrue(row.removed_in_odoo)
        warning = self.payment_logs("warning")
        self.assertIn(payment.name, warning.message)
        self.assertIn("remove it there by hand", warning.message)
        self.assertEqual(self.remote(invoice)["sum_paid"], "50.00")
        self.assertEqual(self.simulator.count("put_transaction"), 1)
        self.read_payments()  # Metakocka still counts it; it is not registered back either
        self.assertFalse(self.odoo_payments(invoice))

    def test_a_payment_made_before_the_invoice_reached_metakocka_goes_with_it(self):
        invoice = self.sent_invoice(send=False)
        self.pay_in_odoo(invoice, 22)
        self.assertFalse(self.Transaction.search([("move_id", "=", invoice.id)]))

        invoice.action_metakocka_sync()
        self.Transaction._process_queued_transactions()

        self.assertEqual(self.remote(invoice)["sum_paid"], "22.00")


@tagged("post_install", "-at_install")
class TestInvoicePaymentSettings(InvoicePaymentCase):
    def test_registering_needs_a_bank_or_cash_journal_of_the_company(self):
        with self.assertRaisesRegex(ValidationError, "bank or cash journal"):
            self.company.write({"metakocka_payment_register": True,
                                "metakocka_payment_journal_id": self.company_data["default_journal_sale"].id})
        with self.assertRaisesRegex(ValidationError, "choose the bank or cash journal"):
            self.company.write({"metakocka_payment_register": True, "metakocka_payment_journal_id": False})
        self.company.write({"metakocka_payment_register": True, "metakocka_payment_journal_id": self.bank.id})

    def test_sending_needs_a_payment_type(self):
        with self.assertRaisesRegex(ValidationError, "Vrsta plačila"):
            self.company.write({"metakocka_payment_send": True, "metakocka_payment_type": " "})

    def test_the_scheduled_actions_are_there(self):
        read = self.env.ref("metakocka_connector.ir_cron_read_payments")
        send = self.env.ref("metakocka_connector.ir_cron_send_payments")
        self.assertTrue(read.active and send.active)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.metakocka_payment_read_interval, 60)
        settings.metakocka_payment_read_interval = 30
        settings.execute()
        self.assertEqual((read.interval_number, read.interval_type), (30, "minutes"))
