"""Shared set-up for the addon's tests: a Metakocka simulator on 127.0.0.1, spoken to over HTTP.

Odoo's test harness lets HTTP through to 127.0.0.1 only, which is where the simulator listens.
"""

from odoo.tests import TransactionCase

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


class MetakockaSimulatorCase(SimulatorMixin, TransactionCase):
    """A plain TransactionCase with the simulator."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start_simulator()
