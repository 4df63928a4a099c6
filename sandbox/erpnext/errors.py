"""Frappe's exceptions as the v1 REST API reports them.

An error answer is JSON with the HTTP status of the exception class, ``exc_type`` (the class
name), ``exception`` (``"frappe.exceptions.X: message"``, only where Frappe shows tracebacks) and
``_server_messages``: a JSON **string** holding a list of JSON **strings**, one per message
(reference §2.5, §2.7).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from ..core import Response

# exc_type -> HTTP status (frappe/exceptions.py)
STATUS = {
    "ValidationError": 417,
    "MandatoryError": 417,
    "LinkValidationError": 417,
    "UniqueValidationError": 417,
    "TimestampMismatchError": 417,
    "DataError": 417,
    "InvalidEmailAddressError": 417,
    "LinkExistsError": 417,
    "DoesNotExistError": 404,
    "PermissionError": 403,
    "AuthenticationError": 401,
    "DuplicateEntryError": 409,
    "InvalidAuthorizationToken": 400,
    "TooManyRequestsError": 429,
    "SessionStopped": 503,
}


class FrappeError(Exception):
    """Raised by a handler; becomes Frappe's JSON error answer.

    ``message`` is what ``msgprint`` would show (``None``: the exception carries no message, as
    ``AuthenticationError`` does). ``title`` is the message dialog's title.
    """

    def __init__(self, exc_type: str, message: str | None = None, *, title: str = "Message",
                 raise_exception: bool = True, headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message or exc_type)
        if exc_type not in STATUS:
            raise ValueError(f"unknown Frappe exception {exc_type}")
        self.exc_type = exc_type
        self.message = message
        self.title = title
        self.raise_exception = raise_exception
        self.headers = headers

    @property
    def status(self) -> int:
        return STATUS[self.exc_type]

    def body(self, *, show_traceback: bool = False) -> dict[str, Any]:
        body: dict[str, Any] = {"exc_type": self.exc_type}
        if show_traceback and self.status != 404:
            body["exception"] = f"frappe.exceptions.{self.exc_type}: {self.message or ''}".rstrip(": ")
            body["exc"] = json.dumps([f"Traceback (most recent call last):\nfrappe.exceptions.{self.exc_type}"])
        if self.message is not None:
            message = {"message": self.message, "title": self.title, "indicator": "red"}
            if self.raise_exception:
                message["raise_exception"] = 1
                message["__frappe_exc_id"] = secrets.token_hex(5)
            body["_server_messages"] = server_messages([message])
        return body

    def response(self, *, show_traceback: bool = False) -> Response:
        answer = Response.json(self.body(show_traceback=show_traceback), self.status)
        return Response(answer.status, answer.body, answer.content_type, self.headers)


def server_messages(messages: list[dict[str, Any]]) -> str:
    """Frappe's double encoding: ``json.dumps([json.dumps(m) for m in message_log])``."""
    return json.dumps([json.dumps(message) for message in messages])


def not_found(doctype: str, name: str) -> FrappeError:
    return FrappeError("DoesNotExistError", f"{doctype} {name} not found")


def not_permitted(what: str = "Not permitted") -> FrappeError:
    return FrappeError("PermissionError", what, title="Not Permitted")


def mandatory(doctype: str, label: str) -> FrappeError:
    return FrappeError("MandatoryError", f"Error: Value missing for {doctype}: {label}")


def bad_link(label: str, value: Any) -> FrappeError:
    return FrappeError("LinkValidationError", f"Could not find {label}: {value}")


def validation(message: str) -> FrappeError:
    return FrappeError("ValidationError", message)
