import datetime
import logging

from odoo import api, fields, models

from ..metakocka_api import MetakockaError
from ..services.pull import pull_changed_orders

_logger = logging.getLogger(__name__)

#: Failed syncs are tried again after 5, 10, 20, 40 and 80 minutes, then left to a person.
RETRY_BASE = datetime.timedelta(minutes=5)
MAX_RETRIES = 5


class MetakockaScheduler(models.AbstractModel):
    """The entry points of the shipped scheduled actions."""

    _name = "metakocka.scheduler"
    _description = "Metakocka scheduled actions"

    @api.model
    def _enabled_companies(self):
        return self.env["res.company"].sudo().search([("metakocka_enabled", "=", True)])

    @api.model
    def _cron_push_changed(self):
        """Queue records that are linked and changed since their last sync, or waiting to be sent."""
        Run = self.env["metakocka.sync.run"].sudo()
        for company in self._enabled_companies():
            for model in ("sale.order", "account.move"):
                records = self.env[model].sudo()._metakocka_records_to_sync(company).filtered(
                    lambda record: record.metakocka_state in ("synced", "pending"))
                Run._queue_push(records, origin="schedule")

    @api.model
    def _cron_pull_changes(self):
        for company in self._enabled_companies().filtered("metakocka_pull_enabled"):
            env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]), su=True)
            try:
                result = pull_changed_orders(env, company.with_env(env))
            except MetakockaError as exc:
                self.env["metakocka.sync.log"].sudo().create({
                    "company_id": company.id, "direction": "pull", "operation": "pull", "status": "error",
                    "message": str(exc),
                })
                continue
            _logger.info("Metakocka pull for %s: %s", company.name, result.counts)

    @api.model
    def _cron_retry_errors(self):
        """Queue failed syncs again, each after a longer wait than the one before."""
        now = fields.Datetime.now()
        links = self.env["metakocka.document.link"].sudo().search([
            ("company_id", "in", self._enabled_companies().ids),
            ("state", "in", ("error", "pending")),
            ("last_direction", "=", "push"),
            ("retry_count", "<", MAX_RETRIES),
            "|", ("next_retry_at", "=", False), ("next_retry_at", "<=", now),
        ])
        for link in links:
            link.write({"retry_count": link.retry_count + 1,
                        "next_retry_at": now + RETRY_BASE * (2 ** link.retry_count)})
        Run = self.env["metakocka.sync.run"].sudo()
        Run._queue_push(links.sale_order_id, origin="retry")
        Run._queue_push(links.move_id, origin="retry")
