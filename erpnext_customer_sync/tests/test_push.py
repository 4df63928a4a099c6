"""Sending Odoo contacts to ERPNext: creates with Contact and Address, the "Name - 1" trap, updates
with ``modified``, edit conflicts under each policy, archiving, lost replies."""

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ERPNextCase


@tagged("post_install", "-at_install")
class TestPush(ERPNextCase):
    def setUp(self):
        super().setUp()
        self.both_ways()
        self.term_30 = self.env["account.payment.term"].search([("name", "=", "30 Days")], limit=1)

    def make_company(self, name="Kovač Trgovina d.o.o.", **values):
        partner = self.env["res.partner"].create({
            "name": name, "is_company": True, "vat": "SI12345678", "email": "info@kovac.example",
            "phone": "+386 1 234 5678", "mobile": "+386 41 555 666", "street": "Slovenska cesta 1",
            "street2": "2. nadstropje", "city": "Ljubljana", "zip": "1000", "country_id": self.env.ref("base.si").id,
            "comment": "<p>Pays on time.</p>", "property_payment_term_id": self.term_30.id,
            "child_ids": [Command.create({"name": "Luka Kovač", "type": "contact"})], **values,
        })
        partner.sudo().credit_limit = 1234.0
        return partner

    def send(self, partners):
        self.Run._action_push(partners)
        return self.Run.search([("operation", "=", "push"), ("state", "=", "queued")])._process_all()

    def test_a_new_partner_is_created_with_its_contact_and_address_linked(self):
        partner = self.make_company()
        self.env["erpnext.customer.link"].search([]).unlink()

        run = self.send(partner)

        self.assertEqual((run.created_count, run.failed_count), (1, 0), run.message)
        link = self.Link.search([("partner_id", "=", partner.id)])
        self.assertEqual((link.erpnext_id, link.state), ("Kovač Trgovina d.o.o.", "synced"))
        customer = self.simulator.customer(link.erpnext_id)
        self.assertEqual((customer["customer_type"], customer["tax_id"], customer["payment_terms"]),
                         ("Company", "SI12345678", "30 Days"))
        self.assertEqual(customer["customer_details"], "Pays on time.")
        self.assertEqual([(row["company"], row["credit_limit"]) for row in customer["credit_limits"]],
                         [("Sandbox Company", 1234.0)])
        contact = self.remote_contact(link.erpnext_id)
        self.assertEqual((contact["first_name"], contact["last_name"]), ("Luka", "Kovač"))
        self.assertEqual((contact["email_id"], contact["phone"], contact["mobile_no"]),
                         ("info@kovac.example", "+386 1 234 5678", "+386 41 555 666"))
        self.assertEqual([(row["link_doctype"], row["link_name"]) for row in contact["links"]],
                         [("Customer", link.erpnext_id)])
        self.assertEqual((customer["email_id"], customer["mobile_no"]), ("info@kovac.example", "+386 41 555 666"))
        address = self.remote_address(link.erpnext_id)
        self.assertEqual((address["address_line1"], address["address_line2"], address["city"], address["pincode"],
                          address["country"]), ("Slovenska cesta 1", "2. nadstropje", "Ljubljana", "1000", "Slovenia"))
        self.assertEqual([(row["link_doctype"], row["link_name"]) for row in address["links"]],
                         [("Customer", link.erpnext_id)])
        self.assertEqual(self.simulator.count("insert:Customer"), 1)
        log = self.Log.search([("partner_id", "=", partner.id), ("operation", "=", "create")])
        self.assertEqual((log.direction, log.status), ("push", "success"))

        # Our own change comes back on the next pull as "nothing new": no write in Odoo.
        partners, links = self.row_versions("res_partner"), self.row_versions("erpnext_customer_link")
        self.assertEqual(self.pull().created_count, 4)  # the sample customers; ours is already linked
        self.assertNotWritten("res_partner", partners)
        self.assertNotWritten("erpnext_customer_link", links)

    def test_the_name_dash_one_trap(self):
        self.pull()
        ours = self.env["res.partner"].create({"name": "Jane Doe", "email": "another.jane@example.com"})

        run = self.send(ours)

        link = self.Link.search([("partner_id", "=", ours.id)])
        self.assertEqual(link.erpnext_id, "Jane Doe - 1")
        self.assertEqual(run.created_count, 1)
        self.assertIn("ERPNext named the customer 'Jane Doe - 1'", link.last_error)
        self.assertEqual(self.simulator.customer("Jane Doe")["email_id"], "jane.doe@example.com")  # untouched
        pulled = self.pull()
        self.assertEqual(pulled.created_count, 0)
        self.assertEqual(self.partner("Jane Doe - 1"), ours)
        self.assertNotEqual(self.partner("Jane Doe"), ours)

    def test_a_lost_reply_on_create_never_creates_a_second_customer(self):
        partner = self.make_company()
        self.simulator.add_fault("lost_reply", ops=["insert:Customer"])

        run = self.send(partner)

        self.assertEqual(run.failed_count, 1)
        link = self.Link.search([("partner_id", "=", partner.id)])
        self.assertFalse(link.erpnext_id)
        self.assertTrue(link.create_attempted_at)
        self.assertIn("may or may not have been carried out", link.last_error)
        self.assertEqual(len(self.simulator.docs("Customer")), 5)  # it did arrive

        # The next push looks it up by name among the sync user's recent creates, and adopts it.
        again = self.push()
        self.assertEqual((again.created_count, again.failed_count), (1, 0))
        self.assertEqual(link.erpnext_id, "Kovač Trgovina d.o.o.")
        self.assertEqual(self.simulator.count("insert:Customer"), 1)
        self.assertEqual(len(self.simulator.docs("Customer")), 5)

    def test_a_create_whose_read_back_failed_keeps_its_id_and_the_next_push_makes_no_second_customer(self):
        partner = self.make_company()
        # ERPNext creates the customer, then cannot be read for a while.
        self.simulator.add_fault("http_error", status=503, times=50, ops=["list:Customer"])

        run = self.send(partner)

        link = self.Link.search([("partner_id", "=", partner.id)])
        self.assertEqual((run.created_count, run.failed_count), (1, 0))
        self.assertEqual((link.erpnext_id, link.state), ("Kovač Trgovina d.o.o.", "pending"))
        self.assertIn("created in ERPNext as 'Kovač Trgovina d.o.o.', but completing it failed", link.last_error)
        self.simulator.clear_faults()

        again = self.push()

        self.assertEqual((again.failed_count, link.state), (0, "synced"), again.message)
        names = [doc["name"] for doc in self.simulator.docs("Customer")]
        self.assertEqual(names.count("Kovač Trgovina d.o.o."), 1)
        self.assertNotIn("Kovač Trgovina d.o.o. - 1", names)
        self.assertEqual(self.simulator.count("insert:Customer"), 1)
        self.assertEqual(self.remote_contact("Kovač Trgovina d.o.o.")["first_name"], "Luka")

    def test_an_update_sends_what_changed_with_modified_and_reaches_customer_contact_and_address(self):
        self.pull()
        sharma = self.partner("Sharma Traders")
        before = self.link("Sharma Traders").remote_modified
        sharma.write({"vat": "27AAEPS5555C1ZV", "phone": "+91 22 9999 0000", "city": "Pune"})
        self.assertEqual(self.link("Sharma Traders").state, "pending")

        run = self.push()

        self.assertEqual((run.updated_count, run.failed_count), (1, 0), run.message)
        self.assertEqual(self.simulator.customer("Sharma Traders")["tax_id"], "27AAEPS5555C1ZV")
        self.assertEqual(self.remote_contact("Sharma Traders")["phone"], "+91 22 9999 0000")
        self.assertEqual(self.remote_contact("Sharma Traders")["email_id"], "priya@sharma-traders.example")
        self.assertEqual(self.remote_address("Sharma Traders")["city"], "Pune")
        update = [request.body for request in self.simulator.requests if request.op == "update:Customer"][0]
        self.assertEqual(update, {"tax_id": "27AAEPS5555C1ZV", "modified": before})
        self.assertEqual(self.link("Sharma Traders").state, "synced")
        log = self.Log.search([("partner_id", "=", sharma.id), ("direction", "=", "push")])
        self.assertEqual(log.changes, {"City": ["Mumbai", "Pune"], "Phone": ["+91 22 2345 6789", "+91 22 9999 0000"],
                                       "Tax ID": ["27AAEPS1234C1ZV", "27AAEPS5555C1ZV"]})

    def test_changes_to_different_fields_on_both_sides_are_merged(self):
        self.pull()
        self.simulator.touch("Customer", "Sharma Traders", {"customer_details": "New notes from ERPNext"})
        self.partner("Sharma Traders").vat = "27AAEPS7777C1ZV"

        run = self.push()

        self.assertEqual((run.conflicts_count, run.failed_count), (1, 0))
        customer = self.simulator.customer("Sharma Traders")
        self.assertEqual((customer["tax_id"], customer["customer_details"]), ("27AAEPS7777C1ZV", "New notes from ERPNext"))
        self.assertIn("New notes from ERPNext", self.partner("Sharma Traders").comment)
        self.assertEqual(self.link("Sharma Traders").state, "synced")
        mismatches = [r for r in self.simulator.requests if r.op == "update:Customer"]
        self.assertEqual(len(mismatches), 2)  # refused once (TimestampMismatchError), then sent with the fresh one

    def conflict_on_city(self, policy, odoo_first=False):
        self.both_ways(policy)
        self.pull()
        address = self.simulator.customer("Sharma Traders")["customer_primary_address"]
        partner = self.partner("Sharma Traders")
        if odoo_first:
            partner.city = "Odoo City"
            self.link("Sharma Traders").local_changed_at = fields.Datetime.subtract(fields.Datetime.now(), hours=1)
            self.simulator.touch("Address", address, {"city": "ERPNext City"})
        else:
            self.simulator.touch("Address", address, {"city": "ERPNext City"})
            partner.city = "Odoo City"
        run = self.push()
        return run, partner, address

    def test_a_timestamp_mismatch_conflict_erpnext_wins(self):
        run, partner, address = self.conflict_on_city("erpnext")
        self.assertEqual(run.conflicts_count, 1)
        self.assertEqual(partner.city, "ERPNext City")
        self.assertEqual(self.simulator.doc("Address", address)["city"], "ERPNext City")
        conflict = self.Log.search([("partner_id", "=", partner.id), ("operation", "=", "conflict")], limit=1)
        self.assertIn("City: Odoo 'Odoo City' / ERPNext 'ERPNext City' → ERPNext value kept", conflict.message)

    def test_a_timestamp_mismatch_conflict_odoo_wins(self):
        run, partner, address = self.conflict_on_city("odoo")
        self.assertEqual(partner.city, "Odoo City")
        self.assertEqual(self.simulator.doc("Address", address)["city"], "Odoo City")
        self.assertEqual(self.link("Sharma Traders").state, "synced")

    def test_a_timestamp_mismatch_conflict_newest_wins_across_time_zones(self):
        # ERPNext's clock is Asia/Kolkata (UTC+05:30): read as UTC, its edit would look 5.5 h newer.
        run, partner, address = self.conflict_on_city("newest")
        self.assertEqual(self.company.erpnext_site_timezone, "Asia/Kolkata")
        self.assertEqual(partner.city, "Odoo City")
        self.assertEqual(self.simulator.doc("Address", address)["city"], "Odoo City")

    def test_newest_wins_takes_erpnext_when_its_edit_is_newer(self):
        run, partner, address = self.conflict_on_city("newest", odoo_first=True)
        self.assertEqual(partner.city, "ERPNext City")
        self.assertEqual(self.simulator.doc("Address", address)["city"], "ERPNext City")

    def test_a_conflict_held_for_review_then_settled_by_hand(self):
        run, partner, address = self.conflict_on_city("manual")
        link = self.link("Sharma Traders")
        self.assertEqual(link.state, "conflict")
        self.assertEqual(link.conflict_fields, {"City": ["Odoo City", "ERPNext City"]})
        self.assertEqual((partner.city, self.simulator.doc("Address", address)["city"]), ("Odoo City", "ERPNext City"))
        self.assertEqual(self.pull().updated_count, 0)  # held: a pull does not decide either

        link.action_keep_odoo()

        self.assertEqual(link.state, "synced")
        self.assertEqual(self.simulator.doc("Address", address)["city"], "Odoo City")

    def test_archiving_a_partner_disables_the_customer(self):
        self.pull()
        self.partner("Jane Doe").action_archive()
        self.push()
        self.assertEqual(self.simulator.customer("Jane Doe")["disabled"], 1)
        self.partner("Jane Doe").action_unarchive()
        self.push()
        self.assertEqual(self.simulator.customer("Jane Doe")["disabled"], 0)

    def test_what_erpnext_cannot_take_is_reported_and_the_batch_goes_on(self):
        odd_term = self.env["account.payment.term"].search([("name", "=", "End of Following Month")], limit=1)
        unknown_term = self.make_company("Term Ltd", property_payment_term_id=odd_term.id, child_ids=[])
        bad_email = self.make_company("Bad Mail Ltd", email="not-an-email", child_ids=[])
        fine = self.make_company("Fine Ltd", child_ids=[])

        run = self.send(unknown_term | bad_email | fine)

        self.assertEqual((run.created_count, run.failed_count), (2, 1))
        self.assertIn("ERPNext has no payment terms template 'End of Following Month'",
                      self.Link.search([("partner_id", "=", unknown_term.id)]).last_error)
        failed = self.Link.search([("partner_id", "=", bad_email.id)])
        self.assertEqual(failed.state, "error")
        self.assertIn("not-an-email is not a valid Email Address", failed.last_error)
        self.assertFalse(failed.create_attempted_at)  # surely not created: no look-up needed next time
        self.assertTrue(self.simulator.customer("Fine Ltd"))

    def test_pull_only_companies_send_nothing(self):
        self.company.erpnext_direction = "pull"
        self.pull()
        self.partner("Jane Doe").email = "changed@example.com"
        self.assertEqual(self.link("Jane Doe").state, "synced")
        with self.assertRaises(UserError):
            self.Run._action_push(self.partner("Jane Doe"))
