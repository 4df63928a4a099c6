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


def pull_changed_orders(env, company):
    """Import every sales order changed since the company's cursor, then move the cursor.

    The cursor moves to the newest change seen, or, when a document failed, to that document's change,
    so that it is read again next time. Documents that did not change write nothing.
    """
    client = client_for(company)
    importer = DocumentImporter(env, company)
    cursor = company.sudo().metakocka_pull_cursor
    criteria = {"result_type": "doc", "show_tax_factor": "true"}
    if cursor:
        criteria["query_advance"] = [("last_change_from", format_timestamp(parse_timestamp(cursor) - OVERLAP))]
    result = PullResult()
    newest = oldest_failure = None
    for document in client.iter_search("sales_order", **criteria):
        changed_at = parse_timestamp(document.get("last_change_ts")) if document.get("last_change_ts") else None
        try:
            with env.cr.savepoint():
                status = importer.import_document("sales_order", document["mk_id"], document).status
        except Exception:  # noqa: BLE001 - one bad document must not stop the pull
            _logger.warning("Importing Metakocka sales order %s failed", document.get("mk_id"), exc_info=True)
            status = "failed"
        result.count(status)
        if changed_at:
            newest = max(newest, changed_at) if newest else changed_at
            if status == "failed":
                oldest_failure = min(oldest_failure, changed_at) if oldest_failure else changed_at
    reached = oldest_failure or newest
    if reached and (not cursor or parse_timestamp(cursor) != reached):
        company.sudo().metakocka_pull_cursor = format_timestamp(reached)
    result.cursor = company.sudo().metakocka_pull_cursor
    return result
