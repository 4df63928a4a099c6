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
        """Pull each company in turn; one company's failure, of whatever kind, never stops the next."""
        for company in self._enabled_companies().filtered("metakocka_pull_enabled"):
            self._pull_company(company)

    @api.model
    def _pull_company(self, company):
        """Pull one company and log a failure. What a Metakocka error interrupted stays imported (each
        order is whole, the cursor has not moved); any other failure undoes the company's pull."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=[company.id]), su=True)
        savepoint = self.env.cr.savepoint()
        try:
            result = pull_changed_orders(env, company.with_env(env))
        except Exception as exc:  # noqa: BLE001 - the next company must still be pulled
            savepoint.close(rollback=not isinstance(exc, MetakockaError))
            self._log_pull_failure(company, exc)
            return
        savepoint.close(rollback=False)
        _logger.info("Metakocka pull for %s: %s", company.name, result.counts)

    @api.model
    def _log_pull_failure(self, company, exc):
        if isinstance(exc, MetakockaError):
            message = str(exc)
        else:
            _logger.warning("Metakocka pull for %s failed", company.name, exc_info=True)
            message = self.env._("The pull of changed orders stopped: %(error)s", error=exc)
        self.env["metakocka.sync.log"]._record(
            None, company_id=company.id, direction="pull", operation="pull", status="error", message=message)

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
