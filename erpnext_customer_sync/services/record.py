"""The customer as both systems can agree on it: one flat record of plain values.

A *record* is a dict with exactly the keys of :data:`FIELDS`, in ERPNext's terms, made from an
ERPNext Customer with its primary Contact and Address (:func:`remote_record`) or from an Odoo
partner (``models/res_partner.py``). Comparing records field by field tells what changed on which
side since the last sync; the link keeps the last agreed record of each side.

Nothing here imports Odoo.
"""

import hashlib
import json

from ..erpnext_api.values import strip_html

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


def remote_record(customer, contact, address, credit_limit, countries):
    """The record of an ERPNext Customer (a list row), its primary Contact and Address rows (or
    None), the configured company's credit limit (None: not mapped) and ``countries``
    ({ERPNext country name: ISO code}).

    The country is kept as its upper-case ISO code when ERPNext knows one, so that both sides
    compare; otherwise as ``"?<name>"``, which no Odoo country matches.
    """
    contact = contact or {}
    address = address or {}
    person = ""
    if customer.get("customer_type") != "Individual":
        person = " ".join(filter(None, (text(contact.get(key)) for key in ("first_name", "middle_name", "last_name"))))
    country = text(address.get("country"))
    code = countries.get(country, "") if country else ""
    if country and not code and len(country) == 2 and country.isalpha():
        code = country  # some sites keep the ISO code itself in the address
    return {
        "customer_name": text(customer.get("customer_name")),
        "customer_type": "Individual" if customer.get("customer_type") == "Individual" else "Company",
        "tax_id": text(customer.get("tax_id")),
        "customer_details": text(strip_html(customer["customer_details"]) if customer.get("customer_details") else ""),
        "disabled": bool(int(customer.get("disabled") or 0)),
        "payment_terms": text(customer.get("payment_terms")),
        "credit_limit": round(float(credit_limit or 0.0), 2) if credit_limit is not None else None,
        "contact_person": person,
        "email": text(contact.get("email_id")).lower(),
        "phone": text(contact.get("phone")),
        "mobile": text(contact.get("mobile_no")),
        "address_line1": text(address.get("address_line1")),
        "address_line2": text(address.get("address_line2")),
        "city": text(address.get("city")),
        "state": text(address.get("state")),
        "pincode": text(address.get("pincode")),
        "country": code.upper() if code else (f"?{country}" if country else ""),
    }


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
