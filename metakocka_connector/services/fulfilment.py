"""Sending the validated deliveries of linked orders to Metakocka (see ``metakocka.fulfilment``).

Each delivery becomes a warehouse packing list linked to the order, so that Metakocka's stock and
reservation drop by what was shipped; then the order gets the shipped date, the carrier, the notes and
the tracking code. ``put_document`` is not idempotent, so a packing list is created under the same
guard as documents (``create_guard``): a create that may have arrived is looked up by our key first.
"""

import json
import time

from ..metakocka_api import MetakockaError, TransientError, UnknownOutcomeError
from .connection import CompanyService
from .create_guard import (
    create_was_attempted,
    forget_create,
    forget_packing_list_once_stored,
    forget_refused_create,
    note_create_attempt,
)
from .document_mapper import buyer
from .fulfilment_mapper import PACKING_LIST, is_missing_invoice, packing_list_payload, shipped_changes

PENDING = ("queued", "waiting_invoice")
#: The create note of an invoice Metakocka makes from an order (``create_invoice``).
INVOICE_FROM_ORDER = "create_invoice"


class FulfilmentSender(CompanyService):
    """Sends the fulfilments of one company's orders, with the sync's rights."""

    def send_pending(self, order, link):
        """Send what ``order`` has not sent yet. A transient failure or an unknown outcome is raised (the order's
        event is tried again later, and nothing is created twice); a refusal fails that fulfilment."""
        for fulfilment in order.metakocka_fulfilment_ids.filtered(lambda item: item.state in PENDING).sorted("id"):
            started, state_before = time.monotonic(), fulfilment.state
            try:
                self._send(fulfilment, link)
            except (TransientError, UnknownOutcomeError) as exc:
                fulfilment.write({"attempts": fulfilment.attempts + 1, "error": str(exc)})
                raise
            except MetakockaError as exc:
                fulfilment.write({"state": "failed", "error": str(exc), "attempts": fulfilment.attempts + 1})
                self._log(fulfilment, "error", started, str(exc))
                continue
            if fulfilment.state != state_before or fulfilment.state == "done":
                self._record_sent(order, fulfilment, started)

    def _record_sent(self, order, fulfilment, started):
        summary = self._summary(fulfilment)
        self._log(fulfilment, "warning" if fulfilment.state == "waiting_invoice" else "success", started, summary)
        order.message_post(body=self.env._("%(delivery)s in Metakocka: %(summary)s",
                                           delivery=fulfilment.picking_id.name, summary=summary))

    def _send(self, fulfilment, link):
        if not fulfilment.mk_id:
            self._put_packing_list(fulfilment, link)
        tracking_due = bool(fulfilment.tracking_ref) and not fulfilment.tracking_sent
        try:
            self._update_order(fulfilment, link, with_tracking=tracking_due)
        except MetakockaError as exc:
            if not (tracking_due and is_missing_invoice(exc)):
                raise
            if self.company.metakocka_tracking_without_invoice != "create_invoice":
                self._update_order(fulfilment, link, with_tracking=False)
                fulfilment.write({"state": "waiting_invoice", "error": False})
                return
            self._invoice_then_tracking(fulfilment, link)
        if tracking_due and self.company.metakocka_tracking_without_invoice == "create_invoice":
            forget_create(self.env, self.company, INVOICE_FROM_ORDER, link.buyer_order)  # the invoice is there
        fulfilment.write({"state": "done", "error": False, "tracking_sent": fulfilment.tracking_sent or tracking_due})

    def _invoice_then_tracking(self, fulfilment, link):
        """Metakocka makes the order's invoice, then takes the tracking number. ``create_invoice`` is slow (tens of
        seconds) and not idempotent: it is asked once, under a note committed before (see ``create_guard``); while
        the note is there, the tracking number is tried again later instead of asking for a second invoice."""
        key = (self.company, INVOICE_FROM_ORDER, link.buyer_order)
        if create_was_attempted(self.env, *key):
            raise TransientError(self.env._(
                "Metakocka was asked for the invoice of %(order)s and has not made it yet; the tracking number "
                "is tried again later.", order=fulfilment.order_id.display_name))
        note_create_attempt(self.env, *key)
        try:
            answer = self.client.update_document("sales_order", {"mk_id": link.mk_id, "create_invoice": "true"})
        except UnknownOutcomeError:
            raise
        except MetakockaError:
            forget_create(self.env, *key)
            raise
        fulfilment.answer = "\n".join(filter(None, [fulfilment.answer, json.dumps(answer, ensure_ascii=False)]))
        self._update_order(fulfilment, link, with_tracking=True)

    def _put_packing_list(self, fulfilment, link):
        key = (self.company, PACKING_LIST, fulfilment.buyer_order)
        answer = create_was_attempted(self.env, *key) and self._find_packing_list(fulfilment)
        if not answer:
            for line in fulfilment.line_ids:
                self.catalog.ensure_product(line.product_id)
            payload = packing_list_payload(
                fulfilment, link.buyer_order, self.catalog.partner_ref(buyer(fulfilment.order_id)),
                self.env["metakocka.warehouse.map"]._mark_for(fulfilment.picking_id.picking_type_id.warehouse_id))
            answer = self._create(key, payload, fulfilment)
        fulfilment.write({"mk_id": answer.get("mk_id"), "count_code": answer.get("count_code"),
                          "answer": json.dumps(answer, ensure_ascii=False, default=str)})
        forget_packing_list_once_stored(self.env, self.company, fulfilment.buyer_order)

    def _create(self, key, payload, fulfilment):
        note_create_attempt(self.env, *key)
        try:
            return self.client.put_document(payload)
        except UnknownOutcomeError:
            found = self._find_packing_list(fulfilment)
            if found:
                return found
            raise
        except MetakockaError:
            forget_refused_create(self.env, *key)
            raise

    def _find_packing_list(self, fulfilment):
        found = self.client.find_documents_by_buyer_order(PACKING_LIST, fulfilment.buyer_order)
        return found[0] if found else None

    def _update_order(self, fulfilment, link, *, with_tracking):
        self.client.update_document("sales_order", shipped_changes(fulfilment, link.mk_id, with_tracking=with_tracking))

    def _summary(self, fulfilment):
        env = self.env
        if fulfilment.state == "waiting_invoice":
            return env._("Packing list %(number)s; the tracking number %(tracking)s is sent once the order has an "
                         "invoice in Metakocka.", number=fulfilment.count_code, tracking=fulfilment.tracking_ref)
        return env._("Packing list %(number)s, tracking number %(tracking)s.", number=fulfilment.count_code,
                     tracking=fulfilment.tracking_ref or env._("none"))

    def _log(self, fulfilment, status, started, message):
        self.env["metakocka.sync.log"]._record(
            fulfilment.picking_id, company_id=self.company.id, direction="push", mk_id=fulfilment.mk_id,
            operation="fulfil", status=status, duration_ms=int((time.monotonic() - started) * 1000), message=message)
