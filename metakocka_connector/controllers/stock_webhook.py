"""The endpoint Metakocka's stock webhook calls: ``POST /metakocka_connector/webhook/stock/<company id>``.

The size is checked from ``Content-Length`` before anything is read (none: 411, over 1 MB: 413). The
raw body is checked against ``X-MetaKocka-Signature`` (base64 HMAC-SHA1 with the company's client
secret) in constant time; a missing or wrong one is answered 401 with nothing read or written. A
signed delivery only notes which products changed (``services/stock_webhook``); their stock is read
again from Metakocka by the scheduled action. Metakocka expects HTTP 200 with ``{"status": "ok"}``.
"""

import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..services import stock_webhook
from ..services.stock_webhook import Refused

_logger = logging.getLogger(__name__)


class MetakockaStockWebhook(http.Controller):
    @http.route("/metakocka_connector/webhook/stock/<int:company_id>", type="http", auth="none", methods=["POST"],
                csrf=False, save_session=False, readonly=False)
    def metakocka_stock_webhook(self, company_id, **_params):
        headers = request.httprequest.headers
        try:
            body = _read_body(request.httprequest)
            company = _company(company_id)
            _check_signature(company, body, headers.get(stock_webhook.SIGNATURE_HEADER))
            if (headers.get(stock_webhook.EVENT_HEADER) or stock_webhook.EVENT) != stock_webhook.EVENT:
                return _answer(200, "ok")  # not an event of ours: acknowledged, nothing noted
            codes = stock_webhook.product_codes(body)
        except Refused as refusal:
            return _answer(refusal.status, "error", str(refusal))
        stock_webhook.receive(request.env(user=SUPERUSER_ID), company, stock_webhook.event_id(headers), codes)
        return _answer(200, "ok")


def _read_body(httprequest):
    """The body, read only when ``Content-Length`` announces at most MAX_BODY bytes."""
    length = httprequest.content_length
    if length is None:
        raise Refused(411, "a Content-Length header is required")
    if length > stock_webhook.MAX_BODY:
        raise Refused(413, f"payload too large (at most {stock_webhook.MAX_BODY} bytes)")
    return httprequest.get_data(cache=False)


def _company(company_id):
    company = request.env(user=SUPERUSER_ID)["res.company"].browse(company_id).exists()
    if not company or not company.metakocka_enabled or not company.metakocka_webhook_secret:
        raise Refused(404, "no Metakocka webhook is configured here")
    return company


def _check_signature(company, body, given):
    try:
        stock_webhook.check_signature(company.metakocka_webhook_secret, body, given)
    except Refused:
        _logger.warning("Metakocka stock webhook for company %s refused: %s signature", company.id,
                        "wrong" if given else "missing")
        raise


def _answer(status, word, reason=None):
    payload = {"status": word} if reason is None else {"status": word, "reason": reason}
    return request.make_json_response(payload, status=status)
