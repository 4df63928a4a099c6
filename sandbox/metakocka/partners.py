"""Partners: the register, the get/add/update_partner endpoints, and the partner of a document.

A partner is stored as::

    {"mk_id", "count_code", "customer", "business_entity", "taxpayer", "foreign_county",
     "buyer", "supplier", "tax_id_number", "registration_number",
     "addresses": [{"mk_id", "address_type", "street", "street_number", "post_number",
                    "city", "province", "country"}],        # the first is the billing address
     "contacts":  [{"mk_id", "mk_address_id", "name", "email", "gsm", "phone", "fax"}],
     "raw_fields": {...}}                                   # optional: shown as they are (tests)

The partner endpoints answer without ``opr_code`` on success. The whole register pages with
``limit``/``offset`` (1000 at most, no filter); a page past the end is opr_code 2, as a miss is.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import PARAMETER, MkError, required
from .state import Data, Store
from .values import is_blank, is_true, objects, optional_text, page_window

NO_MATCH = "No partner with such properties."
BILLING = "Račun"
PAGE_SIZE = 1000

# ISO code -> the English and Slovenian names Metakocka accepts (a small, sandbox-sized table).
COUNTRIES = {
    "SI": ("Slovenia", "Slovenija"),
    "HR": ("Croatia", "Hrvaška"),
    "AT": ("Austria", "Avstrija"),
    "DE": ("Germany", "Nemčija"),
    "IT": ("Italy", "Italija"),
    "HU": ("Hungary", "Madžarska"),
    "FR": ("France", "Francija"),
    "GB": ("United Kingdom", "Združeno kraljestvo"),
    "XI": ("United Kingdom - Northern Ireland", "Združeno kraljestvo (UK) - Severna Irska"),
    "US": ("United States", "Združene države Amerike"),
}

_FLAGS = {"business_entity": False, "taxpayer": False, "foreign_county": False, "buyer": True, "supplier": False}
_IDENTITY = ("customer", "tax_id_number", "registration_number")
_ADDRESS = ("street", "street_number", "post_number", "city", "province", "country")
_CONTACT = ("name", "email", "gsm", "phone", "fax")


def country_iso(country: Any) -> str | None:
    text = str(country or "").strip().casefold()
    for iso, names in COUNTRIES.items():
        if text == iso.casefold() or text in (name.casefold() for name in names):
            return iso
    return None


# --- building and finding partners ---------------------------------------------------------


def new_partner(store: Store, fields: dict[str, Any]) -> dict[str, Any]:
    """A partner built from add_partner / inline document fields (not yet in the register)."""
    required(fields, "customer")
    partner = {"mk_id": store.new_id(), "count_code": str(store.next_in_sequence("partner", start=1000))}
    for flag, default in _FLAGS.items():
        partner[flag] = is_true(fields[flag]) if flag in fields else default
    partner.update({key: optional_text(fields.get(key)) for key in _IDENTITY})
    billing = _new_address(store, {**fields, "city": fields.get("place") or fields.get("city")}, BILLING)
    partner["addresses"] = [billing]
    extra = fields.get("partner_delivery_address")
    if isinstance(extra, dict):
        partner["addresses"].append(_new_address(store, extra, extra.get("address_type") or "Dobava"))
    contact_fields = fields.get("partner_contact") if isinstance(fields.get("partner_contact"), dict) else {}
    partner["contacts"] = [_new_contact(store, contact_fields, billing["mk_id"], partner["customer"])]
    return partner


def find_partner(data: Data, mk_id: Any = None, count_code: Any = None) -> dict[str, Any] | None:
    if not is_blank(mk_id):
        return data["partners"].get(str(mk_id))
    if not is_blank(count_code):
        return next((p for p in data["partners"].values() if p["count_code"] == str(count_code)), None)
    return None


def document_partner(store: Store, data: Data, value: Any, created: list[dict[str, Any]]) -> dict[str, Any]:
    """The partner (or receiver) of a document, as the document keeps it.

    Referenced by ``mk_id`` + ``mk_address_id`` (or ``mk_id`` + ``customer`` + ``street``), or
    given inline, which makes a NEW partner every time, as the live service does; new partners
    are appended to ``created`` for the caller to insert once the whole document is valid.
    """
    if not isinstance(value, dict) or all(is_blank(item) for item in value.values()):
        raise MkError(PARAMETER, "Partner data are missing")
    if is_blank(value.get("mk_id")):
        partner = new_partner(store, value)
        created.append(partner)
        return snapshot(partner, partner["addresses"][0])
    partner = find_partner(data, mk_id=value["mk_id"])
    if partner is None:
        raise MkError(PARAMETER, f"Cannot find partner with mk_id = {value['mk_id']}")
    address_id = value.get("mk_address_id")
    if not is_blank(address_id):
        address = next((a for a in partner["addresses"] if a["mk_id"] == str(address_id)), None)
        if address is None:
            raise MkError(PARAMETER, f"Cannot find partner address with mk_address_id = {address_id}")
    elif not is_blank(value.get("customer")) and not is_blank(value.get("street")):
        address = next((a for a in partner["addresses"] if a["street"] == value["street"]), partner["addresses"][0])
    else:
        raise MkError(
            PARAMETER, "Partner must have mk_address_id or customer and street for address identification."
        )
    return snapshot(partner, address)


def snapshot(partner: dict[str, Any], address: dict[str, Any]) -> dict[str, Any]:
    """A partner as a document shows it: flat address fields with ``place`` (not ``city``)."""
    contact = next((c for c in partner["contacts"] if c["mk_address_id"] == address["mk_id"]), None)
    return {
        **{flag: partner[flag] for flag in ("business_entity", "taxpayer", "foreign_county")},
        "tax_id_number": partner["tax_id_number"],
        "customer": partner["customer"],
        "street": address["street"],
        "street_number": address["street_number"],
        "post_number": address["post_number"],
        "place": address["city"],
        "province": address["province"],
        "country": address["country"],
        "country_iso_2": country_iso(address["country"]),
        "count_code": partner["count_code"],
        "useCustomerAsContact": False,
        "mk_id": partner["mk_id"],
        "mk_address_id": address["mk_id"],
        "partner_contact": {key: contact[key] for key in _CONTACT} if contact else None,
    }


def register_view(partner: dict[str, Any]) -> dict[str, Any]:
    """A partner as get_partner / update_partner show it."""
    streets = {address["mk_id"]: address["street"] for address in partner["addresses"]}
    return {
        "mk_id": partner["mk_id"],
        **{flag: partner[flag] for flag in ("business_entity", "taxpayer", "foreign_county")},
        "customer": partner["customer"],
        "count_code": partner["count_code"],
        "tax_id_number": partner["tax_id_number"],
        "registration_number": partner["registration_number"],
        "buyer": partner["buyer"],
        "supplier": partner["supplier"],
        "partner_contact_list": [
            {"mk_id": c["mk_id"], "mk_address_id": c["mk_address_id"],
             "contact_address": streets.get(c["mk_address_id"]), **{key: c[key] for key in _CONTACT}}
            for c in partner["contacts"]
        ],
        "partner_delivery_address_list": [
            {"mk_id": a["mk_id"], "address_type": a["address_type"], **{key: a[key] for key in _ADDRESS}}
            for a in partner["addresses"]
        ],
        **(partner.get("raw_fields") or {}),  # a malformed register row for a client to survive
    }


# --- endpoints -----------------------------------------------------------------------------


def get_partner(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Filters combine with AND; ``partner_name`` is a case-insensitive substring. No match is
    an error (opr_code 2), not an empty list. Several matches come in creation order."""
    filters = []
    if not is_blank(body.get("partner_id")):
        filters.append(lambda p: p["mk_id"] == str(body["partner_id"]))
    if not is_blank(body.get("partner_name")):
        name = str(body["partner_name"]).casefold()
        filters.append(lambda p: name in (p["customer"] or "").casefold())
    if not is_blank(body.get("partner_tax_number")):
        tax_number = _compact(body["partner_tax_number"])
        filters.append(lambda p: tax_number in (_compact(p["tax_id_number"]), _compact(p["registration_number"])))
    if not is_blank(body.get("partner_email")):
        email = str(body["partner_email"]).strip().casefold()
        filters.append(lambda p: any((c["email"] or "").casefold() == email for c in p["contacts"]))
    if not is_blank(body.get("partner_phone_number")):
        phone = _digits(body["partner_phone_number"])
        filters.append(
            lambda p: bool(phone) and any(phone in (_digits(c["phone"]), _digits(c["gsm"])) for c in p["contacts"])
        )
    offset, limit = page_window(body, PAGE_SIZE)
    with store.read() as data:
        matches = [p for p in data["partners"].values() if all(check(p) for check in filters)]
        page = [register_view(p) for p in matches[offset : offset + limit]]
    if not page:
        raise MkError(PARAMETER, NO_MATCH)
    return {"partner_list_count": len(page), "partner_list": page}


def add_partner(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """There is no duplicate detection: every call makes a partner."""
    fields = body.get("partner")
    if not isinstance(fields, dict):
        raise MkError(PARAMETER, "Partner data are missing")
    with store.write() as data:
        partner = new_partner(store, fields)
        data["partners"][partner["mk_id"]] = partner
    return {
        "mk_id": partner["mk_id"],
        "mk_contact_id": partner["contacts"][0]["mk_id"],
        "mk_address_id_list": [{"mk_id": a["mk_id"], "street": a["street"]} for a in partner["addresses"]],
    }


def update_partner(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """Top-level fields update the partner and its billing address; list entries with an
    ``mk_id`` update that address/contact, entries without one are added."""
    fields = body.get("partner")
    if not isinstance(fields, dict):
        raise MkError(PARAMETER, "Partner data are missing")
    with store.write() as data:
        current = find_partner(data, fields.get("mk_id"), fields.get("count_code"))
        if current is None:
            raise MkError(PARAMETER, NO_MATCH)
        partner = _updated_partner(store, current, fields)
        data["partners"][partner["mk_id"]] = partner
        return {"partner_list_count": 1, "partner_list": [register_view(partner)]}


def _updated_partner(store: Store, current: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    partner = copy.deepcopy(current)
    partner.pop("raw_fields", None)
    for flag in _FLAGS:
        if flag in fields and not is_blank(fields[flag]):
            partner[flag] = is_true(fields[flag])
    _overlay(partner, fields, _IDENTITY)
    _overlay(partner["addresses"][0], {**fields, "city": fields.get("place") or fields.get("city")}, _ADDRESS)
    for entry in objects(fields.get("partner_delivery_address_list"), "partner_delivery_address_list"):
        if is_blank(entry.get("mk_id")):
            partner["addresses"].append(_new_address(store, entry, entry.get("address_type") or "Dobava"))
        else:
            address = _entry_by_id(partner["addresses"], entry["mk_id"], "address")
            _overlay(address, entry, (*_ADDRESS, "address_type"))
    address_ids = {a["mk_id"] for a in partner["addresses"]}
    for entry in objects(fields.get("partner_contact_list"), "partner_contact_list"):
        if is_blank(entry.get("mk_id")):
            address_id = str(required(entry, "mk_address_id"))
            if address_id not in address_ids:
                raise MkError(PARAMETER, f"Cannot find partner address with mk_address_id = {address_id}")
            partner["contacts"].append(_new_contact(store, entry, address_id, partner["customer"]))
        else:
            _overlay(_entry_by_id(partner["contacts"], entry["mk_id"], "contact"), entry, _CONTACT)
    return partner


# --- a Metakocka user's changes (see user_changes.edit_partner) --------------------------------

#: What a user may change on a partner in Metakocka's web application.
USER_EDITABLE = frozenset({*_FLAGS, *_IDENTITY, *_ADDRESS, "place", "partner_delivery_address_list",
                           "partner_contact_list", "remove_address_ids", "remove_contact_ids"})


def edited_partner(store: Store, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``current`` as a user leaves it: text set as given (``""``/``None`` clears), flags, the
    billing address (top-level ``street``... ``city`` or ``place``), list entries with an ``mk_id``
    edited and without one added (as update_partner takes them), and addresses/contacts removed."""
    partner = copy.deepcopy(current)
    partner.pop("raw_fields", None)
    for flag in changes.keys() & _FLAGS.keys():
        partner[flag] = is_true(changes[flag])
    _assign(partner, changes, _IDENTITY)
    if is_blank(partner["customer"]):
        raise MkError(PARAMETER, "Paramether 'customer' is required")
    _assign(partner["addresses"][0], {**changes, "city": changes["place"]} if "place" in changes else changes, _ADDRESS)
    _remove_entries(partner, changes.get("remove_address_ids") or [], changes.get("remove_contact_ids") or [])
    for entry in objects(changes.get("partner_delivery_address_list"), "partner_delivery_address_list"):
        if is_blank(entry.get("mk_id")):
            partner["addresses"].append(_new_address(store, entry, entry.get("address_type") or "Dobava"))
        else:
            _assign(_entry_by_id(partner["addresses"], entry["mk_id"], "address"), entry, (*_ADDRESS, "address_type"))
    for entry in objects(changes.get("partner_contact_list"), "partner_contact_list"):
        if is_blank(entry.get("mk_id")):
            address_id = str(entry.get("mk_address_id") or partner["addresses"][0]["mk_id"])
            _entry_by_id(partner["addresses"], address_id, "address")
            partner["contacts"].append(_new_contact(store, entry, address_id, partner["customer"]))
        else:
            _assign(_entry_by_id(partner["contacts"], entry["mk_id"], "contact"), entry, _CONTACT)
    return partner


def _assign(target: dict[str, Any], fields: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if key in fields:
            target[key] = optional_text(fields[key])


def _remove_entries(partner: dict[str, Any], address_ids: list[Any], contact_ids: list[Any]) -> None:
    """Remove addresses (with their contacts) and contacts; the billing address stays."""
    address_ids = {str(mk_id) for mk_id in address_ids}
    if partner["addresses"][0]["mk_id"] in address_ids:
        raise MkError(PARAMETER, "The billing address of a partner cannot be removed")
    for mk_id in address_ids:
        _entry_by_id(partner["addresses"], mk_id, "address")
    for mk_id in contact_ids:
        _entry_by_id(partner["contacts"], mk_id, "contact")
    contact_ids = {str(mk_id) for mk_id in contact_ids}
    partner["addresses"] = [a for a in partner["addresses"] if a["mk_id"] not in address_ids]
    partner["contacts"] = [c for c in partner["contacts"]
                           if c["mk_id"] not in contact_ids and c["mk_address_id"] not in address_ids]


def _new_address(store: Store, fields: dict[str, Any], address_type: str) -> dict[str, Any]:
    address = {"mk_id": store.new_id(), "address_type": address_type}
    address.update({key: optional_text(fields.get(key)) for key in _ADDRESS})
    return address


def _new_contact(store: Store, fields: dict[str, Any], address_id: str, customer: str | None) -> dict[str, Any]:
    contact = {"mk_id": store.new_id(), "mk_address_id": address_id}
    contact.update({key: optional_text(fields.get(key)) for key in _CONTACT})
    contact["name"] = contact["name"] or optional_text(fields.get("contact")) or customer
    return contact


def _entry_by_id(entries: list[dict[str, Any]], mk_id: Any, what: str) -> dict[str, Any]:
    entry = next((e for e in entries if e["mk_id"] == str(mk_id)), None)
    if entry is None:
        raise MkError(PARAMETER, f"Cannot find partner {what} with mk_id = {mk_id}")
    return entry


def _overlay(target: dict[str, Any], fields: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        if not is_blank(fields.get(key)):
            target[key] = optional_text(fields[key])


def _compact(value: Any) -> str:
    return re.sub(r"\s", "", str(value or "")).upper()


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value or ""))
