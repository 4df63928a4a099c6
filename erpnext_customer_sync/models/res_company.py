from odoo import fields, models

DIRECTIONS = [("pull", "ERPNext → Odoo only"), ("both", "Both ways")]
CONFLICT_POLICIES = [
    ("newest", "Newest change wins"),
    ("erpnext", "ERPNext wins"),
    ("odoo", "Odoo wins"),
    ("manual", "Hold for manual review"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    erpnext_enabled = fields.Boolean("ERPNext customer sync")
    erpnext_url = fields.Char("ERPNext URL", groups="base.group_system",
                              help="The site's address, e.g. https://erp.example.com. Empty: the "
                              "NEXT_PUBLIC_ERPNEXT_URL or ERPNEXT_URL environment variable.")
    erpnext_api_key = fields.Char("ERPNext API key", groups="base.group_system",
                                  help="Empty: the ERPNEXT_API_KEY environment variable.")
    erpnext_api_secret = fields.Char("ERPNext API secret", groups="base.group_system",
                                     help="Empty: the ERPNEXT_API_SECRET environment variable.")
    erpnext_webhook_secret = fields.Char(
        "ERPNext webhook secret", groups="base.group_system",
        help="The 'Webhook Secret' of the ERPNext webhooks that call this company's endpoint.")
    erpnext_direction = fields.Selection(DIRECTIONS, string="Sync direction", default="pull", required=True)
    erpnext_conflict_policy = fields.Selection(
        CONFLICT_POLICIES, string="When both sides changed", default="newest", required=True,
        help="What happens when a customer changed in Odoo and in ERPNext since the last sync.")
    erpnext_share_partners = fields.Boolean(
        "Share contacts from ERPNext with all companies",
        help="On: contacts made from ERPNext customers belong to no company, so every company sees them. Off: they "
        "belong to the company that synced them.")
    erpnext_company = fields.Char(
        "ERPNext company", help="The ERPNext company whose credit limit maps to the Odoo credit limit. "
        "Empty: credit limits are not synced.")
    erpnext_site_timezone = fields.Char("ERPNext time zone", readonly=True,
                                        help="The ERPNext site's system time zone, read at each sync.")
    erpnext_cursor_customer = fields.Char("Customers read up to", readonly=True, groups="base.group_system",
                                          help="ERPNext's own clock ('modified') of the newest customer read.")
    erpnext_cursor_contact = fields.Char("Contacts read up to", readonly=True, groups="base.group_system")
    erpnext_cursor_address = fields.Char("Addresses read up to", readonly=True, groups="base.group_system")
    erpnext_cursor_deleted = fields.Char("Deletions read up to", readonly=True, groups="base.group_system")
