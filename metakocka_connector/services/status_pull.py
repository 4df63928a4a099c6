"""A sales order's status as Metakocka has it, taken into Odoo when the order is pulled.

The status is recorded on the order's link (shown on its Metakocka tab) with when it changed, in the
sync log and in the chatter. A status Metakocka has and the register does not is added to the
register (meaning "other"), so that it shows. "Cancelled" in Metakocka cancels the Odoo order when
nothing was delivered yet; a partly delivered order is marked for review instead.
"""

import datetime

from odoo import fields

from ..metakocka_api.values import parse_text, parse_timestamp


def take_remote_status(service, order, link, document):
    """Take Metakocka's status of ``order`` when it differs from the link's; what happened, or ""."""
    code = parse_text(document.get("status_desc"))
    if not code:
        return ""
    status = _known_status(service, code, parse_text(document.get("status_code")))
    previous = link.status_id
    if status == previous:
        return ""
    link.write({"status_id": status.id, "status_changed_at": _changed_at(document)})
    env = service.env
    message = env._("Metakocka status: %(previous)s → %(status)s (changed in Metakocka).",
                    previous=previous.name or env._("none"), status=status.name)
    if status.meaning == "cancelled" and order.state != "cancel":
        message = f"{message} {_cancel(order, link)}"
    env["metakocka.sync.log"]._record(order, company_id=service.company.id, direction="pull", mk_id=link.mk_id,
                                      operation="status", status="success" if link.state != "needs_review"
                                      else "warning", message=message)
    order.message_post(body=message)
    return message


def _known_status(service, code, name):
    Status = service.env["metakocka.order.status"]
    return Status._by_code(service.company, code) or Status.sudo().create(
        {"company_id": service.company.id, "code": code, "name": name or code, "meaning": "other"})


def _cancel(order, link):
    """Cancel an undelivered order as Odoo's cancel does (its deliveries too); else mark it for review."""
    env = order.env
    if any(line.qty_delivered for line in order.order_line):
        message = env._("%(order)s was cancelled in Metakocka, but it is partly delivered: it was not cancelled in "
                        "Odoo; review it (a return may be what is needed).", order=order.display_name)
        link.write({"state": "needs_review", "last_error": message})
        return message
    order.with_context(disable_cancel_warning=True, metakocka_no_push=True)._action_cancel()
    return env._("The order was cancelled in Odoo too.")


def _changed_at(document):
    """Metakocka's change time of the document (naive UTC, as Odoo keeps it), or now."""
    try:
        moment = parse_timestamp(document.get("last_change_ts"))
    except ValueError:
        moment = None
    if not moment:
        return fields.Datetime.now()
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
