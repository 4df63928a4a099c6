"""The base class of a sandbox simulator.

It owns the HTTP server, the fault injector, the request recorder and the admin API. A
subclass maps requests to operations (:meth:`Simulator.route`) and may override the hooks
:meth:`reset_state`, :meth:`rate_limit_response` and :meth:`admin_routes`.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import unquote

from .admin import ADMIN_PREFIX, AdminApi, AdminHandler
from .faults import PROCESSING_KINDS, FaultInjector, apply_fault
from .messages import Reply, Request, Response
from .recorder import InFlight, RecordedRequest, RequestRecorder
from .server import SimulatorServer

logger = logging.getLogger("sandbox")


@dataclass(frozen=True)
class Route:
    op: str  # the operation name that faults and the recorder use
    handler: Callable[[Request], Response]


class Simulator:
    #: Body fields the admin API leaves out when it lists recorded requests.
    secret_fields: tuple[str, ...] = ()

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._requested_port = port
        self._faults = FaultInjector()
        self._recorder = RequestRecorder()
        self._in_flight = InFlight()
        self._server: SimulatorServer | None = None
        self._thread: threading.Thread | None = None
        self._admin = AdminApi(self)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> Simulator:
        """Bind the port and serve in a background daemon thread; returns ``self``."""
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        self._server = SimulatorServer((self.host, self._requested_port), self.handle)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},  # a quick stop()
            name=f"{type(self).__name__}:{self.port}", daemon=True,
        )
        self._thread.start()
        logger.info("%s serving at %s", type(self).__name__, self.url)
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- faults and recorded requests ------------------------------------------------------

    def add_fault(self, kind: str, **options: Any) -> str:
        """Arm a fault (see :mod:`sandbox.core.faults`); returns its id."""
        return self._faults.add(kind, **options).id

    def list_faults(self) -> list[dict[str, Any]]:
        return self._faults.armed()

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def requests(self) -> list[RecordedRequest]:
        """The recorded requests, oldest first (admin calls are not recorded)."""
        return self._recorder.entries()

    def count(self, op: str) -> int:
        return self._recorder.count(op)

    def in_flight(self, op: str | None = None) -> list[RecordedRequest]:
        """The requests being served right now (e.g. held by a ``hold`` fault), oldest first."""
        return self._in_flight.entries(op)

    def clear_requests(self) -> None:
        self._recorder.clear()

    def reset(self) -> None:
        """Back to the initial state, with no faults and no recorded requests."""
        self.clear_faults()
        self.clear_requests()
        self.reset_state()

    # --- hooks for subclasses --------------------------------------------------------------

    def route(self, request: Request) -> Route | None:
        """The operation serving ``request``, or ``None`` for an unknown path."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Restore the simulated system's data."""

    def rate_limit_response(self) -> Response:
        """The answer to a request refused by the ``rate_limit`` fault."""
        return Response.json({"error": "Too many requests"}, 429)

    def not_found_response(self, request: Request) -> Response:
        return Response.html(404, f"{request.path} was not found on this server.")

    def admin_routes(self) -> dict[tuple[str, str], AdminHandler]:
        """Extra admin routes, ``{(method, name): handler}`` served at ``/_sandbox/<name>``.

        Called from ``Simulator.__init__``, so it should only hand out (bound) callables.
        """
        return {}

    # --- dispatch --------------------------------------------------------------------------

    def handle(self, request: Request) -> Reply:
        if request.path.startswith(ADMIN_PREFIX):
            return self._admin.handle(request)
        route = self.route(request)
        if route is None:
            self._recorder.record(request.method, request.path, None, _json_or_none(request), None)
            return self.not_found_response(request)
        text = request_text(request)
        fault = self._faults.take(route.op, text)
        entry = self._recorder.record(
            request.method, request.path, route.op, _json_or_none(request), fault.kind if fault else None
        )
        key = self._in_flight.start(entry)
        try:
            if fault is None:
                reply = route.handler(request)
            else:
                logger.debug("fault %s applied to %s", fault.kind, route.op)
                reply = apply_fault(fault, lambda: route.handler(request), self.rate_limit_response)
        finally:
            self._in_flight.finish(key)
        if fault is None or fault.kind in PROCESSING_KINDS:
            self._faults.served(route.op, text)
        return reply


def request_text(request: Request) -> str:
    """What a fault's ``match`` is looked for in: the URL-decoded path, the query values, the body
    (and the body's JSON again with its non-ASCII characters unescaped)."""
    parts = [unquote(request.path), *(value for values in request.query.values() for value in values)]
    body = request.body.decode("utf-8", errors="replace")
    parts.append(body)
    try:
        data = request.json()
    except ValueError:
        data = None
    if data is not None:
        parts.append(json.dumps(data, ensure_ascii=False))
    return "\n".join(parts)


def _json_or_none(request: Request) -> dict[str, Any] | None:
    try:
        data = request.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
