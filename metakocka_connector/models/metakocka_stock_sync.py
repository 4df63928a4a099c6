import logging

from odoo import api, fields, models

from ..metakocka_api import MetakockaError, TransientError
from ..services import stock_levels
from ..services.stock_levels import StockLevelsProblem
from ..services.stock_runs import STOCK_OPERATIONS, StockRunWork

_logger = logging.getLogger(__name__)


class MetakockaSyncRun(models.Model):
    """Stock runs: a full pass of a company's stock levels, an item per mapped warehouse (services/stock_runs)."""

    _inherit = "metakocka.sync.run"

    operation = fields.Selection(selection_add=[("stock_pull", "Stock levels from Metakocka"),
                                                ("stock_push", "Stock levels to Metakocka")],
                                 ondelete={"stock_pull": "cascade", "stock_push": "cascade"})

    @api.model
    def _queue_stock_levels(self, company, origin="settings"):
        """A full pass for ``company`` the way its stock master says (the one waiting or running, if any)."""
        operation = "stock_pull" if company.metakocka_stock_master == "metakocka" else "stock_push"
        waiting = self.search([("company_id", "=", company.id), ("operation", "in", STOCK_OPERATIONS),
                               ("state", "in", ("queued", "running"))], limit=1)
        rows = self.env["metakocka.warehouse.map"].sudo().search([("company_id", "=", company.id)])
        name = (self.env._("Stock levels from Metakocka into Odoo") if operation == "stock_pull"
                else self.env._("Stock levels from Odoo to Metakocka"))
        return waiting or self._queue(company, operation, origin, [
            {"res_model": row._name, "res_id": row.id,
             "record_name": f"{row.warehouse_id.display_name} ⇄ {row.mark}"} for row in rows
        ], name)

    @api.model
    def _workers_for(self, items):
        stock_items = items.filtered(lambda item: item.run_id.operation in STOCK_OPERATIONS)
        workers = super()._workers_for(items - stock_items)
        for run in stock_items.run_id:
            workers[run.id] = StockRunWork(run)
        return workers

    @api.model
    def _action_sync_stock_levels(self):
        """The "Bring stock levels in step now" button: a background run for the current company, then its form."""
        company = self.env.company
        run = self._queue_stock_levels(company)
        if not run:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "title": self.env._("Metakocka stock levels"), "type": "warning",
                "message": self.env._("No Odoo warehouse of %(company)s is mapped to a Metakocka warehouse: map "
                                      "them in Settings → Metakocka → Warehouses.", company=company.name)}}
        return self._open_runs(run)

    def action_sync_stock_levels_now(self):
        """The "Bring stock levels in step now" button of the stock syncs' list."""
        return self._action_sync_stock_levels()


class MetakockaStockSync(models.AbstractModel):
    """The stock of the products Metakocka's webhook named (or a user asked for), read again by a scheduled
    action woken at once, and the scheduled full passes (queued as stock runs). The scheduled action is the
    one owner of commits: it commits after each batch of quantities. Tests and tools call
    ``_process_stock_work``, which does the same without committing."""

    _name = "metakocka.stock.sync"
    _description = "Metakocka stock levels"

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
        """The companies that keep stock levels in step on a schedule get a full pass (a stock run)."""
        companies = self.env["res.company"].sudo().search([("metakocka_enabled", "=", True),
                                                           ("metakocka_stock_schedule", "=", True)])
        Run = self.env["metakocka.sync.run"].sudo()
        for company in companies:
            Run._queue_stock_levels(company, origin="schedule")

    @api.model
    def _cron_work(self):
        self.env.cr.commit()
        return self._work(self.env.cr.commit)

    @api.model
    def _process_stock_work(self):
        """Everything waiting, in this transaction (tests and tools); how many products."""
        return self._work(lambda: None)

    @api.model
    def _work(self, commit):
        done = 0
        waiting = self.env["metakocka.stock.update"].sudo().search([]).company_id
        for company in waiting.filtered("metakocka_enabled"):
            done += self._read_changed(company, commit)
        return done

    def _company_env(self, company):
        return self.env(context=dict(self.env.context, allowed_company_ids=[company.id]), su=True)

    @api.model
    def _read_changed(self, company, commit):
        """Read again the stock of the products waiting for ``company``; they are forgotten once read."""
        env = self._company_env(company)
        company = company.with_env(env)
        updates = env["metakocka.stock.update"]._claim(company)
        read_at = updates._clock()
        if company.metakocka_stock_master != "metakocka":
            updates._done(read_at)  # Odoo keeps the stock now: Metakocka's changes are not taken
            commit()
            return 0
        trusted = updates.filtered("named_by_metakocka").mapped("product_code")
        try:
            message = self._pull(env, company, updates.mapped("product_code"), commit, trusted=trusted)
        except Exception as exc:  # noqa: BLE001 - logged; the products wait when Metakocka was away
            self._log_failure(company, "pull", exc)
            if not isinstance(exc, TransientError):
                updates._done(read_at)
        else:
            stock_levels.log(env, company, "pull", "success", message)
            updates._done(read_at)
        commit()
        return len(updates)

    @api.model
    def _pull(self, env, company, codes, commit, trusted=()):
        """Metakocka's levels of ``codes`` into Odoo, committed after each batch; the log line's message."""
        batches = stock_levels.odoo_batches(env, company, codes, trusted=trusted)
        changed = 0
        for batch in batches:
            with env.cr.savepoint():
                changed += stock_levels.apply_targets(env, company, batch)
            commit()
        total = sum(len(batch) for batch in batches)
        return env._("Stock of %(codes)s read again from Metakocka: %(changed)s of %(total)s quantities changed.",
                     codes=", ".join(sorted(codes)[:20]) + (" …" if len(codes) > 20 else ""), changed=changed,
                     total=total)

    @api.model
    def _log_failure(self, company, direction, exc):
        if isinstance(exc, (MetakockaError, StockLevelsProblem)):
            message = str(exc)
        else:
            _logger.warning("Metakocka stock levels for %s failed", company.name, exc_info=True)
            message = self.env._("The stock levels stopped: %(error)s", error=exc)
        stock_levels.log(self.env, company, direction, "error", message)
