{
    "name": "Metakocka Connector",
    "summary": "Keep quotations, orders, invoices, customers and products in step with Metakocka ERP",
    "version": "18.0.0.1.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Odoo Connectors",
    "depends": ["sale_stock"],
    "external_dependencies": {"python": ["requests", "tenacity"]},
    "data": [],
    "installable": True,
    "application": False,
}
