from odoo import api, fields, models

from ..erpnext_api import AuthenticationError, ConfigurationError, ERPNextError, PermissionDeniedError, TransientError
from ..services.connection import client_for, company_credentials


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    erpnext_enabled = fields.Boolean(related="company_id.erpnext_enabled", readonly=False)
    erpnext_url = fields.Char(related="company_id.erpnext_url", readonly=False)
    erpnext_api_key = fields.Char(related="company_id.erpnext_api_key", readonly=False)
    erpnext_api_secret = fields.Char(related="company_id.erpnext_api_secret", readonly=False)
    erpnext_webhook_secret = fields.Char(related="company_id.erpnext_webhook_secret", readonly=False)
    erpnext_direction = fields.Selection(related="company_id.erpnext_direction", readonly=False)
    erpnext_conflict_policy = fields.Selection(related="company_id.erpnext_conflict_policy", readonly=False)
    erpnext_company = fields.Char(related="company_id.erpnext_company", readonly=False)
    erpnext_share_partners = fields.Boolean(related="company_id.erpnext_share_partners", readonly=False)
    erpnext_webhook_url = fields.Char("Webhook URL", compute="_compute_erpnext_webhook_url")
    erpnext_sync_interval = fields.Integer(
        "Sync every", compute="_compute_erpnext_sync_interval", inverse="_inverse_erpnext_sync_interval",
        help="Minutes between two scheduled syncs (for every company).")

    @api.depends("company_id")
    def _compute_erpnext_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for settings in self:
            settings.erpnext_webhook_url = f"{base}/erpnext_customer_sync/webhook/{settings.company_id.id}"

    @api.depends("company_id")
    def _compute_erpnext_sync_interval(self):
        cron = self.env.ref("erpnext_customer_sync.ir_cron_sync", raise_if_not_found=False)
        minutes = {"minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43200}
        for settings in self:
            settings.erpnext_sync_interval = (
                cron.sudo().interval_number * minutes[cron.sudo().interval_type] if cron else 15)

    def _inverse_erpnext_sync_interval(self):
        cron = self.env.ref("erpnext_customer_sync.ir_cron_sync", raise_if_not_found=False)
        for settings in self:
            if cron and settings.erpnext_sync_interval > 0:
                cron.sudo().write({"interval_number": settings.erpnext_sync_interval, "interval_type": "minutes"})

    def action_erpnext_test_connection(self):
        """One authenticated call; says who we are in ERPNext, or exactly what is wrong."""
        self.ensure_one()
        self.execute()  # test what is on the screen, not what was saved before
        company = self.company_id
        credentials = company_credentials(company)
        try:
            info = client_for(company, **self.env['erpnext.sync.run']._transport_options()).test_connection()
        except AuthenticationError as exc:
            message, kind = self.env._("ERPNext refused the API key and secret: %(error)s", error=exc), "danger"
        except PermissionDeniedError as exc:
            message, kind = self.env._("ERPNext answered, but the API user may not read customers: %(error)s",
                                       error=exc), "danger"
        except ConfigurationError as exc:
            message, kind = str(exc), "danger"
        except TransientError as exc:
            message, kind = self.env._("ERPNext cannot be reached: %(error)s", error=exc), "danger"
        except ERPNextError as exc:
            message, kind = str(exc), "danger"
        else:
            if company.sudo().erpnext_site_timezone != info.time_zone:
                company.sudo().erpnext_site_timezone = info.time_zone
            sources = sorted(key for key, source in credentials.sources.items() if source == "environment")
            message = self.env._("Connected to %(url)s as %(user)s (site time zone %(zone)s); %(count)s customers.",
                                 url=credentials.url, user=info.user, zone=info.time_zone, count=info.customers)
            if sources:
                message += " " + self.env._("Taken from the environment: %(names)s.", names=", ".join(sources))
            kind = "success"
        self.env["erpnext.sync.log"].sudo().create({
            "company_id": company.id, "direction": "pull", "operation": "connection",
            "status": "success" if kind == "success" else "error", "message": message})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("ERPNext connection"), "message": message, "type": kind,
                       "sticky": kind != "success"},
        }
