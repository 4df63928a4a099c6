"""Credit notes ("Dobropis", ``sales_bill_credit_note``): their type and the invoice they credit.

put_document needs ``credit_note_type``, one of ``financial``, ``goods`` and ``standalone``
(reference §3.1, §4.1). A ``financial`` or ``goods`` credit note also needs ``credit_note_bill``,
the ``count_code`` of the invoice it credits; a ``standalone`` one may name one. The credit
note and the invoice then list each other in ``doc_link_list``. A credit note without a
partner takes the invoice's (§3.1: "some credit notes may omit it").
"""

from __future__ import annotations

from typing import Any

from . import registers
from .errors import PARAMETER, MkError, invalid, required
from .state import Data
from .values import is_blank, optional_text

TYPES = ("financial", "goods", "standalone")
NEEDS_BILL = ("financial", "goods")


def credited_bills(data: Data, body: dict[str, Any]) -> list[dict[str, Any]]:
    """``[invoice]`` the credit note credits, or ``[]`` for a standalone one without one."""
    kind = required(body, "credit_note_type")
    if kind not in TYPES:
        raise invalid("credit_note_type", kind, ",".join(TYPES))
    if kind in NEEDS_BILL:
        required(body, "credit_note_bill")
    elif is_blank(body.get("credit_note_bill")):
        return []
    count_code = optional_text(body["credit_note_bill"])
    for doc in data["documents"].values():
        if doc["doc_type"] in registers.BILL_TYPES and doc["count_code"] == count_code:
            return [doc]
    raise MkError(PARAMETER, f"Paramether 'credit_note_bill' has invalid value : {count_code}. "
                             f"Cannot find a sales bill with count_code = {count_code}")


def head_fields(body: dict[str, Any]) -> dict[str, str | None]:
    """The credit-note fields get_document shows (already checked by :func:`credited_bills`)."""
    return {name: optional_text(body.get(name)) for name in ("credit_note_type", "credit_note_bill")}
