"""How every Metakocka endpoint answers: POST only, a JSON body carrying the credentials, and
an HTTP 200 JSON envelope with ``opr_code`` (``"0"`` = OK) and ``opr_time_ms``."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

from ..core import Request, Response
from .errors import AUTH, PARAMETER, MkError
from .state import Store
from .values import clean

Handler = Callable[[Store, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Credentials:
    company_id: str
    secret_key: str = field(repr=False)

    def check(self, body: dict[str, Any]) -> None:
        """``company_id`` may come as a number or a string."""
        if str(body.get("company_id", "")).strip() != self.company_id or body.get("secret_key") != self.secret_key:
            raise MkError(AUTH, "Wrong secret_key or company_id.")


def json_endpoint(store: Store, credentials: Credentials, handler: Handler, *,
                  bare_success: bool = False) -> Callable[[Request], Response]:
    """Wrap ``handler(store, body) -> dict`` as an HTTP endpoint.

    ``bare_success``: the answer has no ``opr_code``/``opr_time_ms`` on success (the partner
    endpoints); errors always have them.
    """

    def serve(request: Request) -> Response:
        if request.method != "POST":
            return Response.html(405, f"{request.method} is not supported here.", headers=[("Allow", "POST")])
        started = time.perf_counter()
        try:
            body = _json_body(request)
            credentials.check(body)
            result = handler(store, body)
            envelope = {} if bare_success else {"opr_code": "0"}
        except MkError as error:
            result, envelope = {}, error.as_dict()
        if envelope:
            envelope["opr_time_ms"] = str(int((time.perf_counter() - started) * 1000))
        return Response.json(clean({**envelope, **result}) or {})

    return serve


def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = request.json()
    except ValueError as error:
        raise MkError(PARAMETER, f"Request body is not valid JSON : {error}") from None
    if not isinstance(body, dict):
        raise MkError(PARAMETER, "Request body must be a JSON object")
    return body
