"""Frappe's Webhook doctype, as a sender (reference §5).

A webhook watches one doctype for some doc events (``after_insert``, ``on_update``,
``on_trash``). The events of one request (Frappe: one transaction) are collected, deduplicated
per (webhook, document) with the last one winning, and sent after the request finished. The body
is ``json.dumps(data, default=str)`` with Python's default separators; no Content-Type is added,
only the configured headers and, when a secret is set, ``X-Frappe-Webhook-Signature`` =
base64(HMAC-SHA256(secret, body)). A delivery that fails (an error status or no connection) is
tried up to three times, 1 and 4 seconds apart; a read timeout is not retried.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import itertools
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

logger = logging.getLogger("sandbox.erpnext.webhook")

EVENTS = ("after_insert", "on_update", "on_trash")
DEFAULT_FIELDS = ("customer_name", "disabled")
SIGNATURE_HEADER = "X-Frappe-Webhook-Signature"


def signature(body: bytes, secret: str) -> str:
    return base64.b64encode(hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()).decode("ascii")


@dataclass
class Webhook:
    url: str
    secret: str | None = field(default=None, repr=False)
    doctype: str = "Customer"
    events: tuple[str, ...] = EVENTS
    #: Document fields added to the body beside doctype, name, event and modified.
    fields: tuple[str, ...] = DEFAULT_FIELDS
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 5.0
    id: int = 0

    def body(self, doctype: str, name: str, event: str, doc: dict[str, Any]) -> bytes:
        data = {"doctype": doctype, "name": name, "event": event, "modified": doc.get("modified")}
        data.update({key: doc.get(key) for key in self.fields})
        return json.dumps(data, default=str).encode("utf-8")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "doctype": self.doctype, "events": list(self.events),
                "fields": list(self.fields), "enable_security": bool(self.secret)}


@dataclass(frozen=True)
class Delivery:
    webhook_id: int
    url: str
    body: bytes
    headers: dict[str, str]
    timeout: float


@dataclass
class DeliveryLog:
    url: str
    body: bytes
    headers: dict[str, str]
    attempt: int
    status: int | None
    error: str | None


class WebhookSender:
    """Registered webhooks, the queue of pending deliveries, and the log of attempts.

    ``mode``: ``"thread"`` sends each request's deliveries from a background thread (like
    Frappe's RQ worker), ``"manual"`` keeps them queued until :meth:`deliver_pending`.
    """

    def __init__(self, mode: str = "thread", retry_delays: tuple[float, ...] = (1.0, 4.0)) -> None:
        if mode not in ("thread", "manual"):
            raise ValueError("mode must be 'thread' or 'manual'")
        self.mode = mode
        self.retry_delays = retry_delays
        self._webhooks: list[Webhook] = []
        self._pending: list[Delivery] = []
        self.log: list[DeliveryLog] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._threads: list[threading.Thread] = []

    def add(self, webhook: Webhook) -> int:
        with self._lock:
            webhook.id = next(self._ids)
            self._webhooks.append(webhook)
            return webhook.id

    def clear(self) -> None:
        with self._lock:
            self._webhooks.clear()
            self._pending.clear()
            self.log.clear()

    def webhooks(self) -> list[Webhook]:
        with self._lock:
            return list(self._webhooks)

    def collect(self, events: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        """Queue the deliveries of one request's doc events (last event per document wins)."""
        chosen: dict[tuple[int, str], Delivery] = {}
        for webhook in self.webhooks():
            for doctype, name, event, doc in events:
                if doctype != webhook.doctype or event not in webhook.events:
                    continue
                body = webhook.body(doctype, name, event, doc)
                chosen.pop((webhook.id, name), None)  # re-insert: the last event keeps its place last
                chosen[(webhook.id, name)] = self._delivery(webhook, body)
        if not chosen:
            return
        with self._lock:
            self._pending.extend(chosen.values())
        if self.mode == "thread":
            thread = threading.Thread(target=self.deliver_pending, name="erpnext-webhooks", daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
            thread.start()

    def send(self, webhook: Webhook, doctype: str, name: str, event: str, doc: dict[str, Any],
             body: bytes | None = None) -> int | None:
        """Deliver one event now (with retries); the last HTTP status (None: no answer)."""
        return self._deliver(self._delivery(webhook, body or webhook.body(doctype, name, event, doc)))

    def deliver_pending(self) -> list[int | None]:
        with self._lock:
            pending, self._pending = self._pending, []
        return [self._deliver(delivery) for delivery in pending]

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def wait(self, timeout: float = 10.0) -> None:
        """Wait for background deliveries to finish."""
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    def _delivery(self, webhook: Webhook, body: bytes) -> Delivery:
        headers = dict(webhook.headers)
        if webhook.secret:
            headers[SIGNATURE_HEADER] = signature(body, webhook.secret)
        return Delivery(webhook.id, webhook.url, body, headers, webhook.timeout)

    def _deliver(self, delivery: Delivery) -> int | None:
        status = None
        delays: list[float | None] = [*self.retry_delays, None]
        for attempt, delay in enumerate(delays, start=1):
            status, error, timed_out = _post(delivery)
            with self._lock:
                self.log.append(DeliveryLog(delivery.url, delivery.body, delivery.headers, attempt, status, error))
            if status is not None and 200 <= status < 300:
                break
            logger.info("webhook to %s failed (status %s, %s), attempt %d", delivery.url, status, error, attempt)
            if timed_out or delay is None:
                break
            time.sleep(delay)
        return status


def _post(delivery: Delivery) -> tuple[int | None, str | None, bool]:
    parts = urlsplit(delivery.url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.netloc, timeout=delivery.timeout)
    try:
        connection.request("POST", urlunsplit(("", "", parts.path or "/", parts.query, "")), delivery.body,
                           delivery.headers)
        response = connection.getresponse()
        response.read()
        return response.status, None, False
    except TimeoutError as error:
        return None, f"timeout: {error}", True
    except (OSError, http.client.HTTPException) as error:
        return None, f"{type(error).__name__}: {error}", False
    finally:
        connection.close()


