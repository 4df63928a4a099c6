"""The one push event Metakocka has: ``warehouse_product_stock_update``.

The body looks like a warehouse_stock answer with a row for every active warehouse (zero
rows included). Headers: ``X-MetaKocka-Event``, ``X-MetaKocka-Id`` (a numeric event id) and
``X-MetaKocka-Signature`` = base64(HMAC-SHA1(raw body, client secret)). An answer other than
HTTP 200 with ``{"status": "ok"}``, or no answer, is retried (twice, 60 s apart, by default).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .products import find_product
from .state import Data
from .stock import StockLevels, stock_rows
from .values import clean

EVENT = "warehouse_product_stock_update"
USER_AGENT = "Java/1.8.0_292"

logger = logging.getLogger("sandbox.metakocka.webhook")


def stock_event_body(data: Data, product_codes: str | list[str]) -> bytes:
    """The event of one product (as Metakocka sends it) or of several (their rows one after the other):
    a row for every active warehouse, one per microlocation where the stock is kept on several."""
    levels, rows = StockLevels(data), []
    for code in [product_codes] if isinstance(product_codes, str) else product_codes:
        product = find_product(data, code=code)
        if product is None:
            raise ValueError(f"no product with code {code!r}")
        rows += [row for warehouse, level in levels.for_product(product["mk_id"], every_warehouse=True)
                 for row in stock_rows(data, product, warehouse, level)]
    body = {"opr_code": "0", "opr_time_ms": "0", "stock_list_count": len(rows), "stock_list": rows}
    return json.dumps(clean(body), ensure_ascii=False).encode("utf-8")


def signature(body: bytes, client_secret: str) -> str:
    return base64.b64encode(hmac.new(client_secret.encode("utf-8"), body, hashlib.sha1).digest()).decode("ascii")


def deliver(url: str, body: bytes, client_secret: str, event_id: int, *, retries: int, retry_delay: float,
            timeout: float) -> int | None:
    """POST the event, retrying until it is acknowledged; the last HTTP status (None when the
    endpoint never answered)."""
    headers = {
        "Content-Type": "application/json; charset=UTF-8",
        "User-Agent": USER_AGENT,
        "X-MetaKocka-Event": EVENT,
        "X-MetaKocka-Id": str(event_id),
        "X-MetaKocka-Signature": signature(body, client_secret),
    }
    status = None
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(retry_delay)
        status, acknowledged = _post(url, body, headers, timeout)
        if acknowledged:
            break
        logger.info("stock webhook %s to %s not acknowledged (status %s, attempt %d)",
                    event_id, url, status, attempt + 1)
    return status


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int | None, bool]:
    """One delivery; http.client rather than urllib, which would rewrite the header names'
    case (``X-metakocka-event``)."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=timeout)
    try:
        connection.request("POST", urlunsplit(("", "", parts.path or "/", parts.query, "")), body, headers)
        response = connection.getresponse()
        return response.status, response.status == 200 and _says_ok(response.read())
    except (OSError, http.client.HTTPException):  # unreachable, timed out, cut off
        return None, False
    finally:
        connection.close()


def _says_ok(raw: bytes) -> bool:
    try:
        answer: Any = json.loads(raw.decode("utf-8"))
    except ValueError:
        return False
    return isinstance(answer, dict) and str(answer.get("status", "")).lower() == "ok"
