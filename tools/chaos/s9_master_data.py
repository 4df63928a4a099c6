"""Scenario 9: master data at scale on a real server — customers and products pulled and pulled again, a
customer changed in Odoo, stock levels both ways with Metakocka's signed stock webhook.

Metakocka's register is grown to 1 000 partners and 2 000 products (stock in the main warehouse, some
of it kept on two microlocations). Then, as an integrator would over XML-RPC:

* Settings → "Pull customers now" and "Pull products now": background runs, their counts (created /
  linked / updated / unchanged / failed); each pulled again: nothing written (no partner, product or
  link has a newer ``write_date`` than before the second pull);
* one linked customer's street changed in Odoo: exactly one ``update_partner`` reaches Metakocka;
* Metakocka keeps the stock, three products' stock changed there and Metakocka's webhook signed with
  the company's client secret names them: within 5 s Odoo's on-hand of the three equals Metakocka's
  amount, and every ``warehouse_stock`` read since named only those three; a delivery signed with a
  wrong secret is answered 401 and nothing is read;
* Odoo keeps the stock, a second warehouse mapped to Metakocka's shop: "Bring stock levels in step now"
  sends one ``sync_stock`` per mapped warehouse, each carrying every storable product Odoo has.

The pulled goods are made storable (as a company keeping stock would have them); the settings are set
back to Odoo keeping the stock at the end.
"""

import re
import time

from . import actions

NUMBER, TITLE, LIMIT = 9, "master data at scale: customers, products, stock both ways", 1200
PARTNERS, PRODUCTS = 1000, 2000
PREFIX = "S9"
PULL_LIMIT = 600
PUSH_LIMIT = 60
WEBHOOK_LIMIT = 5
WEBHOOK_CODES = [f"{PREFIX}-00007", f"{PREFIX}-00009", f"{PREFIX}-00011"]
#: Their new stock in Metakocka's main warehouse: the first on two microlocations (two rows).
NEW_STOCK = {WEBHOOK_CODES[0]: {"microlocations": {"A1": "5", "B2": "6"}}, WEBHOOK_CODES[1]: {"amount": "13"},
             WEBHOOK_CODES[2]: {"amount": "2,5"}}
API_USER = "api@sandbox.example"
COUNTS = re.compile(r"(created|linked|updated|unchanged|failed) (\d+)")


def run(lab, trial):
    odoo, metakocka = lab.servers["A"].rpc(), lab.metakocka.admin
    held = metakocka.register_size()  # the sandbox's own, and what earlier scenarios added
    metakocka.seed_master_data(partners=PARTNERS - held["partners"], products=PRODUCTS - held["products"],
                               prefix=PREFIX)
    pull_twice(trial, odoo, "customers", "action_metakocka_pull_partners",
               ["res.partner", "metakocka.partner.link", "metakocka.partner.child"])
    one_customer_changed(trial, odoo, metakocka)
    pull_twice(trial, odoo, "products", "action_metakocka_pull_products",
               ["product.product", "product.template", "metakocka.product.link"])
    make_goods_storable(odoo)
    webhook_for_three_products(lab, trial, odoo, metakocka)
    odoo_keeps_the_stock(lab, trial, odoo, metakocka)


# -- pulls ------------------------------------------------------------------------------------------


def pull_twice(trial, odoo, what, button, models):
    """Pull with the settings button, then again; the figures of both, and the check that the second wrote nothing."""
    first = pull(trial, odoo, button)
    trial.figure(f"{what} pulled in {first['seconds']:.1f} s: {describe(first['counts'])}")
    trial.check(first["counts"].get("failed") == 0, f"{what}: the first pull failed rows: {first['errors']}")
    before = {model: write_dates(odoo, model) for model in models}
    second = pull(trial, odoo, button)
    written = {model: count_written(before[model], write_dates(odoo, model)) for model in models}
    trial.figure(f"pulled again in {second['seconds']:.1f} s: {describe(second['counts'])}, "
                 f"{sum(written.values())} records written")
    trial.check(not any(written.values()), f"{what}: the second pull wrote {written}")
    changed = {key: value for key, value in second["counts"].items() if key != "unchanged" and value}
    trial.check(not changed, f"{what}: the second pull was not all unchanged: {second['counts']}")
    return first


def pull(trial, odoo, button):
    settings = odoo.call("res.config.settings", "create", {})
    run_id = odoo.call("res.config.settings", button, [settings])["res_id"]
    started = time.monotonic()
    trial.wait_or_fail(lambda: actions.run_done(odoo, run_id), PULL_LIMIT, f"the run of {button}", interval=1)
    items = actions.run_items(odoo, run_id)
    counts = {}
    for item in items:
        for status, number in COUNTS.findall(item["result"] or item["error"] or ""):
            counts[status] = counts.get(status, 0) + int(number)
    errors = [item["error"] for item in items if item["error"]]
    return {"counts": counts, "seconds": time.monotonic() - started, "errors": errors}


def describe(counts):
    return ", ".join(f"{status} {counts.get(status, 0)}" for status in ("created", "linked", "updated", "unchanged",
                                                                        "failed"))


def write_dates(odoo, model):
    """{id: write_date} of every record of ``model`` (archived ones too)."""
    rows = odoo.call(model, "search_read", [], ["write_date"], context={"active_test": False})
    return {row["id"]: row["write_date"] for row in rows}


def count_written(before, after):
    """Records written (or created) between two :func:`write_dates`. XML-RPC gives whole seconds, so each
    record is compared with itself: the second pull starts seconds after the first one's last write."""
    return sum(1 for record_id, written in after.items() if before.get(record_id) != written)


def one_customer_changed(trial, odoo, metakocka):
    """A linked customer's street changed in Odoo: one update_partner, sent by the push run it queues."""
    partner = odoo.call("res.partner", "search", [("name", "=", f"{PREFIX} Stranka 00001 d.o.o.")])
    metakocka.clear_requests()
    odoo.call("res.partner", "write", partner, {"street": "Nova cesta 1"})
    sent = trial.wait(lambda: any(request["op"] == "update_partner" for request in metakocka.requests()),
                      PUSH_LIMIT, interval=0.5)
    time.sleep(3)  # anything more would be sent by now
    updates = metakocka.requests("update_partner")
    streets = [request["body"]["partner"].get("street") for request in updates]
    trial.figure(f"one linked customer changed in Odoo: {len(updates)} update_partner {streets}")
    trial.check(sent and len(updates) == 1 and streets == ["Nova cesta 1"],
                f"expected exactly one update_partner with the new street, got {streets}")


# -- stock ------------------------------------------------------------------------------------------


def make_goods_storable(odoo):
    """The pulled goods kept in stock, as a company keeping stock has them."""
    templates = odoo.call("product.template", "search", [("default_code", "=like", f"{PREFIX}-%"),
                                                         ("type", "=", "consu")])
    odoo.call("product.template", "write", templates, {"is_storable": True})


def webhook_for_three_products(lab, trial, odoo, metakocka):
    company = lab.catalog.company
    odoo.call("res.company", "write", [company], {"metakocka_stock_master": "metakocka"})
    settings = odoo.call("res.config.settings", "create", {})
    odoo.call("res.config.settings", "action_metakocka_generate_webhook_secret", [settings])
    secret = odoo.call("res.company", "read", [company], ["metakocka_webhook_secret"])[0]["metakocka_webhook_secret"]
    url = f"{lab.servers['A'].url}/metakocka_connector/webhook/stock/{company}"
    expected = {code: amount(metakocka.set_stock(code, "glavno", **stock)) for code, stock in NEW_STOCK.items()}
    metakocka.clear_requests()
    sent = time.monotonic()
    status = metakocka.send_stock_webhook(url, secret, WEBHOOK_CODES, retries=0)
    in_step = trial.wait(lambda: odoo_on_hand(lab, odoo, WEBHOOK_CODES) == expected, WEBHOOK_LIMIT, interval=0.2)
    seconds = time.monotonic() - sent
    named = [request["body"].get("product_code_list") for request in metakocka.requests("warehouse_stock")]
    trial.figure(f"signed webhook for 3 products: HTTP {status}, Odoo's on-hand {odoo_on_hand(lab, odoo, WEBHOOK_CODES)}"
                 f" = Metakocka's {expected} after {seconds:.1f} s, warehouse_stock reads naming {named}")
    trial.check(status == 200, f"the signed webhook was answered {status}")
    trial.check(in_step, f"Odoo's on-hand not Metakocka's within {WEBHOOK_LIMIT} s")
    trial.check(named and all(set((codes or "").split(",")) <= set(WEBHOOK_CODES) for codes in named),
                f"other products were read: {named}")
    wrongly_signed(trial, odoo, metakocka, url)


def wrongly_signed(trial, odoo, metakocka, url):
    metakocka.clear_requests()
    status = metakocka.send_stock_webhook(url, "not-the-secret", [f"{PREFIX}-00013"], retries=0)
    time.sleep(2)
    reads = len(metakocka.requests("warehouse_stock"))
    waiting = odoo.call("metakocka.stock.update", "search_count", [])
    trial.figure(f"wrongly signed: HTTP {status}, {reads} reads, {waiting} products waiting")
    trial.check(status == 401 and reads == 0 and waiting == 0, "a wrongly signed webhook was not refused cleanly")


def amount(answer):
    """A product's amount in a warehouse: its rows summed (one per microlocation)."""
    return sum(float(row["amount"].replace(",", ".")) for row in answer["stock_list"])


def odoo_on_hand(lab, odoo, codes):
    warehouse = odoo.call("stock.warehouse", "search", [("company_id", "=", lab.catalog.company)], limit=1)[0]
    rows = odoo.call("product.product", "search_read", [("default_code", "in", codes)],
                     ["default_code", "qty_available"], context={"warehouse_id": warehouse})
    return {row["default_code"]: row["qty_available"] for row in rows}


def odoo_keeps_the_stock(lab, trial, odoo, metakocka):
    company = lab.catalog.company
    odoo.call("res.company", "write", [company], {"metakocka_stock_master": "odoo",
                                                  "metakocka_api_user_email": API_USER})
    shop = odoo.call("stock.warehouse", "create", {"name": "Chaos shop", "code": "CHS", "company_id": company})
    shop_map = odoo.call("metakocka.warehouse.map", "create", {"company_id": company, "warehouse_id": shop,
                                                               "mark": "trgovina"})
    metakocka.clear_requests()
    settings = odoo.call("res.config.settings", "create", {})
    run_id = odoo.call("res.config.settings", "action_metakocka_sync_stock_levels", [settings])["res_id"]
    trial.wait_or_fail(lambda: actions.run_done(odoo, run_id), PULL_LIMIT, "the stock run", interval=1)
    bodies = [request["body"] for request in metakocka.requests("sync_stock")]
    warehouses = odoo.call("metakocka.warehouse.map", "search_count", [("company_id", "=", company)])
    storable = {row["default_code"] for row in odoo.call(
        "product.product", "search_read", [("is_storable", "=", True), ("default_code", "!=", False)],
        ["default_code"])}
    carried = [{line.get("product_code") for line in body["stock_list"]} for body in bodies]
    trial.figure(f"Odoo keeps the stock: {len(bodies)} sync_stock for {warehouses} mapped warehouse(s), "
                 f"{[len(lines) for lines in carried]} lines, {len(storable)} storable products in Odoo")
    trial.check(len(bodies) == warehouses, f"{len(bodies)} sync_stock calls for {warehouses} warehouses")
    trial.check(all(lines == storable for lines in carried), "a sync_stock did not carry every storable product")
    odoo.call("metakocka.warehouse.map", "unlink", [shop_map])
