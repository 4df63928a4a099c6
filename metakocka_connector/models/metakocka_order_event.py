import logging
import time

from psycopg2 import errors

from odoo import api, fields, models

from ..services.order_events import EventSender
from .metakocka_order_status import MEANINGS

_logger = logging.getLogger(__name__)

#: A call sends events for this long, then lets the cron engine call again.
EVENTS_SECONDS = 30.0

EVENT_STATES = [("queued", "To send"), ("done", "Sent"), ("skipped", "Not needed"), ("failed", "Failed")]


class MetakockaOrderEvent(models.Model):
    """Something that happened to a linked order in Odoo and must reach Metakocka: an outbox.

    Events are written in the transaction of what caused them (a delivery made ready or validated, an
    invoice posted), so that they exist exactly when the Odoo change does, and are sent after it
    commits by the scheduled action "Metakocka: send order events", woken at once. Nothing is sent
    inside the user's transaction, and nothing is lost when Metakocka is away: a transient failure is
    tried again later.
    """

    _name = "metakocka.order.event"
    _description = "Metakocka order event"
    _order = "id"

    company_id = fields.Many2one("res.company", required=True, index=True, ondelete="cascade")
    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    meaning = fields.Selection(MEANINGS, string="Status meaning",
                               help="What the order's state in Odoo meant when the event was sent.")
    state = fields.Selection(EVENT_STATES, default="queued", required=True, index=True)
    attempts = fields.Integer(default=0)
    next_try_at = fields.Datetime(help="A transient failure is tried again from this time on.")
    message = fields.Text()
    sent_at = fields.Datetime()

    @api.model
    def _enqueue_status(self, orders):
        """Queue "send the status this order's state means now" for ``orders`` linked to a Metakocka sales
        order (one waiting event per order is enough: what it sends is read when it is sent)."""
        if self.env.context.get("metakocka_no_push"):
            return self.browse()
        linked = orders.sudo().filtered(lambda order: order.company_id.metakocka_enabled
                                        and order._metakocka_link("sales_order").mk_id)
        waiting = self.sudo().search([("order_id", "in", linked.ids), ("state", "=", "queued")]).order_id
        linked -= waiting
        if not linked:
            return self.browse()
        events = self.sudo().create([{"company_id": order.company_id.id, "order_id": order.id} for order in linked])
        self.env.ref("metakocka_connector.ir_cron_send_order_events").sudo()._trigger()
        return events

    # -- sending (see metakocka_sync_run for the same ownership of commits) ------------------------

    @api.model
    def _cron_send_events(self):
        """Send queued events one by one for up to EVENTS_SECONDS, committing after each."""
        deadline, sent = time.monotonic() + EVENTS_SECONDS, 0
        sender = EventSender(self.env)
        while time.monotonic() < deadline and (event := self._take_next()):
            event._send_with(sender)
            self.env.cr.commit()  # ends the event's row lock too
            sent += 1
        remaining = self.search_count([("state", "=", "queued")])
        self._wake_up_for_retries()
        self.env["ir.cron"]._notify_progress(done=sent, remaining=remaining)
        return sent

    @api.model
    def _wake_up_for_retries(self):
        """Events waiting to be tried again get a wake-up call for their time."""
        waiting = self.search([("state", "=", "queued"), ("next_try_at", "!=", False)], order="next_try_at", limit=1)
        if waiting:
            self.env.ref("metakocka_connector.ir_cron_send_order_events")._trigger(at=waiting.next_try_at)

    @api.model
    def _process_queued_events(self):
        """Send every event that may be sent now, in this transaction (tests and tools); how many."""
        sender, count = EventSender(self.env), 0
        while event := self._take_next():
            event._send_with(sender)
            count += 1
        return count

    @api.model
    def _take_next(self):
        """The oldest event due now that no other worker holds, locked for this transaction."""
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT id FROM metakocka_order_event
             WHERE state = 'queued' AND (next_try_at IS NULL OR next_try_at <= (now() AT TIME ZONE 'UTC'))
          ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""")
        row = self.env.cr.fetchone()
        return self.sudo().browse(row[0]) if row else None

    def _send_with(self, sender):
        """One event in a savepoint; whatever happens is written on the event."""
        try:
            with self.env.cr.savepoint():
                values = sender.send(self)
        except (errors.SerializationFailure, errors.LockNotAvailable):
            values = sender.later(self, self.env._("Another process was changing the order; it is tried again."))
        except Exception as exc:  # noqa: BLE001 - one event must never stop the others
            _logger.warning("Metakocka order event %s failed", self.id, exc_info=True)
            values = {"state": "failed", "message": str(exc)}
        self.write(values)
