import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..metakocka_api import NO_RETRY, AuthenticationError, ConfigurationError, MetakockaError, TransientError
from ..services.connection import client_for

#: "Test connection" answers within seconds, whatever the state of the network.
TEST_TIMEOUT = (3.0, 10.0)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    metakocka_enabled = fields.Boolean(related="company_id.metakocka_enabled", readonly=False)
    metakocka_api_url = fields.Char(related="company_id.metakocka_api_url", readonly=False)
    metakocka_company_id = fields.Char(related="company_id.metakocka_company_id", readonly=False)
    metakocka_secret_key = fields.Char(related="company_id.metakocka_secret_key", readonly=False)
    metakocka_quotation_doc_type = fields.Selection(related="company_id.metakocka_quotation_doc_type",
                                                    readonly=False)
    metakocka_order_doc_type = fields.Selection(related="company_id.metakocka_order_doc_type", readonly=False)
    metakocka_invoice_doc_type = fields.Selection(related="company_id.metakocka_invoice_doc_type", readonly=False)
    metakocka_stock_master = fields.Selection(related="company_id.metakocka_stock_master", readonly=False)
    metakocka_stock_check = fields.Selection(related="company_id.metakocka_stock_check", readonly=False)
    metakocka_tracking_without_invoice = fields.Selection(related="company_id.metakocka_tracking_without_invoice",
                                                          readonly=False)
    metakocka_push_on_confirm = fields.Boolean(related="company_id.metakocka_push_on_confirm", readonly=False)
    metakocka_pull_enabled = fields.Boolean(related="company_id.metakocka_pull_enabled", readonly=False)
    metakocka_share_records = fields.Boolean(related="company_id.metakocka_share_records", readonly=False)
    metakocka_pull_interval = fields.Integer(
        "Pull every", compute="_compute_metakocka_pull_interval", inverse="_inverse_metakocka_pull_interval",
        help="Minutes between two scheduled pulls (for every company).",
    )
    metakocka_edit_conflict = fields.Selection(related="company_id.metakocka_edit_conflict", readonly=False)

    @api.depends("company_id")
    def _compute_metakocka_pull_interval(self):
        cron = self.env.ref("metakocka_connector.ir_cron_pull_changes", raise_if_not_found=False)
        minutes = {"minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43200}
        for settings in self:
            settings.metakocka_pull_interval = (
                cron.sudo().interval_number * minutes[cron.sudo().interval_type] if cron else 15
            )

    def _inverse_metakocka_pull_interval(self):
        cron = self.env.ref("metakocka_connector.ir_cron_pull_changes", raise_if_not_found=False)
        for settings in self:
            if cron and settings.metakocka_pull_interval > 0:
                cron.sudo().write({"interval_number": settings.metakocka_pull_interval, "interval_type": "minutes"})

    def action_metakocka_test_connection(self):
        """One cheap authenticated call; says "connected" or exactly what is wrong."""
        self.ensure_one()
        self.execute()  # test what is on the screen, not what was saved before
        company = self.company_id
        log = self.env["metakocka.sync.log"].sudo()
        try:
            client = client_for(company, retry=NO_RETRY, timeout=TEST_TIMEOUT)
            warehouses = client.test_connection()
        except AuthenticationError as exc:
            message, kind = self.env._("Metakocka refused the company id or secret key: %(error)s", error=exc), "danger"
        except ConfigurationError as exc:
            message, kind = str(exc), "danger"
        except TransientError as exc:
            message, kind = self.env._("Metakocka cannot be reached: %(error)s", error=exc), "danger"
        except MetakockaError as exc:
            message, kind = str(exc), "danger"
        else:
            marks = ", ".join(filter(None, (warehouse.get("mark") for warehouse in warehouses)))
            message = self.env._("Connected to Metakocka company %(company)s. Warehouses: %(marks)s.",
                                 company=client.company_id, marks=marks or "-")
            kind = "success"
        log.create({"company_id": company.id, "direction": "push", "operation": "connection",
                    "status": "success" if kind == "success" else "error", "message": message})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("Metakocka connection"), "message": message, "type": kind,
                       "sticky": kind != "success"},
        }

    # -- products ------------------------------------------------------------------------

    metakocka_push_new_products = fields.Boolean(related="company_id.metakocka_push_new_products", readonly=False)
    metakocka_product_schedule = fields.Boolean(related="company_id.metakocka_product_schedule", readonly=False)

    def action_metakocka_pull_products(self):
        """Pull Metakocka's product catalogue into Odoo's products, in the background."""
        self.ensure_one()
        self.execute()
        return self.env["metakocka.sync.run"].with_company(self.company_id)._action_pull_products()

    # -- customers ----------------------------------------------------------------------------

    metakocka_push_new_partners = fields.Boolean(related="company_id.metakocka_push_new_partners", readonly=False)
    metakocka_partner_schedule = fields.Boolean(related="company_id.metakocka_partner_schedule", readonly=False)

    def action_metakocka_pull_partners(self):
        """Pull Metakocka's partner register into Odoo's contacts, in the background."""
        self.ensure_one()
        self.execute()
        return self.env["metakocka.sync.run"].with_company(self.company_id)._action_pull_partners()

    # -- stock levels both ways, and Metakocka's stock webhook -------------------------------
    metakocka_api_user_email = fields.Char(related="company_id.metakocka_api_user_email", readonly=False)
    metakocka_stock_schedule = fields.Boolean(related="company_id.metakocka_stock_schedule", readonly=False)
    metakocka_stock_synced_at = fields.Datetime(related="company_id.metakocka_stock_synced_at")
    metakocka_webhook_secret = fields.Char(related="company_id.metakocka_webhook_secret")
    metakocka_webhook_url = fields.Char("Stock webhook URL", compute="_compute_metakocka_webhook_url")

    @api.depends("company_id")
    def _compute_metakocka_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for settings in self:
            settings.metakocka_webhook_url = stock_webhook_url(base, settings.company_id)

    def action_metakocka_generate_webhook_secret(self):
        """A new client secret for Metakocka's stock webhook (settings administrators only)."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("Only settings administrators may change the webhook secret."))
        self.company_id.sudo().metakocka_webhook_secret = secrets.token_urlsafe(32)
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_metakocka_sync_stock_levels(self):
        """Stock levels from the stock master to the other side: a background run, then its form."""
        self.ensure_one()
        self.execute()
        return self.env["metakocka.sync.run"].with_company(self.company_id)._action_sync_stock_levels()

    # -- payments of invoices sent to Metakocka ------------------------------------------------
    metakocka_payment_read = fields.Boolean(related="company_id.metakocka_payment_read", readonly=False)
    metakocka_payment_register = fields.Boolean(related="company_id.metakocka_payment_register", readonly=False)
    metakocka_payment_journal_id = fields.Many2one(related="company_id.metakocka_payment_journal_id", readonly=False)
    metakocka_payment_send = fields.Boolean(related="company_id.metakocka_payment_send", readonly=False)
    metakocka_payment_type = fields.Char(related="company_id.metakocka_payment_type", readonly=False)
    metakocka_payments_read_at = fields.Datetime(related="company_id.metakocka_payments_read_at")
    metakocka_payment_read_interval = fields.Integer(
        "Read payments every", compute="_compute_metakocka_payment_read_interval",
        inverse="_inverse_metakocka_payment_read_interval",
        help="Minutes between two scheduled reads of invoice payments (for every company).")

    @api.depends("company_id")
    def _compute_metakocka_payment_read_interval(self):
        cron = self.env.ref("metakocka_connector.ir_cron_read_payments", raise_if_not_found=False)
        for settings in self:
            settings.metakocka_payment_read_interval = cron_minutes(cron, default=60)

    def _inverse_metakocka_payment_read_interval(self):
        cron = self.env.ref("metakocka_connector.ir_cron_read_payments", raise_if_not_found=False)
        for settings in self:
            if cron and settings.metakocka_payment_read_interval > 0:
                cron.sudo().write({"interval_number": settings.metakocka_payment_read_interval,
                                   "interval_type": "minutes"})

    def action_metakocka_read_payments(self):
        """Read what Metakocka knows of the payment of this company's invoices, in the background."""
        self.ensure_one()
        self.execute()
        self.env["metakocka.payment.sync"]._request(self.company_id)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Metakocka invoice payments"), "type": "info",
            "message": self.env._("Invoice payments are read from Metakocka in the background; the sync log shows "
                                  "the outcome.")}}


def stock_webhook_url(base, company):
    return f"{base.rstrip('/')}/metakocka_connector/webhook/stock/{company.id}"


def cron_minutes(cron, default):
    """A scheduled action's interval in minutes (``default`` when it is gone)."""
    if not cron:
        return default
    minutes = {"minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43200}
    return cron.sudo().interval_number * minutes[cron.sudo().interval_type]
