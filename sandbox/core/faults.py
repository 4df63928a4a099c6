"""Fault injection: make chosen operations slow, fail, or lose their connection.

A fault has a kind, a number of uses (``times``; ``None`` = until cleared), an optional set of
operation names it applies to (``ops``; ``None`` = all) and a ``probability`` rolled per matching
request with its own RNG (``seed`` makes the sequence reproducible). The first armed fault that
matches and wins its roll applies; each application uses up one of its ``times``.

Two more options narrow a fault down to one document:

- ``match``: the fault applies only to requests whose text (the URL-decoded path, the query
  values and the body) contains this string, e.g. a customer's name or an order's buyer_order;
- ``after``: the fault sleeps until a request for the operation ``after`` (that also contains
  ``match``, when given) has been served, e.g. "the read right after the create".

Kinds and their parameters:

==============  ============================================================================
``latency``     ``seconds``: wait, then process normally.
``hold``        ``seconds``: the same mechanism, named for the "slow server" case: the client
                may give up first, but the write still happens.
``http_error``  ``status`` (500/502/503/504, default 500): an HTML error page, nothing processed.
``drop``        close the connection without a reply, nothing processed.
``rate_limit``  the simulator's own "too many requests" answer, nothing processed.
``maintenance`` ``status`` (default 503; a proxy may even say 200): an HTML maintenance page,
                nothing processed.
``lost_reply``  process the request fully, then close the connection without a reply.
==============  ============================================================================

``http_error`` and ``maintenance`` also take ``retry_after`` (seconds), sent as a
``Retry-After`` header.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .messages import NO_REPLY, Reply, Response

HTTP_ERROR_STATUSES = (500, 502, 503, 504)

REQUIRED = object()

# kind -> {parameter: default}
FAULT_KINDS: dict[str, dict[str, Any]] = {
    "latency": {"seconds": REQUIRED},
    "hold": {"seconds": REQUIRED},
    "http_error": {"status": 500, "retry_after": None},
    "drop": {},
    "rate_limit": {},
    "maintenance": {"status": 503, "retry_after": None},
    "lost_reply": {},
}

#: Options whose value is text even where it looks like a number.
TEXT_OPTIONS = ("match", "after")

#: Kinds after which the request has been served (its handler ran).
PROCESSING_KINDS = frozenset({"latency", "hold", "lost_reply"})

MAINTENANCE_MESSAGE = "The service is down for scheduled maintenance. Please try again in a few minutes."


@dataclass
class Fault:
    id: str
    kind: str
    times: int | None
    ops: frozenset[str] | None
    probability: float
    seed: int | None
    params: dict[str, Any]
    _rng: random.Random = field(repr=False)
    match: str | None = None
    after: str | None = None
    awake: bool = True  # False while it waits for its ``after`` operation

    def matches(self, op: str | None, text: str = "") -> bool:
        return self.awake and (self.ops is None or op in self.ops) and self._contains_match(text)

    def wakes_on(self, op: str | None, text: str) -> bool:
        return not self.awake and op == self.after and self._contains_match(text)

    def _contains_match(self, text: str) -> bool:
        return self.match is None or self.match in text

    def roll(self) -> bool:
        return self.probability >= 1 or self._rng.random() < self.probability

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "times": self.times,
            "ops": sorted(self.ops) if self.ops is not None else None,
            "probability": self.probability,
            "seed": self.seed,
            "match": self.match,
            "after": self.after,
            "awake": self.awake,
            **self.params,
        }


class FaultInjector:
    """The armed faults of one simulator (thread-safe)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def add(
        self,
        kind: str,
        *,
        times: int | None = 1,
        ops: Iterable[str] | str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        match: str | None = None,
        after: str | None = None,
        **params: Any,
    ) -> Fault:
        """Arm a fault; raises ``ValueError`` on an unknown kind or a bad parameter."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known kinds: {', '.join(FAULT_KINDS)}")
        if times is not None and (not isinstance(times, int) or times < 1):
            raise ValueError("times must be a positive integer or None")
        if not 0 <= float(probability) <= 1:
            raise ValueError("probability must be between 0 and 1")
        if isinstance(ops, str):
            ops = [ops]
        for name, value in (("match", match), ("after", after)):
            if value is not None and (not isinstance(value, str) or not value):
                raise ValueError(f"{name} must be a non-empty string")
        with self._lock:
            fault = Fault(
                id=str(next(self._ids)),
                kind=kind,
                times=times,
                ops=frozenset(ops) if ops is not None else None,
                probability=float(probability),
                seed=seed,
                params=_checked_params(kind, params),
                _rng=random.Random(seed),
                match=match,
                after=after,
                awake=after is None,
            )
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def armed(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.as_dict() for fault in self._faults]

    def take(self, op: str | None, text: str = "") -> Fault | None:
        """The fault to apply to a request for ``op`` whose text is ``text``, using up one of its ``times``."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(op, text) and fault.roll():
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def served(self, op: str | None, text: str = "") -> None:
        """A request for ``op`` was served: wake the faults waiting for it."""
        with self._lock:
            for fault in self._faults:
                if fault.wakes_on(op, text):
                    fault.awake = True


def apply_fault(fault: Fault, process: Callable[[], Reply], rate_limited: Callable[[], Reply]) -> Reply:
    """What the client gets for a request hit by ``fault``; ``process`` runs the real handler."""
    kind, params = fault.kind, fault.params
    if kind in ("latency", "hold"):
        time.sleep(params["seconds"])
        return process()
    if kind in ("http_error", "maintenance"):
        headers = [("Retry-After", str(params["retry_after"]))] if params["retry_after"] is not None else []
        if kind == "maintenance":
            return Response.html(params["status"], MAINTENANCE_MESSAGE, title="Down for maintenance", headers=headers)
        return Response.html(params["status"], headers=headers)
    if kind == "rate_limit":
        return rate_limited()
    if kind == "drop":
        return NO_REPLY
    if kind == "lost_reply":
        process()
        return NO_REPLY
    raise AssertionError(f"fault kind {kind!r} has no behaviour")


def parse_fault_spec(spec: str) -> dict[str, Any]:
    """Parse a command-line fault, ``KIND[:key=value,...]``, into keyword arguments for ``add``.

    Values are numbers where they look like numbers, ``none`` is ``None``, ``match`` and ``after``
    are always text, and ``ops`` takes operation names separated by ``|`` (``ops=put_document|search``).
    """
    kind, _, rest = spec.partition(":")
    options: dict[str, Any] = {"kind": kind.strip()}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"fault option {item!r} is not key=value")
        key = key.strip()
        if key == "ops":
            options[key] = value.split("|")
        else:
            options[key] = value.strip() if key in TEXT_OPTIONS else _scalar(value.strip())
    return options


def _scalar(text: str) -> Any:
    if text.lower() == "none":
        return None
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def _checked_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    known = FAULT_KINDS[kind]
    unknown = set(params) - set(known)
    if unknown:
        raise ValueError(f"fault {kind!r} takes no parameter(s) {', '.join(sorted(unknown))}")
    checked = {}
    for name, default in known.items():
        value = params.get(name, default)
        if value is REQUIRED:
            raise ValueError(f"fault {kind!r} needs the parameter {name!r}")
        checked[name] = value
    for name in ("seconds", "retry_after"):
        if checked.get(name) is not None:
            checked[name] = float(checked[name]) if name == "seconds" else int(checked[name])
            if checked[name] < 0:
                raise ValueError(f"{name} must not be negative")
    if "status" in checked:
        checked["status"] = int(checked["status"])
        if kind == "http_error" and checked["status"] not in HTTP_ERROR_STATUSES:
            raise ValueError(f"http_error status must be one of {HTTP_ERROR_STATUSES}")
        if not 200 <= checked["status"] <= 599:
            raise ValueError("status must be an HTTP status from 200 to 599")
    return checked
