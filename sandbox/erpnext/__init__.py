"""An ERPNext (Frappe v14/v15) REST API simulator: Customers with their Contacts and Addresses,
the real quirks, webhooks, fault injection and request recording.

See ``python -m sandbox.erpnext --help`` and :class:`ERPNextSimulator`.
"""

from .clock import format_timestamp, parse_timestamp
from .simulator import DEFAULT_API_KEY, DEFAULT_API_SECRET, ERPNextSimulator
from .store import SiteSettings
from .webhooks import SIGNATURE_HEADER, signature

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_API_SECRET",
    "ERPNextSimulator",
    "SIGNATURE_HEADER",
    "SiteSettings",
    "format_timestamp",
    "parse_timestamp",
    "signature",
]
