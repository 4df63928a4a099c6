"""HTTP client for the ERPNext (Frappe) v1 REST API.

This package imports nothing from Odoo, so that it can be used and tested on its own.
"""

from .client import (
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    DEFAULT_PAGE_SIZE,
    ConnectionInfo,
    ERPNextClient,
    KeysetPager,
    get_client,
)
from .errors import (
    AuthenticationError,
    ConfigurationError,
    DuplicateEntryError,
    ERPNextError,
    LinkValidationError,
    MandatoryError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    TemporarilyUnavailableError,
    TimestampMismatchError,
    TransientError,
    UnknownOutcomeError,
    ValidationError,
)
from .retry import NO_RETRY, RetryPolicy
from .values import format_timestamp, from_utc, parse_timestamp, server_messages, to_utc
