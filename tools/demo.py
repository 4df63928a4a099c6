#!/usr/bin/env python3
"""The product on the embedded sandbox, in one command: both simulators, an Odoo database with both
addons configured against them, and Odoo on http://localhost:8069.

    python3 tools/demo.py [--port 8069] [--db connectors_demo] [--state-dir .demo]
    python3 tools/demo.py setup --odoo-url URL --db NAME --metakocka-url URL --erpnext-url URL

Without a sub-command it starts the simulators (their state kept under --state-dir), creates the
database when it does not exist yet (or reuses it), starts Odoo, configures the company and adds
demo contacts, products and orders (once), and prints what to try first. Ctrl-C stops everything.
`setup` only configures an Odoo that is already running (the docker-compose "setup" service).
Needs Odoo 18 importable by python3 (except for `setup`) and PostgreSQL as for tools/run_tests.py.
"""

import argparse
import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]
from demo_setup import set_up  # noqa: E402
from odoo_rpc import OdooRpc, wait_until  # noqa: E402

ERPNEXT_KEY, ERPNEXT_SECRET = "sandbox-key", "sandbox-secret"


def erpnext_settings(erpnext_url):
    return {"erpnext_enabled": True, "erpnext_url": erpnext_url, "erpnext_api_key": ERPNEXT_KEY,
            "erpnext_api_secret": ERPNEXT_SECRET, "erpnext_direction": "both"}


def configure(odoo_url, db, metakocka_url, erpnext_url, timeout=300):
    odoo = OdooRpc(odoo_url, db)
    wait_until(odoo.ready, timeout, f"Odoo at {odoo_url} (database {db})")
    if set_up(odoo, metakocka_url, erpnext_settings(erpnext_url)):
        print("Configured the demo company and added demo contacts, products and orders.", flush=True)
    else:
        print("The demo database was set up before; left as it is.", flush=True)


def run_local(args):
    if importlib.util.find_spec("odoo") is None:
        sys.exit("The demo needs Odoo 18 importable by python3 (python3 -c 'import odoo' fails). "
                 "See README.md, Prerequisites.")
    from run_tests import addons_path, odoo_db_args  # noqa: PLC0415 - imports odoo

    from sandbox import demo  # noqa: PLC0415

    # Ctrl-C (and a plain `kill`) stop everything, even when started from a script that ignores SIGINT.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    print("Starting the Metakocka and ERPNext sandboxes …", flush=True)
    metakocka, erpnext = demo.start(state_dir=args.state_dir, customers=args.customers)
    odoo_command = [sys.executable, "-m", "odoo", "-d", args.db, *odoo_db_args(), f"--addons-path={addons_path()}",
                    f"--data-dir={Path(args.state_dir).resolve() / 'odoo-data'}", f"--http-port={args.port}",
                    "--without-demo=all", "--log-level=warn"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    process = None
    try:
        if not database_exists(args.db):
            print(f"Creating the database {args.db} with both addons (about a minute) …", flush=True)
            subprocess.run([*odoo_command, "-i", "metakocka_connector,erpnext_customer_sync", "--stop-after-init"],
                           cwd=ROOT, env=env, check=True)
        process = subprocess.Popen([*odoo_command, "--max-cron-threads=1"], cwd=ROOT, env=env)
        configure(f"http://127.0.0.1:{args.port}", args.db, metakocka.url, erpnext.url)
        print(WELCOME.format(port=args.port, metakocka=metakocka.url, erpnext=erpnext.url), flush=True)
        process.wait()
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
    finally:
        if process and process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        erpnext.stop()
        metakocka.stop()


def _interrupt(_signal, _frame):
    raise KeyboardInterrupt


def database_exists(name):
    import psycopg2  # noqa: PLC0415 - comes with Odoo

    from run_tests import pg_settings  # noqa: PLC0415

    params = {key: value for key, value in pg_settings().items() if value is not None}
    with psycopg2.connect(dbname="postgres", **params) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


WELCOME = """
Odoo is running on http://localhost:{port}  —  log in as admin / admin.
Sandboxes: Metakocka {metakocka}, ERPNext {erpnext}.

Try first:
  1. Sales → Orders → S00001 → "Sync to Metakocka": the badge turns to Synced with its PP- number.
  2. Sales → Orders, select orders, Actions → "Sync to Metakocka": the run shows its progress.
  3. Sales → Metakocka → Import from Metakocka: import a web order that is only in Metakocka.
  4. Contacts (list view) → "Sync from ERPNext": a few hundred ERPNext customers arrive.
Ctrl-C stops Odoo and the sandboxes; their state stays under .demo/ for the next start.
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    setup = sub.add_parser("setup", help="configure a running Odoo (for docker compose)")
    setup.add_argument("--odoo-url", required=True)
    setup.add_argument("--db", default="connectors_demo")
    setup.add_argument("--metakocka-url", required=True)
    setup.add_argument("--erpnext-url", required=True)
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--db", default="connectors_demo")
    parser.add_argument("--state-dir", default=str(ROOT / ".demo"))
    parser.add_argument("--customers", type=int, default=300, help="ERPNext customers on a fresh start")
    args = parser.parse_args()
    if args.command == "setup":
        configure(args.odoo_url, args.db, args.metakocka_url, args.erpnext_url, timeout=900)
    else:
        run_local(args)


if __name__ == "__main__":
    main()
