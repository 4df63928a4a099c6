import hashlib
import json
from datetime import timedelta

from odoo import api, fields, models

#: Deliveries naming the same document, event and 'modified' within this time are one delivery.
DEDUP_WINDOW = timedelta(minutes=10)


class ErpnextWebhookDelivery(models.Model):
    """The webhook deliveries of the last :data:`DEDUP_WINDOW`, by a digest of what they name: a
    replayed (or re-sent) delivery within the window is not queued again. Older rows are deleted as
    new deliveries come in."""

    _name = "erpnext.webhook.delivery"
    _description = "ERPNext webhook delivery seen lately"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    digest = fields.Char(required=True, help="SHA-256 of the doctype, name, event and 'modified' the delivery named.")
    received_at = fields.Datetime(required=True, index=True)

    _sql_constraints = [
        ("digest_unique", "UNIQUE (company_id, digest)", "This delivery was received already."),
    ]

    @api.model
    def _is_new(self, company, doctype, docname, event, modified):
        """Whether this is the first delivery naming (doctype, docname, event, modified) within the
        window; it is remembered either way."""
        digest = hashlib.sha256(json.dumps([doctype, docname, event, modified]).encode()).hexdigest()
        cr = self.env.cr
        cr.execute("DELETE FROM erpnext_webhook_delivery WHERE company_id = %s AND received_at < "
                   "(now() at time zone 'UTC') - %s", [company.id, DEDUP_WINDOW])
        cr.execute("""INSERT INTO erpnext_webhook_delivery (company_id, digest, received_at)
                      VALUES (%s, %s, now() at time zone 'UTC')
                      ON CONFLICT (company_id, digest) DO NOTHING""", [company.id, digest])
        return bool(cr.rowcount)
