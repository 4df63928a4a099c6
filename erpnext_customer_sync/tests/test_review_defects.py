"""The defects a security review found, each shown by a test that failed before its fix: partners
of users and companies matched and rewritten, first links that overwrote a contact, malformed rows
that stopped every run, webhook bodies read before their size was known (and replays, nesting),
contacts hidden from other companies, a URL every user could read, and buttons XML-RPC could not
answer."""

import http.client
import json
import xmlrpc.client
from urllib.parse import urlsplit

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..controllers.webhook import MAX_BODY, SIGNATURE_HEADER, expected_signature
from .common import WEBHOOK_SECRET, ERPNextCase, ERPNextHttpCase

PROTECTED_FIELDS = ["name", "email", "vat", "phone", "mobile", "street", "active"]


@tagged("post_install", "-at_install")
class TestProtectedPartners(ERPNextCase):
    def test_customers_matching_users_or_the_company_get_partners_of_their_own(self):
        admin = self.env.ref("base.user_admin").partner_id
        company_partner = self.company.partner_id
        company_partner.vat = "BE0477472701"
        portal = new_test_user(self.env, "portal_pat", groups="base.group_portal", name="Portal Pat",
                               email="pat@portal.example")
        retired = new_test_user(self.env, "retired", groups="base.group_user", name="Retired Rita",
                                email="rita@ourcompany.example")
        retired.active = False
        protected = admin | company_partner | portal.partner_id | retired.partner_id
        before = protected.read(PROTECTED_FIELDS)
        for values in ({"customer_name": "Mallory", "email_id": admin.email, "mobile_no": "+1 555 0199"},
                       {"customer_name": self.company.name, "address_line1": "1 Fake Street", "city": "Nowhere",
                        "country": "India"},
                       {"customer_name": "Tax Twin", "tax_id": "BE 0477.472.701"},
                       {"customer_name": "Portal Pat", "email_id": "pat@portal.example"},
                       {"customer_name": "Rita", "email_id": "rita@ourcompany.example"}):
            self.simulator.insert("Customer", values)

        run = self.pull()

        self.assertEqual((run.created_count, run.updated_count, run.failed_count), (9, 0, 0), run.message)
        self.assertEqual(protected.read(PROTECTED_FIELDS), before)
        self.assertFalse(self.Link.search([("partner_id", "in", protected.ids)]))
        self.assertNotIn(self.partner("Mallory"), protected)
        self.assertEqual(self.partner("Mallory").email, admin.email)  # the customer's own, new contact

    def test_a_link_to_a_users_partner_takes_nothing_from_erpnext(self):
        self.pull()
        jane = self.partner("Jane Doe")
        new_test_user(self.env, "jane", groups="base.group_portal", partner_id=jane.id, name=jane.name,
                      email=jane.email)
        contact = self.simulator.customer("Jane Doe")["customer_primary_contact"]
        self.simulator.touch("Contact", contact, {"email_ids": [{"email_id": "mallory@evil.example", "is_primary": 1}]})
        self.simulator.touch("Customer", "Jane Doe", {"customer_name": "Mallory"})

        run = self.pull()

        self.assertEqual((jane.name, jane.email), ("Jane Doe", "jane.doe@example.com"))
        link = self.link("Jane Doe")
        self.assertEqual((link.state, run.failed_count), ("warning", 0))
        self.assertIn("belongs to an Odoo user or company, so Odoo keeps its own values of Email, Name",
                      link.last_error)
        partners, logs = self.row_versions("res_partner"), self.Log.search_count([])
        self.assertEqual(self.pull().updated_count, 0)
        self.assertNotWritten("res_partner", partners)
        self.assertEqual(self.Log.search_count([]), logs)

    def test_a_first_link_that_would_change_a_contact_is_held_until_someone_chooses(self):
        Partner = self.env["res.partner"]
        sharma = Partner.create({"name": "Sharma Trading Co", "vat": "27AAEPS1234C1ZV", "is_company": True})
        jane = Partner.create({"name": "J. Doe", "email": "Jane.Doe@example.com"})

        run = self.pull()

        self.assertEqual((run.created_count, run.conflicts_count, run.failed_count), (2, 2, 0))
        link = self.link("Sharma Traders")
        self.assertEqual((link.partner_id, link.state), (sharma, "conflict"))
        self.assertEqual(link.conflict_fields, {"Name": ["Sharma Trading Co", "Sharma Traders"]})
        self.assertIn("Linked to the existing contact 'Sharma Trading Co', which has other values than ERPNext "
                      "for: Name. Nothing was changed; choose which to keep.", link.last_error)
        self.assertEqual(sharma.name, "Sharma Trading Co")
        self.assertEqual(sharma.email, "priya@sharma-traders.example")  # empty in Odoo: ERPNext's is taken
        self.assertEqual((self.link("Jane Doe").state, jane.name), ("conflict", "J. Doe"))

        # Another change in ERPNext is taken; the held name stays held.
        self.simulator.touch("Customer", "Sharma Traders", {"customer_details": "Call before delivery."})
        self.pull()
        self.assertEqual((link.state, sharma.name), ("conflict", "Sharma Trading Co"))
        self.assertIn("Call before delivery.", sharma.comment)

        link.action_take_erpnext()
        self.assertEqual((link.state, sharma.name), ("synced", "Sharma Traders"))
        self.link("Jane Doe").action_keep_odoo()
        self.assertEqual((self.link("Jane Doe").state, jane.name), ("synced", "J. Doe"))
        self.assertEqual(self.pull().updated_count, 0)
        self.assertEqual((sharma.name, jane.name), ("Sharma Traders", "J. Doe"))


@tagged("post_install", "-at_install")
class TestMalformedRows(ERPNextCase):
    def store_raw(self, name, **values):
        """Change a Customer as a broken site might hold it: no validation, no new 'modified'."""
        with self.simulator.store.lock:
            self.simulator.store.find("Customer", name).update(values)

    def failures(self, run):
        return sorted((log.erpnext_id or "", log.message) for log in self.Log.search(
            [("run_id", "=", run.id), ("status", "=", "error")]))

    def test_a_wrong_value_fails_its_customer_and_the_others_arrive(self):
        self.store_raw("Sharma Traders", disabled="yes")
        self.store_raw("Jane Doe", customer_name=["Jane", "Doe"])

        run = self.pull()

        self.assertEqual(run.state, "done", run.message)
        self.assertEqual((run.processed_count, run.created_count, run.failed_count), (4, 2, 2))
        self.assertTrue(self.partner("Müller Maschinenbau GmbH") and self.partner("Nguyen Optics"))
        self.assertEqual(self.failures(run), [
            ("Jane Doe", "Customer 'Jane Doe': the Customer field 'customer_name' is [\"Jane\", \"Doe\"], not text"),
            ("Sharma Traders", "Customer 'Sharma Traders': the Customer field 'disabled' is \"yes\", not 0 or 1"),
        ])
        # The cursor stays before the failed customers: mended in ERPNext, they are read again.
        failed = [self.simulator.customer(name)["modified"] for name in ("Jane Doe", "Sharma Traders")]
        self.assertLessEqual(self.company.sudo().erpnext_cursor_customer, min(failed))
        self.store_raw("Sharma Traders", disabled=0)
        self.store_raw("Jane Doe", customer_name="Jane Doe")
        again = self.pull()
        self.assertEqual((again.mode, again.created_count, again.failed_count), ("incremental", 2, 0))

    def test_rows_that_are_not_customers_fail_alone_named_by_their_place(self):
        self.simulator.add_list_rows("Customer", [
            "not a customer", None, {"customer_name": "Nameless Ltd"},
            {"name": "Odd Link", "customer_name": "Odd Link", "customer_primary_contact": {"name": "x"}},
        ])

        run = self.pull()

        self.assertEqual(run.state, "done", run.message)
        self.assertEqual((run.processed_count, run.created_count, run.failed_count), (8, 4, 4))
        page = "Row %s of the page of customers read from ERPNext"
        self.assertEqual(self.failures(run), [
            ("", f"{page % 1} is not a customer object: \"not a customer\""),
            ("", f"{page % 2} is not a customer object: null"),
            ("", f"{page % 3} has no name (the Customer's ID): the Customer field 'name' is null"),
            ("Odd Link", "Customer 'Odd Link': the Customer field 'customer_primary_contact' is {\"name\": \"x\"}, "
                         "not the name of a document"),
        ])


@tagged("post_install", "-at_install")
class TestWebhookLimits(ERPNextHttpCase):
    def setUp(self):
        super().setUp()
        self.Event = self.env["erpnext.webhook.event"]
        self.cron = self.env.ref("erpnext_customer_sync.ir_cron_process_runs")
        self.Trigger = self.env["ir.cron.trigger"]

    def post(self, body, *, chunked=False, declared=None):
        """POST a signed ``body``; ``declared``: the Content-Length to announce (only ``body`` is sent)."""
        url = urlsplit(self.webhook_url())
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        try:
            connection.putrequest("POST", url.path)
            connection.putheader(SIGNATURE_HEADER, expected_signature(WEBHOOK_SECRET, body))
            if chunked:
                connection.putheader("Transfer-Encoding", "chunked")
                connection.endheaders(b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
            else:
                connection.putheader("Content-Length", str(len(body) if declared is None else declared))
                connection.endheaders(body)
            response = connection.getresponse()
            answer = response.read()
            is_json = (response.getheader("Content-Type") or "").startswith("application/json")
            return response.status, json.loads(answer) if is_json else answer
        finally:
            connection.close()

    def delivery(self, name, event="on_update"):
        return json.dumps({"doctype": "Customer", "name": name, "event": event,
                           "modified": self.simulator.customer(name)["modified"]}).encode()

    def test_the_size_is_known_before_the_body_is_read(self):
        body = self.delivery("Jane Doe")
        self.assertEqual(self.post(body, chunked=True), (411, {"status": "a Content-Length header is required"}))
        too_large = (413, {"status": f"payload too large (at most {MAX_BODY} bytes)"})
        self.assertEqual(self.post(body, declared=MAX_BODY + 1), too_large)
        self.assertEqual(self.post(body, declared=500 * 1024 * 1024)[0], 413)  # Odoo's own limit comes first
        self.assertFalse(self.Event.search([]))

    def test_deeply_nested_json_is_a_bad_request(self):
        body = b'{"doctype": "Customer", "name": "Jane Doe", "deep": ' + b"[" * 60000 + b"]" * 60000 + b"}"
        self.assertLess(len(body), MAX_BODY)
        self.assertEqual(self.post(body), (400, {"status": "the body is JSON nested too deeply"}))
        self.assertFalse(self.Event.search([]))

    def test_a_replayed_delivery_is_not_queued_again(self):
        body = self.delivery("Jane Doe")
        self.assertEqual(self.post(body), (200, {"status": "queued"}))
        self.Run._queue(self.company, "pull", trigger="webhook", mode="names")._process_all()
        self.assertFalse(self.Event.search([]))
        for _ in range(3):
            self.assertEqual(self.post(body), (200, {"status": "already received"}))
        self.assertFalse(self.Event.search([]))
        # The same document's deletion, or its next change, is another delivery.
        self.assertEqual(self.post(self.delivery("Jane Doe", event="on_trash")), (200, {"status": "queued"}))
        self.simulator.touch("Customer", "Sharma Traders", {"tax_id": "27AAEPS9999C1ZV"})
        self.assertEqual(self.post(self.delivery("Sharma Traders")), (200, {"status": "queued"}))
        self.assertEqual(sorted(self.Event.search([]).mapped("docname")), ["Jane Doe", "Sharma Traders"])

    def test_a_burst_of_deliveries_wakes_the_processor_once(self):
        self.Trigger.search([("cron_id", "=", self.cron.id)]).unlink()
        for name in ("Jane Doe", "Sharma Traders", "Nguyen Optics"):
            self.assertEqual(self.post(self.delivery(name)), (200, {"status": "queued"}))
        self.assertEqual(len(self.Event.search([])), 3)
        self.assertEqual(self.Trigger.search_count([("cron_id", "=", self.cron.id)]), 1)


@tagged("post_install", "-at_install")
class TestSharedPartners(ERPNextCase):
    def test_by_default_contacts_from_erpnext_belong_to_the_syncing_company(self):
        self.assertFalse(self.company.erpnext_share_partners)
        self.pull()
        sharma = self.partner("Sharma Traders")
        self.assertEqual((sharma.company_id, sharma.child_ids.company_id), (self.company, self.company))

    def test_shared_contacts_belong_to_no_company_and_every_company_sees_them(self):
        settings = self.env["res.config.settings"].create({})
        settings.erpnext_share_partners = True
        settings.execute()
        self.assertTrue(self.company.erpnext_share_partners)

        self.pull()

        sharma = self.partner("Sharma Traders")
        self.assertFalse(sharma.company_id or sharma.child_ids.company_id)
        other = self.env["res.company"].create({"name": "Other company"})
        elsewhere = new_test_user(self.env, "elsewhere", groups="base.group_user", company_id=other.id,
                                  company_ids=[other.id])
        self.assertEqual(self.env["res.partner"].with_user(elsewhere).search([("name", "=", "Sharma Traders")]), sharma)
        # The other company's first sync links the shared contact rather than making a second one.
        self.configure_company(other, erpnext_share_partners=True)
        self.env.user.company_ids += other
        self.pull(company=other)
        self.assertEqual(self.partner("Sharma Traders", company=other), sharma)


@tagged("post_install", "-at_install")
class TestSettingsForManagersOnly(ERPNextCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(cls.env, "seller", groups="base.group_user,sales_team.group_sale_salesman",
                                   company_id=cls.company.id, company_ids=[cls.company.id])

    def test_no_connection_setting_is_readable_by_a_plain_user(self):
        company = self.company.with_user(self.seller)
        for name in ("erpnext_url", "erpnext_api_key", "erpnext_api_secret", "erpnext_webhook_secret"):
            with self.assertRaises(AccessError):
                company.read([name])
        self.assertFalse({"erpnext_url", "erpnext_api_key"} & set(company.fields_get()))

    def test_a_plain_user_opens_linked_contacts_and_the_contacts_list(self):
        self.pull()
        Partner = self.env["res.partner"].with_user(self.seller)
        sharma = Partner.browse(self.partner("Sharma Traders").id)
        views = Partner.get_views([(False, "form"), (False, "list"), (False, "search")])
        fields = views["models"]["res.partner"]["fields"]
        ours = sorted(name for name in fields if name.startswith("erpnext_"))
        spec = {name: ({"fields": {"display_name": {}}} if fields[name]["type"] == "many2one" else {})
                for name in ours}
        self.assertIn("erpnext_link_id", spec)
        self.assertEqual(sharma.web_read(spec)[0]["id"], sharma.id)
        values = sharma.read(["erpnext_id", "erpnext_state", "erpnext_synced", "erpnext_last_sync"])[0]
        self.assertEqual((values["erpnext_id"], values["erpnext_state"], values["erpnext_synced"]),
                         ("Sharma Traders", "synced", True))
        listed = Partner.web_search_read([("erpnext_synced", "=", True)], {name: {} for name in ("display_name", "email")})
        self.assertEqual(listed["length"], 3)
        self.assertTrue(self.company.with_user(self.seller).read(["name", "erpnext_enabled"]))


@tagged("post_install", "-at_install")
class TestButtonsAnswerXmlRpc(ERPNextHttpCase):
    def assertAnswerable(self, value, what):
        self.assertTrue(value is True or isinstance(value, dict), f"{what} returned {value!r}")
        xmlrpc.client.dumps((value,), allow_none=False)

    def test_every_button_returns_an_action_or_true(self):
        self.both_ways("manual")
        self.pull()
        partner, link = self.partner("Sharma Traders"), self.link("Sharma Traders")
        records = {
            "res.partner": partner, "erpnext.customer.link": link, "erpnext.sync.run": self.Run.search([], limit=1),
            "erpnext.sync.log": self.Log.search([("partner_id", "!=", False)], limit=1),
            "res.config.settings": self.env["res.config.settings"].create({}),
        }
        pressed = set()
        for model, record in records.items():
            for name in sorted(name for name in dir(type(record)) if name.startswith("action_")):
                method = getattr(type(record), name)
                if "erpnext_customer_sync" not in getattr(method, "__module__", ""):
                    continue
                self.assertAnswerable(getattr(record, name)(), f"{model}.{name}")
                pressed.add(f"{model}.{name}")
        self.assertEqual(len(pressed), 10, sorted(pressed))

        uid = self.env.ref("base.user_admin").id
        answer = self.xmlrpc_object.execute_kw(self.env.cr.dbname, uid, "admin", "res.partner",
                                               "action_erpnext_pull", [[partner.id]])
        self.assertEqual(answer["tag"], "display_notification")
