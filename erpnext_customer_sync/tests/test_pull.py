"""Pulling customers: every mapped field from where it really lives, what cannot be mapped,
incremental runs, paging under change, first-sync matching, counts and notifications."""

from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ERPNextCase


@tagged("post_install", "-at_install")
class TestPull(ERPNextCase):
    def test_first_pull_maps_every_field_from_customer_contact_and_address(self):
        run = self.pull()

        self.assertEqual(run.state, "done", run.message)
        self.assertEqual(run.mode, "full")
        self.assertEqual((run.processed_count, run.created_count, run.failed_count), (4, 4, 0))
        sharma = self.partner("Sharma Traders").with_company(self.company)
        self.assertRecordValues(sharma, [{
            "name": "Sharma Traders", "is_company": True, "vat": "27AAEPS1234C1ZV", "active": True,
            "email": "priya@sharma-traders.example", "phone": "+91 22 2345 6789", "mobile": "+91 98200 12345",
            "street": "12 MG Road", "street2": "Fort", "city": "Mumbai", "zip": "400001",
            "country_id": self.env.ref("base.in").id, "state_id": self.env.ref("base.state_in_mh").id,
            "company_id": self.company.id,
        }])
        self.assertIn("Prefers delivery before noon.", sharma.comment)
        self.assertEqual(sharma.property_payment_term_id.name, "30 Days")
        self.assertEqual(sharma.sudo().credit_limit, 50000.0)
        self.assertEqual(sharma.child_ids.mapped("name"), ["Priya Sharma"])
        self.assertEqual(sharma.child_ids.email, "priya@sharma-traders.example")
        link = self.link("Sharma Traders")
        self.assertEqual(link.contact_partner_id, sharma.child_ids)
        self.assertEqual(link.state, "synced")
        self.assertEqual(link.remote_modified, self.simulator.customer("Sharma Traders")["modified"])
        self.assertEqual(link.contact_name, "Priya Sharma-Sharma Traders")
        self.assertEqual(link.address_name, "Sharma Traders-Billing")
        self.assertEqual(sharma.erpnext_id, "Sharma Traders")
        self.assertTrue(sharma.erpnext_synced)

    def test_credit_limit_of_the_configured_company_state_by_name_and_country_by_code(self):
        self.company.erpnext_company = "Sandbox Europe GmbH"
        self.pull()
        mueller = self.partner("Müller Maschinenbau GmbH").with_company(self.company)
        self.assertEqual(mueller.sudo().credit_limit, 20000.0)
        self.assertEqual(mueller.state_id, self.env.ref("base.state_de_by"))  # "Bayern" within Germany
        self.assertEqual(mueller.property_payment_term_id.name, "15 Days")
        nguyen = self.partner("Nguyen Optics")
        self.assertEqual(nguyen.country_id, self.env.ref("base.vn"))  # ERPNext's "Viet Nam", found by its code
        self.assertFalse(nguyen.active)  # disabled in ERPNext
        jane = self.partner("Jane Doe")
        self.assertFalse(jane.is_company)
        self.assertFalse(jane.child_ids)  # an individual is her own contact person
        self.assertEqual((jane.email, jane.mobile), ("jane.doe@example.com", "+1 415 555 0100"))

    def test_what_cannot_be_mapped_is_reported_for_that_customer_not_guessed(self):
        self.simulator.insert("Country", {"country_name": "Atlantis"})
        self.simulator.insert("Payment Terms Template", {"template_name": "Net 99"})
        self.simulator.insert("Customer", {
            "customer_name": "Odd Data Ltd", "payment_terms": "Net 99", "email_id": "odd@example.com",
            "address_line1": "1 Deep Street", "city": "Poseidonia", "country": "Atlantis"})
        self.simulator.insert("Customer", {
            "customer_name": "Wrong State GmbH", "address_line1": "Weg 1", "city": "Berlin", "country": "Germany",
            "state": "Narnia"})

        run = self.pull()

        self.assertEqual((run.created_count, run.failed_count), (6, 0))
        odd = self.partner("Odd Data Ltd")
        self.assertFalse(odd.country_id)
        self.assertFalse(odd.property_payment_term_id)
        self.assertEqual(odd.email, "odd@example.com")
        link = self.link("Odd Data Ltd")
        self.assertEqual(link.state, "warning")
        self.assertIn("the country 'Atlantis' is not known in Odoo", link.last_error)
        self.assertIn("the payment terms 'Net 99' are not known in Odoo", link.last_error)
        self.assertIn("Customer 'Odd Data Ltd'", link.last_error)
        wrong = self.partner("Wrong State GmbH")
        self.assertEqual(wrong.country_id, self.env.ref("base.de"))
        self.assertFalse(wrong.state_id)
        self.assertIn("the state 'Narnia' is not known", self.link("Wrong State GmbH").last_error)
        log = self.Log.search([("erpnext_id", "=", "Odd Data Ltd")])
        self.assertEqual((log.operation, log.status), ("create", "warning"))

        # Nothing changed in ERPNext: the warning is not logged again, nothing is written.
        logs = self.Log.search_count([])
        self.assertEqual(self.pull().updated_count, 0)
        self.assertEqual(self.Log.search_count([]), logs)

        # The payment terms now exist in Odoo: reading the customer again on purpose applies them.
        self.env["account.payment.term"].create({"name": "Net 99", "line_ids": [
            (0, 0, {"value": "percent", "value_amount": 100, "nb_days": 99})]})
        link.action_resync()
        self.Run.search([("mode", "=", "names"), ("state", "=", "queued")])._process_all()
        self.assertEqual(odd.with_company(self.company).property_payment_term_id.name, "Net 99")
        self.assertIn("Atlantis", link.last_error)
        self.assertNotIn("Net 99", link.last_error)

    def test_a_second_pull_with_nothing_changed_writes_nothing(self):
        self.pull()
        partners, links = self.row_versions("res_partner"), self.row_versions("erpnext_customer_link")
        company_row = self.row_versions("res_company")
        logs = self.Log.search_count([])

        run = self.pull()

        self.assertEqual(run.mode, "incremental")
        self.assertEqual((run.created_count, run.updated_count, run.failed_count), (0, 0, 0))
        self.assertEqual(self.row_versions("res_partner"), partners)
        self.assertEqual(self.row_versions("erpnext_customer_link"), links)
        self.assertEqual(self.row_versions("res_company"), company_row)
        self.assertEqual(self.Log.search_count([]), logs)

    def test_incremental_pull_reads_what_changed_on_customer_contact_or_address(self):
        self.pull()
        self.simulator.touch("Customer", "Sharma Traders", {"tax_id": "27AAEPS9999C1ZV"})
        contact = self.simulator.customer("Jane Doe")["customer_primary_contact"]
        self.simulator.touch("Contact", contact, {"email_ids": [{"email_id": "jane@new.example", "is_primary": 1}]})
        address = self.simulator.customer("Müller Maschinenbau GmbH")["customer_primary_address"]
        self.simulator.touch("Address", address, {"city": "Augsburg"})

        run = self.pull()

        self.assertEqual((run.updated_count, run.created_count, run.failed_count), (3, 0, 0))
        self.assertEqual(self.partner("Sharma Traders").vat, "27AAEPS9999C1ZV")
        self.assertEqual(self.partner("Jane Doe").email, "jane@new.example")
        self.assertEqual(self.partner("Müller Maschinenbau GmbH").city, "Augsburg")
        log = self.Log.search([("erpnext_id", "=", "Sharma Traders"), ("operation", "=", "update")])
        self.assertEqual(log.changes, {"Tax ID": ["27AAEPS1234C1ZV", "27AAEPS9999C1ZV"]})
        self.assertEqual((log.direction, log.user_id), ("pull", self.env.user))
        self.assertEqual(self.company.sudo().erpnext_cursor_contact, self.simulator.doc("Contact", contact)["modified"])

    def test_paging_while_customers_change_underneath_misses_and_duplicates_nothing(self):
        names = self.simulator.seed_customers(1200, seed=3)
        touched = []

        def edit_behind_the_reader(sim):
            # Another user saves customers of the page just read and of pages still to come.
            for name in (names[10], names[700], names[1100], "Sharma Traders"):
                sim.touch("Customer", name, {"customer_details": f"edited while paging {len(touched)}"})
                touched.append(name)

        self.simulator.add_hook("list:Customer", edit_behind_the_reader, when="after", times=1)
        run = self.pull()

        self.assertEqual(run.failed_count, 0)
        self.assertEqual(run.created_count, 1204)
        self.assertEqual(self.Link.search_count([("company_id", "=", self.company.id)]), 1204)
        for name in touched:
            self.assertIn("edited while paging", self.partner(name).comment)
        # The two edited in the page already read were seen again at the end with their new 'modified':
        # read twice, created once. The two edited further on were read once, already edited.
        self.assertEqual(run.processed_count, 1204 + 2)

    def test_rows_sharing_one_timestamp_beyond_a_page_are_all_read(self):
        self.env["ir.config_parameter"].sudo().set_param("erpnext_customer_sync.page_size", "10")
        self.simulator.set_now(self.simulator.now())
        for index in range(30):
            self.simulator.insert("Customer", {"customer_name": f"Same Second {index:02d}"})
        self.simulator.set_now(None)

        run = self.pull()

        self.assertEqual((run.created_count, run.failed_count), (34, 0))
        self.assertEqual(run.processed_count, 34)  # nothing read twice
        orders = {query["order_by"] for query in self.simulator.queries if query["doctype"] == "Customer"}
        self.assertIn("modified asc, name asc", orders)
        self.assertIn("name asc", orders)  # the run of 30 equal timestamps was walked by name

    def test_first_sync_links_existing_contacts_by_vat_then_email_then_name(self):
        Partner = self.env["res.partner"]
        by_vat = Partner.create({"name": "Sharma Trading Co", "vat": "27AAEPS1234C1ZV", "is_company": True})
        by_email = Partner.create({"name": "J. Doe", "email": "Jane.Doe@example.com"})
        by_name = Partner.create({"name": "Nguyen Optics", "is_company": True, "phone": "+84 24 1234"})
        child = Partner.create({"name": "Müller Maschinenbau GmbH", "parent_id": by_vat.id})  # not a candidate

        run = self.pull()

        self.assertEqual((run.created_count, run.updated_count, run.failed_count), (1, 3, 0))
        self.assertEqual(self.partner("Sharma Traders"), by_vat)
        self.assertEqual(self.partner("Jane Doe"), by_email)
        self.assertEqual(self.partner("Nguyen Optics"), by_name)
        self.assertNotEqual(self.partner("Müller Maschinenbau GmbH"), child)
        # An empty Odoo value takes ERPNext's; a value only Odoo has stays; two different values are held
        # for a person to choose (see test_review_defects), even when only pulling.
        self.assertEqual(by_vat.name, "Sharma Trading Co")
        self.assertEqual(self.link("Sharma Traders").state, "conflict")
        self.assertEqual(by_name.email, "wen@nguyen-optics.example")
        self.assertEqual(by_name.phone, "+84 24 1234")
        self.assertEqual(by_email.mobile, "+1 415 555 0100")
        self.assertEqual(self.Log.search([("erpnext_id", "=", "Nguyen Optics"), ("operation", "=", "link")]).status,
                         "success")
        self.assertEqual(self.link("Nguyen Optics").state, "synced")
        self.assertFalse(Partner.search([("name", "=", "Sharma Traders"), ("parent_id", "=", False)]))

    def test_an_ambiguous_match_is_reported_and_the_batch_goes_on(self):
        Partner = self.env["res.partner"]
        Partner.create([{"name": "Sharma One", "vat": "27AAEPS1234C1ZV"}, {"name": "Sharma Two", "vat": "27AAEPS1234C1ZV"}])

        run = self.pull()

        self.assertEqual((run.created_count, run.failed_count), (3, 1))
        self.assertFalse(self.link("Sharma Traders"))
        failure = self.Log.search([("erpnext_id", "=", "Sharma Traders")])
        self.assertEqual(failure.status, "error")
        self.assertIn("Customer 'Sharma Traders': 2 Odoo contacts have the same tax ID", failure.message)
        # The cursor stays before the failed customer, so the next run reads it again.
        self.assertLessEqual(self.company.sudo().erpnext_cursor_customer,
                             self.simulator.customer("Sharma Traders")["modified"])

    def test_erpnext_id_is_unique_per_company_in_the_database(self):
        self.pull()
        other = self.env["res.partner"].create({"name": "Someone else"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.Link.create({"company_id": self.company.id, "partner_id": other.id, "erpnext_id": "Jane Doe"})
        second = self.env["res.company"].create({"name": "Second company"})
        self.Link.create({"company_id": second.id, "partner_id": other.id, "erpnext_id": "Jane Doe"})

    def test_the_run_is_recorded_and_the_user_notified(self):
        self.env["bus.bus"].search([]).unlink()
        action = self.env["res.partner"].action_erpnext_pull()
        self.assertEqual(action["tag"], "display_notification")
        run = self.Run.search([("state", "=", "queued")])
        self.assertEqual((run.user_id, run.trigger), (self.env.user, "manual"))
        self.assertEqual(self.simulator.count("list:Customer"), 0)  # nothing is read inside the click

        run._process_all()

        notes = self.env["bus.bus"].search([("message", "like", "simple_notification")])
        self.assertEqual(len(notes), 1)
        self.assertIn("4 processed, 4 created, 0 updated, 0 unchanged, 0 failed", notes.message)

    def test_the_contacts_list_form_and_search_show_erpnext(self):
        views = self.env["res.partner"].get_views([(False, "list"), (False, "form"), (False, "search")])["views"]
        self.assertIn('name="action_erpnext_pull"', views["list"]["arch"])
        self.assertIn('name="erpnext_id"', views["list"]["arch"])
        self.assertIn('name="action_erpnext_open_link"', views["form"]["arch"])
        self.assertIn('name="erpnext_synced"', views["search"]["arch"])
        bound = self.env["ir.actions.server"].search([("binding_model_id.model", "=", "res.partner"),
                                                      ("name", "in", ("Sync from ERPNext", "Send to ERPNext"))])
        self.assertEqual(len(bound), 2)
        self.pull()
        synced = self.env["res.partner"].search([("erpnext_synced", "=", True)])
        self.assertEqual(sorted(synced.mapped("erpnext_id")), sorted(
            ["Jane Doe", "Müller Maschinenbau GmbH", "Sharma Traders"]))  # Nguyen Optics is archived
        self.assertEqual(self.env["res.partner"].search([("erpnext_id", "=", "Jane Doe")]), self.partner("Jane Doe"))

    def test_the_scheduled_actions_queue_and_process_runs(self):
        self.env.ref("erpnext_customer_sync.ir_cron_sync").method_direct_trigger()
        run = self.Run.search([("trigger", "=", "schedule")])
        self.assertEqual(run.state, "queued")
        self.Run._process_queued_runs()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.created_count, 4)
