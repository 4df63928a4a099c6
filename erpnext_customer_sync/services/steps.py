"""The work of a sync run, step by step: the phases of a pull, a page of chosen customers, a
batch of contacts to send. The run record (``erpnext.sync.run``) keeps where it is between steps
(``progress_data``), so that a worker that stops half-way leaves a run the next one resumes."""

import logging
from datetime import timedelta

from odoo import fields

from ..erpnext_api import ERPNextError, PermissionDeniedError, UnknownOutcomeError
from ..erpnext_api.client import CUSTOMER_FIELDS, DEFAULT_PAGE_SIZE
from ..erpnext_api.values import format_timestamp, parse_timestamp
from . import create_guard
from .mapper import MappingError
from .pull import Counts, CustomerPuller, later
from .push import CustomerPusher

_logger = logging.getLogger(__name__)

#: Re-read this much before each cursor: changes ERPNext stamped just before the last read but
#: committed after it.
OVERLAP = timedelta(seconds=10)
#: Contacts sent per step: one, so that a worker killed half-way loses no other contact's result.
PUSH_BATCH = 1
#: Webhook events read per step.
EVENTS_BATCH = 200
#: Links a push sends: changed in Odoo, or created without a sure answer (looked up first).
PUSH_DOMAIN = ["|", ("state", "=", "pending"), "&", ("state", "=", "error"), ("create_attempted_at", "!=", False)]


class RunSteps:
    def __init__(self, run, ctx):
        self.run = run
        self.ctx = ctx

    def step(self):
        """One unit of work: a page of customers, a batch of contacts to send, or a phase change."""
        data = dict(self.run.progress_data or {})
        if self.run.operation == "push":
            return self._step_push(self.ctx, data)
        if self.run.mode == "names":
            return self._step_names(self.ctx, data)
        phase = data.get("phase") or "start"
        getattr(self, f"_phase_{phase}")(self.ctx, data)
        return None

    # -- pull phases --------------------------------------------------------------------------

    def _phase_start(self, ctx, data):
        company, client = self.run.company_id.sudo(), ctx.client
        full = self.run.mode == "full" or not company.erpnext_cursor_customer
        if full and self.run.mode != "full":
            self.run.mode = "full"
        since = None if full else _minus_overlap(company.erpnext_cursor_customer)
        data.update(phase="customers", full=full, since=since, newest=None, oldest_failure=None, marks={})
        if full:
            # Where the Contact/Address/deletion feeds stand now: a full read covers everything before.
            linked = [["Dynamic Link", "link_doctype", "=", "Customer"]]
            data["marks"] = {"contact": client.newest("Contact", filters=linked),
                             "address": client.newest("Address", filters=linked)}
            try:
                data["marks"]["deleted"] = client.newest("Deleted Document", field="creation",
                                                         filters=[["deleted_doctype", "=", "Customer"]])
            except PermissionDeniedError as exc:
                data["marks"]["deleted"] = None
                data["notes"] = [self._deleted_document_note(exc)]
        self.run.progress_data = data

    def _phase_customers(self, ctx, data):
        pager = ctx.client.pager("Customer", fields=CUSTOMER_FIELDS, since=data.get("since"),
                                 page_size=self.run._page_size(), state=data.get("pager"))
        page = pager.next_page()
        result = CustomerPuller(ctx).pull_page(page, force=self.run.force)
        self.run._add_counts(result.counts)
        data["newest"] = later(data.get("newest"), result.newest)
        if result.oldest_failure and not data.get("oldest_failure"):
            data["oldest_failure"] = result.oldest_failure
        data["pager"] = pager.state
        if pager.done:
            data.update(phase="reconcile" if data.get("full") else "contact", pager=None)
        self.run.progress_data = data

    def _phase_contact(self, ctx, data):
        self._linked_changes(ctx, data, "Contact", "erpnext_cursor_contact", next_phase="address")

    def _phase_address(self, ctx, data):
        self._linked_changes(ctx, data, "Address", "erpnext_cursor_address", next_phase="deleted")

    def _linked_changes(self, ctx, data, doctype, cursor_field, next_phase):
        """Contacts and Addresses changed on their own do not change their Customer's ``modified``:
        the customers they belong to are read again."""
        cursor = self.run.company_id.sudo()[cursor_field]
        pager = ctx.client.pager(doctype, fields=["name", "modified", "`tabDynamic Link`.link_name as customer"],
                                 filters=[["Dynamic Link", "link_doctype", "=", "Customer"]],
                                 since=_minus_overlap(cursor), page_size=self.run._page_size(), state=data.get("pager"))
        rows = pager.next_page()
        names = sorted({row["customer"] for row in rows if row.get("customer")})
        if names:
            customers = ctx.client.customers(names)
            result = CustomerPuller(ctx).pull_page(list(customers.values()), force=self.run.force)
            self.run._add_counts(result.counts)
        data["pager"] = pager.state
        if pager.done:
            data["marks"][doctype.lower()] = pager.position or cursor
            data.update(phase=next_phase, pager=None)
        self.run.progress_data = data

    def _phase_deleted(self, ctx, data):
        cursor = self.run.company_id.sudo().erpnext_cursor_deleted
        pager = ctx.client.pager("Deleted Document", fields=["name", "deleted_name", "creation"],
                                 filters=[["deleted_doctype", "=", "Customer"]], cursor_field="creation",
                                 since=_minus_overlap(cursor), page_size=self.run._page_size(), state=data.get("pager"))
        try:
            rows = pager.next_page()
        except PermissionDeniedError as exc:
            data.setdefault("notes", []).append(self._deleted_document_note(exc))
            data.update(phase="finish", pager=None)
            self.run.progress_data = data
            return
        names = {row["deleted_name"] for row in rows}
        if names:
            # A deleted customer may have been restored (or another created under its name) since.
            names -= set(ctx.client.customers(sorted(names), fields=["name"]))
        if names:
            counts = CustomerPuller(ctx).archive_deleted(names, reason=self.run.env._(
                "The customer was deleted in ERPNext; the contact was archived and keeps its history."))
            self.run._add_counts(counts)
        data["pager"] = pager.state
        if pager.done:
            data["marks"]["deleted"] = pager.position or cursor
            data.update(phase="finish", pager=None)
        self.run.progress_data = data

    def _phase_reconcile(self, ctx, data):
        """Full runs: links to customers ERPNext no longer lists are checked one by one."""
        remote = set(ctx.client.all_customer_names())
        links = ctx.Link.search([("company_id", "=", self.run.company_id.id), ("erpnext_id", "!=", False),
                                 ("state", "!=", "deleted")])
        gone = [link.erpnext_id for link in links if link.erpnext_id not in remote]
        if gone:
            still_there = ctx.client.customers(gone)
            missing = [name for name in gone if name not in still_there]
            if missing:
                self.run._add_counts(CustomerPuller(ctx).archive_deleted(missing, reason=self.run.env._(
                    "ERPNext no longer has this customer (deleted or renamed); the contact was archived.")))
        data["phase"] = "finish"
        self.run.progress_data = data

    def _phase_finish(self, ctx, data):
        company = self.run.company_id.sudo()
        marks = data.get("marks") or {}
        reached = data.get("oldest_failure") or data.get("newest")
        updates = {}
        if reached and reached != company.erpnext_cursor_customer:
            updates["erpnext_cursor_customer"] = reached
        elif not company.erpnext_cursor_customer and data.get("full"):
            updates["erpnext_cursor_customer"] = format_timestamp(parse_timestamp("2000-01-01"))
        for key in ("contact", "address", "deleted"):
            value = marks.get(key)
            if value and value != company[f"erpnext_cursor_{key}"]:
                updates[f"erpnext_cursor_{key}"] = value
        if updates:
            company.write(updates)
        self.run._finish("\n".join(data.get("notes") or []) or False)

    def _deleted_document_note(self, exc):
        return self.run.env._("Deletions cannot be read from ERPNext's Deleted Document list (%(error)s). Give the API "
                          "user the System Manager role, or rely on the on_trash webhook and the weekly full sync.",
                          error=exc)

    # -- chosen customers (webhooks, re-sync) -----------------------------------------------------

    def _step_names(self, ctx, data):
        if self.run.trigger == "webhook" and not data.get("names"):
            events = self.run.env["erpnext.webhook.event"].sudo().search(
                [("company_id", "=", self.run.company_id.id)], limit=EVENTS_BATCH)
            if not events:
                return self.run._finish()
            names = set()
            for event in events:
                if event.doctype == "Customer":
                    names.add(event.docname)
                    continue
                doc = ctx.client.find_doc(event.doctype, event.docname)
                for link in (doc or {}).get("links") or []:
                    if link.get("link_doctype") == "Customer" and link.get("link_name"):
                        names.add(link["link_name"])
            events.unlink()
            self._read_names(ctx, sorted(names))
            return None
        names = list(data.get("names") or [])
        if not names:
            return self.run._finish()
        chunk, rest = names[:DEFAULT_PAGE_SIZE], names[DEFAULT_PAGE_SIZE:]
        self._read_names(ctx, chunk)
        data["names"] = rest
        self.run.progress_data = data
        if not rest and self.run.trigger != "webhook":
            self.run._finish()
        return None

    def _read_names(self, ctx, names):
        if not names:
            return
        customers = ctx.client.customers(names)
        result = CustomerPuller(ctx).pull_page([customers[name] for name in names if name in customers],
                                               force=self.run.force)
        self.run._add_counts(result.counts)
        missing = [name for name in names if name not in customers]
        if missing:
            self.run._add_counts(CustomerPuller(ctx).archive_deleted(missing, reason=self.run.env._(
                "ERPNext no longer has this customer (deleted or renamed); the contact was archived.")))

    # -- push ---------------------------------------------------------------------------------

    def _step_push(self, ctx, data):
        """One contact to send (the run loop commits after each, so a crash loses at most that one)."""
        after = data.get("after_id") or 0
        links = ctx.Link.search([("company_id", "=", self.run.company_id.id), ("id", ">", after), *PUSH_DOMAIN],
                                order="id", limit=PUSH_BATCH)
        if not links:
            return self.run._finish()
        ctx.pusher = ctx.pusher or CustomerPusher(ctx)
        for link in links:
            self.push_one(ctx.pusher, link)
        ctx.flush_logs()
        data["after_id"] = links[-1].id
        self.run.progress_data = data
        return None

    def push_one(self, pusher, link):
        """Send one contact in a savepoint; a failure is recorded on its link and the batch goes on."""
        counts = Counts(processed=1)
        try:
            with self.ctx.env.cr.savepoint():
                outcome = pusher.push(link)
        except (MappingError, ERPNextError) as exc:
            self._push_failed(link, exc)
            counts.failed = 1
        except Exception as exc:  # noqa: BLE001 - one contact must not stop the batch
            _logger.warning("Sending %s to ERPNext failed", link.partner_id.display_name, exc_info=True)
            self._push_failed(link, exc)
            counts.failed = 1
        else:
            field = {"created": "created", "updated": "updated", "unchanged": "unchanged", "conflict": "conflicts",
                     "archived": "archived"}.get(outcome)
            if field:
                setattr(counts, field, 1)
        self.run._add_counts(counts)

    def _push_failed(self, link, exc):
        """The link in error with the reason; a create that may have arrived is looked for next time."""
        ctx = self.ctx
        message = str(exc)
        attempted = not link.erpnext_id and (
            create_guard.create_attempted_at(ctx.env, ctx.company, link.partner_id)
            or (isinstance(exc, UnknownOutcomeError) and fields.Datetime.now()))
        if attempted:
            message += self.run.env._(" The next sync looks for the customer in ERPNext before creating it again.")
        link.write({"state": "error", "last_error": message, "create_attempted_at": attempted or False})
        ctx.log("push", "error", "error", partner=link.partner_id, erpnext_id=link.erpnext_id, message=message)


def _minus_overlap(cursor):
    if not cursor:
        return None
    return format_timestamp(parse_timestamp(cursor) - OVERLAP)
