"""Configure a running Odoo for the demo through XML-RPC: settings, taxes, contacts, products, orders.

Used by ``tools/demo.py`` on this machine and by the ``setup`` service of docker-compose.yml.
Idempotent: a database that is already set up is left as it is.
"""

READY_FLAG = "connectors_demo.ready"

TAXES = [("DDV 22 %", 22.0, "EX4"), ("DDV 9,5 %", 9.5, "095")]

# Product codes match the Metakocka sandbox's catalogue, so that orders sent there use its products.
PRODUCTS = [
    ("KAVA-500", "Kava, 500 g", 13.49, 9.5),
    ("MLIN-01", "Ročni mlinček za kavo", 39.90, 22.0),
    ("SKODELICA", "Skodelica za espresso", 9.99, 22.0),
    ("TERMOS", "Termovka 0,5 l", 19.90, 22.0),
]

CUSTOMERS = [
    {"name": "Bistro Pri mostu d.o.o.", "is_company": True, "street": "Trubarjeva cesta 12", "zip": "1000",
     "city": "Ljubljana", "vat": "SI11223344", "email": "narocila@primostu.example", "phone": "+386 1 555 0101"},
    {"name": "Hotel Jezero d.o.o.", "is_company": True, "street": "Cesta svobode 7", "zip": "4260",
     "city": "Bled", "vat": "SI55667788", "email": "nabava@hoteljezero.example", "phone": "+386 4 555 0202"},
    {"name": "Ana Kovač", "street": "Gosposka ulica 3", "zip": "2000", "city": "Maribor",
     "email": "ana.kovac@example.com"},
]

# (customer index, [(product code, quantity, discount %)], confirm)
ORDERS = [
    (0, [("KAVA-500", 10, 10.0), ("SKODELICA", 12, 0.0)], True),
    (1, [("MLIN-01", 3, 0.0), ("TERMOS", 6, 10.0)], True),
    (2, [("KAVA-500", 2, 0.0)], False),
]


def set_up(odoo, metakocka_url, erpnext=None):
    """Everything the demo needs in the database ``odoo`` is logged in to. Returns False when the
    database had been set up before (and is left alone)."""
    if odoo.call("ir.config_parameter", "get_param", READY_FLAG):
        return False
    company = odoo.call("res.users", "read", [odoo.uid], ["company_id"])[0]["company_id"][0]
    slovenia = odoo.call("res.country", "search", [("code", "=", "SI")])[0]
    euro = odoo.call("res.currency", "search", [("name", "=", "EUR"), ("active", "in", (True, False))])[0]
    odoo.call("res.currency", "write", [euro], {"active": True})
    # Metakocka rounds tax per tax code over the whole document, as Odoo's "Round Globally" does.
    odoo.call("res.company", "write", [company], {
        "name": "Kavarna Demo d.o.o.", "country_id": slovenia, "street": "Mestni trg 1", "zip": "1000",
        "city": "Ljubljana", "currency_id": euro, "tax_calculation_rounding_method": "round_globally"})
    odoo.call("product.pricelist", "write", odoo.call("product.pricelist", "search", []), {"currency_id": euro})
    settings = {
        "metakocka_enabled": True, "metakocka_api_url": metakocka_url, "metakocka_company_id": "1000",
        "metakocka_secret_key": "sandbox-secret",
        **(erpnext or {}),
    }
    odoo.call("res.config.settings", "execute", [odoo.call("res.config.settings", "create", settings)])
    warehouse = odoo.call("stock.warehouse", "search", [("company_id", "=", company)], limit=1)[0]
    odoo.call("metakocka.warehouse.map", "create", {"company_id": company, "warehouse_id": warehouse, "mark": "glavno"})
    taxes = {rate: odoo.call("account.tax", "create", {
        "name": name, "amount": rate, "amount_type": "percent", "type_tax_use": "sale", "metakocka_tax_code": code,
    }) for name, rate, code in TAXES}
    products = {code: odoo.call("product.product", "create", {
        "name": name, "default_code": code, "list_price": price, "type": "consu",
        "taxes_id": [(6, 0, [taxes[rate]])],
    }) for code, name, price, rate in PRODUCTS}
    customers = [odoo.call("res.partner", "create", {**customer, "country_id": slovenia}) for customer in CUSTOMERS]
    for customer, lines, confirm in ORDERS:
        order = odoo.call("sale.order", "create", {"partner_id": customers[customer], "order_line": [
            (0, 0, {"product_id": products[code], "product_uom_qty": quantity, "discount": discount})
            for code, quantity, discount in lines
        ]})
        if confirm:
            odoo.call("sale.order", "action_confirm", [order])
    odoo.call("ir.config_parameter", "set_param", READY_FLAG, "1")
    return True
