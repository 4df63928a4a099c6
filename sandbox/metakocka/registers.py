"""The company's registers ("šifranti"): document types, taxes, statuses, payment types,
profit centres, users and warehouses, and the checks Metakocka makes against them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .errors import APPLICATION, PARAMETER, MkError, invalid, required
from .state import Data
from .values import parse_decimal

PACKING_LIST = "warehouse_packing_list"
CREDIT_NOTE = "sales_bill_credit_note"
DOC_TYPES = ("sales_offer", "sales_order", "sales_bill_domestic", "sales_bill_foreign", CREDIT_NOTE, PACKING_LIST)
BILL_TYPES = ("sales_bill_domestic", "sales_bill_foreign")  # invoices (a credit note is not one)
ORDER_LINKED_TYPES = (*BILL_TYPES, PACKING_LIST)  # the documents put_document links to sales_order_list

# Status registers are per document family; the title is what Metakocka's error names.
STATUS_FAMILIES = {
    "sales_offer": ("sales_offer", "Ponudbe - status"),
    "sales_order": ("sales_order", "Prodajna naročila - status"),
    "sales_bill_domestic": ("sales_bill", "Računi - status"),
    "sales_bill_foreign": ("sales_bill", "Računi - status"),
    CREDIT_NOTE: ("sales_bill", "Računi - status"),
    PACKING_LIST: ("warehouse", "Skladiščni dokumenti - status"),
}


def require_doc_type(body: dict[str, Any]) -> str:
    doc_type = required(body, "doc_type")
    if doc_type not in DOC_TYPES:
        raise MkError(PARAMETER, f"Unknown document type : {doc_type}")
    return doc_type


# --- taxes -------------------------------------------------------------------------------


def tax_rate(data: Data, code: str) -> Decimal:
    rate = data["taxes"].get(code)
    if rate is None:
        raise invalid("tax", code, ",".join(data["taxes"]))
    return Decimal(rate)


def tax_code_for_factor(data: Data, factor: Any) -> str:
    """The first tax code (in register order) with the rate ``factor`` (e.g. ``"0.22"``)."""
    rate = parse_decimal(factor, "tax_factor")
    for code, code_rate in data["taxes"].items():
        if Decimal(code_rate) == rate:
            return code
    raise invalid("tax_factor", factor, ",".join(sorted(set(data["taxes"].values()))))


# --- statuses ----------------------------------------------------------------------------


def status_values(data: Data, doc_type: str) -> dict[str, str]:
    """Opis (the code clients send) -> Vrednost (the display value) for ``doc_type``."""
    family, _ = STATUS_FAMILIES[doc_type]
    return {desc: value for value, desc in data["statuses"][family]}


def check_status(data: Data, doc_type: str, desc: Any) -> str:
    """``desc`` if it is an Opis of the document family's status register, else the error."""
    if desc not in status_values(data, doc_type):
        _, title = STATUS_FAMILIES[doc_type]
        raise MkError(
            PARAMETER,
            f"Paramether 'status_code' has invalid value : {desc}. "
            f"The value must exist in the register (Dinamični šifrant) '{title}'.",
        )
    return desc


def set_status_register(data: Data, doc_type: str, pairs: list[tuple[str, str]]) -> None:
    family, _ = STATUS_FAMILIES[doc_type]
    data["statuses"][family] = [[value, desc] for value, desc in pairs]


# --- payment types, profit centres, users ------------------------------------------------


def check_payment_type(data: Data, value: Any) -> str:
    """A payment type must be a Vrednost of "Vrsta plačila"; cash and card types need a fiscal
    cash register, which the sandbox company does not have."""
    for payment_type in data["payment_types"]:
        if payment_type["value"] == value:
            if payment_type["fiscal"]:
                raise MkError(
                    APPLICATION,
                    f"Payment type '{value}' needs a fiscal (tax) cash register; the company has none enabled.",
                )
            return value
    raise invalid("payment_type", value, ",".join(entry["value"] for entry in data["payment_types"]))


def profit_center(data: Data, code: Any) -> dict[str, str]:
    centers = data["profit_centers"]
    if code is None or code == "":
        return centers[0]
    for center in centers:
        if center["code"] == code:
            return center
    raise MkError(APPLICATION, f"Profit center '{code}' doesn't exist.")


def check_api_user(data: Data, email: Any) -> None:
    if not email or str(email).lower() not in (user.lower() for user in data["users"]):
        raise MkError(APPLICATION, f"Cannot find email '{email or ''}' for paramether api_user_email")


# --- warehouses --------------------------------------------------------------------------


def default_warehouse(data: Data) -> dict[str, Any]:
    return next((w for w in data["warehouses"] if w["main_warehouse"]), data["warehouses"][0])


def warehouse_by_mark(data: Data, mark: Any) -> dict[str, Any]:
    """Metakocka does not validate a document's warehouse: an unknown mark silently becomes the
    company's default warehouse."""
    for warehouse in data["warehouses"]:
        if warehouse["mark"] == mark:
            return warehouse
    return default_warehouse(data)


def warehouse_by_id(data: Data, mk_id: Any) -> dict[str, Any] | None:
    return next((w for w in data["warehouses"] if w["mk_id"] == str(mk_id)), None)
