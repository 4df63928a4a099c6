"""The endpoint ERPNext's webhooks call: ``POST /erpnext_customer_sync/webhook/<company id>``.

The size is checked from ``Content-Length`` before anything is read (none: 411, too large: 413),
and no more than that is read. The raw body is checked against ``X-Frappe-Webhook-Signature``
(base64 HMAC-SHA256 with the company's webhook secret) in constant time. A missing or wrong
signature is refused with no side effect. A valid delivery only queues a re-read of the document
it names (its data is never used), so duplicate and out-of-order deliveries change nothing: ERPNext
is read as it is now. The same delivery again within a few minutes (same document, event and
``modified``) is not queued again, and a burst of deliveries wakes the run processor once.
"""

import base64
import hashlib
import hmac
import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Frappe-Webhook-Signature"
MAX_BODY = 256 * 1024
DOCTYPES = ("Customer", "Contact", "Address")


class Refused(Exception):
    """A delivery answered with ``status`` and ``message``, with no side effect."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def expected_signature(secret, body):
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


class ErpnextWebhookController(http.Controller):
    @http.route("/erpnext_customer_sync/webhook/<int:company_id>", type="http", auth="none", methods=["POST"],
                csrf=False, save_session=False, readonly=False)
    def erpnext_webhook(self, company_id, **_params):
        try:
            body = _read_body(request.httprequest)
            company = _company_checking_signature(company_id, body)
            doctype, name, event, modified = _document_of(body)
        except Refused as refusal:
            return _answer(refusal.status, str(refusal))
        if doctype not in DOCTYPES:
            return _answer(200, "ignored")
        env = request.env
        if not env["erpnext.webhook.delivery"].sudo()._is_new(company, doctype, name, event, modified):
            return _answer(200, "already received")
        Event = env["erpnext.webhook.event"].sudo()
        Event._enqueue(company, doctype, name, event)
        Event._wake_processor()
        return _answer(200, "queued")


def _read_body(httprequest):
    """The body, read only when ``Content-Length`` announces at most :data:`MAX_BODY` bytes."""
    length = httprequest.content_length
    if length is None:
        raise Refused(411, "a Content-Length header is required")
    if length > MAX_BODY:
        raise Refused(413, f"payload too large (at most {MAX_BODY} bytes)")
    return httprequest.get_data(cache=False)  # werkzeug reads no more than Content-Length


def _company_checking_signature(company_id, body):
    company = request.env["res.company"].sudo().browse(company_id).exists()
    secret = company.erpnext_webhook_secret if company and company.erpnext_enabled else None
    if not secret:
        raise Refused(404, "no ERPNext webhook is configured here")
    given = request.httprequest.headers.get(SIGNATURE_HEADER, "")
    if not given or not hmac.compare_digest(expected_signature(secret, body).encode(), given.encode()):
        _logger.warning("ERPNext webhook for company %s refused: %s signature", company_id,
                        "wrong" if given else "missing")
        raise Refused(401, "invalid signature")
    return company


def _document_of(body):
    """(doctype, name, event, modified) the body names; Frappe sends no Content-Type: it is JSON anyway."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except RecursionError:
        raise Refused(400, "the body is JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(payload, dict):
        raise Refused(400, "the body names no document")
    name, doctype = payload.get("name"), payload.get("doctype") or "Customer"
    if not isinstance(name, str) or not name.strip() or len(name) > 140:
        raise Refused(400, "the body names no document")
    event, modified = payload.get("event"), payload.get("modified")
    return (doctype, name.strip(), event[:40] if isinstance(event, str) else None,
            modified[:40] if isinstance(modified, str) else None)


def _answer(status, message):
    return request.make_json_response({"status": message}, status=status)
