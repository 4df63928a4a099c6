import logging
import time

from psycopg2 import errors

from odoo import api, fields, models

from ..services import run_queue
from ..services.outcome import Outcome
from ..services.run_work import RunWork

_logger = logging.getLogger(__name__)

#: Items one cron call takes at most.
BATCH_SIZE = 50
#: A cron call takes no new item after this long (the items it took and did not reach are given back).
BATCH_SECONDS = 30.0

RUN_STATES = [("queued", "Queued"), ("running", "Running"), ("done", "Done")]


class MetakockaSyncRun(models.Model):
    """A bulk sync: who asked for what, how far it got, and what failed.

    The scheduled action "Metakocka: process sync runs" works through the items in batches, committing
    after each item. Several workers and hosts may run it at once: each takes its items with
    ``SKIP LOCKED``, and an item whose worker died is taken again (``services/run_queue``).
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
        failed.write({"state": "queued", "error": False, "attempts": 0, "available_at": False,
                      "claimed_at": False, "claimed_by": False})
        self.write({"state": "queued", "finished_at": False})
        self._refresh_counts()
        self.env.ref("metakocka_connector.ir_cron_process_sync_runs")._trigger()
        return True

    # -- processing -----------------------------------------------------------------------
    #
    # The scheduled action is the one owner of commits: it commits its claim, then after each item,
    # so that a worker killed half-way loses at most the item it was working on. Services never
    # commit. Tests and tools that need a run worked to its end in their own transaction call
    # ``_process_queued_items`` instead, which works the same items the same way without committing.

    @api.model
    def _cron_process_runs(self):
        """Work one batch for up to BATCH_SECONDS; the cron engine calls again while work remains."""
        deadline = time.monotonic() + BATCH_SECONDS
        items = self._claim_batch()
        self.env.cr.commit()  # the claims (with their attempt counts) outlive a crash of this worker
        worked = self.env["metakocka.sync.run.item"]
        try:
            workers = self._workers_for(items)
            for item in items:
                if time.monotonic() > deadline:
                    break
                self._work_item(item, workers)
                worked |= item
                self.env.cr.commit()
        finally:
            # Also after an unforeseen error: what it left undone is undone, the items not done are free again.
            self.env.cr.rollback()
            run_queue.release(self.env, (items - worked).ids)
            self.env.cr.commit()
        remaining = self._remaining_items()
        self._wake_up_when_items_free_up(remaining)
        self.env["ir.cron"]._notify_progress(done=len(worked), remaining=remaining)
        return len(worked)

    @api.model
    def _process_queued_items(self):
        """Work every item that may be taken now, in this transaction (tests and tools); how many."""
        count = 0
        while items := self._claim_batch():
            workers = self._workers_for(items)
            for item in items:
                self._work_item(item, workers)
            count += len(items)
        return count

    @api.model
    def _claim_batch(self, size=BATCH_SIZE):
        """Take up to ``size`` items no other worker holds (see ``services/run_queue``)."""
        self.env.flush_all()
        failed_runs = run_queue.fail_exhausted(self.env)
        ids = run_queue.claim(self.env, size)
        self.env["metakocka.sync.run.item"].invalidate_model()
        self.browse(failed_runs)._refresh_counts()
        items = self.env["metakocka.sync.run.item"].sudo().browse(ids)
        runs = items.run_id.filtered(lambda run: run.state == "queued")
        runs.write({"state": "running", "started_at": fields.Datetime.now()})
        return items

    @api.model
    def _workers_for(self, items):
        """{run id: RunWork} for the runs of ``items``, with what their records need read in a few queries."""
        workers = {}
        for run, run_items in items.grouped("run_id").items():
            workers[run.id] = RunWork(run)
            workers[run.id].prefetch(run_items)
        return workers

    def _work_item(self, item, workers):
        """One item's push or import in a savepoint: its failure is recorded, the batch goes on."""
        work = workers[item.run_id.id]
        try:
            with self.env.cr.savepoint():
                outcome = work(item)
        except (errors.SerializationFailure, errors.LockNotAvailable, errors.DeadlockDetected):
            # Another transaction changed what this item needed: its work is undone, it is tried again soon.
            outcome = Outcome("busy", self.env._("Another process was changing %(record)s; it is tried again.",
                                                 record=item.record_name))
        except Exception as exc:  # noqa: BLE001 - the item records the failure, the batch goes on
            _logger.warning("Metakocka run item %s failed: %s", item.id, exc, exc_info=True)
            outcome = Outcome("failed", str(exc))
        item.write(_item_values(outcome))
        item.run_id._refresh_counts_unless_busy()

    @api.model
    def _remaining_items(self):
        return self.env["metakocka.sync.run.item"].sudo().search_count([("state", "in", ("queued", "running"))])

    @api.model
    def _wake_up_when_items_free_up(self, remaining):
        """Items nobody may take now (a busy record, another worker's claim) get a wake-up call for when
        they are free, instead of waiting for the next regular call of the scheduled action."""
        free_at = remaining and run_queue.next_free_at(self.env)
        if free_at:
            cron = self.env.ref("metakocka_connector.ir_cron_process_sync_runs")
            cron._trigger(at=max(free_at, fields.Datetime.now()))

    def _refresh_counts_unless_busy(self):
        """Counters as now, unless another transaction is changing the run (the next item does it then)."""
        try:
            with self.env.cr.savepoint():
                self._refresh_counts()
        except (errors.SerializationFailure, errors.LockNotAvailable):
            _logger.info("Metakocka run %s is being changed elsewhere; its counters wait for the next item.", self.ids)

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


def _item_values(outcome):
    if outcome.status == "busy":
        return {"state": "queued", "available_at": run_queue.busy_until(), "error": outcome.message,
                "claimed_at": False, "claimed_by": False}
    state = "done" if outcome.ok else "failed"
    return {"state": state, "result": outcome.status, "error": False if outcome.ok else outcome.message,
            "claimed_at": False, "claimed_by": False}
