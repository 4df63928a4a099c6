"""The JSON admin endpoint under ``/_sandbox/``: faults, recorded requests, requests in flight, reset.

A simulator adds its own admin routes (``Simulator.admin_routes``). Admin calls are never
recorded and never hit by faults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .messages import Request, Response

if TYPE_CHECKING:
    from .simulator import Simulator

ADMIN_PREFIX = "/_sandbox/"

AdminHandler = Callable[[Request], Any]


class AdminApi:
    def __init__(self, simulator: Simulator) -> None:
        self._sim = simulator
        self._routes: dict[tuple[str, str], AdminHandler] = {
            ("POST", "faults"): self._add_fault,
            ("GET", "faults"): lambda request: self._sim.list_faults(),
            ("DELETE", "faults"): lambda request: self._done(self._sim.clear_faults()),
            ("GET", "requests"): self._list_requests,
            ("DELETE", "requests"): lambda request: self._done(self._sim.clear_requests()),
            ("GET", "in_flight"): self._list_in_flight,
            ("POST", "reset"): lambda request: self._done(self._sim.reset()),
        }
        self._routes.update(simulator.admin_routes())

    def handle(self, request: Request) -> Response:
        name = request.path[len(ADMIN_PREFIX):].strip("/")
        handler = self._routes.get((request.method, name))
        if handler is None:
            return Response.json({"error": f"no admin route {request.method} {request.path}"}, 404)
        try:
            return Response.json(handler(request))
        except ValueError as error:  # also covers malformed JSON
            return Response.json({"error": str(error)}, 400)

    def _add_fault(self, request: Request) -> dict[str, str]:
        options = json_object(request)
        kind = options.pop("kind", None)
        if not kind:
            raise ValueError("a fault needs a 'kind'")
        return {"id": self._sim.add_fault(kind, **options)}

    def _list_requests(self, request: Request) -> list[dict[str, Any]]:
        op = request.query_value("op")
        hidden = self._sim.secret_fields
        return [entry.as_dict(hidden) for entry in self._sim.requests if op is None or entry.op == op]

    def _list_in_flight(self, request: Request) -> list[dict[str, Any]]:
        hidden = self._sim.secret_fields
        return [entry.as_dict(hidden) for entry in self._sim.in_flight(request.query_value("op"))]

    @staticmethod
    def _done(_: None) -> dict[str, str]:
        return {"status": "ok"}


def json_object(request: Request) -> dict[str, Any]:
    """The request body as a JSON object (``{}`` when empty); ``ValueError`` otherwise."""
    data = request.json()
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data
