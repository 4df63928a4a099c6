"""A record of the requests a simulator received, for tests to assert on."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    op: str | None  # the operation name, None for a path the simulator does not serve
    body: Any  # the parsed JSON object, or None
    fault: str | None  # the kind of fault applied, or None
    received_at: datetime

    def as_dict(self, hidden_fields: Iterable[str] = ()) -> dict[str, Any]:
        """A JSON-ready view; ``hidden_fields`` are left out of the body (credentials)."""
        body = self.body
        if isinstance(body, dict):
            hidden = set(hidden_fields)
            body = {key: value for key, value in body.items() if key not in hidden}
        return {
            "method": self.method,
            "path": self.path,
            "op": self.op,
            "fault": self.fault,
            "received_at": self.received_at.isoformat(),
            "body": body,
        }


class RequestRecorder:
    """Thread-safe, oldest first."""

    def __init__(self) -> None:
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def record(self, method: str, path: str, op: str | None, body: Any, fault: str | None) -> RecordedRequest:
        entry = RecordedRequest(method, path, op, body, fault, datetime.now(timezone.utc))
        with self._lock:
            self._requests.append(entry)
        return entry

    def entries(self, op: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [entry for entry in self._requests if op is None or entry.op == op]

    def count(self, op: str | None = None) -> int:
        return len(self.entries(op))

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()


class InFlight:
    """The requests a simulator is serving right now (received, not yet answered); thread-safe."""

    def __init__(self) -> None:
        self._entries: dict[int, RecordedRequest] = {}
        self._lock = threading.Lock()

    def start(self, entry: RecordedRequest) -> int:
        with self._lock:
            self._entries[id(entry)] = entry
        return id(entry)

    def finish(self, key: int) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def entries(self, op: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            entries = sorted(self._entries.values(), key=lambda entry: entry.received_at)
        return [entry for entry in entries if op is None or entry.op == op]
