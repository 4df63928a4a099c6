import logging
import threading

from odoo import api, fields, models
from odoo.tools import SQL

from ..services.document_import import DocumentImporter
from ..services.document_push import DocumentPusher

_logger = logging.getLogger(__name__)

#: Items one cron call processes before it commits and reports progress.
BATCH_SIZE = 50
#: An item taken by a worker that has not finished it after this long is taken again.
STALE_CLAIM_MINUTES = 15

RUN_STATES = [("queued", "Queued"), ("running", "Running"), ("done", "Done")]


class MetakockaSyncRun(models.Model):
    """A bulk sync: who asked for what, how far it got, and what failed.

    The scheduled action "Metakocka: process sync runs" works through the items in committed
    batches. Several workers may run it at once: each takes its items with ``SKIP LOCKED``.
    """

    _name = "metakocka.sync.run"
    _description = "Metakocka sync run"
    _order = "id desc"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", string="Started by", default=lambda self: self.env.user)
    operation = fields.Selection([("push", "Send to Metakocka"), ("import", "Import from Metakocka")],
                                 required=True)
    origin = fields.Selection([
        ("selection", "Selected records"),
        ("sync_all", "Sync all"),
        ("confirmation", "Order confirmation"),
        ("schedule", "Scheduled action"),
        ("retry", "Retry of failures"),
        ("import", "Import screen"),
    ], required=True, default="selection")
    state = fields.Selection(RUN_STATES, default="queued", required=True, index=True)
    item_ids = fields.One2many("metakocka.sync.run.item", "run_id")
    failed_item_ids = fields.One2many("metakocka.sync.run.item", "run_id", domain=[("state", "=", "failed")])
    total_count = fields.Integer("Total", readonly=True)
    done_count = fields.Integer("Done", readonly=True)
    failed_count = fields.Integer("Failed", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)

    @api.depends("total_count", "done_count", "failed_count")
    def _compute_progress(self):
        for run in self:
            finished = run.done_count + run.failed_count
            run.progress = 100.0 * finished / run.total_count if run.total_count else 100.0

    # -- queueing -------------------------------------------------------------------------

    @api.model
    def _queue_push(self, records, origin="selection"):
        """A push run per company for ``records`` (orders or invoices); wakes the processing cron."""
        runs = self.browse()
        for company, company_records in records.grouped("company_id").items():
            runs |= self._queue(company, "push", origin, [
                {"res_model": record._name, "res_id": record.id, "record_name": record.display_name}
                for record in company_records
            ], self.env._("Send %(count)s %(what)s to Metakocka", count=len(company_records),
                          what=self.env._("orders") if records._name == "sale.order" else self.env._("invoices")))
        return runs

    @api.model
    def _queue_import(self, company, documents, origin="import"):
        """An import run for Metakocka ``documents``: (doc_type, mk_id, number) triples."""
        return self._queue(company, "import", origin, [
            {"mk_doc_type": doc_type, "mk_id": mk_id, "record_name": number}
            for doc_type, mk_id, number in documents
        ], self.env._("Import %(count)s Metakocka documents", count=len(documents)))

    def _queue(self, company, operation, origin, items, name):
        if not items:
            return self.browse()
        run = self.create({
            "name": name, "company_id": company.id, "operation": operation, "origin": origin,
            "total_count": len(items), "item_ids": [fields.Command.create(item) for item in items],
        })
        self.env.ref("metakocka_connector.ir_cron_process_sync_runs")._trigger()
        return run

    # -- user actions ---------------------------------------------------------------------

    @api.model
    def _action_queue_push(self, records):
        """The list's "Sync to Metakocka" action: one background run, then the run's form."""
        runs = self._queue_push(records)
        return self._open_runs(runs)

    @api.model
    def _action_sync_all(self, model):
        """"Sync all": every record of the current company never synced, failed or changed."""
        records = self.env[model]._metakocka_records_to_sync(self.env.company)
        if not records:
            return {"type": "ir.actions.client", "tag": "display_notification", "params": {
                "title": self.env._("Metakocka"), "type": "info",
                "message": self.env._("Everything is already in step with Metakocka.")}}
        return self._open_runs(self._queue_push(records, origin="sync_all"))

    def _open_runs(self, runs):
        action = self.env["ir.actions.act_window"]._for_xml_id("metakocka_connector.action_metakocka_sync_run")
        if len(runs) == 1:
            action.update(res_id=runs.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", runs.ids)]
        return action

    def action_retry_failed(self):
        """Queue the failed items of these runs again."""
        failed = self.item_ids.filtered(lambda item: item.state == "failed")
        failed.write({"state": "queued", "error": False})
        self.write({"state": "queued", "finished_at": False})
        self._refresh_counts()
        self.env.ref("metakocka_connector.ir_cron_process_sync_runs")._trigger()
        return True

    # -- processing -----------------------------------------------------------------------

    @api.model
    def _cron_process_runs(self):
        """One batch per call; the cron engine calls again while progress says work remains."""
        items = self._claim_batch()
        if not getattr(threading.current_thread(), "testing", False):
            # The claim (with its attempt count) must outlive a crash during the batch.
            self.env.cr.commit()
        self._process_items(items)
        remaining = self.env["metakocka.sync.run.item"].sudo().search_count([("state", "in", ("queued", "running"))])
        self.env["ir.cron"]._notify_progress(done=len(items), remaining=remaining)
        return len(items)

    @api.model
    def _claim_batch(self, size=BATCH_SIZE):
        """Take up to ``size`` queued (or abandoned) items that no other worker holds."""
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """UPDATE metakocka_sync_run_item
                  SET state = 'running', attempts = COALESCE(attempts, 0) + 1, claimed_at = (now() AT TIME ZONE 'UTC')
                WHERE id IN (
                      SELECT id FROM metakocka_sync_run_item
                       WHERE state = 'queued'
                          OR (state = 'running'
                              AND claimed_at < (now() AT TIME ZONE 'UTC') - make_interval(mins => %(stale)s))
                    ORDER BY run_id, id
                       LIMIT %(size)s
                  FOR UPDATE SKIP LOCKED)
            RETURNING id""",
            stale=STALE_CLAIM_MINUTES, size=size,
        ))
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.env["metakocka.sync.run.item"].invalidate_model(["state", "attempts", "claimed_at"])
        items = self.env["metakocka.sync.run.item"].sudo().browse(sorted(ids))
        runs = items.run_id.filtered(lambda run: run.state == "queued")
        runs.write({"state": "running", "started_at": fields.Datetime.now()})
        return items

    @api.model
    def _process_items(self, items):
        for run, run_items in items.grouped("run_id").items():
            env = self.env(user=run.user_id.id or self.env.uid, su=True, context=dict(
                self.env.context, allowed_company_ids=[run.company_id.id]))
            if run.operation == "push":
                self._push_items(env, run, run_items.with_env(env))
            else:
                self._import_items(env, run, run_items.with_env(env))
        items.run_id._refresh_counts()

    def _push_items(self, env, run, items):
        by_model = items.grouped("res_model")
        pusher = DocumentPusher(env, run.company_id.with_env(env))
        for model, model_items in by_model.items():
            records = env[model].browse(model_items.mapped("res_id")).exists()
            pusher.prefetch(records)
            by_id = {record.id: record for record in records}
            for item in model_items:
                record = by_id.get(item.res_id)
                if not record:
                    item.write({"state": "failed", "error": env._("The record no longer exists.")})
                    continue
                self._run_item(item, lambda record=record: pusher.push(record))

    def _import_items(self, env, run, items):
        importer = DocumentImporter(env, run.company_id.with_env(env))
        for item in items:
            self._run_item(item, lambda item=item: importer.import_document(item.mk_doc_type, item.mk_id))

    def _run_item(self, item, work):
        """Do one item's work in a savepoint, so that a failure never stops the batch."""
        try:
            with self.env.cr.savepoint():
                outcome = work()
        except Exception as exc:  # noqa: BLE001 - the item records the failure, the batch goes on
            _logger.warning("Metakocka run item %s failed: %s", item.id, exc, exc_info=True)
            item.write({"state": "failed", "error": str(exc)})
            return
        if outcome.status == "busy":
            item.write({"state": "queued"})  # another worker has the record right now
        elif outcome.ok:
            item.write({"state": "done", "result": outcome.status, "error": False})
        else:
            item.write({"state": "failed", "result": outcome.status, "error": outcome.message})

    def _refresh_counts(self):
        """Counters from one grouped query; a run with nothing left to do is done."""
        if not self:
            return
        self.env.flush_all()
        counts = {
            (run.id, state): count
            for run, state, count in self.env["metakocka.sync.run.item"].sudo()._read_group(
                [("run_id", "in", self.ids)], ["run_id", "state"], ["__count"])
        }
        for run in self:
            done, failed = counts.get((run.id, "done"), 0), counts.get((run.id, "failed"), 0)
            left = counts.get((run.id, "queued"), 0) + counts.get((run.id, "running"), 0)
            values = {"done_count": done, "failed_count": failed,
                      "total_count": done + failed + left}
            if not left and run.state != "done":
                values.update(state="done", finished_at=fields.Datetime.now())
            run.write(values)
