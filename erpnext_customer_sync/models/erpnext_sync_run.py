import logging
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..erpnext_api import (
    AuthenticationError,
    ConfigurationError,
    ERPNextError,
    PermissionDeniedError,
    RetryPolicy,
    TransientError,
)
from ..erpnext_api.client import DEFAULT_PAGE_SIZE
from ..services import locks
from ..services.connection import client_for, missing_settings
from ..services.context import SyncContext
from ..services.pull import CustomerPuller
from ..services.push import CustomerPusher
from ..services.steps import PUSH_DOMAIN, RunSteps

_logger = logging.getLogger(__name__)

#: A cron call starts no new step after this long, and lets the cron engine call again.
BATCH_SECONDS = 30.0

RUN_STATES = [("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")]
COUNTERS = ("processed", "created", "updated", "unchanged", "failed", "archived", "conflicts")


class ErpnextSyncRun(models.Model):
    """A sync with ERPNext: who started it, how, how far it got, and what it did.

    Runs are worked through by the scheduled action "ERPNext: process sync runs" in committed
    steps (a page of customers, a contact to send), so a restart half-way resumes where the last
    step ended. Each step holds its company's lock (transaction-scoped): one company's runs never
    step at once, whatever the number of workers and hosts.
    """

    _name = "erpnext.sync.run"
    _description = "ERPNext sync run"
    _order = "id desc"

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", string="Started by", default=lambda self: self.env.user)
    operation = fields.Selection([("pull", "ERPNext → Odoo"), ("push", "Odoo → ERPNext")], required=True)
    trigger = fields.Selection([("manual", "By hand"), ("schedule", "Scheduled action"), ("webhook", "Webhook"),
                                ("change", "Change in Odoo")], required=True, default="manual")
    mode = fields.Selection([("incremental", "Changes since the last run"), ("full", "Everything"),
                             ("names", "Chosen customers"), ("pending", "Changed contacts")],
                            required=True, default="incremental")
    force = fields.Boolean(help="Apply every difference, even where ERPNext did not change.")
    state = fields.Selection(RUN_STATES, default="queued", required=True, index=True)
    processed_count = fields.Integer("Processed", readonly=True)
    created_count = fields.Integer("Created", readonly=True)
    updated_count = fields.Integer("Updated", readonly=True)
    unchanged_count = fields.Integer("Unchanged", readonly=True)
    failed_count = fields.Integer("Failed", readonly=True)
    archived_count = fields.Integer("Archived", readonly=True)
    conflicts_count = fields.Integer("Conflicts", readonly=True)
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    duration = fields.Float("Duration (s)", compute="_compute_duration")
    message = fields.Text(readonly=True)
    progress_data = fields.Json(readonly=True, copy=False, help="Where the run is (internal).")
    log_ids = fields.One2many("erpnext.sync.log", "run_id", string="Changes")

    @api.depends("started_at", "finished_at")
    def _compute_duration(self):
        for run in self:
            run.duration = (run.finished_at - run.started_at).total_seconds() if (
                run.started_at and run.finished_at) else 0.0

    # -- queueing ---------------------------------------------------------------------------

    @api.model
    def _check_company(self, company):
        """A clear message when the company cannot sync (secrets are checked, never shown)."""
        if not company.erpnext_enabled:
            raise UserError(self.env._("ERPNext sync is not enabled for %(company)s. Turn it on in Settings → "
                                       "ERPNext.", company=company.name))
        missing = missing_settings(company)
        if missing:
            raise UserError(self.env._("ERPNext is not configured for %(company)s: set the %(missing)s in Settings → "
                                       "ERPNext.", company=company.name, missing=", ".join(missing)))

    @api.model
    def _queue(self, company, operation, *, trigger="manual", mode="incremental", force=False, progress=None,
               user=None):
        """A run for ``company`` (an equivalent one already waiting is reused); wakes the processor."""
        Run = self.sudo()
        if mode != "names":
            existing = Run.search([("company_id", "=", company.id), ("operation", "=", operation),
                                   ("mode", "=", mode), ("state", "=", "queued")], limit=1)
            if existing:
                return existing
        names = {"pull": {"incremental": self.env._("Sync from ERPNext"), "full": self.env._("Full sync from ERPNext"),
                          "names": self.env._("Read customers from ERPNext again")},
                 "push": {"pending": self.env._("Send changes to ERPNext")}}
        run = Run.create({
            "name": names[operation].get(mode, operation), "company_id": company.id, "operation": operation,
            "trigger": trigger, "mode": mode, "force": force, "progress_data": progress or {},
            "user_id": (user or self.env.user).id,
        })
        self.env.ref("erpnext_customer_sync.ir_cron_process_runs").sudo()._trigger()
        return run

    @api.model
    def _queue_names(self, company, names, *, trigger="manual", force=False):
        return self._queue(company, "pull", trigger=trigger, mode="names", force=force,
                           progress={"names": sorted(set(names))})

    @api.model
    def _action_pull(self, company=None, mode="incremental"):
        """"Sync from ERPNext": a background run; the user is notified when it ends."""
        company = company or self.env.company
        self._check_group("erpnext_customer_sync.group_erpnext_user" if mode != "full" else
                          "erpnext_customer_sync.group_erpnext_manager")
        self._check_company(company)
        return self._notify_queued(self._queue(company, "pull", mode=mode))

    @api.model
    def _check_group(self, xmlid):
        if not self.env.su and not self.env.user.has_group(xmlid):
            group = self.env.ref(xmlid)
            raise AccessError(self.env._("Only members of '%(group)s' may do this.", group=group.full_name))

    @api.model
    def _action_push(self, partners):
        """"Send to ERPNext": mark the contacts (per company of the user's) and send them in the background."""
        company = self.env.company
        self._check_group("erpnext_customer_sync.group_erpnext_manager")
        self._check_company(company)
        if company.erpnext_direction != "both":
            raise UserError(self.env._("%(company)s only reads customers from ERPNext. Choose 'Both ways' in Settings → "
                                       "ERPNext to send contacts.", company=company.name))
        partners = partners.filtered(lambda partner: not partner.parent_id or partner.is_company)
        if not partners:
            raise UserError(self.env._("Choose companies or individuals; a company's contact persons are sent with "
                                       "their company."))
        Link = self.env["erpnext.customer.link"].sudo()
        links = Link.search([("company_id", "=", company.id), ("partner_id", "in", partners.ids)])
        links.filtered(lambda link: link.state in ("synced", "warning", "error")).write(
            {"state": "pending", "local_changed_at": fields.Datetime.now()})
        new = partners - links.partner_id
        if new:
            Link.create([{"company_id": company.id, "partner_id": partner.id, "state": "pending",
                          "local_changed_at": fields.Datetime.now()} for partner in new])
        return self._notify_queued(self._queue(company, "push", mode="pending"))

    @api.model
    def _notify_queued(self, runs):
        if not runs:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("ERPNext"),
                "message": self.env._("%(what)s started in the background; you will be notified when it ends.",
                                      what=runs[0].name),
                "type": "info",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _resolve_conflicts(self, company, links, winner):
        """Settle held conflicts now (a person chose the side), then send what Odoo keeps."""
        self._check_group("erpnext_customer_sync.group_erpnext_manager")
        self._check_company(company)
        if not locks.try_lock(self.env, "company", company.id):
            raise UserError(self.env._("A sync of %(company)s with ERPNext is working right now; try again in a "
                                       "moment.", company=company.name))
        run = self.sudo().create({"name": self.env._("Settle conflicts"), "company_id": company.id,
                                  "operation": "pull", "trigger": "manual", "mode": "names", "state": "running",
                                  "started_at": fields.Datetime.now(), "user_id": self.env.user.id,
                                  "progress_data": {"names": links.mapped("erpnext_id")}})
        ctx = run._context_for_step()
        customers = ctx.client.customers(links.mapped("erpnext_id"))
        result = CustomerPuller(ctx).pull_page(list(customers.values()), winner=winner)
        run._add_counts(result.counts)
        if company.erpnext_direction == "both":
            pusher, steps = CustomerPusher(ctx), RunSteps(run, ctx)
            for link in links.with_env(ctx.env).filtered(lambda link: link.state == "pending"):
                steps.push_one(pusher, link)
            ctx.flush_logs()
        run._finish()
        return True

    # -- the processor --------------------------------------------------------------------------
    #
    # The scheduled action is the one owner of commits: it commits after each step (a page of
    # customers, one contact to send), so that a worker killed half-way loses at most the step in
    # flight, and the next worker resumes where the last committed step ended. Services never
    # commit. Tests and tools that need a run worked to its end in their own transaction call
    # ``_process_all`` (or ``_process_queued_runs``), which does the same steps without committing.

    @api.model
    def _cron_process_runs(self):
        """Work waiting runs step by step for up to BATCH_SECONDS, one company's run at a time."""
        self._queue_automatic_runs()
        self.env.cr.commit()
        deadline = time.monotonic() + BATCH_SECONDS
        steps, contexts = 0, {}
        while time.monotonic() < deadline and (run := self._take_next_run()):
            run._do_step(contexts)
            self.env.cr.commit()  # ends the company's lock too
            steps += 1
        remaining = self.sudo().search_count([("state", "in", ("queued", "running"))])
        self.env["ir.cron"]._notify_progress(done=steps, remaining=remaining)
        return steps

    @api.model
    def _process_queued_runs(self):
        """Work every waiting run to its end in this transaction (tests and tools)."""
        self._queue_automatic_runs()
        while runs := self.sudo().search([("state", "in", ("queued", "running"))], order="id"):
            for run in runs:
                run._process_all()

    @api.model
    def _take_next_run(self):
        """The oldest waiting run whose company no other transaction holds, with the company's lock
        taken for this transaction; None when there is none."""
        held = set()
        for run in self.sudo().search([("state", "in", ("queued", "running"))], order="id"):
            company = run.company_id.id
            if company in held:
                continue
            if locks.try_lock(self.env, "company", company) and locks.try_lock_latest_row(self.env, run._table, run.id):
                return run
            held.add(company)
        return None

    @api.model
    def _cron_schedule(self):
        """The scheduled sync: an incremental pull per enabled company, then its changes sent."""
        for company in self.env["res.company"].sudo().search([("erpnext_enabled", "=", True)]):
            if missing_settings(company):
                continue
            self._queue(company, "pull", trigger="schedule", user=self.env.ref("base.user_root"))
        self._queue_automatic_runs()

    @api.model
    def _cron_full_sync(self):
        """The periodic full reconciliation: what a cursor cannot see (deletions without access to
        Deleted Document, restored customers)."""
        for company in self.env["res.company"].sudo().search([("erpnext_enabled", "=", True)]):
            if not missing_settings(company):
                self._queue(company, "pull", trigger="schedule", mode="full", user=self.env.ref("base.user_root"))

    @api.model
    def _queue_automatic_runs(self):
        """Runs for webhook deliveries waiting to be read, and for contacts changed in Odoo."""
        Event, Link = self.env["erpnext.webhook.event"].sudo(), self.env["erpnext.customer.link"].sudo()
        root = self.env.ref("base.user_root")
        for company in Event.search([]).company_id:
            if not company.erpnext_enabled or missing_settings(company):
                continue
            active = self.sudo().search_count([("company_id", "=", company.id), ("trigger", "=", "webhook"),
                                               ("state", "in", ("queued", "running"))])
            if not active:
                self._queue(company, "pull", trigger="webhook", mode="names", user=root)
        for company in Link.search(PUSH_DOMAIN).company_id:
            if company.erpnext_enabled and company.erpnext_direction == "both":
                self._queue(company, "push", trigger="change", mode="pending", user=root)

    def _process_all(self):
        """Work this run to its end in this transaction (tests, and tools that need the result now)."""
        self.ensure_one()
        contexts = {}
        while self.state in ("queued", "running"):
            self._do_step(contexts)
        return self

    def _do_step(self, contexts):
        """One step in a savepoint; a run whose step fails, for whatever reason, is failed with it.

        ``contexts`` keeps each run's sync context (its client, lookups, what was read once) from
        one step to the next."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                if self.id not in contexts:
                    contexts[self.id] = self._context_for_step()
                self._step(contexts[self.id])
        except (ConfigurationError, PermissionDeniedError, TransientError, ERPNextError, UserError) as exc:
            self._fail(exc)
        except Exception as exc:  # noqa: BLE001 - a broken run must not stop the others
            _logger.warning("ERPNext run %s failed", self.id, exc_info=True)
            self._fail(exc)

    def _context_for_step(self):
        company = self.company_id.sudo()
        try:
            client = client_for(company, **self._transport_options())
        except ConfigurationError as exc:
            raise UserError(str(exc)) from None
        if self.state == "queued":
            time_zone = client.get_time_zone()
            if company.erpnext_site_timezone != time_zone:
                company.erpnext_site_timezone = time_zone
            self.write({"state": "running", "started_at": fields.Datetime.now()})
        return SyncContext(self.env, company, client, run=self)

    @api.model
    def _page_size(self):
        return int(self.env["ir.config_parameter"].sudo().get_param("erpnext_customer_sync.page_size",
                                                                     DEFAULT_PAGE_SIZE))

    @api.model
    def _transport_options(self):
        """Timeouts and retries, adjustable with system parameters ``erpnext_customer_sync.*``."""
        get = self.env["ir.config_parameter"].sudo().get_param
        read_timeout = float(get("erpnext_customer_sync.read_timeout", 30))
        return {
            "timeout": (min(5.0, read_timeout), read_timeout),
            "retry": RetryPolicy(attempts=int(get("erpnext_customer_sync.retry_attempts", 5)),
                                 initial_delay=float(get("erpnext_customer_sync.retry_delay", 0.5)),
                                 max_delay=float(get("erpnext_customer_sync.retry_max_delay", 8.0))),
        }

    def _step(self, ctx):
        return RunSteps(self, ctx).step()

    # -- bookkeeping ----------------------------------------------------------------------------

    def _add_counts(self, counts):
        values = {f"{name}_count": self[f"{name}_count"] + getattr(counts, name) for name in COUNTERS
                  if getattr(counts, name)}
        if values:
            self.write(values)

    def _finish(self, message=False):
        self.write({"state": "done", "finished_at": fields.Datetime.now(), "message": message or self.message})
        self._notify_user()
        return True

    def _fail(self, exc):
        if isinstance(exc, AuthenticationError):
            message = self.env._("ERPNext refused the API key and secret: %(error)s", error=exc)
        elif isinstance(exc, (TransientError,)):
            message = self.env._("ERPNext cannot be reached: %(error)s. The next run starts again where this one "
                                 "stopped.", error=exc)
        elif isinstance(exc, UserError):
            message = exc.args[0]
        else:
            message = str(exc)
        _logger.info("ERPNext run %s failed: %s", self.id, message)
        self.write({"state": "failed", "finished_at": fields.Datetime.now(), "message": message})
        self.env["erpnext.sync.log"].sudo().create({
            "company_id": self.company_id.id, "run_id": self.id, "user_id": self.user_id.id,
            "direction": self.operation, "operation": "run", "status": "error", "message": message})
        self._notify_user()

    def _summary(self):
        parts = [self.env._("%(count)s processed", count=self.processed_count),
                 self.env._("%(count)s created", count=self.created_count),
                 self.env._("%(count)s updated", count=self.updated_count),
                 self.env._("%(count)s unchanged", count=self.unchanged_count),
                 self.env._("%(count)s failed", count=self.failed_count)]
        if self.archived_count:
            parts.append(self.env._("%(count)s archived", count=self.archived_count))
        if self.conflicts_count:
            parts.append(self.env._("%(count)s conflicts", count=self.conflicts_count))
        return ", ".join(parts)

    def _notify_user(self):
        """Tell whoever started the run by hand how it went."""
        if self.trigger != "manual" or not self.user_id or self.user_id._is_public():
            return
        if self.state == "failed":
            kind, message = "danger", self.message
        else:
            kind = "warning" if self.failed_count or self.conflicts_count else "success"
            message = self._summary() + (f"\n{self.message}" if self.message else "")
        self.user_id._bus_send("simple_notification", {
            "type": kind, "title": self.name, "message": message, "sticky": kind != "success"})

    def action_retry(self):
        """Run it again: a pull starts from the saved cursors, a push sends what is still waiting."""
        self._check_group("erpnext_customer_sync.group_erpnext_manager")
        runs = self.browse()
        for run in self:
            self._check_company(run.company_id)
            runs |= self._queue(run.company_id, run.operation, mode=run.mode if run.mode != "names" else "incremental")
        return self._notify_queued(runs)

    @api.model
    def _cron_delete_old_runs(self):
        days = int(self.env["ir.config_parameter"].sudo().get_param("erpnext_customer_sync.log_retention_days", 180))
        self.sudo().search([("create_date", "<", fields.Datetime.subtract(fields.Datetime.now(), days=days)),
                            ("state", "in", ("done", "failed"))]).unlink()

