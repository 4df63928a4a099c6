"""Sending the events of linked orders to Metakocka (see ``metakocka.order.event``): deliveries, then statuses."""

from datetime import timedelta

from odoo import fields

from ..metakocka_api import MetakockaError, TransientError, UnknownOutcomeError
from .fulfilment import FulfilmentSender
from .locks import try_lock
from .order_status import StatusChanger, meaning_in_odoo

#: A transient failure is tried again after 1, 2, 4, 8 minutes, then the event is failed.
MAX_ATTEMPTS = 5
#: An order another transaction holds (a push, a person's change) is tried again this soon.
BUSY_SECONDS = 5


class EventSender:
    """Sends events with each company's client (made once per company), with the sync's rights."""

    def __init__(self, env):
        self.env = env
        self._changers = {}
        self._fulfillers = {}

    def send(self, event):
        """Send one event: the order's validated deliveries not sent yet, then the status its state means now;
        the values to write on the event (its new state and message)."""
        order, company = event.order_id, event.company_id
        changer = self._changer(company)
        order = order.with_env(changer.env)
        link = order._metakocka_link("sales_order").sudo()
        if not try_lock(changer.env, order._name, order.id):
            return self.soon(changer.env._("%(record)s is being sent to Metakocka; it is tried again.",
                                           record=order.display_name))
        try:
            self._fulfiller(company, changer.env).send_pending(order, link)
            unsent = order.metakocka_fulfilment_ids.filtered(lambda item: item.state in ("queued", "failed"))
            if unsent:  # "shipped" follows the packing lists; Send again on the fulfilment sends both
                return self.skipped(changer.env._("The status waits for %(deliveries)s to reach Metakocka.",
                                                  deliveries=", ".join(unsent.picking_id.mapped("name"))))
            return self._send_status(event, changer, order, link)
        except (TransientError, UnknownOutcomeError) as exc:  # setting a status twice does no harm
            return self.later(event, str(exc))
        except MetakockaError as exc:
            return {"state": "failed", "message": str(exc)}

    def _send_status(self, event, changer, order, link):
        env, meaning = changer.env, meaning_in_odoo(order)
        event.meaning = meaning
        target = env["metakocka.order.status"]._for_meaning(order.company_id, meaning)
        if not target:
            return self.skipped(env._("The company's register has no status meaning %(meaning)s.", meaning=meaning))
        if link.status_id == target:
            return self.skipped(env._("The order is %(status)s in Metakocka already.", status=target.name))
        if not link.status_id._may_move_to(target):
            return self.skipped(env._("The register does not allow %(current)s → %(target)s.",
                                      current=link.status_id.display_name, target=target.display_name))
        changer.apply(order, link, target, reason=order.metakocka_cancel_reason if meaning == "cancelled" else None)
        return {"state": "done", "sent_at": fields.Datetime.now(), "message": False}

    def later(self, event, message):
        """Try the event again later, or fail it when it was tried often enough."""
        attempts = event.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            event.order_id.metakocka_fulfilment_ids.filtered(lambda item: item.state == "queued").write(
                {"state": "failed", "error": message})
            return {"state": "failed", "attempts": attempts, "message": message}
        return {"attempts": attempts, "message": message,
                "next_try_at": fields.Datetime.now() + timedelta(minutes=2 ** (attempts - 1))}

    @staticmethod
    def soon(message):
        """Another transaction holds the order for a moment: try again in a few seconds (not an attempt)."""
        return {"message": message, "next_try_at": fields.Datetime.now() + timedelta(seconds=BUSY_SECONDS)}

    @staticmethod
    def skipped(message):
        return {"state": "skipped", "message": message}

    def _fulfiller(self, company, env):
        if company.id not in self._fulfillers:
            self._fulfillers[company.id] = FulfilmentSender(env, company.with_env(env))
        return self._fulfillers[company.id]

    def _changer(self, company):
        if company.id not in self._changers:
            env = self.env(su=True, context=dict(self.env.context, allowed_company_ids=[company.id]))
            self._changers[company.id] = StatusChanger(env, company.with_env(env))
        return self._changers[company.id]
