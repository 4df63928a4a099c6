"""The customer as both systems can agree on it: one flat record of plain values.

A *record* is a dict with exactly the keys of :data:`FIELDS`, in ERPNext's terms, made from an
ERPNext Customer with its primary Contact and Address (:func:`remote_record`) or from an Odoo
partner (``models/res_partner.py``). Comparing records field by field tells what changed on which
side since the last sync; the link keeps the last agreed record of each side.

Nothing here imports Odoo.
"""

import hashlib
import json

from ..erpnext_api.values import parse_timestamp, strip_html

#: Field -> (where it lives in ERPNext, label for messages).
FIELDS = {
    "customer_name": ("Customer", "Name"),
    "customer_type": ("Customer", "Customer type"),
    "tax_id": ("Customer", "Tax ID"),
    "customer_details": ("Customer", "Notes"),
    "disabled": ("Customer", "Archived"),
    "payment_terms": ("Customer", "Payment terms"),
    "credit_limit": ("Customer", "Credit limit"),
    "contact_person": ("Contact", "Contact person"),
    "email": ("Contact", "Email"),
    "phone": ("Contact", "Phone"),
    "mobile": ("Contact", "Mobile"),
    "address_line1": ("Address", "Street"),
    "address_line2": ("Address", "Street 2"),
    "city": ("Address", "City"),
    "state": ("Address", "State"),
    "pincode": ("Address", "ZIP"),
    "country": ("Address", "Country"),
}
CUSTOMER_FIELDS = tuple(name for name, (where, _) in FIELDS.items() if where == "Customer")
CONTACT_FIELDS = tuple(name for name, (where, _) in FIELDS.items() if where == "Contact")
ADDRESS_FIELDS = tuple(name for name, (where, _) in FIELDS.items() if where == "Address")


def label(field):
    return FIELDS[field][1]


def text(value):
    """A value as stripped text; None and False (Odoo's empty) are ""."""
    return "" if value is None or value is False else str(value).strip()


class BadValue(ValueError):
    """ERPNext sent a value of the wrong kind; the message names the customer and the field."""


#: Values ERPNext sends for a Check field such as ``disabled``.
FLAG_VALUES = {None: False, "": False, 0: False, 1: True, "0": False, "1": True}
#: Fields of a Customer row that name other documents: text or nothing.
LINK_FIELDS = ("customer_primary_contact", "customer_primary_address")


def row_label(row, position):
    """How messages name a list row: the customer, or its place in the page when it has no name."""
    if isinstance(row, dict) and isinstance(row.get("name"), str) and row["name"].strip():
        title = row.get("customer_name")
        name = row["name"]
        return f"Customer '{title}' ({name})" if isinstance(title, str) and title and title != name else (
            f"Customer '{name}'")
    return f"Row {position} of the page of customers read from ERPNext"


def check_row(row, position):
    """Refuse a Customer list row that cannot be a customer: not an object, no ``name``, a linked
    document or ``modified`` that is not text. Raises :class:`BadValue`."""
    label = row_label(row, position)
    if not isinstance(row, dict):
        raise BadValue(f"{label} is not a customer object: {_shown(row)}")
    if not isinstance(row.get("name"), str) or not row["name"].strip():
        raise BadValue(f"{label} has no name (the Customer's ID): the Customer field 'name' is "
                       f"{_shown(row.get('name'))}")
    for field in LINK_FIELDS:
        if row.get(field) is not None and not isinstance(row[field], str):
            raise BadValue(f"{label}: the Customer field '{field}' is {_shown(row[field])}, not the name of a "
                           "document")
    try:
        parse_timestamp(row.get("modified"))
    except (TypeError, ValueError):
        raise BadValue(f"{label}: the Customer field 'modified' is {_shown(row.get('modified'))}, not a "
                       "timestamp") from None


def remote_record(customer, contact, address, credit_limit, countries):
    """The record of an ERPNext Customer (a list row), its primary Contact and Address rows (or
    None), the configured company's credit limit (None: not mapped) and ``countries``
    ({ERPNext country name: ISO code}). A value of the wrong kind raises :class:`BadValue`.

    The country is kept as its upper-case ISO code when ERPNext knows one, so that both sides
    compare; otherwise as ``"?<name>"``, which no Odoo country matches.
    """
    label = row_label(customer, None)
    of_customer = _Reader(customer, label, "Customer")
    of_contact = _Reader(contact or {}, label, "primary Contact")
    of_address = _Reader(address or {}, label, "primary Address")
    customer_type = of_customer.text("customer_type")
    person = ""
    if customer_type != "Individual":
        person = " ".join(filter(None, (of_contact.text(key) for key in ("first_name", "middle_name", "last_name"))))
    country = of_address.text("country")
    code = countries.get(country, "") if country else ""
    if country and not code and len(country) == 2 and country.isalpha():
        code = country  # some sites keep the ISO code itself in the address
    details = of_customer.text("customer_details")
    return {
        "customer_name": of_customer.text("customer_name"),
        "customer_type": "Individual" if customer_type == "Individual" else "Company",
        "tax_id": of_customer.text("tax_id"),
        "customer_details": text(strip_html(details)) if details else "",
        "disabled": of_customer.flag("disabled"),
        "payment_terms": of_customer.text("payment_terms"),
        "credit_limit": round(float(credit_limit or 0.0), 2) if credit_limit is not None else None,
        "contact_person": person,
        "email": of_contact.text("email_id").lower(),
        "phone": of_contact.text("phone"),
        "mobile": of_contact.text("mobile_no"),
        "address_line1": of_address.text("address_line1"),
        "address_line2": of_address.text("address_line2"),
        "city": of_address.text("city"),
        "state": of_address.text("state"),
        "pincode": of_address.text("pincode"),
        "country": code.upper() if code else (f"?{country}" if country else ""),
    }


class _Reader:
    """Values of one ERPNext document, checked: text fields hold text (or a number), Check
    fields 0 or 1."""

    def __init__(self, doc, label, doctype):
        self.doc, self.label, self.doctype = doc, label, doctype

    def text(self, field):
        value = self.doc.get(field)
        if isinstance(value, (dict, list, tuple)):
            raise BadValue(f"{self.label}: the {self.doctype} field '{field}' is {_shown(value)}, not text")
        return text(value)

    def flag(self, field):
        value = self.doc.get(field)
        if isinstance(value, bool):
            return value
        if isinstance(value, (str, int)) and value in FLAG_VALUES:
            return FLAG_VALUES[value]
        raise BadValue(f"{self.label}: the {self.doctype} field '{field}' is {_shown(value)}, not 0 or 1")


def _shown(value):
    """A value for a message: its JSON form, cut short."""
    shown = json.dumps(value, default=str)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def changed_fields(record, base):
    """Fields whose value in ``record`` differs from ``base`` (every field when there is no base)."""
    if not base:
        return set(FIELDS)
    return {field for field in FIELDS if record.get(field) != base.get(field)}


def differs(a, b, field):
    return (a or {}).get(field) != (b or {}).get(field)


def fingerprint(record):
    return hashlib.sha1(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def split_person(name):
    """"Priya Sharma" -> ("Priya", "Sharma"); a single word is a first name."""
    parts = text(name).split()
    if not parts:
        return "", ""
    return parts[0], " ".join(parts[1:])


def describe_changes(before, after, fields):
    """{label: [before, after]} for the changed fields (what a sync log shows)."""
    return {label(field): [(before or {}).get(field), (after or {}).get(field)] for field in sorted(fields)
            if (before or {}).get(field) != (after or {}).get(field)}
