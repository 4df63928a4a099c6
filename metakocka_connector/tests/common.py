"""Shared set-up for the addon's tests: a Metakocka simulator on 127.0.0.1, spoken to over HTTP.

Odoo's test harness lets HTTP through to 127.0.0.1 only, which is where the simulator listens.
"""

from odoo import Command
from odoo.tests import TransactionCase

from odoo.addons.account.tests.common import AccountTestInvoicingCommon, AccountTestInvoicingHttpCommon

try:
    from sandbox.metakocka import MetakockaSimulator
except ImportError as exc:  # pragma: no cover - a set-up mistake, explained to the developer
    raise ImportError(
        "The metakocka_connector tests need the Metakocka sandbox simulator (package `sandbox` of the "
        "project repository). Run them with the repository root on PYTHONPATH, as tools/run_tests.py does."
    ) from exc

SIM_COMPANY_ID = "1000"
SIM_SECRET_KEY = "sandbox-secret"


class SimulatorMixin:
    """One simulator for the test class, back in its seeded state before each test."""

    @classmethod
    def start_simulator(cls):
        cls.simulator = MetakockaSimulator(company_id=SIM_COMPANY_ID, secret_key=SIM_SECRET_KEY).start()
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


class MetakockaSimulatorCase(SimulatorMixin, TransactionCase):
    """A plain TransactionCase with the simulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.share_the_test_transaction()
        cls.start_simulator()


class MetakockaSetupMixin(SimulatorMixin):
    """A Slovenian company with a chart of accounts, 22 % and 9.5 % sales taxes, a customer and two
    products, configured to sync with the simulator; the test user is a Metakocka and sales manager."""

    @classmethod
    def setup_metakocka(cls):
        cls.share_the_test_transaction()
        cls.start_simulator()
        cls.slovenia = cls.env.ref("base.si")
        cls.company = cls.env.company
        cls.company.write({"country_id": cls.slovenia.id})
        cls.configure_company(cls.company)
        cls.company.sudo().metakocka_secret_key = SIM_SECRET_KEY
        cls.tax_22 = cls.sales_tax(cls.company, 22.0)
        cls.tax_95 = cls.sales_tax(cls.company, 9.5)
        cls.customer = cls.env["res.partner"].create({
            "name": "Kupec d.o.o.", "is_company": True, "street": "Slovenska cesta 1", "zip": "1000",
            "city": "Ljubljana", "country_id": cls.slovenia.id, "vat": "SI12345678", "email": "info@kupec.example",
        })
        cls.widget = cls.make_product("WIDGET", "Widget", 10.0, cls.tax_22)
        cls.book = cls.make_product("BOOK", "Book", 5.0, cls.tax_95)
        cls.env.user.groups_id += (cls.env.ref("metakocka_connector.group_metakocka_manager")
                                   + cls.env.ref("sales_team.group_sale_manager"))

    @classmethod
    def configure_company(cls, company):
        company.sudo().write({
            "metakocka_enabled": True,
            "metakocka_api_url": cls.simulator.url,
            "metakocka_company_id": SIM_COMPANY_ID,
            "metakocka_secret_key": SIM_SECRET_KEY,
        })

    @classmethod
    def sales_tax(cls, company, rate):
        return cls.env["account.tax"].create({
            "name": f"VAT {rate} %", "amount": rate, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": company.id,
        })

    @classmethod
    def make_product(cls, code, name, price, tax, **values):
        return cls.env["product.product"].create({
            "name": name, "default_code": code, "list_price": price, "type": "consu",
            "taxes_id": [Command.set(tax.ids)], **values,
        })

    def make_order(self, lines=None, confirm=True, partner=None, **values):
        """An order; ``lines`` are (product, quantity, price, discount) tuples."""
        lines = lines or [(self.widget, 2, 10.0, 10.0), (self.book, 1, 5.0, 0.0)]
        order = self.env["sale.order"].create({
            "partner_id": (partner or self.customer).id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": quantity, "price_unit": price,
                                "discount": discount})
                for product, quantity, price, discount in lines
            ],
            **values,
        })
        if confirm:
            order.action_confirm()
        return order

    def remote_orders(self):
        return self.simulator.documents("sales_order")


class MetakockaCase(MetakockaSetupMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_metakocka()


class MetakockaHttpCase(MetakockaSetupMixin, AccountTestInvoicingHttpCommon):
    """For tours: the browser logs in as the test user (login and password ``accountman``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_metakocka()
