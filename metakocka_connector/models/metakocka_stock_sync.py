import logging

from odoo import api, fields, models

from ..metakocka_api import MetakockaError, TransientError
from ..services import stock_levels
from ..services.stock_levels import StockLevelsProblem

_logger = logging.getLogger(__name__)


class MetakockaStockSync(models.AbstractModel):
    """Stock levels from the stock master to the other side: the entry points of the buttons and of the
    scheduled actions. The scheduled action is the one owner of commits: it commits after each batch of
    quantities. Tests and tools call ``_process_stock_work``, which does the same without committing."""

    _name = "metakocka.stock.sync"
    _description = "Metakocka stock levels"

    @api.model
    def _request(self, company):
        """Stock levels of ``company`` in step soon, in the background (a button)."""
        company.sudo().metakocka_stock_requested = True
        self._wake()

    @api.model
    def _wake(self):
        """Wake the worker now, unless a wake-up is already waiting for it."""
        cron = self.env.ref("metakocka_connector.ir_cron_stock_work").sudo()
        waiting = self.env["ir.cron.trigger"].sudo().search_count(
            [("cron_id", "=", cron.id), ("call_at", "<=", fields.Datetime.now())], limit=1)
        if not waiting:
            cron._trigger()

    @api.model
    def _cron_schedule_levels(self):
        """The companies that keep stock levels in step on a schedule get a full pass."""
        companies = self.env["res.company"].sudo().search([("metakocka_enabled", "=", True),
                                                           ("metakocka_stock_schedule", "=", True)])
        if companies:
            companies.write({"metakocka_stock_requested": True})
            self._wake()

    @api.model
    def _cron_work(self):
        self.env.cr.commit()
        return self._work(self.env.cr.commit)

    @api.model
    def _process_stock_work(self):
        """Everything waiting, in this transaction (tests and tools); how many companies and products."""
        return self._work(lambda: None)

    @api.model
    def _work(self, commit):
        Company = self.env["res.company"].sudo()
        done = 0
        for company in Company.search([("metakocka_enabled", "=", True), ("metakocka_stock_requested", "=", True)]):
            done += self._sync_company(company, commit)
        waiting = self.env["metakocka.stock.update"].sudo().search([]).company_id
        for company in waiting.filtered("metakocka_enabled"):
            done += self._read_changed(company, commit)
        return done

    def _company_env(self, company):
        return self.env(context=dict(self.env.context, allowed_company_ids=[company.id]), su=True)

    @api.model
    def _sync_company(self, company, commit):
        """A full pass of one company, the way its stock master says; logged, and committed per batch."""
        env = self._company_env(company)
        company = company.with_env(env)
        direction = "pull" if company.metakocka_stock_master == "metakocka" else "push"
        try:
            if direction == "pull":
                message = self._pull(env, company, None, commit)
            else:
                count = stock_levels.send_odoo_stock(env, company)
                message = env._("Stock levels sent to Metakocka: %(count)s products.", count=count)
        except Exception as exc:  # noqa: BLE001 - logged; the next company still goes
            self._log_failure(company, direction, exc)
            company.metakocka_stock_requested = isinstance(exc, TransientError)  # Metakocka away: next call
        else:
            stock_levels.log(env, company, direction, "success", message)
            company.write({"metakocka_stock_requested": False, "metakocka_stock_synced_at": fields.Datetime.now()})
        commit()
        return 1

    @api.model
    def _read_changed(self, company, commit):
        """Read again the stock of the products waiting for ``company``; they are forgotten once read."""
        env = self._company_env(company)
        company = company.with_env(env)
        updates = env["metakocka.stock.update"]._claim(company)
        read_at = fields.Datetime.now()
        if company.metakocka_stock_master != "metakocka":
            updates._done(read_at)  # Odoo keeps the stock now: Metakocka's changes are not taken
            commit()
            return 0
        trusted = updates.filtered("named_by_metakocka").mapped("product_code")
        try:
            self._pull(env, company, updates.mapped("product_code"), commit, trusted=trusted)
        except Exception as exc:  # noqa: BLE001 - logged; the products wait when Metakocka was away
            self._log_failure(company, "pull", exc)
            if not isinstance(exc, TransientError):
                updates._done(read_at)
        else:
            updates._done(read_at)
        commit()
        return len(updates)

    @api.model
    def _pull(self, env, company, codes, commit, trusted=()):
        """Metakocka's levels into Odoo, committed after each batch; the log line's message."""
        batches = stock_levels.odoo_batches(env, company, codes, trusted=trusted)
        changed = 0
        for batch in batches:
            with env.cr.savepoint():
                changed += stock_levels.apply_targets(env, company, batch)
            commit()
        total = sum(len(batch) for batch in batches)
        return env._("Stock levels from Metakocka: %(changed)s of %(total)s quantities changed.",
                     changed=changed, total=total)

    @api.model
    def _log_failure(self, company, direction, exc):
        if isinstance(exc, (MetakockaError, StockLevelsProblem)):
            message = str(exc)
        else:
            _logger.warning("Metakocka stock levels for %s failed", company.name, exc_info=True)
            message = self.env._("The stock levels stopped: %(error)s", error=exc)
        stock_levels.log(self.env, company, direction, "error", message)
