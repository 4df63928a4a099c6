#!/usr/bin/env python3
"""Drive a real Odoo through XML-RPC, as a user would, against the Metakocka simulator.

    python3 tools/e2e_metakocka.py [--orders 200] [--fault-rate 0.1] [--keep-db]

Starts the simulator and an Odoo server (with its cron worker) on free ports, creates a throw-away
database with metakocka_connector, then:

1. creates and confirms an order, presses "Sync to Metakocka", and compares the simulator's sales
   order (lines and totals) with Odoo's, and the order's badge and number;
2. arms transient faults in the simulator (rate limits, 503s, maintenance pages and lost replies,
   together ``--fault-rate`` of all calls), confirms ``--orders`` orders, runs the list's
   "Sync to Metakocka" action on them, waits for the run, and counts what arrived.

Prints the figures and exits non-zero when a check fails. Needs Odoo 18 importable by python3 and
PostgreSQL as for tools/run_tests.py.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from odoo_rpc import OdooRpc, free_port, wait_until  # noqa: E402
from run_tests import addons_path, drop_database, odoo_db_args  # noqa: E402
from sandbox_admin import SandboxAdmin  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    db_name = f"metakocka_e2e_{int(time.time())}"
    data_dir = tempfile.mkdtemp(prefix="metakocka-e2e-")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    sim_port, odoo_port = free_port(), free_port()
    processes = []
    try:
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "sandbox.metakocka", "--port", str(sim_port), "--quiet"], cwd=ROOT, env=env))
        sim = SandboxAdmin(f"http://127.0.0.1:{sim_port}")
        common = [sys.executable, "-m", "odoo", "-d", db_name, *odoo_db_args(), f"--addons-path={addons_path()}",
                  f"--data-dir={data_dir}", "--without-demo=all", "--log-level=warn"]
        print(f"Installing metakocka_connector into {db_name} …", flush=True)
        subprocess.run([*common, "-i", "metakocka_connector", "--stop-after-init", f"--http-port={odoo_port}"],
                       cwd=ROOT, env=env, check=True)
        processes.append(subprocess.Popen([*common, f"--http-port={odoo_port}", "--max-cron-threads=1"],
                                          cwd=ROOT, env=env))
        odoo = OdooRpc(f"http://127.0.0.1:{odoo_port}", db_name)
        wait_until(lambda: odoo.ready() and sim.ready(), 120, "Odoo and the simulator to answer")

        failures = []
        setup = configure(odoo, sim)
        failures += one_order(odoo, sim, setup)
        failures += bulk_orders(odoo, sim, setup, args.orders, args.fault_rate)
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=30)
        if not args.keep_db:
            drop_database(db_name)
    print("E2E RESULT:", "FAILED: " + "; ".join(failures) if failures else "all checks passed", flush=True)
    return 1 if failures else 0


def configure(odoo, sim):
    company_id = odoo.call("res.users", "read", [odoo.uid], ["company_id"])[0]["company_id"][0]
    slovenia = odoo.call("res.country", "search", [("code", "=", "SI")])[0]
    odoo.call("res.company", "write", [company_id], {"country_id": slovenia})
    settings = odoo.call("res.config.settings", "create", {
        "metakocka_enabled": True, "metakocka_api_url": sim.url, "metakocka_company_id": "1000",
        "metakocka_secret_key": "sandbox-secret",
    })
    odoo.call("res.config.settings", "execute", [settings])
    message = odoo.call("res.config.settings", "action_metakocka_test_connection", [settings])["params"]["message"]
    print("Test connection:", message, flush=True)
    taxes = {rate: odoo.call("account.tax", "create", {"name": f"DDV {rate} %", "amount": rate,
                                                       "amount_type": "percent", "type_tax_use": "sale"})
             for rate in (22.0, 9.5)}
    customer = odoo.call("res.partner", "create", {
        "name": "Trgovina Sonček d.o.o.", "is_company": True, "street": "Celovška cesta 10", "zip": "1000",
        "city": "Ljubljana", "country_id": slovenia, "vat": "SI87654321", "email": "narocila@soncek.example"})
    products = [
        odoo.call("product.product", "create", {"name": name, "default_code": code, "list_price": price,
                                                "type": "consu", "taxes_id": [(6, 0, [taxes[rate]])]})
        for name, code, price, rate in (("Kava 1 kg", "E2E-KAVA", 21.90, 9.5), ("Mlinček", "E2E-MLIN", 39.90, 22.0))
    ]
    return {"customer": customer, "products": products}


def order_values(setup, number):
    kava, mlin = setup["products"]
    return {"partner_id": setup["customer"], "order_line": [
        (0, 0, {"product_id": kava, "product_uom_qty": 2 + number % 3, "discount": 5.0}),
        (0, 0, {"product_id": mlin, "product_uom_qty": 1}),
    ]}


def one_order(odoo, sim, setup):
    order = odoo.call("sale.order", "create", order_values(setup, 0))
    odoo.call("sale.order", "action_confirm", [order])
    action = odoo.call("sale.order", "action_metakocka_sync", [order])
    record = odoo.call("sale.order", "read", [order], ["name", "amount_total", "amount_untaxed", "metakocka_state",
                                                        "metakocka_count_code", "order_line"])[0]
    lines = odoo.call("sale.order.line", "read", record["order_line"], ["product_id", "product_uom_qty"])
    documents = sim.documents("sales_order")
    print(f"One order: {record['name']} → {action['params']['message']}", flush=True)
    failures = []
    if len(documents) != 1:
        return [f"expected 1 sales order in the simulator, found {len(documents)}"]
    document = documents[0]
    remote_lines = [(line["code"], Decimal(line["amount"])) for line in document["product_list"]]
    local_lines = [(product_code(odoo, line["product_id"][0]), Decimal(str(line["product_uom_qty"])))
                   for line in lines]
    print(f"  Odoo:      {record['metakocka_state']} {record['metakocka_count_code']} lines {local_lines} "
          f"total {record['amount_total']:.2f}", flush=True)
    print(f"  Simulator: {document['count_code']} lines {remote_lines} sum_basic {document['sum_basic']} "
          f"sum_all {document['sum_all']}", flush=True)
    if record["metakocka_state"] != "synced" or record["metakocka_count_code"] != document["count_code"]:
        failures.append("the order does not show synced with the simulator's number")
    if remote_lines != local_lines:
        failures.append("the simulator's lines differ from Odoo's")
    if Decimal(document["sum_all"]) != Decimal(f"{record['amount_total']:.2f}"):
        failures.append("the simulator's total differs from Odoo's")
    return failures


def bulk_orders(odoo, sim, setup, count, fault_rate):
    orders = odoo.call("sale.order", "create", [order_values(setup, number) for number in range(1, count + 1)])
    odoo.call("sale.order", "action_confirm", orders)
    documents_before = len(sim.documents("sales_order"))
    share = fault_rate / 4
    for kind, options in (("rate_limit", {}), ("http_error", {"status": 503}), ("maintenance", {}),
                          ("lost_reply", {})):
        sim.add_fault(kind, probability=share, times=None, seed=len(kind), ops=["put_document"], **options)
    action = odoo.call("ir.actions.server", "search",
                       [("name", "=", "Sync to Metakocka"), ("model_name", "=", "sale.order")])[0]
    started = time.monotonic()
    result = odoo.call("ir.actions.server", "run", [action],
                       context={"active_model": "sale.order", "active_ids": orders, "active_id": orders[0]})
    run_id = result["res_id"]
    wait_until(lambda: odoo.call("metakocka.sync.run", "read", [run_id], ["state"])[0]["state"] == "done", 900,
               "the run to finish")
    elapsed = time.monotonic() - started
    run = odoo.call("metakocka.sync.run", "read", [run_id], ["total_count", "done_count", "failed_count"])[0]
    arrived = len(sim.documents("sales_order")) - documents_before
    requests = sim.requests("put_document")
    faults = sum(1 for request in requests if request.get("fault"))
    print(f"Bulk: run of {run['total_count']}: {run['done_count']} done, {run['failed_count']} failed in "
          f"{elapsed:.1f} s; {arrived} new sales orders in the simulator; {len(requests)} put_document calls, "
          f"{faults} of them hit by a fault", flush=True)
    failures = []
    if (run["total_count"], run["done_count"], run["failed_count"]) != (count, count, 0):
        failures.append(f"the run ended {run['done_count']} done / {run['failed_count']} failed of {count}")
    if arrived != count:
        failures.append(f"{arrived} sales orders arrived instead of {count}")
    return failures


def product_code(odoo, product_id):
    return odoo.call("product.product", "read", [product_id], ["default_code"])[0]["default_code"]


if __name__ == "__main__":
    sys.exit(main())
