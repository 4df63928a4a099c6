"""Typed errors raised by the ERPNext client.

Each class answers one question a caller has to decide on: fix the settings, fix the data, look the
record up, settle a conflict, wait and try again, or find out whether a write happened before sending
it again. ``message`` is ERPNext's own explanation where it gave one.
"""


class ERPNextError(Exception):
    """Base class. ``exc_type`` is Frappe's exception name, ``http_status`` the HTTP status."""

    #: True when the same call may simply be sent again later.
    transient = False

    def __init__(self, message, *, http_status=None, exc_type=None, operation=None):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.exc_type = exc_type
        self.operation = operation

    def __str__(self):
        return self.message


class ConfigurationError(ERPNextError):
    """Settings are missing or wrong: no URL, key or secret, or the URL answers with something
    that is not ERPNext's API."""


class AuthenticationError(ConfigurationError):
    """ERPNext refused the API key and secret (HTTP 401, or a malformed token)."""


class PermissionDeniedError(ERPNextError):
    """The API user may not do this (HTTP 403): a role is missing (``Deleted Document`` needs System
    Manager), or, on Frappe v14, the key and secret were wrong and the call ran as Guest."""


class ValidationError(ERPNextError):
    """ERPNext refused the request's content (HTTP 417 and friends)."""


class MandatoryError(ValidationError):
    """A mandatory field is empty."""


class LinkValidationError(ValidationError):
    """A link points at a record ERPNext does not have (a payment terms template, a country...)."""


class NotFoundError(ValidationError):
    """The document does not exist (HTTP 404)."""


class DuplicateEntryError(ValidationError):
    """A document with that name exists already (HTTP 409)."""


class TimestampMismatchError(ValidationError):
    """The document changed in ERPNext since the ``modified`` we sent: an edit conflict."""


class TransientError(ERPNextError):
    """The request was not carried out, and sending it again later may succeed."""

    transient = True

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        #: Seconds the server asked us to wait, when it said so.
        self.retry_after = retry_after


class RateLimitedError(TransientError):
    """Too many requests (HTTP 429, or Frappe's ``RateLimitExceededError``)."""


class TemporarilyUnavailableError(TransientError):
    """ERPNext could not be reached, or answered with a server error or a maintenance page."""


class UnknownOutcomeError(ERPNextError):
    """A write was sent and no sure answer came back: it may or may not have been carried out.

    Never send the same create again blindly; look the record up first.
    """
