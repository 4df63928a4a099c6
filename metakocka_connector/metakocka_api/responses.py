"""Turn what came back from Metakocka (a reply, or a failure to get one) into data or a typed error."""

import json

import requests
import urllib3

from .errors import (
    AuthenticationError,
    ConfigurationError,
    MetakockaError,
    NotFoundError,
    RateLimitedError,
    TemporarilyUnavailableError,
    UnknownOutcomeError,
    ValidationError,
)

#: Fragments of ``opr_desc`` by which Metakocka says that the thing asked for does not exist.
_NOT_FOUND_PHRASES = (
    "no partner with such properties",
    "cannot find document",
    "not found",
)

#: Server errors after which a write surely was not carried out: the service itself said it is
#: down. A 500, 502 or 504 may come after the application did the work, so a write is then unknown.
_WRITE_SAFE_STATUSES = {503}


def interpret_response(endpoint, response, redact):
    """Return the JSON body of a successful reply or raise the matching :mod:`.errors` class."""
    status = response.status_code
    retry_after = _retry_after_seconds(response)
    if status == 429:
        raise RateLimitedError(
            f"Metakocka asked us to slow down (HTTP 429) on {endpoint.op}",
            op=endpoint.op, http_status=status, retry_after=retry_after,
        )
    if status >= 500:
        message = f"Metakocka is unavailable: HTTP {status} on {endpoint.op}"
        if endpoint.write and status not in _WRITE_SAFE_STATUSES:
            raise UnknownOutcomeError(
                f"{message}; the {endpoint.op} may or may not have been carried out",
                op=endpoint.op, http_status=status,
            )
        raise TemporarilyUnavailableError(
            message, op=endpoint.op, http_status=status, retry_after=retry_after
        )
    body = _json_body(response)
    if body is None:
        _raise_for_non_json(endpoint, response)
    if not isinstance(body, dict):
        raise ValidationError(
            f"Metakocka answered {endpoint.op} with an unexpected JSON {type(body).__name__}",
            op=endpoint.op, http_status=status,
        )
    if status in (401, 403):
        raise AuthenticationError(
            f"Metakocka refused access (HTTP {status}) on {endpoint.op}", op=endpoint.op, http_status=status
        )
    _raise_for_opr_code(endpoint, body, redact)
    if status >= 400:
        raise ValidationError(f"Metakocka answered {endpoint.op} with HTTP {status}", op=endpoint.op, http_status=status)
    return body


def interpret_failure(endpoint, exc, redact):
    """Map an exception raised while sending (no reply arrived) to a typed error."""
    detail = redact(str(exc))
    if isinstance(exc, requests.exceptions.SSLError):
        return ConfigurationError(f"TLS handshake with Metakocka failed: {detail}", op=endpoint.op)
    if _connection_was_never_made(exc):
        return TemporarilyUnavailableError(f"cannot connect to Metakocka: {detail}", op=endpoint.op)
    if endpoint.write:
        return UnknownOutcomeError(
            f"no reply from Metakocka to {endpoint.op} ({type(exc).__name__}); "
            "it may or may not have been carried out",
            op=endpoint.op,
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return TemporarilyUnavailableError(f"Metakocka did not answer {endpoint.op} in time", op=endpoint.op)
    return TemporarilyUnavailableError(
        f"connection to Metakocka lost during {endpoint.op}: {detail}", op=endpoint.op
    )


def _raise_for_opr_code(endpoint, body, redact):
    # get_partner, add_partner and update_partner leave opr_code out when they succeed.
    code = str(body.get("opr_code", "0")).strip()
    if code == "0":
        return
    description = redact(str(body.get("opr_desc") or body.get("opr_desc_app") or body.get("error_desc") or ""))
    description = description or "no description given"
    kwargs = {"op": endpoint.op, "opr_code": code}
    if code in ("3", "4"):
        what = "the company id or secret key" if code == "3" else "this server's IP address"
        raise AuthenticationError(f"Metakocka refused {what}: {description}", **kwargs)
    if code == "5":
        raise RateLimitedError(f"Metakocka rate limit reached on {endpoint.op}: {description}", **kwargs)
    if code == "2" and any(phrase in description.lower() for phrase in _NOT_FOUND_PHRASES):
        raise NotFoundError(f"Metakocka {endpoint.op}: {description}", **kwargs)
    if code in ("1", "2", "6", "8"):
        raise ValidationError(f"Metakocka refused {endpoint.op}: {description} (opr_code {code})", **kwargs)
    raise MetakockaError(f"Metakocka {endpoint.op} failed: {description} (opr_code {code})", **kwargs)


def _raise_for_non_json(endpoint, response):
    status = response.status_code
    looks_html = "html" in response.headers.get("Content-Type", "").lower() or response.text.lstrip().startswith("<")
    if status == 404:
        raise ConfigurationError(
            f"{response.url} answered HTTP 404: check the Metakocka API URL "
            f"({endpoint.op} lives under {endpoint.family})",
            op=endpoint.op, http_status=status,
        )
    if status in (401, 403):
        raise AuthenticationError(
            f"Metakocka refused access (HTTP {status}) on {endpoint.op}", op=endpoint.op, http_status=status
        )
    if looks_html and status == 200:
        # A maintenance or proxy page in place of the application: the call did not reach it.
        raise TemporarilyUnavailableError(
            f"Metakocka answered {endpoint.op} with an HTML page (maintenance?)",
            op=endpoint.op, http_status=status,
        )
    if endpoint.write:
        raise UnknownOutcomeError(
            f"Metakocka answered {endpoint.op} with HTTP {status} and no JSON; "
            "it may or may not have been carried out",
            op=endpoint.op, http_status=status,
        )
    raise TemporarilyUnavailableError(
        f"Metakocka answered {endpoint.op} with HTTP {status} and no JSON", op=endpoint.op, http_status=status
    )


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
