"""Customers both ways: the register pull (page, match, map, children, compare, review) and the push of changes."""

from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..services.connection import client_for
from ..services.partner_pull import PartnerPuller
from ..services.partner_push import PartnerPusher
from ..services.partner_runs import PartnerRunWork
from .common import MetakockaCase

NOVAK, KRANJC, ALPEN = "1600000201", "1600000211", "1600000221"
NOVAK_BILLING, KRANJC_BILLING, ALPEN_BILLING = "1600000202", "1600000212", "1600000222"
NOVAK_ANA = "1600000203"


class CustomerCase(MetakockaCase):
    def pull(self, page_size=1000):
        return PartnerPuller(self.env, self.company).pull_all(page_size)

    def push(self, partner, force=False):
        return PartnerPusher(self.env, self.company).push(partner, force=force)

    def link(self, mk_id):
        return self.env["metakocka.partner.link"].search([("company_id", "=", self.company.id), ("mk_id", "=", mk_id)])

    def linked(self, mk_id):
        return self.link(mk_id).partner_id

    def remote(self, mk_id):
        return self.simulator.partner(mk_id)

    def runs(self, operation):
        return self.env["metakocka.sync.run"].search([("operation", "=", operation)])

    def process_runs(self):
        return self.env["metakocka.sync.run"]._process_queued_items()

    def children(self, partner):
        return self.env["res.partner"].with_context(active_test=False).search([("parent_id", "=", partner.id)])

    def grow_novak(self):
        """Novak in Metakocka with a delivery address, a business unit and a second contact person."""
        return self.simulator.edit_partner(NOVAK, partner_delivery_address_list=[
            {"address_type": "Dobava", "street": "Cankarjeva 3", "post_number": "1000", "city": "Ljubljana",
             "country": "Slovenija"},
            {"address_type": "Poslovna enota", "street": "Koroška 8", "post_number": "2000", "city": "Maribor",
             "country": "SI"}],
            partner_contact_list=[{"name": "Marko Novak", "email": "marko@kavarna-novak.example",
                                   "gsm": "040 111 222"}])

    def age_everything(self):
        """Every contact and link written long ago, so that a later write shows."""
        self.env.flush_all()
        for table in ("res_partner", "metakocka_partner_link", "metakocka_partner_child"):
            self.env.cr.execute(f"UPDATE {table} SET write_date = '2000-01-01'")  # noqa: S608 - our own table names
        self.env.invalidate_all()

    def written_since_aged(self, table):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT count(*) FROM {table} WHERE write_date > '2000-01-01'")  # noqa: S608
        return self.env.cr.fetchone()[0]


@tagged("post_install", "-at_install")
class TestCustomerPull(CustomerCase):
    # -- creating --------------------------------------------------------------------------------------

    def test_pull_creates_contacts_with_the_billing_address_the_main_contact_and_children(self):
        self.grow_novak()
        result = self.pull()
        self.assertEqual(result.counts, {"created": 3, "linked": 0, "updated": 0, "unchanged": 0, "review": 0,
                                         "failed": 0})
        novak = self.linked(NOVAK)
        self.assertEqual((novak.name, novak.is_company, novak.vat, novak.company_registry),
                         ("Kavarna Novak d.o.o.", True, "SI24681357", "8123456000"))
        self.assertEqual((novak.street, novak.zip, novak.city, novak.country_id), (
            "Trubarjeva cesta 12", "1000", "Ljubljana", self.slovenia))
        self.assertEqual((novak.email, novak.phone), ("ana.novak@kavarna-novak.example", "01 234 56 78"))
        self.assertEqual(self.link(NOVAK).mk_contact_id, NOVAK_ANA, "Ana carries Novak's own email and phone")
        by_type = {child.type: child for child in novak.child_ids}
        self.assertEqual(sorted(by_type), ["contact", "delivery", "other"], "Ana is no child of her own")
        self.assertEqual((by_type["delivery"].street, by_type["other"].city), ("Cankarjeva 3", "Maribor"))
        self.assertEqual((by_type["contact"].name, by_type["contact"].mobile), ("Marko Novak", "040 111 222"))
        self.assertEqual(len(self.link(NOVAK).child_ids), 3)
        self.assertEqual(self.linked(ALPEN).country_id, self.env.ref("base.at"))
        self.assertFalse(self.linked(KRANJC).is_company)
        self.assertEqual(self.linked(KRANJC).mobile, "041 555 123")
        self.assertFalse(self.runs("partner_push"), "what a pull writes is not sent back")
        log = self.env["metakocka.sync.log"].search([("direction", "=", "pull")], limit=1)
        self.assertIn("created 3, linked 0, updated 0, unchanged 0, review 0, failed 0", log.message)

    def test_the_register_is_pulled_in_the_background_page_by_page(self):
        for number in range(2):
            client_for(self.company).add_partner({"customer": f"Kupec {number}", "street": "Ulica 1",
                                                  "place": "Celje", "country": "SI"})
        settings = self.env["res.config.settings"].create({})
        with patch.object(PartnerRunWork, "page_size", 2):
            action = settings.action_metakocka_pull_partners()
            run = self.env["metakocka.sync.run"].browse(action["res_id"])
            self.assertEqual((run.operation, run.state), ("partner_pull", "queued"))
            self.assertEqual(settings.action_metakocka_pull_partners()["res_id"], run.id, "one pull at a time")
            self.process_runs()
        self.assertEqual((run.state, run.total_count, run.done_count), ("done", 3, 3))
        self.assertEqual(run.item_ids.mapped("page_offset"), [0, 2, 4])
        self.assertEqual(len(self.link(NOVAK).search([])), 5)
        self.assertEqual(self.simulator.count("get_partner"), 3)

    # -- matching --------------------------------------------------------------------------------------

    def test_contacts_are_matched_by_vat_then_email_then_exact_name(self):
        Partner = self.env["res.partner"]
        by_vat = Partner.create({"name": "Kavarna Novak d.o.o.", "vat": "SI24681357", "is_company": True})
        decoy = Partner.create({"name": "Kavarna Novak d.o.o."})
        by_email = Partner.create({"name": "Janez Kranjc", "email": "janez.kranjc@example.si"})
        by_name = Partner.create({"name": "Alpen Kaffee GmbH", "is_company": True})
        result = self.pull()
        self.assertEqual((result.counts["linked"], result.counts["created"]), (3, 0))
        self.assertEqual((self.linked(NOVAK), self.linked(KRANJC), self.linked(ALPEN)), (by_vat, by_email, by_name))
        self.assertFalse(decoy.metakocka_mk_id)
        self.assertEqual((by_name.vat, by_name.city), ("ATU12345678", "Graz"), "empty fields are filled")
        self.assertEqual(self.pull().counts["unchanged"], 3, "and the link is found the next time")

    def test_email_is_matched_ignoring_case(self):
        kranjc = self.env["res.partner"].create({"name": "J. Kranjc", "email": "JANEZ.KRANJC@EXAMPLE.SI"})
        self.pull()
        self.assertEqual(self.linked(KRANJC), kranjc)

    def test_the_contacts_of_users_and_companies_are_never_matched(self):
        user = self.env["res.users"].create({"name": "Janez Kranjc", "login": "janez",
                                             "email": "janez.kranjc@example.si"})
        self.company.partner_id.write({"vat": "SI24681357", "name": "Kavarna Novak d.o.o.", "city": "Koper"})
        self.assertEqual(self.pull().counts["created"], 3)
        self.assertNotIn(self.linked(KRANJC), user.partner_id)
        self.assertNotIn(self.linked(NOVAK), self.company.partner_id)
        self.assertEqual((user.partner_id.metakocka_mk_id, self.company.partner_id.metakocka_mk_id), (False, False))
        self.assertEqual((self.company.partner_id.city, user.partner_id.mobile), ("Koper", False), "not rewritten")

    def test_only_unlinked_commercial_contacts_of_the_company_are_matched(self):
        other = self.env["res.company"].create({"name": "Druga d.o.o."})
        foreign = self.env["res.partner"].create({"name": "Alpen (B)", "vat": "ATU12345678", "company_id": other.id})
        taken = self.env["res.partner"].create({"name": "Kavarna Novak d.o.o.", "vat": "SI24681357"})
        self.env["metakocka.partner.link"].create({"company_id": self.company.id, "partner_id": taken.id,
                                                   "mk_id": "1600009999"})
        parent = self.env["res.partner"].create({"name": "Holding", "is_company": True})
        child = self.env["res.partner"].create({"name": "Janez Kranjc", "parent_id": parent.id})
        self.assertEqual(self.pull().counts["created"], 3)
        self.assertNotIn(self.linked(ALPEN), foreign)
        self.assertNotIn(self.linked(NOVAK), taken)
        self.assertNotIn(self.linked(KRANJC), child)

    def test_several_equally_good_contacts_fail_the_row_instead_of_a_guess(self):
        for name in ("Alpen A", "Alpen B"):
            self.env["res.partner"].create({"name": name, "vat": "ATU12345678"})
        result = self.pull()
        self.assertEqual((result.counts["failed"], result.counts["created"]), (1, 2))
        self.assertIn("1002 Alpen Kaffee GmbH: vat: several Odoo contacts match (Alpen A, Alpen B)", result.errors[0])
        self.assertFalse(self.link(ALPEN))

    # -- comparing -------------------------------------------------------------------------------------

    def test_pull_again_writes_nothing(self):
        self.grow_novak()
        self.pull()
        self.age_everything()
        result = self.pull()
        self.assertEqual(result.counts["unchanged"], 3)
        for table in ("res_partner", "metakocka_partner_link", "metakocka_partner_child"):
            self.assertEqual(self.written_since_aged(table), 0, table)
        log = self.env["metakocka.sync.log"].search([("direction", "=", "pull")], limit=1)
        self.assertIn("unchanged 3", log.message)

    def test_changes_in_metakocka_update_contacts_and_children_in_place(self):
        grown = self.grow_novak()
        delivery, unit = (a["mk_id"] for a in grown["partner_delivery_address_list"][1:])
        marko = grown["partner_contact_list"][1]["mk_id"]
        self.pull()
        novak = self.linked(NOVAK)
        before = self.children(novak)
        self.simulator.edit_partner(NOVAK, customer="Kavarna Novak in drugi d.o.o.", city="Ljubljana-Center",
                                    partner_contact_list=[{"mk_id": NOVAK_ANA, "email": "ana@novak.example"},
                                                          {"mk_id": marko, "phone": "01 999"}],
                                    partner_delivery_address_list=[{"mk_id": delivery, "street": "Cankarjeva 5"}],
                                    remove_address_ids=[unit])
        self.assertEqual(self.pull().counts, {"created": 0, "linked": 0, "updated": 1, "unchanged": 2, "review": 0,
                                              "failed": 0})
        self.assertEqual((novak.name, novak.city, novak.email), (
            "Kavarna Novak in drugi d.o.o.", "Ljubljana-Center", "ana@novak.example"))
        self.assertEqual(self.children(novak), before, "updated in place, nothing added")
        by_type = {child.type: child for child in before}
        self.assertEqual((by_type["delivery"].street, by_type["contact"].phone), ("Cankarjeva 5", "01 999"))
        self.assertFalse(by_type["other"].active, "an address gone from Metakocka is archived")
        self.assertEqual(len(self.link(NOVAK).child_ids), 2)
        self.assertFalse(self.runs("partner_push"))

    def test_city_or_place_and_province_or_the_provice_typo_are_read(self):
        self.simulator.set_partner_raw_fields(ALPEN, partner_delivery_address_list=[
            {"mk_id": ALPEN_BILLING, "address_type": "Račun", "street": "Via Roma", "street_number": "1",
             "post_number": "34100", "place": "Trieste", "provice": "Trieste", "country": "Italija"}])
        self.simulator.set_partner_raw_fields(KRANJC, partner_delivery_address_list=[
            {"mk_id": KRANJC_BILLING, "address_type": "Račun", "street": "Gosposka ulica 7", "post_number": "2000",
             "city": "Maribor", "province": "Gorizia", "country": "Italy"}])
        self.pull()
        alpen, kranjc = self.linked(ALPEN), self.linked(KRANJC)
        self.assertEqual((alpen.street, alpen.city, alpen.state_id, alpen.country_id), (
            "Via Roma 1", "Trieste", self.env.ref("base.state_it_ts"), self.env.ref("base.it")))
        self.assertEqual((kranjc.city, kranjc.state_id), ("Maribor", self.env.ref("base.state_it_go")))

    def test_a_bad_row_fails_alone_naming_the_partner_and_the_field(self):
        self.simulator.set_partner_raw_fields(ALPEN, partner_delivery_address_list=[
            {"mk_id": ALPEN_BILLING, "address_type": "Račun", "street": "X", "country": "Narnija"}])
        self.simulator.set_partner_raw_fields(KRANJC, partner_contact_list="not a list of contacts")
        result = self.pull()
        self.assertEqual((result.counts["failed"], result.counts["created"]), (2, 1))
        self.assertIn("1001 Janez Kranjc: partner_contact_list 1: not an object", result.errors[0])
        self.assertEqual("1002 Alpen Kaffee GmbH: billing address, country: Odoo knows no country 'Narnija'",
                         result.errors[1])
        self.assertFalse(self.link(ALPEN) | self.link(KRANJC))
        errors = self.env["metakocka.sync.log"].search([("status", "=", "error"), ("mk_id", "=", ALPEN)])
        self.assertIn("billing address, country", errors.message)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Alpen Kaffee GmbH")]), "nothing half-written")

    # -- review ----------------------------------------------------------------------------------------

    def test_a_first_link_that_would_change_a_contact_waits_for_a_person(self):
        novak = self.env["res.partner"].create({"name": "Kavarna Novak d.o.o.", "vat": "SI24681357", "city": "Maribor",
                                                "phone": "02 999"})
        self.assertEqual(self.pull().counts["review"], 1)
        link = self.link(NOVAK)
        self.assertEqual((link.partner_id, link.state), (novak, "needs_review"))
        self.assertIn("city: 'Maribor' → 'Ljubljana'", link.last_error)
        self.assertIn("phone: '02 999' → '01 234 56 78'", link.last_error)
        self.assertEqual((novak.city, novak.street), ("Maribor", False), "nothing written")
        self.assertEqual(novak.metakocka_link_state, "needs_review")
        self.assertEqual(self.pull().counts["review"], 1, "it waits, also at the next pull")
        notification = novak.action_metakocka_take_metakocka_data()
        self.assertEqual(notification["params"]["type"], "success")
        self.assertEqual((novak.city, novak.phone, link.state), ("Ljubljana", "01 234 56 78", "synced"))
        self.assertEqual(self.pull().counts["unchanged"], 3)

    def test_send_odoo_data_settles_a_review_the_other_way(self):
        novak = self.env["res.partner"].create({"name": "Kavarna Novak d.o.o.", "vat": "SI24681357", "city": "Maribor"})
        self.pull()
        self.assertEqual(self.push(novak).status, "skipped", "a waiting contact is not sent by itself")
        novak.action_metakocka_send_odoo_data()
        self.assertEqual(self.remote(NOVAK)["partner_delivery_address_list"][0]["city"], "Maribor")
        self.assertEqual(self.link(NOVAK).state, "synced")
        self.assertEqual(self.pull().counts["unchanged"], 3)
        self.assertEqual(novak.street, False, "Metakocka's street was not taken either")

    def test_changed_on_both_sides_waits_for_review(self):
        self.pull()
        novak = self.linked(NOVAK)
        novak.with_context(metakocka_no_partner_push=True).write({"phone": "01 000"})
        self.simulator.edit_partner(NOVAK, customer="Kavarna Novak s.p.")
        self.assertEqual(self.pull().counts["review"], 1)
        self.assertIn("name", self.link(NOVAK).last_error)
        self.assertEqual(novak.name, "Kavarna Novak d.o.o.")

    def test_a_change_made_only_in_odoo_is_left_for_the_push(self):
        self.pull()
        novak = self.linked(NOVAK)
        novak.with_context(metakocka_no_partner_push=True).write({"phone": "01 000"})
        self.assertEqual(self.pull().counts["unchanged"], 3)
        self.assertEqual(novak.phone, "01 000")

    # -- schedule and screens ----------------------------------------------------------------------------

    def test_the_daily_reconciliation_follows_the_setting(self):
        self.assertTrue(self.env.ref("metakocka_connector.ir_cron_pull_partners").active)
        self.env["metakocka.scheduler"]._cron_pull_partners()
        self.assertFalse(self.runs("partner_pull"), "off until the company asks for it")
        settings = self.env["res.config.settings"].create({"metakocka_partner_schedule": True})
        settings.execute()
        self.env["metakocka.scheduler"]._cron_pull_partners()
        run = self.runs("partner_pull")
        self.assertEqual(run.origin, "schedule")
        self.process_runs()
        self.assertEqual(run.item_ids.result, "created 3, linked 0, updated 0, unchanged 0, review 0, failed 0")
        self.env["res.config.settings"].create({"metakocka_partner_schedule": False}).execute()
        self.env["metakocka.scheduler"]._cron_pull_partners()
        self.assertEqual(len(self.runs("partner_pull")), 1)

    def test_lists_filter_linked_contacts_and_products_and_their_errors(self):
        self.env["res.partner"].create({"name": "Kavarna Novak d.o.o.", "vat": "SI24681357", "city": "Maribor"})
        self.pull()
        Partner = self.env["res.partner"]
        linked = Partner.search([("metakocka_linked", "=", True)])
        self.assertEqual(linked, self.linked(NOVAK) | self.linked(KRANJC) | self.linked(ALPEN))
        in_error = Partner.search([("metakocka_link_state", "in", ("error", "needs_review"))])
        self.assertEqual(in_error, self.linked(NOVAK))
        self.assertIn(self.customer, Partner.search([("metakocka_linked", "=", False)]))
        self.assertIn(self.customer, Partner.search([("metakocka_link_state", "=", "not_synced")]))
        self.env["metakocka.product.link"].create({"company_id": self.company.id, "product_id": self.widget.id,
                                                   "mk_id": "1600000399", "state": "error", "last_error": "x"})
        Product = self.env["product.product"]
        self.assertEqual(Product.search([("metakocka_linked", "=", True)]), self.widget)
        self.assertEqual(Product.search([("metakocka_link_state", "in", ("error", "needs_review"))]), self.widget)
        templates = self.env["product.template"].search([("product_variant_ids.metakocka_linked", "=", True)])
        self.assertEqual(templates, self.widget.product_tmpl_id)
        self.assertEqual((self.widget.product_tmpl_id.metakocka_link_state, self.widget.metakocka_last_error),
                         ("error", "x"))


@tagged("post_install", "-at_install")
class TestCustomerPush(CustomerCase):
    def test_a_change_in_odoo_sends_one_update_partner_and_no_echo(self):
        self.pull()
        novak = self.linked(NOVAK)
        self.simulator.clear_requests()
        novak.write({"name": "Kavarna Novak in hčere d.o.o.", "phone": "01 777", "mobile": "041 777",
                     "street": "Trubarjeva cesta 14", "zip": "1001"})
        self.assertEqual(len(self.runs("partner_push").item_ids), 1, "one item for the contact")
        self.process_runs()
        self.assertEqual(self.simulator.count("update_partner"), 1)
        remote = self.remote(NOVAK)
        billing, ana = remote["partner_delivery_address_list"][0], remote["partner_contact_list"][0]
        self.assertEqual((remote["customer"], billing["street"], billing["post_number"]), (
            "Kavarna Novak in hčere d.o.o.", "Trubarjeva cesta 14", "1001"))
        self.assertEqual((ana["mk_id"], ana["phone"], ana["gsm"]), (NOVAK_ANA, "01 777", "041 777"))
        self.assertEqual(len(remote["partner_contact_list"]), 1, "the main contact was updated, not added")
        self.assertEqual(self.link(NOVAK).last_direction, "push")
        self.assertEqual(self.pull().counts["unchanged"], 3, "the pull finds what the push sent")
        self.assertEqual(len(self.runs("partner_push")), 1, "and queues nothing back")
        self.assertEqual(self.push(novak).status, "unchanged")
        self.assertEqual(self.simulator.count("update_partner"), 1, "an unchanged contact costs no call")

    def test_fields_metakocka_does_not_hold_queue_nothing(self):
        self.pull()
        self.linked(NOVAK).write({"website": "https://novak.example", "comment": "<p>good customer</p>"})
        self.assertFalse(self.runs("partner_push"))

    def test_a_house_number_metakocka_keeps_apart_is_sent_apart(self):
        self.simulator.edit_partner(NOVAK, street="Trubarjeva cesta", street_number="12")
        self.pull()
        novak = self.linked(NOVAK)
        self.assertEqual(novak.street, "Trubarjeva cesta 12")
        novak.street = "Trubarjeva cesta 14a"
        self.process_runs()
        billing = self.remote(NOVAK)["partner_delivery_address_list"][0]
        self.assertEqual((billing["street"], billing["street_number"]), ("Trubarjeva cesta", "14a"))
        self.assertEqual(self.pull().counts["unchanged"], 3)

    def test_children_are_sent_with_their_ids_and_new_ones_are_added_once(self):
        self.grow_novak()
        self.pull()
        novak = self.linked(NOVAK)
        marko = novak.child_ids.filtered(lambda child: child.type == "contact")
        marko.write({"phone": "01 555"})
        self.env["res.partner"].create({"parent_id": novak.id, "type": "delivery", "street": "Celovška 1",
                                        "zip": "1000", "city": "Ljubljana", "country_id": self.slovenia.id})
        self.env["res.partner"].create({"parent_id": novak.id, "name": "Petra", "email": "petra@novak.example"})
        self.assertEqual(len(self.runs("partner_push").item_ids), 1, "one item for the parent")
        self.process_runs()
        self.assertEqual(self.simulator.count("update_partner"), 1)
        remote = self.remote(NOVAK)
        self.assertEqual([a.get("street") for a in remote["partner_delivery_address_list"]],
                         ["Trubarjeva cesta 12", "Cankarjeva 3", "Koroška 8", "Celovška 1"])
        contacts = {c["name"]: c for c in remote["partner_contact_list"]}
        self.assertEqual(sorted(contacts), ["Ana Novak", "Marko Novak", "Petra"])
        self.assertEqual(contacts["Marko Novak"].get("phone"), "01 555")
        self.assertEqual(len(self.link(NOVAK).child_ids), 5, "the added entries' ids were learnt")
        self.assertEqual(self.pull().counts["unchanged"], 3)

    def test_a_push_repeated_after_a_lost_reply_adds_nothing_twice(self):
        self.pull()
        novak = self.linked(NOVAK)
        self.env["res.partner"].create({"parent_id": novak.id, "name": "Petra", "email": "petra@novak.example"})
        self.env["res.partner"].create({"parent_id": novak.id, "type": "delivery", "street": "Celovška 1",
                                        "city": "Ljubljana"})
        self.process_runs()
        self.link(NOVAK).child_ids.unlink()  # as if Odoo had lost what it learnt from the answer
        self.link(NOVAK).write({"odoo_fingerprint": False})
        self.assertEqual(self.push(novak, force=True).status, "unchanged", "paired by content: nothing to send")
        remote = self.remote(NOVAK)
        self.assertEqual(len(remote["partner_contact_list"]), 2)
        self.assertEqual(len(remote["partner_delivery_address_list"]), 2)
        self.assertEqual(len(self.link(NOVAK).child_ids), 2)

    def test_a_value_cleared_in_odoo_stays_in_metakocka_and_is_no_change(self):
        self.pull()
        novak = self.linked(NOVAK)
        novak.write({"phone": False})
        self.process_runs()
        self.assertEqual(self.remote(NOVAK)["partner_contact_list"][0]["phone"], "01 234 56 78")
        self.assertEqual(self.pull().counts["unchanged"], 3)
        self.assertFalse(novak.phone)

    def test_changed_on_both_sides_waits_for_review_and_send_odoo_data_settles_it(self):
        self.pull()
        novak = self.linked(NOVAK)
        self.simulator.edit_partner(NOVAK, customer="Kavarna Novak s.p.")
        novak.write({"phone": "01 000"})
        self.process_runs()
        self.assertEqual(self.simulator.count("update_partner"), 0)
        self.assertEqual(self.link(NOVAK).state, "needs_review")
        novak.action_metakocka_send_odoo_data()
        self.assertEqual(self.remote(NOVAK)["customer"], "Kavarna Novak d.o.o.")
        self.assertEqual(self.link(NOVAK).state, "synced")

    # -- new customers ---------------------------------------------------------------------------------

    def test_new_customers_are_sent_on_creation_only_when_the_company_chooses(self):
        self.env["res.partner"].create({"name": "Pražarna Kos d.o.o.", "is_company": True})
        self.assertFalse(self.runs("partner_push"))
        self.company.metakocka_push_new_partners = True
        kos = self.env["res.partner"].create({
            "name": "Pražarna Kos d.o.o.", "is_company": True, "vat": "SI11223344", "street": "Celovška cesta 150",
            "zip": "1000", "city": "Ljubljana", "country_id": self.slovenia.id, "email": "info@kos.example",
            "child_ids": [Command.create({"name": "Maja Kos", "email": "maja@kos.example"})]})
        supplier = self.env["res.partner"].create({"name": "Dobavitelj", "supplier_rank": 1})
        self.process_runs()
        self.assertEqual(self.simulator.count("add_partner"), 1)
        link = kos.metakocka_link_ids
        self.assertEqual((link.state, link.count_code), ("synced", "1003"))
        remote = self.remote(link.mk_id)
        self.assertEqual((remote["tax_id_number"], remote["partner_contact_list"][0]["email"]), (
            "SI11223344", "info@kos.example"))
        self.assertEqual([c["name"] for c in remote["partner_contact_list"]], ["Pražarna Kos d.o.o.", "Maja Kos"])
        self.assertFalse(supplier.metakocka_link_ids)

    def test_a_new_customer_is_looked_up_first_and_linked_when_found(self):
        self.company.metakocka_push_new_partners = True
        novak = self.env["res.partner"].create({"name": "Kavarna Novak", "vat": "SI24681357", "mobile": "041 1"})
        kranjc = self.env["res.partner"].create({"name": "Janez Kranjc", "email": "janez@drugje.example"})
        self.process_runs()
        self.assertEqual(self.simulator.count("add_partner"), 0)
        self.assertEqual(novak.metakocka_mk_id, NOVAK)
        link = self.link(NOVAK)
        self.assertEqual(link.state, "needs_review", "sending it would rename Metakocka's partner")
        self.assertIn("name: 'Kavarna Novak d.o.o.' → 'Kavarna Novak'", link.last_error)
        self.assertEqual(self.remote(NOVAK)["customer"], "Kavarna Novak d.o.o.")
        self.assertEqual(self.link(KRANJC).partner_id, kranjc, "found by its exact name")
        self.assertEqual(self.link(KRANJC).state, "needs_review")

    def test_a_found_customer_that_rewrites_nothing_fills_metakocka(self):
        alpen = self.env["res.partner"].create({"name": "Alpen Kaffee GmbH", "vat": "ATU12345678", "is_company": True,
                                                "mobile": "+43 660 1"})
        outcome = self.push(alpen)
        self.assertEqual(outcome.status, "updated")
        self.assertEqual(self.simulator.count("add_partner"), 0)
        self.assertEqual(self.remote(ALPEN)["partner_contact_list"][0]["gsm"], "+43 660 1")
        self.assertEqual(self.remote(ALPEN)["customer"], "Alpen Kaffee GmbH")

    def test_the_contacts_of_users_and_companies_are_never_sent(self):
        self.company.metakocka_push_new_partners = True
        user = self.env["res.users"].create({"name": "Nova Prodajalka", "login": "nova"})
        self.process_runs()
        self.assertEqual(self.simulator.count("add_partner"), 0)
        self.assertFalse(user.partner_id.metakocka_link_ids)
        notification = self.company.partner_id.action_metakocka_sync()
        self.assertEqual(notification["params"]["type"], "warning")
        self.assertIn("belongs to a user or a company", notification["params"]["message"])
        self.assertEqual(len(self.simulator.requests), 0)

    # -- buttons and actions ---------------------------------------------------------------------------

    def test_the_sync_buttons_of_a_contact_and_a_product_tell_what_happened(self):
        notification = self.customer.action_metakocka_sync()
        self.assertEqual(notification["params"]["type"], "success")
        self.assertIn("added to Metakocka", notification["params"]["message"])
        self.assertEqual(self.customer.metakocka_link_state, "synced")
        self.assertTrue(self.customer.metakocka_last_sync_at)
        again = self.customer.action_metakocka_sync()
        self.assertIn("unchanged", again["params"]["message"])
        product = self.widget.product_tmpl_id.action_metakocka_sync()
        self.assertIn("added to Metakocka", product["params"]["message"])
        self.assertEqual(self.widget.metakocka_link_state, "synced")

    def test_the_list_action_sends_the_selected_contacts_in_the_background(self):
        partners = self.customer | self.env["res.partner"].create({"name": "Nov kupec", "street": "Ulica 2"})
        action = self.env["metakocka.sync.run"]._action_push_partners(partners)
        run = self.env["metakocka.sync.run"].browse(action["res_id"])
        self.assertEqual((run.operation, run.total_count), ("partner_push", 2))
        self.process_runs()
        self.assertEqual((run.done_count, self.simulator.count("add_partner")), (2, 2))
        self.assertTrue(all(partners.mapped("metakocka_mk_id")))
