"""Document numbers (``count_code``).

Automatic numbers, one sequence per document type:

====================== ======================= ===========
doc_type               format                  example
====================== ======================= ===========
sales_offer            ``PON-<n>``             PON-1
sales_order            ``PP-<n>``              PP-1
sales_bill_domestic    ``<year>-<n:05>``       2026-00001
sales_bill_foreign     ``<year>-T<n:05>``      2026-T00001
sales_bill_credit_note ``<year>-D<n:05>``      2026-D00001
warehouse_packing_list ``DOB-<n>``             DOB-1
====================== ======================= ===========

(``<year>`` is the year of the document date.) A ``count_code`` sent on insert is used as it
is, unless a document of the same type already has it: then, as the live service does, the
document is still created, with an automatic number. ``COUNT_CODE_SELECT#<prefix>`` picks a
sequence of its own: ``<prefix><n>``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .state import Data, Store
from .values import optional_text

AUTO_FORMATS = {
    "sales_offer": "PON-{n}",
    "sales_order": "PP-{n}",
    "sales_bill_domestic": "{year}-{n:05d}",
    "sales_bill_foreign": "{year}-T{n:05d}",
    "sales_bill_credit_note": "{year}-D{n:05d}",
    "warehouse_packing_list": "DOB-{n}",
}
SELECT_PREFIX = "COUNT_CODE_SELECT#"


def count_code(store: Store, data: Data, doc_type: str, doc_date: date, requested: Any = None) -> str:
    wanted = optional_text(requested)
    if wanted and wanted.startswith(SELECT_PREFIX):
        prefix = wanted[len(SELECT_PREFIX):]
        return f"{prefix}{store.next_in_sequence(SELECT_PREFIX + prefix)}"
    taken = {doc["count_code"] for doc in data["documents"].values() if doc["doc_type"] == doc_type}
    if wanted and wanted not in taken:
        return wanted
    while True:  # skip numbers a client already used as its own count_code
        number = AUTO_FORMATS[doc_type].format(n=store.next_in_sequence(doc_type), year=doc_date.year)
        if number not in taken:
            return number
