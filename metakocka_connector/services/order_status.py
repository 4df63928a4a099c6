"""Moving a linked sales order to another status of the company's Metakocka register."""

import time

from odoo import fields
from odoo.exceptions import UserError

from ..metakocka_api import MetakockaError
from .connection import CompanyService
from .fulfilment_mapper import order_notes
from .locks import try_lock


class StatusChanger(CompanyService):
    """Sends status changes to Metakocka and records them (link, sync log, chatter)."""

    def change(self, order, target):
        """A person's move of ``order`` to ``target``, along the register's transitions; UserError says
        what stopped it."""
        link = order._metakocka_link("sales_order").sudo()
        if not link.mk_id:
            raise UserError(self.env._("%(order)s is not in Metakocka yet: send it first.", order=order.display_name))
        if not try_lock(self.env, order._name, order.id):
            raise UserError(self.env._("%(record)s is already being sent to Metakocka.", record=order.display_name))
        link.status_id._check_move_to(target, order)
        if link.status_id != target:
            try:
                self.apply(order, link, target)
            except MetakockaError as exc:
                raise UserError(str(exc)) from None
        return target

    def apply(self, order, link, target, reason=None):
        """Send ``target`` for the linked ``order`` (with ``reason`` added to the order's notes) and record it;
        MetakockaError when Metakocka refused."""
        previous, started = link.status_id, time.monotonic()
        try:
            if reason:
                notes = order_notes(order, [self.env._("Cancelled: %(reason)s", reason=reason)])
                self.client.update_document("sales_order", {"mk_id": link.mk_id, "status_code": target.code,
                                                            "notes": notes})
            else:
                self.client.change_document_status("sales_order", target.code, mk_id=link.mk_id)
        except MetakockaError as exc:
            self._log(order, link, "error", started, str(exc))
            raise
        link.write({"status_id": target.id, "status_changed_at": fields.Datetime.now()})
        message = self.env._("Metakocka status: %(previous)s → %(status)s.", status=target.name,
                             previous=previous.name or self.env._("none"))
        if reason:
            message = self.env._("%(message)s Reason: %(reason)s", message=message, reason=reason)
        self._log(order, link, "success", started, message)
        order.message_post(body=message)

    def _log(self, order, link, status, started, message):
        self.env["metakocka.sync.log"]._record(
            order, company_id=self.company.id, direction="push", mk_id=link.mk_id, operation="status", status=status,
            duration_ms=int((time.monotonic() - started) * 1000), message=message)


def meaning_in_odoo(order):
    """What the order's state in Odoo means as a Metakocka status: cancelled; returned (a return of one
    of its deliveries done); completed (delivered, or nothing to deliver, and invoiced); shipped (every
    delivery done); ready (a delivery ready); else confirmed."""
    if order.state == "cancel":
        return "cancelled"
    if any(picking.state == "done" and picking.return_id.picking_type_code == "outgoing"
           for picking in order.picking_ids):
        return "returned"
    deliveries = order.picking_ids.filtered(lambda picking: picking.picking_type_code == "outgoing"
                                            and picking.state != "cancel" and not picking.return_id)
    if all(picking.state == "done" for picking in deliveries):
        if order.invoice_status == "invoiced":
            return "completed"
        if deliveries:
            return "shipped"
    if any(picking.state == "assigned" for picking in deliveries):
        return "ready"
    return "confirmed"
