"""Metakocka's stock webhook (``warehouse_product_stock_update``): a trigger to read stock again, never the truth.

A delivery is accepted only with ``X-MetaKocka-Signature`` = base64(HMAC-SHA1(raw body, client secret)),
compared in constant time. It names products (the ``code`` of its ``stock_list`` rows); only those
codes are kept, and their stock is then read again with ``warehouse_stock``. Its amounts are never
used. A delivery whose ``X-MetaKocka-Id`` was seen lately (Metakocka retries twice, 60 s apart) adds
nothing. The secret is never logged, nor put in an answer.
"""

import base64
import hashlib
import hmac
import json

from ..metakocka_api.values import as_list

SIGNATURE_HEADER = "X-MetaKocka-Signature"
EVENT_HEADER = "X-MetaKocka-Event"
ID_HEADER = "X-MetaKocka-Id"
EVENT = "warehouse_product_stock_update"
#: A body larger than this is refused before it is read.
MAX_BODY = 1024 * 1024
#: Product codes one delivery may name (Metakocka sends one product's rows).
MAX_CODES = 1000
MAX_CODE_LENGTH = 50


class Refused(Exception):
    """A delivery answered with ``status`` and a short reason, with no side effect."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status


def signature(secret, body):
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha1).digest()).decode("ascii")


def check_signature(secret, body, given):
    """Refused (401) unless ``given`` is the body's signature with ``secret``."""
    if not secret or not given or not hmac.compare_digest(signature(secret, body).encode("ascii"),
                                                          given.strip().encode("utf-8", "replace")):
        raise Refused(401, "invalid signature")


def product_codes(body):
    """The product codes a delivery names, in their order, once each; Refused (400) when it names none."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except RecursionError:
        raise Refused(400, "the body is JSON nested too deeply") from None
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the body is not JSON") from None
    rows = as_list(payload.get("stock_list")) if isinstance(payload, dict) else []
    codes = []
    for row in rows:
        code = row.get("code") if isinstance(row, dict) else None
        if isinstance(code, (str, int)) and not isinstance(code, bool) and str(code).strip():
            code = str(code).strip()
            if len(code) > MAX_CODE_LENGTH:
                raise Refused(400, "a product code is too long")
            if code not in codes:
                codes.append(code)
    if not codes or len(codes) > MAX_CODES:
        raise Refused(400, "the body names no product" if not codes else "the body names too many products")
    return codes


def event_id(headers):
    """The delivery's ``X-MetaKocka-Id`` (at most 64 characters), or None."""
    value = (headers.get(ID_HEADER) or "").strip()
    return value[:64] or None


def receive(env, company, delivery_id, codes):
    """Note the codes to read again; "duplicate" for an id seen lately, "ignored" when Odoo keeps the stock."""
    if delivery_id and not env["metakocka.webhook.delivery"]._is_new(company, delivery_id):
        return "duplicate"
    if company.metakocka_stock_master != "metakocka":
        return "ignored"
    env["metakocka.stock.update"]._enqueue(company, codes)
    return "queued"
