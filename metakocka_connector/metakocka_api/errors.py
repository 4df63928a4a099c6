"""Typed errors raised by the Metakocka client.

Each class answers one question a caller has to decide on: fix the settings, fix the data, look the
record up, wait and try again, or find out whether a write happened before sending it again.
"""


class MetakockaError(Exception):
    """Base class. ``op`` is the API operation, ``opr_code`` Metakocka's code when it sent one."""

    #: True when the same call may simply be sent again later.
    transient = False

    def __init__(self, message, *, op=None, opr_code=None, http_status=None):
        super().__init__(message)
        self.message = message
        self.op = op
        self.opr_code = opr_code
        self.http_status = http_status

    def __str__(self):
        return self.message


class ConfigurationError(MetakockaError):
    """Settings are missing or wrong: no URL or key, or the URL answers with something not Metakocka."""


class AuthenticationError(ConfigurationError):
    """Metakocka refused the credentials (opr_code 3) or the caller's IP address (opr_code 4)."""


class ValidationError(MetakockaError):
    """Metakocka refused the request's content; ``message`` carries its own explanation."""


class NotFoundError(ValidationError):
    """The document, partner or product asked for does not exist."""


class TransientError(MetakockaError):
    """The request was not carried out, and sending it again later may succeed."""

    transient = True

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        #: Seconds the server asked us to wait, when it said so.
        self.retry_after = retry_after


class RateLimitedError(TransientError):
    """Too many calls (opr_code 5, or HTTP 429)."""


class TemporarilyUnavailableError(TransientError):
    """Metakocka could not be reached or answered with a server error or a maintenance page."""


class UnknownOutcomeError(MetakockaError):
    """A write was sent and no reply came: it may or may not have been carried out.

    Never send the same create again blindly; look the record up by its own key first.
    """
