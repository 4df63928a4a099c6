"""Shared set-up for the addon's tests: an ERPNext simulator on 127.0.0.1, spoken to over HTTP.

Odoo's test harness lets HTTP through to 127.0.0.1 only, which is where the simulator listens. Its
webhooks are sent only when a test asks (``deliver_webhooks``), never from a background thread.
"""

from odoo.tests import HttpCase, TransactionCase

try:
    from sandbox.erpnext import DEFAULT_API_KEY, DEFAULT_API_SECRET, ERPNextSimulator
except ImportError as exc:  # pragma: no cover - a set-up mistake, explained to the developer
    raise ImportError(
        "The erpnext_customer_sync tests need the ERPNext sandbox simulator (package `sandbox` of the project "
        "repository). Run them with the repository root on PYTHONPATH, as tools/run_tests.py does."
    ) from exc

SIM_KEY = DEFAULT_API_KEY
SIM_SECRET = DEFAULT_API_SECRET
SIM_COMPANY = "Sandbox Company"
WEBHOOK_SECRET = "webhook-secret-for-tests"


class SimulatorMixin:
    """One simulator for the test class, back in its initial state before each test."""

    simulator_options = {}

    @classmethod
    def start_simulator(cls):
        cls.simulator = ERPNextSimulator(webhook_mode="manual", webhook_retry_delays=(0.01, 0.01),
                                         **cls.simulator_options).start()
        cls.addClassCleanup(cls.simulator.stop)

    def setUp(self):
        super().setUp()
        self.simulator.reset()

    @classmethod
    def share_the_test_transaction(cls):
        """Cursors the code opens of its own (create notes) work inside the test's transaction, as in
        Odoo's HttpCase, so that what they write is rolled back with the test."""
        if not cls.registry.in_test_mode():
            cls.registry.enter_test_mode(cls.cr)
            cls.addClassCleanup(cls.registry.leave_test_mode)


class ERPNextMixin(SimulatorMixin):
    """A company configured to sync with the simulator (pull only, newest change wins, credit
    limits of "Sandbox Company"), and quick retries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.share_the_test_transaction()
        cls.start_simulator()
        cls.company = cls.env.company
        cls.configure_company(cls.company)
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("erpnext_customer_sync.retry_delay", "0.01")
        params.set_param("erpnext_customer_sync.retry_max_delay", "0.05")
        params.set_param("erpnext_customer_sync.read_timeout", "5")
        cls.env.user.groups_id += cls.env.ref("erpnext_customer_sync.group_erpnext_manager")
        cls.Run = cls.env["erpnext.sync.run"]
        cls.Link = cls.env["erpnext.customer.link"]
        cls.Log = cls.env["erpnext.sync.log"]
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    @classmethod
    def configure_company(cls, company, **values):
        company.sudo().write({
            "erpnext_enabled": True,
            "erpnext_url": cls.simulator.url,
            "erpnext_api_key": SIM_KEY,
            "erpnext_api_secret": SIM_SECRET,
            "erpnext_webhook_secret": WEBHOOK_SECRET,
            "erpnext_direction": "pull",
            "erpnext_conflict_policy": "newest",
            "erpnext_company": SIM_COMPANY,
            **values,
        })

    # -- running syncs ----------------------------------------------------------------------

    def pull(self, mode="incremental", company=None):
        run = self.Run._queue(company or self.company, "pull", mode=mode)
        return run._process_all()

    def push(self, company=None):
        run = self.Run._queue(company or self.company, "push", mode="pending")
        return run._process_all()

    def both_ways(self, policy="newest"):
        self.company.sudo().write({"erpnext_direction": "both", "erpnext_conflict_policy": policy})

    @staticmethod
    def counts(run):
        return {name: run[f"{name}_count"] for name in (
            "processed", "created", "updated", "unchanged", "failed", "archived", "conflicts")}

    # -- looking at the result --------------------------------------------------------------

    def link(self, erpnext_id, company=None):
        return self.Link.search([("company_id", "=", (company or self.company).id), ("erpnext_id", "=", erpnext_id)])

    def partner(self, erpnext_id, company=None):
        return self.link(erpnext_id, company).partner_id

    def row_versions(self, table):
        """{id: ctid} of a table: every UPDATE makes a new row version, so a changed ctid is a write."""
        self.env.flush_all()
        self.env.cr.execute(f"SELECT id, ctid::text FROM {table}")  # noqa: S608 - fixed table names
        return dict(self.env.cr.fetchall())

    def assertNotWritten(self, table, before):
        """None of the rows ``before`` (from :meth:`row_versions`) was updated or deleted since."""
        after = self.row_versions(table)
        self.assertEqual({key: after.get(key) for key in before}, before, f"rows of {table} were written")

    def remote_contact(self, customer):
        return self.simulator.doc("Contact", self.simulator.customer(customer)["customer_primary_contact"])

    def remote_address(self, customer):
        return self.simulator.doc("Address", self.simulator.customer(customer)["customer_primary_address"])


class ERPNextCase(ERPNextMixin, TransactionCase):
    pass


class ERPNextHttpCase(ERPNextMixin, HttpCase):
    """With Odoo's HTTP server running, for the simulator's webhooks to reach."""

    def webhook_url(self, company=None):
        return f"{self.base_url()}/erpnext_customer_sync/webhook/{(company or self.company).id}"
