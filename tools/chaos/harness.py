"""The processes of the chaos suite: both simulators, one throw-away database, real Odoo servers.

:class:`Lab` starts them and stops every one of them in :meth:`Lab.close` (also after a failure or
Ctrl-C); the database is dropped unless ``keep_db``. Odoo servers run threaded with cron workers,
as in production, each with its own log file.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"
for path in (str(ROOT), str(TOOLS)):
    if path not in sys.path:
        sys.path.insert(0, path)

from demo import erpnext_settings  # noqa: E402
from demo_setup import CUSTOMERS, PRODUCTS, set_up  # noqa: E402
from odoo_rpc import OdooRpc, free_port  # noqa: E402
from run_tests import ADDONS, OdooTestRun, addons_path  # noqa: E402
from sandbox_admin import SandboxAdmin  # noqa: E402

#: Seconds a server or simulator may take to answer after it was started.
START_TIMEOUT = 180
#: Seconds one XML-RPC call may take (creating and confirming a few hundred orders is the longest).
RPC_TIMEOUT = 300
#: The cron log lines that tell which server ran which batch.
CRON_LOG = "odoo.addons.base.models.ir_cron:INFO"


def child_env():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))


class Child:
    """A process of ours, in its own session (Ctrl-C reaches only us; we stop it ourselves)."""

    def __init__(self, name, log_path):
        self.name = name
        self.log_path = log_path
        self.process = None

    def spawn(self, command):
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL: no shutdown, no commit, no cleanup (as a crash or an OOM kill)."""
        if self.running:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self):
        """SIGTERM, then SIGKILL if it has not stopped within 30 s."""
        if not self.running:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_offset(self):
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset):
        with open(self.log_path, errors="replace") as log:
            log.seek(offset)
            return log.read()


class SimulatorProcess(Child):
    """``python3 -m sandbox.<name> --port P --quiet``; ``admin`` talks to its /_sandbox endpoints."""

    def __init__(self, name, log_dir, *extra_args):
        super().__init__(name, log_dir / f"{name}.log")
        self.port = free_port()
        self.extra_args = extra_args
        self.admin = SandboxAdmin(self.url)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.spawn([sys.executable, "-m", f"sandbox.{self.name}", "--port", str(self.port), "--quiet",
                    *self.extra_args])
        if not poll(self.admin.ready, START_TIMEOUT, interval=0.2):
            raise RuntimeError(f"the {self.name} simulator did not answer within {START_TIMEOUT} s ({self.log_path})")


class OdooServer(Child):
    """``python3 -m odoo -d DB --http-port=P --max-cron-threads=N`` on the lab's database."""

    def __init__(self, name, database, log_dir, cron_threads):
        super().__init__(name, log_dir / f"odoo-{name}.log")
        self.database = database
        self.port = free_port()
        self.cron_threads = cron_threads
        self.starts = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def command(self):
        db = self.database
        return [sys.executable, "-m", "odoo", "-d", db.db_name, *db.db_args, f"--addons-path={addons_path()}",
                f"--data-dir={db.data_dir}", f"--http-port={self.port}", f"--max-cron-threads={self.cron_threads}",
                "--without-demo=all", "--log-level=warn", f"--log-handler={CRON_LOG}"]

    def start(self):
        """Start a new process (a restart after a kill is a new process too) and wait until it answers;
        returns the seconds that took. Its cron workers first look for work up to a minute later
        (Odoo's cron threads sleep before their first poll unless a job is triggered)."""
        started = time.monotonic()
        self.spawn(self.command())
        self.starts += 1
        rpc = OdooRpc(self.url, self.database.db_name, timeout=10)
        if not poll(lambda: self.running and rpc.ready(), START_TIMEOUT, interval=0.5):
            raise RuntimeError(f"Odoo server {self.name} did not answer within {START_TIMEOUT} s ({self.log_path})")
        return time.monotonic() - started

    def rpc(self, timeout=RPC_TIMEOUT):
        """A logged-in admin XML-RPC client of this server (one per thread)."""
        client = OdooRpc(self.url, self.database.db_name, timeout=timeout)
        if not client.ready():
            raise RuntimeError(f"cannot log in to Odoo server {self.name}")
        return client


class Lab:
    """Both simulators, the database with both addons installed once, and the Odoo servers on it."""

    def __init__(self, keep_db=False):
        self.log_dir = Path(tempfile.mkdtemp(prefix="odoo-connectors-chaos-"))
        self.database = OdooTestRun(keep_db=keep_db, prefix="odoo_connectors_chaos")
        self.metakocka = SimulatorProcess("metakocka", self.log_dir)
        self.erpnext = SimulatorProcess("erpnext", self.log_dir, "--no-samples")
        self.servers = {}
        self.installed = False
        self.catalog = None

    def open(self):
        """Start everything and configure the company; returns a line saying what was set up."""
        started = time.monotonic()
        self.metakocka.start()
        self.erpnext.start()
        self.installed = True  # from here on, close() drops the database (if it exists)
        if not self.database.install():
            raise RuntimeError(f"installing {', '.join(ADDONS)} failed (log in {self.database.log_dir})")
        server = self.add_server("A", cron_threads=2)
        connections = self.configure(server.rpc())
        return (f"chaos setup: database {self.database.db_name} with {', '.join(ADDONS)}, server A on port "
                f"{server.port}, simulators on {self.metakocka.port} and {self.erpnext.port}; {connections}; "
                f"logs in {self.log_dir} ({time.monotonic() - started:.1f} s)")

    def prepare(self):
        """A scenario's clean start: server A running (started again if a scenario left it dead), no fault
        armed in either simulator."""
        if not self.servers["A"].running:
            self.servers["A"].start()
        for simulator in (self.metakocka, self.erpnext):
            simulator.admin.clear_faults()

    def add_server(self, name, cron_threads):
        server = self.servers[name] = OdooServer(name, self.database, self.log_dir, cron_threads)
        server.start()
        return server

    def configure(self, odoo):
        """Settings → Metakocka and Settings → ERPNext pointing at the simulators (as the demo does),
        both "Test connection" buttons pressed; the demo's taxes, products and customers."""
        set_up(odoo, self.metakocka.url, erpnext_settings(self.erpnext.url))
        settings = odoo.call("res.config.settings", "create", {})
        answers = [odoo.call("res.config.settings", method, [settings])["params"]
                   for method in ("action_metakocka_test_connection", "action_erpnext_test_connection")]
        failed = [answer["message"] for answer in answers if answer["type"] != "success"]
        if failed:
            raise RuntimeError("Test connection failed: " + "; ".join(failed))
        self.catalog = Catalog.read(odoo)
        return "; ".join(answer["message"] for answer in answers)

    def close(self):
        """Stop every process we started, then drop the database (unless kept)."""
        for child in [*self.servers.values(), self.metakocka, self.erpnext]:
            child.stop()
        if self.installed:
            if self.database.keep_db:
                print(f"Kept database {self.database.db_name} (data dir {self.database.data_dir}).", flush=True)
            else:
                self.database.drop()


class Catalog:
    """The demo's customers, products and taxes, by what a person would look them up by."""

    def __init__(self, customers, products, company):
        self.customers = customers  # ids
        self.products = products  # default_code -> id
        self.company = company

    @classmethod
    def read(cls, odoo):
        company = odoo.call("res.users", "read", [odoo.uid], ["company_id"])[0]["company_id"][0]
        customers = odoo.call("res.partner", "search", [("name", "in", [c["name"] for c in CUSTOMERS])], order="id")
        products = {row["default_code"]: row["id"] for row in odoo.call(
            "product.product", "search_read", [("default_code", "in", [p[0] for p in PRODUCTS])], ["default_code"])}
        return cls(customers, products, company)


def poll(condition, seconds, interval=0.5):
    """True as soon as ``condition()`` is true; False when ``seconds`` passed first."""
    deadline = time.monotonic() + max(seconds, 0)
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(min(interval, max(deadline - time.monotonic(), 0.01)))
