"""A sales order's status as Metakocka has it, taken into Odoo when the order is pulled.

The status is recorded on the order's link (shown on its Metakocka tab) with when it changed, in the
sync log and in the chatter. A status Metakocka has and the register does not is added to the
register (meaning "other"), so that it shows. "Cancelled" in Metakocka cancels the Odoo order when
Odoo itself would let it be cancelled without more ado (nothing delivered, no posted invoice, not
locked); otherwise the order stays as it is and needs review for as long as that lasts.
"""

import datetime

from odoo import fields

from ..metakocka_api.values import parse_text, parse_timestamp


def take_remote_status(service, order, link, document):
    """Take Metakocka's status of ``order`` when it differs from the link's; whether it did."""
    code = parse_text(document.get("status_desc"))
    if not code:
        return False
    status = _known_status(service, code, parse_text(document.get("status_code")))
    previous = link.status_id
    if status == previous:
        return False
    link.write({"status_id": status.id, "status_changed_at": _changed_at(document)})
    env = service.env
    message = env._("Metakocka status: %(previous)s → %(status)s (changed in Metakocka).",
                    previous=previous.name or env._("none"), status=status.name)
    if status.meaning == "cancelled" and order.state != "cancel" and _may_cancel(order):
        order.with_context(disable_cancel_warning=True, metakocka_no_push=True)._action_cancel()
        message = " ".join([message, env._("The order was cancelled in Odoo too.")])
    review = still_to_review(order, link)
    env["metakocka.sync.log"]._record(order, company_id=service.company.id, direction="pull", mk_id=link.mk_id,
                                      operation="status", status="warning" if review else "success",
                                      message="\n".join(filter(None, [message, review])))
    order.message_post(body=message)
    return True


def still_to_review(order, link):
    """Why the order needs a person while Metakocka has it cancelled and Odoo does not, else ""."""
    if link.status_id.meaning != "cancelled" or order.state == "cancel":
        return ""
    return order.env._("%(order)s was cancelled in Metakocka, but it is delivered, invoiced or locked in Odoo: it was "
                       "not cancelled here; review it (a return or a credit note may be what is needed).",
                       order=order.display_name)


def _may_cancel(order):
    """Whether Odoo would cancel the order without asking: nothing delivered or posted, not locked."""
    posted = order.invoice_ids.filtered(lambda move: move.state == "posted")
    return not (order.locked or posted or any(line.qty_delivered for line in order.order_line))


def _known_status(service, code, name):
    Status = service.env["metakocka.order.status"]
    return Status._by_code(service.company, code) or Status.sudo().create(
        {"company_id": service.company.id, "code": code, "name": name or code, "meaning": "other"})


def _changed_at(document):
    """Metakocka's change time of the document (naive UTC, as Odoo keeps it), or now."""
    try:
        moment = parse_timestamp(document.get("last_change_ts"))
    except ValueError:
        moment = None
    if not moment:
        return fields.Datetime.now()
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
