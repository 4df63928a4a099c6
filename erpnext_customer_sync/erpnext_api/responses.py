"""Turn what came back from ERPNext (a reply, or a failure to get one) into data or a typed error.

Frappe answers errors with the HTTP status of the exception class and a JSON body: ``exc_type``,
maybe ``exception``, and ``_server_messages`` encoded twice (reference §2.5, §2.7). Proxies in
front of it answer with HTML pages. The status decides the class; ``exc_type`` refines it; the
message is the server's own.
"""

import json

import requests
import urllib3

from . import errors
from .values import exception_text, server_messages

#: 417 exc_types with a class of their own.
_BY_EXC_TYPE = {
    "TimestampMismatchError": errors.TimestampMismatchError,
    "MandatoryError": errors.MandatoryError,
    "LinkValidationError": errors.LinkValidationError,
    "DoesNotExistError": errors.NotFoundError,
    "DuplicateEntryError": errors.DuplicateEntryError,
}


def interpret_response(operation, response, redact, *, write):
    """The JSON body of a successful reply, or the matching :mod:`.errors` exception raised."""
    status = response.status_code
    body = _json_body(response)
    retry_after = _retry_after_seconds(response)
    exc_type = body.get("exc_type") if isinstance(body, dict) else None
    message = _message(body, redact)
    kwargs = {"http_status": status, "exc_type": exc_type, "operation": operation}

    if 200 <= status < 300:
        if isinstance(body, dict):
            return body
        if body is None and _looks_html(response):
            # A proxy's maintenance page with a 200: the call never reached ERPNext.
            raise errors.TemporarilyUnavailableError(
                f"ERPNext answered {operation} with an HTML page (maintenance?)", **kwargs)
        raise errors.ERPNextError(f"ERPNext answered {operation} with something that is not a JSON object",
                                  **kwargs)
    if status == 429 or exc_type in ("TooManyRequestsError", "RateLimitExceededError"):
        raise errors.RateLimitedError(f"ERPNext asked us to slow down (HTTP {status}) on {operation}",
                                      retry_after=retry_after, **kwargs)
    if status >= 500:
        text = f"ERPNext is unavailable: HTTP {status} on {operation}" + (f": {message}" if message else "")
        # Frappe rolls a request back when it fails, so its own JSON error (and a 503, maintenance)
        # means nothing was written. A bare 500/502/504 from a proxy may come after the work was done.
        if write and exc_type is None and status != 503:
            raise errors.UnknownOutcomeError(f"{text}; the {operation} may or may not have been carried out",
                                             **kwargs)
        raise errors.TemporarilyUnavailableError(text, retry_after=retry_after, **kwargs)
    if status == 401 or exc_type in ("AuthenticationError", "InvalidAuthorizationToken", "SessionExpired"):
        raise errors.AuthenticationError(
            f"ERPNext refused the API key and secret (HTTP {status}) on {operation}"
            + (f": {message}" if message else ""), **kwargs)
    if status == 403:
        raise errors.PermissionDeniedError(
            f"ERPNext refused {operation} (HTTP 403): {message or 'not permitted'}. The API user may lack a "
            "role, or (on Frappe v14) the API key and secret are wrong.", **kwargs)
    if status == 404 and exc_type is None:
        raise errors.ConfigurationError(
            f"{response.url.split('?')[0]} answered HTTP 404: check the ERPNext URL", **kwargs)
    if status == 414:
        raise errors.ValidationError(f"ERPNext's server refused {operation}: the request is too long", **kwargs)
    error_class = _BY_EXC_TYPE.get(exc_type)
    if error_class is None:
        error_class = errors.NotFoundError if status == 404 else (
            errors.DuplicateEntryError if status == 409 else errors.ValidationError)
    raise error_class(f"ERPNext refused {operation}: {message or exc_type or f'HTTP {status}'}", **kwargs)


def interpret_failure(operation, exc, redact, *, write):
    """Map an exception raised while sending (no reply arrived) to a typed error."""
    detail = redact(str(exc))
    if isinstance(exc, requests.exceptions.SSLError):
        return errors.ConfigurationError(f"TLS handshake with ERPNext failed: {detail}", operation=operation)
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema)):
        return errors.ConfigurationError(f"the ERPNext URL is not usable: {detail}", operation=operation)
    if _connection_was_never_made(exc):
        return errors.TemporarilyUnavailableError(f"cannot connect to ERPNext: {detail}", operation=operation)
    if write:
        return errors.UnknownOutcomeError(
            f"no reply from ERPNext to {operation} ({type(exc).__name__}); it may or may not have been carried out",
            operation=operation)
    if isinstance(exc, requests.exceptions.Timeout):
        return errors.TemporarilyUnavailableError(f"ERPNext did not answer {operation} in time",
                                                  operation=operation)
    return errors.TemporarilyUnavailableError(f"connection to ERPNext lost during {operation}: {detail}",
                                              operation=operation)


def _message(body, redact):
    if not isinstance(body, dict):
        return None
    messages = server_messages(body) or [exception_text(body)]
    text = "; ".join(message for message in messages if message)
    return redact(text) if text else None


def _looks_html(response):
    return "html" in response.headers.get("Content-Type", "").lower() or response.text.lstrip().startswith("<")


def _json_body(response):
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        return None


def _retry_after_seconds(response):
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare enough to fall back on our own back-off


def _connection_was_never_made(exc):
    """True when the request surely never reached the server (refused, unresolvable, connect timeout)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen = set()
    current = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)):
            return True
        if isinstance(current, urllib3.exceptions.MaxRetryError):
            current = current.reason
            continue
        nested = current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        current = nested or current.__cause__ or current.__context__
    return False
