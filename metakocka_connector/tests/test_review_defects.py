"""The defects a security review found, each shown by the test that failed before its fix.

The simulator serves the malformed documents (``set_raw_fields``, ``single_result_as_object``);
everything travels over real HTTP on 127.0.0.1.
"""

from odoo.exceptions import AccessError
from odoo.models import regex_private
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

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


def new_product_line(code):
    """A line whose product Metakocka creates on the fly (a code it does not know, with a unit)."""
    return {"code": code, "name": f"Izdelek {code}", "unit": "kos", "amount": "1", "price": "10", "tax": "EX4"}


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
        self.env["metakocka.sync.run"]._process_queued_items()
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


# -- 2. the pull goes on past a bad document and past a failing company -------------------------------


@tagged("post_install", "-at_install")
class TestPullGuards(RemoteDocumentsMixin, MetakockaCase):
    def test_an_unreadable_change_time_fails_that_order_alone_and_holds_the_cursor(self):
        self.company.sudo().metakocka_pull_cursor = EARLY_CURSOR
        first, bad, last = (self.remote_order(f"WEB-T{number}") for number in range(3))
        self.simulator.set_raw_fields(bad["mk_id"], last_change_ts="včeraj popoldne")

        result = pull_changed_orders(self.env, self.company)

        self.assertEqual(result.counts, {"created": 2, "failed": 1})
        [line] = self.error_lines(bad["mk_id"]).mapped("message")
        self.assertIn(bad["count_code"], line)
        self.assertIn("last_change_ts", line)
        # Its change time is unknown: moving the cursor could leave it behind for good.
        self.assertEqual(self.company.metakocka_pull_cursor, EARLY_CURSOR)

        self.simulator.set_raw_fields(bad["mk_id"])  # Metakocka answers properly again
        self.assertEqual(pull_changed_orders(self.env, self.company).counts, {"created": 1, "unchanged": 2})
        self.assertGreater(self.company.metakocka_pull_cursor, EARLY_CURSOR)
        self.assertEqual(len(self.env["metakocka.document.link"].search(
            [("mk_id", "in", [first["mk_id"], bad["mk_id"], last["mk_id"]])])), 3)

    def test_a_searched_order_without_mk_id_fails_alone_and_is_read_again(self):
        good, nameless = self.remote_order("WEB-G"), self.remote_order("WEB-N")
        self.simulator.set_raw_fields(nameless["mk_id"], mk_id=None)

        result = pull_changed_orders(self.env, self.company)

        self.assertEqual(result.counts, {"created": 1, "failed": 1})
        [line] = self.env["metakocka.sync.log"].search([("status", "=", "error")]).mapped("message")
        self.assertIn(nameless["count_code"], line)
        self.assertIn("mk_id", line)
        self.assertTrue(self.env["metakocka.document.link"].search([("mk_id", "=", good["mk_id"])]))
        nameless_change = client_for(self.company).get_document("sales_order", nameless["mk_id"])["last_change_ts"]
        self.assertEqual(self.company.metakocka_pull_cursor, nameless_change)

    def test_the_scheduled_pull_logs_each_failing_company_and_pulls_the_next(self):
        self.remote_order("WEB-C")
        broken_cursor = self.env["res.company"].create({"name": "Broken cursor", "sequence": 0})
        wrong_key = self.env["res.company"].create({"name": "Wrong key", "sequence": 1})
        self.company.sequence = 10
        for company in broken_cursor | wrong_key | self.company:
            self.configure_company(company)
            company.metakocka_pull_enabled = True
        broken_cursor.sudo().metakocka_pull_cursor = "garbage"
        wrong_key.sudo().metakocka_secret_key = "not-the-key"

        self.env["metakocka.scheduler"]._cron_pull_changes()

        Log = self.env["metakocka.sync.log"].sudo()
        for company, text in ((broken_cursor, "garbage"), (wrong_key, "refused")):
            [message] = Log.search([("company_id", "=", company.id), ("status", "=", "error")]).mapped("message")
            self.assertIn(text, message)
        self.assertEqual(self.env["sale.order"].search_count([("company_id", "=", self.company.id),
                                                              ("client_order_ref", "!=", False)]), 1)


# -- 3. a malformed document fails alone, with its field named, and leaves nothing behind --------------


def line_of(code):
    """A line as Metakocka shows it (raw fields replace the document's own, so they carry everything)."""
    return {"code": code, "name": f"Izdelek {code}", "amount": "1", "price": "10", "tax": "EX4", "tax_factor": "0.22"}


#: (raw fields of an order whose own product is ``code``, the field the error must name)
MALFORMED = [
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "price": "NaN"}]}, "price"),
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "price": "Infinity"}]}, "price"),
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "amount": "1e400"}]}, "amount"),
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "amount": "-2"}]}, "amount"),
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "discount": "deset"}]}, "discount"),
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "discount": "150"}]}, "discount"),
    (lambda code: {"product_list": [line_of(code), {**line_of(code), "tax": None, "tax_factor": "x"}]},
     "tax_factor"),
    (lambda code: {"product_list": [line_of(code), code]}, "line 2"),
    (lambda code: {"product_list": code}, "line 1"),
    (lambda code: {"partner": "Kavarna Novak"}, "partner"),
    (lambda code: {"doc_date": "kmalu"}, "doc_date"),
    (lambda code: {"doc_date": "31.02.2026"}, "doc_date"),
    (lambda code: {"sum_all": "NaN"}, "sum_all"),
    (lambda code: {"sum_all": "1e400"}, "sum_all"),
]


@tagged("post_install", "-at_install")
class TestMalformedDocuments(RemoteDocumentsMixin, MetakockaCase):
    def malformed_orders(self):
        """One order per MALFORMED entry, each with a new partner and a new product; {mk_id: (number, field)}."""
        orders = {}
        for number, (raw_fields, field) in enumerate(MALFORMED):
            code = f"BAD-{number}"
            order = self.remote_order(f"WEB-BAD{number}", partner=new_remote_partner(f"Slaba stranka {number}"),
                                      lines=[new_product_line(code)])
            self.simulator.set_raw_fields(order["mk_id"], **raw_fields(code))
            orders[order["mk_id"]] = (order["count_code"], field)
        return orders

    def assert_nothing_written_for_malformed_orders(self, orders):
        self.assertFalse(self.env["res.partner"].search([("name", "like", "Slaba stranka")]))
        self.assertFalse(self.env["product.product"].with_context(active_test=False).search(
            [("default_code", "like", "BAD-")]))
        self.assertFalse(self.env["sale.order"].search([("client_order_ref", "in", [n for n, _f in orders.values()])]))
        self.assertFalse(self.env["metakocka.document.link"].search([("mk_id", "in", list(orders))]))

    def test_each_malformed_order_fails_alone_naming_itself_and_the_field(self):
        malformed = self.malformed_orders()
        good = self.remote_order("WEB-OK")

        items = self.run_import([*malformed, good["mk_id"]])

        self.assertEqual((items[good["mk_id"]].state, items[good["mk_id"]].result), ("done", "created"))
        for mk_id, (number, field) in malformed.items():
            with self.subTest(field=field, number=number):
                self.assertEqual(items[mk_id].state, "failed")
                self.assertIn(number, items[mk_id].error)
                self.assertIn(field, items[mk_id].error)
                self.assertEqual(len(self.error_lines(mk_id)), 1)
        self.assert_nothing_written_for_malformed_orders(malformed)

    def test_the_import_screen_lists_and_imports_around_malformed_orders(self):
        good = self.remote_order("WEB-OK")
        odd = self.remote_order("WEB-ODD", partner=new_remote_partner("Slaba stranka"))
        self.simulator.set_raw_fields(odd["mk_id"], doc_date="kmalu", sum_all="veliko")
        nameless = self.remote_order("WEB-NOID")
        self.simulator.set_raw_fields(nameless["mk_id"], mk_id=None)

        wizard = self.env["metakocka.import.wizard"].create({"doc_type": "sales_order"})
        wizard.action_load()

        self.assertEqual(sorted(wizard.line_ids.mapped("mk_id")), sorted([good["mk_id"], odd["mk_id"]]))
        self.assertIn(nameless["count_code"], wizard.summary)
        self.assertIn("mk_id", wizard.summary)
        wizard.line_ids.selected = True
        message = wizard.action_import_selected()["params"]["message"]
        self.assertIn("1 imported, 1 failed", message)
        self.assertIn(odd["count_code"], message)
        self.assertIn("doc_date", message)
        self.assertTrue(self.env["metakocka.document.link"].search([("mk_id", "=", good["mk_id"])]))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Slaba stranka")]))

    def test_import_all_queues_the_readable_orders_and_names_the_others(self):
        good, nameless = self.remote_order("WEB-OK"), self.remote_order("WEB-NOID")
        self.simulator.set_raw_fields(nameless["mk_id"], mk_id=None)

        action = self.env["metakocka.import.wizard"].create({"doc_type": "sales_order"}).action_import_all()

        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(nameless["count_code"], action["params"]["message"])
        run = self.env["metakocka.sync.run"].browse(action["params"]["next"]["res_id"])
        self.assertEqual(run.item_ids.mapped("mk_id"), [good["mk_id"]])

    def test_the_import_screen_lists_a_lone_result_given_as_an_object(self):
        order = self.remote_order("WEB-ONE")
        self.simulator.single_result_as_object = True

        wizard = self.env["metakocka.import.wizard"].create({"doc_type": "sales_order"})
        wizard.action_load()

        self.assertEqual(wizard.line_ids.mapped("mk_id"), [order["mk_id"]])
        self.assertEqual(wizard.line_ids.buyer_order, "WEB-ONE")


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


# -- 5. settings and Metakocka fields are read only by whom they are meant for ---------------------


@tagged("post_install", "-at_install")
class TestFieldAccess(MetakockaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, "plain_salesman", groups="base.group_user,sales_team.group_sale_salesman",
                                     company_id=cls.company.id)
        cls.mk_manager = new_test_user(cls.env, "mk_manager", groups="base.group_user,sales_team.group_sale_salesman,"
                                       "metakocka_connector.group_metakocka_manager", company_id=cls.company.id)
        cls.env["metakocka.partner.link"].create({"company_id": cls.company.id, "partner_id": cls.customer.id,
                                                  "mk_id": "1600000201", "count_code": "1000"})
        cls.env["metakocka.product.link"].create({"company_id": cls.company.id, "product_id": cls.widget.id,
                                                  "mk_id": "1600000301", "count_code": "WIDGET"})

    def test_the_api_url_is_guarded_like_the_secret_key(self):
        for model in ("res.company", "res.config.settings"):
            self.assertEqual(self.env[model]._fields["metakocka_api_url"].groups,
                             self.env[model]._fields["metakocka_secret_key"].groups)
        with self.assertRaises(AccessError):
            self.company.with_user(self.mk_manager).read(["metakocka_api_url"])

    def test_a_salesman_without_metakocka_groups_reads_and_opens_linked_customers_and_products(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.env["metakocka.partner.link"].create({"company_id": company_b.id, "partner_id": self.customer.id,
                                                   "mk_id": "1600000999", "count_code": "B-1"})
        cases = [(self.customer, {"metakocka_mk_id": "1600000201", "metakocka_count_code": "1000"}),
                 (self.widget, {"metakocka_mk_id": "1600000301"})]
        for record, expected in cases:
            with self.subTest(model=record._name):
                as_salesman = record.with_user(self.salesman)
                [values] = as_salesman.read(list(expected))  # this company's link, never company B's
                self.assertEqual({name: values[name] for name in expected}, expected)
                form = Form(as_salesman)  # the form as the salesman sees it: the Metakocka fields are not on it
                self.assertEqual(form.record.id, record.id)
                self.assertNotIn("metakocka_mk_id", form._view["fields"])
                with self.assertRaises(AccessError):
                    as_salesman.read(["metakocka_link_ids"])  # the links themselves stay Metakocka's

    def test_a_metakocka_user_still_sees_the_metakocka_ids(self):
        self.assertEqual(self.customer.with_user(self.mk_manager).metakocka_mk_id, "1600000201")
        self.assertEqual(self.customer.with_user(self.mk_manager).metakocka_count_code, "1000")
        self.assertEqual(self.widget.with_user(self.mk_manager).metakocka_mk_id, "1600000301")
        form = Form(self.customer.with_user(self.mk_manager))
        self.assertEqual(form.metakocka_mk_id, "1600000201")


# -- 6. nobody writes sync log lines over RPC ------------------------------------------------------------


@tagged("post_install", "-at_install")
class TestSyncLogOverRpc(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, "log_portal", groups="base.group_portal")
        cls.internal = new_test_user(cls.env, "log_internal", groups="base.group_user,sales_team.group_sale_salesman")
        cls.forged = {"company_id": cls.env.company.id, "direction": "pull", "operation": "pull", "status": "error",
                      "message": "forged"}
        cls.line = cls.env["metakocka.sync.log"].create({**cls.forged, "message": "a real line"})

    def call_kw(self, method, args, kwargs=None):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": "metakocka.sync.log", "method": method, "args": args, "kwargs": kwargs or {}})

    def forged_lines(self):
        return self.env["metakocka.sync.log"].search_count([("message", "=", "forged")])

    def test_the_log_has_no_public_method_of_its_own(self):
        """Any method the log adds to what every model has must be private, or be reviewed and listed here."""
        log, base = type(self.env["metakocka.sync.log"]), type(self.env["base"])
        own = {name for name in dir(log) if not regex_private.match(name) and callable(getattr(log, name))
               and not hasattr(base, name)}
        self.assertEqual(own, {"action_open_record"})

    def test_portal_and_internal_users_cannot_write_log_lines_over_rpc(self):
        calls = {
            "_record": ([False], self.forged),
            "record": ([False], self.forged),  # the logger's public name before commit 31bb839
            "create": ([self.forged], {}),
            "web_save": ([[], self.forged], {"specification": {}}),
            "copy": ([self.line.ids], {"default": {"message": "forged"}}),
            "write": ([self.line.ids, {"message": "forged"}], {}),
            "load": ([["message", "direction", "operation", "status"], [["forged", "pull", "pull", "error"]]], {}),
            "action_open_record": ([self.line.ids], {}),
        }
        refused_by_access_rights = {"_record", "create", "web_save", "copy", "write", "action_open_record"}
        for user in (self.portal, self.internal):
            self.authenticate(user.login, user.login)
            for method, (args, kwargs) in calls.items():
                with self.subTest(user=user.login, method=method), mute_logger("odoo.http"):
                    forged_before = self.forged_lines()
                    try:
                        self.call_kw(method, args, kwargs)
                    except JsonRpcException as error:
                        if method in refused_by_access_rights:
                            self.assertEqual(str(error), "odoo.exceptions.AccessError")
                    else:
                        self.assertNotIn(method, refused_by_access_rights)
                    self.assertEqual(self.forged_lines(), forged_before)
            with self.assertRaises(AccessError):
                self.env["metakocka.sync.log"].with_user(user).create(self.forged)
