"""Pushing one order or invoice: what is sent, what is skipped, what is refused and why."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.metakocka_connector.metakocka_api.values import parse_number

from .common import MetakockaCase


@tagged("post_install", "-at_install")
class TestPushOrder(MetakockaCase):
    def test_confirmed_order_becomes_one_sales_order_with_the_same_lines_and_totals(self):
        order = self.make_order()

        action = order.action_metakocka_sync()

        self.assertEqual(action["params"]["type"], "success")
        remote = self.remote_orders()
        self.assertEqual(len(remote), 1)
        document = remote[0]
        self.assertEqual(order.metakocka_state, "synced")
        self.assertEqual(order.metakocka_count_code, document["count_code"])
        self.assertEqual(order.metakocka_mk_id, document["mk_id"])
        self.assertTrue(order.metakocka_last_sync_at)
        self.assertEqual([(line["code"], parse_number(line["amount"])) for line in document["product_list"]],
                         [("WIDGET", 2), ("BOOK", 1)])
        self.assertEqual(parse_number(document["sum_all"]), parse_number(str(order.amount_total)))
        self.assertEqual(document["buyer_order"], f"{order.name}-{order.id}")
        self.assertIn("Sent to Metakocka", order.message_ids[0].body)
        self.assertEqual(order.metakocka_log_count, 1)

    def test_totals_match_to_the_cent_with_line_discounts_and_two_tax_rates(self):
        order = self.make_order([
            (self.widget, 3, 12.99, 7.5),
            (self.widget, 1, 19.99, 0),
            (self.book, 7, 3.33, 12.0),
            (self.book, 2, 8.45, 3.0),
        ])
        order.action_metakocka_sync()

        document = self.remote_orders()[0]
        self.assertEqual(order.metakocka_state, "synced", order.metakocka_last_error)
        self.assertEqual(parse_number(document["sum_basic"]), parse_number(str(order.amount_untaxed)))
        self.assertEqual(parse_number(document["sum_all"]), parse_number(str(order.amount_total)))

    def test_an_unchanged_order_costs_no_call_and_no_write(self):
        order = self.make_order()
        order.action_metakocka_sync()
        self.simulator.clear_requests()
        log_count = self.env["metakocka.sync.log"].search_count([])
        link = order.metakocka_link_ids
        sync_time = link.last_sync_at

        action = order.action_metakocka_sync()

        self.assertEqual(self.simulator.requests, [])
        self.assertIn("unchanged", action["params"]["message"])
        self.assertEqual(link.last_sync_at, sync_time)
        self.assertEqual(self.env["metakocka.sync.log"].search_count([]), log_count)

    def test_a_changed_order_is_read_then_replaced_in_the_same_document(self):
        order = self.make_order()
        order.action_metakocka_sync()
        self.simulator.clear_requests()

        order.order_line[0].product_uom_qty = 5
        order.action_metakocka_sync()

        # One read first, to see whether Metakocka changed it too since the last sync (see test_two_way_edits).
        self.assertEqual([request.op for request in self.simulator.requests], ["get_document", "put_document"])
        self.assertEqual(self.simulator.requests[1].body["mk_id"], order.metakocka_mk_id)
        remote = self.remote_orders()
        self.assertEqual(len(remote), 1)
        self.assertEqual(parse_number(remote[0]["product_list"][0]["amount"]), 5)

    def test_a_quotation_is_an_offer_and_its_confirmation_a_sales_order_that_refers_to_it(self):
        order = self.make_order(confirm=False)
        order.action_metakocka_sync()
        offer = self.simulator.documents("sales_offer")
        self.assertEqual(len(offer), 1)

        order.action_confirm()
        order.action_metakocka_sync()

        self.assertEqual(len(self.remote_orders()), 1)
        sent = [request for request in self.simulator.requests if request.op == "put_document"][-1].body
        self.assertEqual(sent["offer_list"], [{"count_code": offer[0]["count_code"]}])
        self.assertEqual(len(order.metakocka_link_ids), 2)
        self.assertEqual(order.metakocka_count_code, self.remote_orders()[0]["count_code"])

    def test_cancelling_a_sent_order_sets_the_cancel_status(self):
        order = self.make_order()
        order.action_metakocka_sync()

        order._action_cancel()
        order.action_metakocka_sync()

        self.assertEqual(self.remote_orders()[0]["status_desc"], "canceled")

    def test_an_existing_metakocka_partner_is_found_by_vat_not_created_again(self):
        existing = self.simulator_client().add_partner({
            "customer": "Kupec d.o.o.", "tax_id_number": "SI12345678", "street": "Slovenska cesta 1",
            "post_number": "1000", "place": "Ljubljana", "country": "SI",
        })
        self.simulator.clear_requests()

        self.make_order().action_metakocka_sync()

        self.assertEqual(self.simulator.count("add_partner"), 0)
        self.assertEqual(self.remote_orders()[0]["partner"]["mk_id"], existing["mk_id"])
        link = self.env["metakocka.partner.link"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(link.mk_id, existing["mk_id"])
        self.assertEqual(self.customer.metakocka_mk_id, existing["mk_id"])

    def test_new_partner_and_products_are_created_once_then_reused(self):
        self.make_order().action_metakocka_sync()
        self.make_order().action_metakocka_sync()

        self.assertEqual(self.simulator.count("add_partner"), 1)
        self.assertEqual(self.simulator.count("product_add"), 2)
        self.assertEqual(len(self.remote_orders()), 2)
        self.assertTrue(self.widget.metakocka_mk_id)

    def simulator_client(self):
        from odoo.addons.metakocka_connector.services.connection import client_for  # noqa: PLC0415

        return client_for(self.company)


@tagged("post_install", "-at_install")
class TestPushRefusals(MetakockaCase):
    def assert_refused(self, record, *fragments):
        action = record.action_metakocka_sync()
        self.assertEqual(action["params"]["type"], "danger")
        for fragment in fragments:
            self.assertIn(fragment, action["params"]["message"])
            self.assertIn(fragment, record.metakocka_last_error)
        self.assertEqual(record.metakocka_state, "error")
        self.assertEqual(self.simulator.count("put_document"), 0)
        log = self.env["metakocka.sync.log"].search([("res_id", "=", record.id), ("res_model", "=", record._name)])
        self.assertEqual(log.mapped("status"), ["error"])

    def test_an_order_without_lines(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id})
        self.assert_refused(order, order.name, "has no lines")

    def test_a_product_without_internal_reference(self):
        nameless = self.make_product(False, "Mystery box", 3.0, self.tax_22)
        order = self.make_order([(nameless, 1, 3.0, 0)])
        self.assert_refused(order, order.name, "line 1", "Mystery box", "Internal Reference")

    def test_a_customer_without_address(self):
        nowhere = self.env["res.partner"].create({"name": "Nobody Nowhere"})
        order = self.make_order(partner=nowhere)
        self.assert_refused(order, "Nobody Nowhere has no street address", "has no city", "has no country")

    def test_a_tax_with_no_metakocka_equivalent(self):
        eco = self.env["account.tax"].create({"name": "Eco fee", "amount": 1.5, "amount_type": "fixed",
                                              "type_tax_use": "sale"})
        order = self.make_order()
        order.order_line[0].tax_id = eco
        self.assert_refused(order, "line 1", "Eco fee has no Metakocka equivalent")

    def test_two_taxes_on_a_line(self):
        order = self.make_order()
        order.order_line[1].tax_id = self.tax_22 + self.tax_95
        self.assert_refused(order, "line 2", "several taxes")

    def test_missing_settings_are_named(self):
        order = self.make_order()
        self.company.sudo().metakocka_secret_key = False
        action = order.action_metakocka_sync()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(f"Metakocka is not configured for {self.company.name}: set the secret key",
                      action["params"]["message"])
        self.assertEqual(order.metakocka_state, "error")
        self.assertEqual(self.simulator.requests, [])

    def test_a_refusal_by_metakocka_is_shown_with_its_own_message(self):
        order = self.make_order()
        self.env["metakocka.order.status"]._for_meaning(self.company, "ready").code = "no_such_status"
        self.assert_refused_remotely(order, "Dinamični šifrant")

    def assert_refused_remotely(self, record, fragment):
        action = record.action_metakocka_sync()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn(fragment, action["params"]["message"])
        self.assertEqual(record.metakocka_state, "error")
        self.assertEqual(self.simulator.count("put_document"), 1)


@tagged("post_install", "-at_install")
class TestPushInvoice(MetakockaCase):
    def make_invoice(self, partner=None):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": (partner or self.customer).id, "invoice_date": "2026-01-15",
            "invoice_line_ids": [
                Command.create({"product_id": self.widget.id, "quantity": 2, "price_unit": 10.0,
                                "tax_ids": [Command.set(self.tax_22.ids)]}),
                Command.create({"product_id": self.book.id, "quantity": 1, "price_unit": 5.0,
                                "tax_ids": [Command.set(self.tax_95.ids)]}),
            ],
        })
        invoice.action_post()
        return invoice

    def test_a_posted_customer_invoice_becomes_a_domestic_bill(self):
        invoice = self.make_invoice()
        invoice.action_metakocka_sync()

        bills = self.simulator.documents("sales_bill_domestic")
        self.assertEqual(len(bills), 1)
        self.assertEqual(invoice.metakocka_state, "synced")
        self.assertEqual(parse_number(bills[0]["sum_all"]), parse_number(str(invoice.amount_total)))

    def test_a_foreign_customer_gets_a_foreign_bill(self):
        foreign = self.customer.copy({"name": "Kunde GmbH", "country_id": self.env.ref("base.at").id,
                                      "vat": "ATU12345675", "email": "kunde@example.com"})
        self.make_invoice(foreign).action_metakocka_sync()
        self.assertEqual(len(self.simulator.documents("sales_bill_foreign")), 1)

    def test_a_draft_invoice_is_not_sent(self):
        invoice = self.make_invoice()
        invoice.button_draft()
        action = invoice.action_metakocka_sync()
        self.assertIn("not sent to Metakocka in its state", action["params"]["message"])
        self.assertEqual(self.simulator.count("put_document"), 0)
