"""The defects a security review found, each shown by the test that failed before its fix.

The simulator serves the malformed documents (``set_raw_fields``, ``single_result_as_object``);
everything travels over real HTTP on 127.0.0.1.
"""

from odoo.exceptions import AccessError
from odoo.models import regex_private
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.metakocka_connector.services.connection import client_for
from odoo.addons.metakocka_connector.services.document_import import DocumentImporter
from odoo.addons.metakocka_connector.services.pull import pull_changed_orders

from .common import MetakockaCase

# Seeded in the simulator: partner Kavarna Novak d.o.o. and products KAVA-500 (9.5 %), MLIN-01 (22 %).
KAVARNA = {"mk_id": "1600000201", "mk_address_id": "1600000202"}
MLIN_LINE = {"code": "MLIN-01", "amount": "1", "price": "32.70", "tax": "EX4"}
EARLY_CURSOR = "2020-01-01T00:00:00+01:00"


def new_remote_partner(name, **values):
    """An inline partner: the simulator makes a new Metakocka partner of it, as Metakocka does."""
    return {"customer": name, "street": "Dunajska cesta 5", "post_number": "1000", "place": "Ljubljana",
            "country": "SI", **values}


def new_product_line(code, **values):
    """A line whose product Metakocka creates on the fly (a code it does not know, with a unit)."""
    return {"code": code, "name": f"Izdelek {code}", "unit": "kos", "amount": "1", "price": "10", "tax": "EX4",
            **values}


class RemoteDocumentsMixin:
    def remote_order(self, buyer_order, partner=None, lines=None):
        """A sales order put into the simulator; returns its ``{mk_id, count_code}``."""
        return client_for(self.company).put_document({
            "doc_type": "sales_order", "doc_date": "15.01.2026", "buyer_order": buyer_order,
            "partner": partner or KAVARNA, "product_list": lines or [MLIN_LINE],
        })

    def import_order(self, mk_id):
        return DocumentImporter(self.env, self.company).import_document("sales_order", mk_id)

    def run_import(self, mk_ids):
        """Import ``mk_ids`` as the "Import all" run does; returns the run's items by mk_id."""
        run = self.env["metakocka.sync.run"]._queue_import(self.company, [("sales_order", mk_id, None)
                                                                          for mk_id in mk_ids])
        while self.env["metakocka.sync.run"]._cron_process_runs():
            pass
        return {item.mk_id: item for item in run.item_ids}

    def error_lines(self, mk_id):
        return self.env["metakocka.sync.log"].search([("mk_id", "=", mk_id), ("status", "=", "error")])


# -- 1. partners are matched exactly and never to users' or companies' partners --------------------


@tagged("post_install", "-at_install")
class TestPartnerMatching(RemoteDocumentsMixin, MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_partner = cls.env.ref("base.partner_admin")
        cls.admin_partner.company_id = False  # a contact every company sees, as in many databases
        cls.company.partner_id.write({"email": "office@company.example", "vat": "SI99999999"})
        cls.portal = new_test_user(cls.env, "portal_buyer", groups="base.group_portal", email="buyer@portal.example")
        cls.former = new_test_user(cls.env, "former_clerk", groups="base.group_user", email="former@staff.example")
        cls.former.active = False
        (cls.portal.partner_id | cls.former.partner_id).write({"company_id": False, "active": True})

    def people_of_odoo(self):
        users = self.env["res.users"].sudo().with_context(active_test=False).search([])
        companies = self.env["res.company"].sudo().with_context(active_test=False).search([])
        return users.partner_id | companies.partner_id

    def test_remote_partners_never_reach_users_or_companies(self):
        cases = [
            {"partner_contact": {"email": "%"}},
            {"partner_contact": {"email": "_@%"}},
            {"partner_contact": {"email": self.admin_partner.email}},
            {"partner_contact": {"email": self.admin_partner.email.upper()}},
            {"partner_contact": {"email": self.portal.email}},
            {"partner_contact": {"email": self.former.email}},
            {"partner_contact": {"email": self.company.partner_id.email}},
            {"tax_id_number": self.company.partner_id.vat},
            {"customer": self.admin_partner.name},
        ]
        protected = self.people_of_odoo()
        newest_before = self.env["res.partner"].with_context(active_test=False).search([], order="id desc", limit=1)
        for number, remote in enumerate(cases):
            with self.subTest(remote=remote):
                partner = new_remote_partner(f"Stranka {number}", **remote)
                outcome = self.import_order(self.remote_order(f"WEB-M{number}", partner=partner)["mk_id"])
                self.assertTrue(outcome.ok, outcome.message)
                self.assertNotIn(outcome.record.partner_id, protected)
                self.assertGreater(outcome.record.partner_id.id, newest_before.id)  # made by one of these imports

    def test_an_email_matches_only_when_equal_ignoring_case(self):
        lookalike = new_remote_partner("Podobna stranka", partner_contact={"email": "info@kupec_example"})
        order = self.import_order(self.remote_order("WEB-L", partner=lookalike)["mk_id"]).record
        self.assertNotEqual(order.partner_id, self.customer)

        same = new_remote_partner("Kupec po e-pošti", partner_contact={"email": "INFO@Kupec.Example"})
        order = self.import_order(self.remote_order("WEB-S", partner=same)["mk_id"]).record
        self.assertEqual(order.partner_id, self.customer)


# -- 4. imported partners and products belong to the importing company, unless shared ----------------


@tagged("post_install", "-at_install")
class TestImportedRecordsCompany(RemoteDocumentsMixin, MetakockaCase):
    def import_new_partner_and_product(self, suffix):
        order = self.remote_order(f"WEB-{suffix}", partner=new_remote_partner(f"Nova stranka {suffix}"),
                                  lines=[new_product_line(f"NEW-{suffix}")])
        outcome = self.import_order(order["mk_id"])
        self.assertTrue(outcome.ok, outcome.message)
        return outcome.record.partner_id, outcome.record.order_line.product_id

    def test_by_default_they_belong_to_the_importing_company(self):
        self.assertFalse(self.company.metakocka_share_records)
        partner, product = self.import_new_partner_and_product("OWN")
        self.assertEqual(partner.company_id, self.company)
        self.assertEqual(product.company_id, self.company)

    def test_shared_they_belong_to_no_company(self):
        settings = self.env["res.config.settings"].create({"metakocka_share_records": True})
        settings.execute()
        self.assertTrue(self.company.metakocka_share_records)
        partner, product = self.import_new_partner_and_product("SHARED")
        self.assertFalse(partner.company_id)
        self.assertFalse(product.company_id)
