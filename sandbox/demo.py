"""Both simulators with demo data, their state kept in files: ``python -m sandbox.demo``.

    python -m sandbox.demo [--host 127.0.0.1] [--state-dir .demo] [--metakocka-port 8770]
                           [--erpnext-port 8780] [--customers 300]

The Metakocka sandbox starts with its Slovenian company (warehouses, statuses, taxes, partners,
products) plus a few orders, offers and bills that are not in Odoo yet; the ERPNext sandbox with a
few hundred customers with contacts and addresses. Both keep their state in SQLite files under
``--state-dir``, so a restart keeps what the demo did. Ctrl-C stops them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .core.cli import serve_until_stopped
from .erpnext import ERPNextSimulator
from .metakocka import MetakockaSimulator
from .metakocka.demo_data import add_demo_documents

METAKOCKA_COMPANY_ID = "1000"
METAKOCKA_SECRET_KEY = "sandbox-secret"


def start(host="127.0.0.1", state_dir=".demo", metakocka_port=8770, erpnext_port=8780, customers=300):
    """Start both simulators (in this process); returns them, already serving."""
    state = Path(state_dir)
    state.mkdir(parents=True, exist_ok=True)
    metakocka_state = state / "metakocka.sqlite"
    fresh = not metakocka_state.exists()
    metakocka = MetakockaSimulator(host=host, port=metakocka_port, company_id=METAKOCKA_COMPANY_ID,
                                   secret_key=METAKOCKA_SECRET_KEY, state_file=metakocka_state).start()
    if fresh:
        add_demo_documents(f"http://127.0.0.1:{metakocka.port}", METAKOCKA_COMPANY_ID, METAKOCKA_SECRET_KEY)
    erpnext = ERPNextSimulator(host=host, port=erpnext_port, seed_customers=customers,
                               state_file=state / "erpnext.sqlite").start()
    return metakocka, erpnext


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sandbox.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--state-dir", default=".demo")
    parser.add_argument("--metakocka-port", type=int, default=8770)
    parser.add_argument("--erpnext-port", type=int, default=8780)
    parser.add_argument("--customers", type=int, default=300, help="ERPNext customers on a fresh start")
    args = parser.parse_args(argv)

    metakocka, erpnext = start(args.host, args.state_dir, args.metakocka_port, args.erpnext_port, args.customers)
    print(f"Metakocka sandbox at {metakocka.url} (company {METAKOCKA_COMPANY_ID})", flush=True)
    print(f"ERPNext sandbox at {erpnext.url}", flush=True)
    serve_until_stopped(metakocka, erpnext)


if __name__ == "__main__":
    main()
