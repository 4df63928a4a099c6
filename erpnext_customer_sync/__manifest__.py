{
    "name": "ERPNext Customer Sync",
    "summary": "Keep ERPNext customers and Odoo contacts in step, both ways and incrementally",
    "version": "18.0.0.1.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "Odoo Connectors",
    "depends": ["contacts", "account"],
    "external_dependencies": {"python": ["requests", "tenacity"]},
    "data": [],
    "installable": True,
    "application": False,
}
