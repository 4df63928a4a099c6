"""The request and response values passed between the HTTP server and a simulator."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Mapping


@dataclass(frozen=True)
class Request:
    """One HTTP request, body already read."""

    method: str
    path: str  # without the query string
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when empty); raises ``ValueError`` when malformed."""
        if not self.body.strip():
            return None
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, "application/json;charset=UTF-8")

    @classmethod
    def html(cls, status: int, message: str | None = None, *, title: str | None = None, headers=()) -> Response:
        """A small HTML page such as a web server or proxy would answer with."""
        title = title or f"{status} {HTTPStatus(status).phrase}"
        text = f"<p>{html.escape(message)}</p>" if message else ""
        page = (
            f"<!doctype html><html><head><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{text}<hr><address>nginx</address></body></html>"
        )
        return cls(status, page.encode("utf-8"), "text/html; charset=utf-8", tuple(headers))


class NoReply:
    """Tells the server to close the connection without sending any response."""

    def __repr__(self) -> str:
        return "NO_REPLY"


NO_REPLY = NoReply()

Reply = Response | NoReply
