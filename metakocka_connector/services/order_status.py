"""Moving a linked sales order to another status of the company's Metakocka register."""

import time

from odoo import fields
from odoo.exceptions import UserError

from ..metakocka_api import MetakockaError
from .connection import CompanyService
from .locks import try_lock


class StatusChanger(CompanyService):
    """Sends a status change to Metakocka, only along the register's allowed transitions."""

    def change(self, order, target):
        """Move ``order`` to the status ``target``; raises UserError with what stopped it."""
        link = order._metakocka_link("sales_order").sudo()
        if not link.mk_id:
            raise UserError(self.env._("%(order)s is not in Metakocka yet: send it first.", order=order.display_name))
        if not try_lock(self.env, order._name, order.id):
            raise UserError(self.env._("%(record)s is already being sent to Metakocka.", record=order.display_name))
        previous = link.status_id
        previous._check_move_to(target, order)
        if previous == target:
            return previous
        started = time.monotonic()
        try:
            self.client.change_document_status("sales_order", target.code, mk_id=link.mk_id)
        except MetakockaError as exc:
            self._log(order, link, "error", started, str(exc))
            raise UserError(str(exc)) from None
        link.write({"status_id": target.id, "status_changed_at": fields.Datetime.now()})
        message = self.env._("Metakocka status: %(previous)s → %(status)s.", status=target.name,
                             previous=previous.name or self.env._("none"))
        self._log(order, link, "success", started, message)
        order.message_post(body=message)
        return target

    def _log(self, order, link, status, started, message):
        self.env["metakocka.sync.log"]._record(
            order, company_id=self.company.id, direction="push", mk_id=link.mk_id, operation="status", status=status,
            duration_ms=int((time.monotonic() - started) * 1000), message=message)
