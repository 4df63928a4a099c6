"""The endpoint ERPNext's webhooks call: ``POST /erpnext_customer_sync/webhook/<company id>``.

The raw body is checked against ``X-Frappe-Webhook-Signature`` (base64 HMAC-SHA256 with the
company's webhook secret) in constant time. A missing or wrong signature is refused with no side
effect. A valid delivery only queues a re-read of the document it names (its data is never used),
so duplicate and out-of-order deliveries change nothing: ERPNext is read as it is now.
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


def expected_signature(secret, body):
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


class ErpnextWebhookController(http.Controller):
    @http.route("/erpnext_customer_sync/webhook/<int:company_id>", type="http", auth="none", methods=["POST"],
                csrf=False, save_session=False, readonly=False)
    def erpnext_webhook(self, company_id, **_params):
        body = request.httprequest.get_data(cache=True)
        if len(body) > MAX_BODY:
            return _answer(413, "payload too large")
        company = request.env["res.company"].sudo().browse(company_id).exists()
        secret = company.erpnext_webhook_secret if company and company.erpnext_enabled else None
        if not secret:
            return _answer(404, "no ERPNext webhook is configured here")
        given = request.httprequest.headers.get(SIGNATURE_HEADER, "")
        if not given or not hmac.compare_digest(expected_signature(secret, body).encode(), given.encode()):
            _logger.warning("ERPNext webhook for company %s refused: %s signature", company_id,
                            "wrong" if given else "missing")
            return _answer(401, "invalid signature")
        try:
            payload = json.loads(body.decode("utf-8"))  # Frappe sends no Content-Type: the body is JSON anyway
        except (UnicodeDecodeError, ValueError):
            return _answer(400, "the body is not JSON")
        name = payload.get("name") if isinstance(payload, dict) else None
        doctype = (payload.get("doctype") or "Customer") if isinstance(payload, dict) else None
        if not isinstance(name, str) or not name.strip() or len(name) > 140:
            return _answer(400, "the body names no document")
        if doctype not in DOCTYPES:
            return _answer(200, "ignored")
        event = payload.get("event") if isinstance(payload.get("event"), str) else None
        request.env["erpnext.webhook.event"].sudo()._enqueue(company, doctype, name.strip(), event and event[:40])
        request.env.ref("erpnext_customer_sync.ir_cron_process_runs").sudo()._trigger()
        return _answer(200, "queued")


def _answer(status, message):
    return request.make_json_response({"status": message}, status=status)
