from datetime import timedelta

from odoo import api, fields, models

#: A delivery id seen within this time is a repeat (Metakocka retries twice, 60 s apart).
DEDUP_WINDOW = timedelta(days=1)


class MetakockaWebhookDelivery(models.Model):
    """The ids (``X-MetaKocka-Id``) of the webhook deliveries of the last :data:`DEDUP_WINDOW`: a repeated
    delivery adds nothing. Older rows are deleted as new deliveries come in."""

    _name = "metakocka.webhook.delivery"
    _description = "Metakocka webhook delivery seen lately"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    event_id = fields.Char("Metakocka event id", required=True)
    received_at = fields.Datetime(required=True, index=True)

    _sql_constraints = [
        ("event_unique", "UNIQUE (company_id, event_id)", "This delivery was received already."),
    ]

    @api.model
    def _is_new(self, company, event_id):
        """Whether ``event_id`` was not seen within the window; it is remembered either way."""
        cr = self.env.cr
        cr.execute("DELETE FROM metakocka_webhook_delivery WHERE company_id = %s AND received_at < "
                   "(now() at time zone 'UTC') - %s", [company.id, DEDUP_WINDOW])
        cr.execute("""INSERT INTO metakocka_webhook_delivery (company_id, event_id, received_at)
                      VALUES (%s, %s, now() at time zone 'UTC')
                      ON CONFLICT (company_id, event_id) DO NOTHING""", [company.id, event_id])
        return bool(cr.rowcount)
