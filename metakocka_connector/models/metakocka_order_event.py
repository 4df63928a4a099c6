import logging
import time

from psycopg2 import errors

from odoo import api, fields, models

from ..services.locks import try_lock
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
        """Queue "send what this order has to send now" for ``orders`` linked to a Metakocka sales order (one
        waiting event per order is enough: what it sends is read when it is sent)."""
        if self.env.context.get("metakocka_no_push"):
            return self.browse()
        linked = orders.sudo().filtered(lambda order: order.company_id.metakocka_enabled
                                        and order._metakocka_link("sales_order").mk_id)
        waiting = self.sudo().search([("order_id", "in", linked.ids), ("state", "=", "queued")])._still_queued()
        # A worker sending one of them now (it holds the order's lock) read the order before this change: such
        # an order gets an event of its own. The lock taken here keeps workers off the others until the commit.
        linked -= waiting.order_id.filtered(lambda order: try_lock(self.env, order._name, order.id))
        if not linked:
            return self.browse()
        events = self.sudo().create([{"company_id": order.company_id.id, "order_id": order.id} for order in linked])
        self.env.ref("metakocka_connector.ir_cron_send_order_events").sudo()._trigger()
        return events

    def _still_queued(self):
        """Those of these events (queued in this transaction's snapshot) that are still to be sent: one a worker
        has sent since the snapshot was taken does not count; one of this transaction (not committed yet) does."""
        if not self:
            return self
        with self.env.registry.cursor() as cr:
            cr.execute("SELECT id FROM metakocka_order_event WHERE id IN %s AND state != 'queued'", [tuple(self.ids)])
            sent = {row[0] for row in cr.fetchall()}
        return self.filtered(lambda event: event.id not in sent)

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
            self.order_id.metakocka_fulfilment_ids.filtered(lambda item: item.state == "queued").write(
                {"state": "failed", "error": str(exc)})
        self.write(values)
