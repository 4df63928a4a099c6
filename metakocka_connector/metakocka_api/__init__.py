"""HTTP client for the Metakocka REST API.

This package imports nothing from Odoo, so that it can be used and tested on its own.
"""

from .client import PARTNER_PAGE_SIZE, PRODUCT_PAGE_SIZE, SEARCH_PAGE_SIZE, MetakockaClient, get_client
from .errors import (
    AuthenticationError,
    ConfigurationError,
    MetakockaError,
    NotFoundError,
    RateLimitedError,
    TemporarilyUnavailableError,
    TransientError,
    UnknownOutcomeError,
    ValidationError,
)
from .retry import NO_RETRY, RetryPolicy
