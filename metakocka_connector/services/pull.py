"""The incremental pull: Metakocka sales orders changed since a cursor kept in Metakocka's own clock."""

import datetime
import logging
from dataclasses import dataclass, field

from ..metakocka_api.values import format_timestamp, parse_timestamp
from .connection import client_for
from .document_import import DocumentImporter

_logger = logging.getLogger(__name__)

#: Re-read this much before the cursor, for changes Metakocka stamped late or out of order.
OVERLAP = datetime.timedelta(minutes=5)


@dataclass
class PullResult:
    counts: dict = field(default_factory=dict)
    cursor: str = None

    def count(self, status):
        self.counts[status] = self.counts.get(status, 0) + 1


@dataclass
class CursorProgress:
    """How far the cursor may move: to the newest change seen, or back to the oldest failed document,
    so that it is read again. A document that failed at an unknown time (its ``last_change_ts`` could
    not be read) holds the cursor where it was: any move could leave that document behind for good."""

    newest: datetime.datetime = None
    oldest_failure: datetime.datetime = None
    failed_at_unknown_time: bool = False

    def note(self, changed_at, failed):
        if changed_at is None:
            self.failed_at_unknown_time |= failed
            return
        self.newest = max(self.newest, changed_at) if self.newest else changed_at
        if failed:
            self.oldest_failure = min(self.oldest_failure, changed_at) if self.oldest_failure else changed_at

    def reached(self):
        """The cursor's new position, or None to leave it."""
        return None if self.failed_at_unknown_time else self.oldest_failure or self.newest


def pull_changed_orders(env, company):
    """Import every sales order changed since the company's cursor, then move the cursor (see CursorProgress).

    One order that fails, whatever the reason, is logged and the others are imported. Documents that
    did not change write nothing.
    """
    client = client_for(company)
    importer = DocumentImporter(env, company)
    cursor = company.sudo().metakocka_pull_cursor
    criteria = {"result_type": "doc", "show_tax_factor": "true"}
    if cursor:
        criteria["query_advance"] = [("last_change_from", format_timestamp(parse_timestamp(cursor) - OVERLAP))]
    result, progress = PullResult(), CursorProgress()
    for document in client.iter_search("sales_order", **criteria):
        changed_at, status = _pull_one(env, importer, document)
        result.count(status)
        progress.note(changed_at, status == "failed")
    reached = progress.reached()
    if reached and (not cursor or parse_timestamp(cursor) != reached):
        company.sudo().metakocka_pull_cursor = format_timestamp(reached)
    result.cursor = company.sudo().metakocka_pull_cursor
    return result


def _pull_one(env, importer, document):
    """Import one order a search gave; returns its change time (None when unknown) and the import's status."""
    changed_at, problem = _change_time(env, document)
    if problem:
        return None, importer.reject("sales_order", document, problem).status
    try:
        with env.cr.savepoint():
            status = importer.import_document("sales_order", document.get("mk_id"), document).status
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the pull
        _logger.warning("Importing Metakocka sales order %s failed", document.get("mk_id"), exc_info=True)
        status = importer.reject("sales_order", document, str(exc)).status
    return changed_at, status


def _change_time(env, document):
    """The order's ``last_change_ts`` (None when it has none), and the problem when it cannot be read."""
    if not isinstance(document, dict):
        return None, env._("Metakocka gave %(value)s instead of a document.", value=repr(document)[:60])
    try:
        return parse_timestamp(document.get("last_change_ts")), None
    except ValueError as exc:
        return None, f"last_change_ts: {exc}"
