"""Send quotations, orders and customer invoices to Metakocka, and record what happened.

The rules that keep Metakocka free of duplicates:

* the link is looked up before any create, and an unchanged linked record costs no call at all;
* two transactions never push the same record at once (an advisory lock per record), and a push
  works only from the latest committed state of the record's link: a link another transaction
  changed or created after this one's snapshot makes the push "busy", never a second create;
* a create whose outcome is unknown (no reply) is followed by a look-up by our ``buyer_order``,
  never by a blind second create; when the look-up finds nothing yet, the link stays "pending";
* every create is noted in its own committed transaction before it is sent (``create_guard``), so
  that even when the sync's transaction is lost, the next push looks the document up before it
  would create again.

Before a linked document is replaced (``put_document`` with ``mk_id`` replaces it whole), it is read once:
a status set in Metakocka is taken first, and when its partner or lines differ from the last sync's
(``remote_fingerprint``), Metakocka changed it too and the company's policy decides (hold for review, Odoo
wins, Metakocka wins) instead of the last writer. A create and an unchanged record cost no extra call.

Links and log lines are written with the rights the sync needs (the caller's right to sync was
checked before), so that nothing Metakocka now holds is forgotten by a rollback for lack of rights.
"""

import time
from dataclasses import dataclass

from odoo import fields
from odoo.tools import SQL

from ..metakocka_api import MetakockaError, UnknownOutcomeError
from ..metakocka_api import ValidationError as MetakockaValidationError
from . import stock_check
from .connection import CompanyService
from .create_guard import create_was_attempted, forget_create_once_linked, forget_refused_create, note_create_attempt
from .document_mapper import (
    buyer,
    change_log_note,
    describe_remote_lines,
    document_lines,
    document_payload,
    document_problems,
    is_foreign,
    odoo_content,
    remote_content,
    sent_content,
    total_difference,
)
from .document_import import DocumentImporter, hold_edit_conflict
from .fingerprint import fingerprint
from .locks import committed_row_exists, try_lock, try_lock_latest_row
from .order_status import meaning_in_odoo
from .outcome import Outcome
from .status_pull import take_remote_status
from .stock_check import StockCheckProblem


@dataclass
class _Push:
    """One push on its way: what is sent, and what it found."""

    record: object
    link: object
    started: float
    order_status: object = None
    payload: dict = None
    digest: str = ""
    shortage: str = ""
    note: str = ""


class DocumentPusher(CompanyService):
    """Pushes records of one company; reuse one pusher for a batch so that links are read once."""

    _warehouses = None

    @property
    def warehouses(self):
        """Metakocka's warehouses, read once per pusher (a batch, a click)."""
        if self._warehouses is None:
            self._warehouses = self.client.warehouse_list()
        return self._warehouses

    def prefetch(self, records):
        """Read the links of a batch's documents, partners and products in a few queries."""
        records.mapped("metakocka_link_ids")
        lines = [line for record in records for line, _qty, _taxes in document_lines(record)]
        products = self.env["product.product"].browse({line.product_id.id for line in lines if line.product_id})
        partners = self.env["res.partner"].browse({buyer(record).id for record in records if buyer(record)})
        self.catalog.prefetch(partners, products)

    def push(self, record, policy=None):
        """Push one order or invoice; returns an :class:`~.outcome.Outcome`. Raises nothing Metakocka-related.

        ``policy`` ("odoo", "metakocka", "hold") decides a record changed in Metakocka too since the last
        sync, in place of the company's; only a push with one sends a record held for review.
        """
        doc_type = target_doc_type(record)
        if not doc_type:
            return Outcome("skipped", self.env._("%(record)s is not sent to Metakocka in its state.",
                                                     record=record.display_name))
        link = try_lock(self.env, record._name, record.id) and self._latest_link(record, doc_type)
        if not link:
            return Outcome("busy", self.env._("%(record)s is already being sent to Metakocka.",
                                                  record=record.display_name))
        if link.edit_conflict and not policy:
            return Outcome("needs_review", link.last_error, link)  # a person chooses; nothing is tried again
        started = time.monotonic()
        problems = document_problems(record)
        if problems:
            return self._fail(link, record, "validate", "\n".join(problems), started)
        try:
            return self._push_changed(_Push(record, link, started), doc_type, policy)
        except StockCheckProblem as exc:
            return self._fail(link, record, "validate", str(exc), started)
        except UnknownOutcomeError as exc:
            link.write({"state": "pending", "last_error": str(exc)})
            self._log(record, link, "create", "error", started,
                      f"{exc} Metakocka will be searched for {link.buyer_order} before the next try.")
            return Outcome("failed", str(exc), link)
        except MetakockaError as exc:
            return self._fail(link, record, "update" if link.mk_id else "create", str(exc), started)

    def _push_changed(self, push, doc_type, policy):
        """Send the record unless it is unchanged, or Metakocka changed it too and the policy says otherwise."""
        record, link = push.record, push.link
        push.order_status = order_status_for(record, link)
        push.payload = self._payload(record, doc_type, link, push.order_status)
        push.digest = fingerprint(push.payload)
        if link.mk_id and link.fingerprint == push.digest and link.state == "synced":
            return Outcome("unchanged", link=link)
        document = self._current_document(push) if link.mk_id else None
        if document is not None and self._changed_in_metakocka(link, document):
            policy = policy or self.company.metakocka_edit_conflict
            if policy == "metakocka" and record._name == "sale.order":
                return self._take_metakocka_version(link, document)
            if policy != "odoo":
                return hold_edit_conflict(self, record, link, "push", push.started)
            push.note = self.env._("Metakocka's changes since the last sync were overwritten with Odoo's version "
                                   "(Metakocka had: %(lines)s).", lines=describe_remote_lines(document))
        push.shortage = self._stock_shortage(record, link)
        if push.shortage and self.company.metakocka_stock_check == "block":
            return self._fail(link, record, "validate", push.shortage, push.started)
        operation, answer = self._send(link, push.payload)
        return self._succeed(push, operation, answer)

    def _current_document(self, push):
        """Metakocka's document as it is now (one get_document before a replacement). A status set in Metakocka
        is taken first (as the pull would), so that the replacement keeps it."""
        record, link = push.record, push.link
        document = self.client.get_document(link.doc_type, link.mk_id, show_tax_factor="true")
        if not isinstance(document, dict):
            raise MetakockaValidationError(self.env._("Metakocka gave %(value)s instead of a document.",
                                                      value=repr(document)[:60]))
        if link.doc_type == "sales_order" and take_remote_status(self, record, link, document):
            push.order_status = order_status_for(record, link)
            push.payload = self._payload(record, link.doc_type, link, push.order_status)
            push.digest = fingerprint(push.payload)
        return document

    def _changed_in_metakocka(self, link, document):
        """Whether the document's partner or lines differ from the last sync's. A link synced before these were
        recorded counts as unchanged."""
        if not link.remote_fingerprint:
            return False
        try:
            return fingerprint(remote_content(document)) != link.remote_fingerprint
        except ValueError as exc:
            raise MetakockaValidationError(self.env._(
                "Metakocka's document %(number)s cannot be read: %(error)s",
                number=link.count_code or link.mk_id, error=exc)) from None

    def _take_metakocka_version(self, link, document):
        """Import Metakocka's version of the linked order in place of sending Odoo's (Metakocka wins)."""
        importer = DocumentImporter(self.env, self.company, self.client_options)
        importer._client = self._client
        return importer.import_document(link.doc_type, link.mk_id, document, policy="metakocka")

    # -- steps --------------------------------------------------------------------------------

    def _latest_link(self, record, doc_type):
        """The record's link as last committed (made now when it has none), or None when another
        transaction changed or created it after this one's snapshot."""
        record.invalidate_recordset(["metakocka_link_ids"])
        link = record._metakocka_link(doc_type).sudo()
        if link:
            if not try_lock_latest_row(self.env, link._table, link.id):
                return None
            link.invalidate_recordset()
            return link
        column = record._metakocka_link_column
        if committed_row_exists(self.env, SQL(
                "SELECT 1 FROM metakocka_document_link WHERE %s = %s AND doc_type = %s",
                SQL.identifier(column), record.id, doc_type)):
            return None
        return self.env["metakocka.document.link"].sudo().create({
            "company_id": self.company.id, "doc_type": doc_type, "buyer_order": buyer_order_of(record),
            "state": "pending", column: record.id,
        })

    def _stock_shortage(self, record, link):
        """ "Not enough stock …" when a sales order about to be created is short (see ``stock_check``)."""
        if link.mk_id or link.doc_type != "sales_order" or self.company.metakocka_stock_check == "off":
            return ""
        found = stock_check.shortages(self, record)
        return stock_check.describe(self.env, record, found) if found else ""

    def _send(self, link, payload):
        """Update the linked document, or create it; ("update"|"create", Metakocka's answer)."""
        if link.mk_id:
            return "update", self.client.put_document(
                {**payload, "mk_id": link.mk_id, "document_change_log_notes": change_log_note(self.env)})
        return "create", self._create(link, payload)

    def _payload(self, record, doc_type, link, order_status):
        for line, _quantity, _taxes in document_lines(record):
            self.catalog.ensure_product(line.product_id)
        partner_ref = self.catalog.partner_ref(buyer(record))
        offer = record._metakocka_link("sales_offer") if doc_type == "sales_order" else None
        payload = document_payload(
            record, doc_type, link.buyer_order, partner_ref,
            warehouse_mark=self.env["metakocka.warehouse.map"]._mark_for(record.warehouse_id)
            if record._name == "sale.order" else None,
            status_code=order_status.code or None,
            linked_offer=offer.count_code if offer and offer.count_code else None,
            linked_orders=invoiced_order_keys(record),
        )
        return payload

    def _create(self, link, payload):
        """Create the document, unless an earlier create of it may have arrived: then find it."""
        key = (self.company, link.doc_type, link.buyer_order)
        if create_was_attempted(self.env, *key) and (found := self._find_remote(link)):
            return found
        note_create_attempt(self.env, *key)
        try:
            answer = self.client.put_document({**payload, "document_change_log_notes": change_log_note(self.env)})
        except UnknownOutcomeError:
            found = self._find_remote(link)
            if found:
                return found
            raise
        except MetakockaError:
            forget_refused_create(self.env, *key)
            raise
        return answer

    def _find_remote(self, link):
        if link.doc_type == "sales_order":
            document = self.client.find_sales_order(link.buyer_order)
            return document
        documents = self.client.find_documents_by_buyer_order(link.doc_type, link.buyer_order)
        return documents[0] if documents else None

    def _succeed(self, push, operation, answer):
        record, link = push.record, push.link
        values = {
            "mk_id": answer.get("mk_id") or link.mk_id,
            "count_code": answer.get("count_code") or link.count_code,
            "state": "synced",
            "fingerprint": push.digest,
            "last_sync_at": fields.Datetime.now(),
            "last_direction": "push",
            "last_error": False,
            "retry_count": 0,
            "next_retry_at": False,
            "remote_fingerprint": fingerprint(sent_content(record, push.payload)),
            "odoo_fingerprint": fingerprint(odoo_content(record)),
            "edit_conflict": False,
        }
        if operation == "create":
            values["stock_shortage"] = push.shortage or False
        if push.order_status and push.order_status != link.status_id:
            values.update(status_id=push.order_status.id, status_changed_at=fields.Datetime.now())
        message = total_difference(record, answer.get("total_price") or answer.get("sum_all"))
        if message:
            values.update(state="needs_review", last_error=message)
        status = "warning" if message or push.shortage or push.note else "success"
        message = "\n".join(filter(None, [message, push.shortage, push.note]))
        link.write(values)
        if operation == "create":
            forget_create_once_linked(self.env, self.company, link.doc_type, link.buyer_order)
        self._log(record, link, operation, status, push.started, message)
        self._follow_up(record, operation)
        verb = self.env._("Sent to") if operation == "create" else self.env._("Updated in")
        record.message_post(body=self.env._(
            "%(verb)s Metakocka as %(doc_type)s %(number)s.", verb=verb,
            doc_type=dict(link._fields["doc_type"].selection)[link.doc_type], number=link.count_code or link.mk_id,
        ) + (f" {message}" if message else ""))
        return Outcome("created" if operation == "create" else "updated", message, link)

    def _follow_up(self, record, operation):
        """What a push sets off for the order's deliveries (and a new bill for its payments): a tracking number may
        have waited for this invoice;
        deliveries validated before the order was in Metakocka go now; a replaced order gets its deliveries'
        shipped date, carrier, notes and tracking number again."""
        Fulfilment, Event = self.env["metakocka.fulfilment"], self.env["metakocka.order.event"]
        if record._name == "account.move":
            if record.move_type == "out_invoice":
                Event._enqueue_status(record.invoice_line_ids.sale_line_ids.order_id)
                if operation == "create":  # payments registered before the invoice reached Metakocka go now
                    self.env["metakocka.payment.transaction"]._enqueue_for_invoices(record)
        elif operation == "create":
            if Fulfilment._record_deliveries(record.picking_ids):
                Event._enqueue_status(record)
        else:
            Fulfilment._send_again_after_replacement(record)

    def _fail(self, link, record, operation, message, started):
        link.write({"state": "error", "last_error": message, "last_sync_at": fields.Datetime.now(),
                    "last_direction": "push"})
        self._log(record, link, operation, "error", started, message)
        return Outcome("failed", message, link)

    def _log(self, record, link, operation, status, started, message=""):
        self.env["metakocka.sync.log"]._record(
            record, company_id=self.company.id, direction="push", mk_id=link.mk_id, operation=operation,
            status=status, duration_ms=int((time.monotonic() - started) * 1000), message=message or False,
        )


def target_doc_type(record):
    """The Metakocka document type ``record`` becomes in its current state, or None."""
    company = record.company_id
    if record._name == "account.move":
        if record.move_type not in ("out_invoice", "out_refund") or record.state != "posted":
            return None
        if record.move_type == "out_refund":
            return "sales_bill_credit_note"
        if company.metakocka_invoice_doc_type != "auto":
            return company.metakocka_invoice_doc_type
        return "sales_bill_foreign" if is_foreign(buyer(record), company) else "sales_bill_domestic"
    if record.state in ("draft", "sent"):
        doc_type = company.metakocka_quotation_doc_type
        return None if doc_type == "none" else doc_type
    if record.state == "sale":
        return company.metakocka_order_doc_type
    if record.state == "cancel":
        # A cancelled order is sent only to tell Metakocka about the cancellation.
        linked = record._metakocka_link("sales_order")
        return "sales_order" if linked and linked.mk_id else None
    return None


def order_status_for(record, link):
    """The Metakocka status a pushed sales order carries: the one it has there (a confirmed order's), else the
    one its state means (the company's register)."""
    Status = record.env["metakocka.order.status"]
    if record._name != "sale.order" or link.doc_type != "sales_order":
        return Status
    if record.state == "cancel":
        return Status._for_meaning(record.company_id, "cancelled")
    if record.state != "sale":
        return Status
    current = link.status_id
    if current and current.meaning != "cancelled":
        return current  # a status it has in Metakocka moves only by the order's events or a person
    return Status._for_meaning(record.company_id, meaning_in_odoo(record))


def invoiced_order_keys(record):
    """Our keys (``buyer_order``) of the sales orders in Metakocka an invoice bills: Metakocka links the bill to
    them (``sales_order_list``), and takes a tracking number on an order only once it has one."""
    if record._name != "account.move" or record.move_type != "out_invoice":
        return []
    links = [order._metakocka_link("sales_order") for order in record.invoice_line_ids.sale_line_ids.order_id.sudo()]
    return [link.buyer_order for link in links if link.mk_id]


def buyer_order_of(record):
    """Our key of a record in Metakocka: stable, unique in the database, readable by people."""
    return f"{record.name}-{record.id}"
