from odoo import api, fields, models


class ErpnextWebhookEvent(models.Model):
    """A webhook said that an ERPNext document changed: it is read again from ERPNext.

    Only the doctype and name of the delivery are kept, once per document (a duplicate delivery
    adds nothing); the body's data is never used.
    """

    _name = "erpnext.webhook.event"
    _description = "ERPNext document to read again"
    _order = "id"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    doctype = fields.Selection([("Customer", "Customer"), ("Contact", "Contact"), ("Address", "Address")],
                               required=True)
    docname = fields.Char("ERPNext name", required=True)
    event = fields.Char(help="The doc event the webhook named (after_insert, on_update, on_trash…), for information.")

    _sql_constraints = [
        ("document_unique", "UNIQUE (company_id, doctype, docname)", "This document is already waiting to be read."),
    ]

    @api.model
    def _enqueue(self, company, doctype, docname, event=None):
        """Remember one document to read again; a second delivery for it changes nothing."""
        self.env.cr.execute(
            """INSERT INTO erpnext_webhook_event (company_id, doctype, docname, event, create_uid, create_date,
                                                  write_uid, write_date)
               VALUES (%s, %s, %s, %s, %s, now() at time zone 'UTC', %s, now() at time zone 'UTC')
               ON CONFLICT (company_id, doctype, docname) DO NOTHING""",
            [company.id, doctype, docname, event, self.env.uid, self.env.uid],
        )
        return self.env.cr.rowcount

    @api.model
    def _wake_processor(self):
        """Wake the run processor now, unless a wake-up is already waiting for it: a burst of
        deliveries needs one."""
        cron = self.env.ref("erpnext_customer_sync.ir_cron_process_runs").sudo()
        waiting = self.env["ir.cron.trigger"].sudo().search_count(
            [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())], limit=1)
        if not waiting:
            cron._trigger()
