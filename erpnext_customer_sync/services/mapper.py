"""Odoo partners to records and records to partner values (see :mod:`.record`).

| record field     | Odoo                                    | ERPNext                                  |
|------------------|-----------------------------------------|------------------------------------------|
| customer_name    | name                                    | Customer.customer_name                   |
| customer_type    | is_company                              | Customer.customer_type                   |
| tax_id           | vat                                     | Customer.tax_id                          |
| customer_details | comment (HTML ↔ text)                   | Customer.customer_details                |
| disabled         | not active                              | Customer.disabled                        |
| payment_terms    | property_payment_term_id (by name)      | Customer.payment_terms (template name)   |
| credit_limit     | credit_limit (company-dependent)        | Customer.credit_limits[company].credit_limit |
| contact_person   | a child contact's name (companies only) | primary Contact first/middle/last name   |
| email, phone, mobile | email, phone, mobile                | primary Contact email_id, phone, mobile_no |
| address_line1/2, city, pincode | street, street2, city, zip | primary Address                        |
| state            | state_id (by name or code in the country) | Address.state (free text)              |
| country          | country_id (ISO code)                   | Address.country (by name, or its code)   |
"""

from odoo.tools import float_compare, html2plaintext, is_html_empty, plaintext2html

from . import record as rec

#: Partner fields a record is made of (a change to one of them is a change to send).
PARTNER_FIELDS = ("name", "is_company", "vat", "comment", "active", "property_payment_term_id", "credit_limit",
                  "email", "phone", "mobile", "street", "street2", "city", "zip", "state_id", "country_id")
#: Child-contact fields that make up the contact person.
CHILD_FIELDS = ("name", "email", "phone", "mobile")


class MappingError(ValueError):
    """A value cannot be written in Odoo at all; the message names the field."""


def local_record(ctx, partner, child=None):
    """The record of an Odoo partner (read in the sync company) and its contact-person child."""
    partner = partner.with_env(ctx.env)
    comment = partner.comment
    child = child.with_env(ctx.env) if child else None
    return {
        "customer_name": rec.text(partner.name),
        "customer_type": "Company" if partner.is_company else "Individual",
        "tax_id": rec.text(partner.vat),
        "customer_details": "" if is_html_empty(comment) else html2plaintext(comment).strip(),
        "disabled": not partner.active,
        "payment_terms": rec.text(ctx.lookups.term_name.get(partner.property_payment_term_id.id)
                                  or partner.property_payment_term_id.name) if partner.property_payment_term_id else "",
        "credit_limit": round(partner.credit_limit or 0.0, 2) if ctx.erpnext_company else None,
        "contact_person": rec.text(child.name) if child and child.exists() and partner.is_company else "",
        "email": rec.text(partner.email).lower(),
        "phone": rec.text(partner.phone),
        "mobile": rec.text(partner.mobile),
        "address_line1": rec.text(partner.street),
        "address_line2": rec.text(partner.street2),
        "city": rec.text(partner.city),
        "state": rec.text(partner.state_id.name),
        "pincode": rec.text(partner.zip),
        "country": (partner.country_id.code or "").upper(),
    }


def partner_values(ctx, record, fields, customer_label):
    """Partner values for ``fields`` of ``record``; returns (values, warnings).

    What Odoo does not know (a country, a state, a payment term) is left out and reported, never
    guessed. ``customer_label`` names the customer in messages.
    """
    lookups = ctx.lookups
    values, warnings = {}, []
    if "customer_name" in fields:
        if not record["customer_name"]:
            raise MappingError(f"{customer_label}: the field Customer Name is empty")
        values["name"] = record["customer_name"]
    if "customer_type" in fields:
        values["is_company"] = record["customer_type"] != "Individual"
    if "tax_id" in fields:
        values["vat"] = record["tax_id"] or False
    if "customer_details" in fields:
        values["comment"] = plaintext2html(record["customer_details"]) if record["customer_details"] else False
    if "disabled" in fields:
        values["active"] = not record["disabled"]
    if "payment_terms" in fields:
        if not record["payment_terms"]:
            values["property_payment_term_id"] = False
        else:
            term = lookups.payment_term(record["payment_terms"])
            if term:
                values["property_payment_term_id"] = term
            else:
                warnings.append(f"{customer_label}: the payment terms '{record['payment_terms']}' are not known in "
                                "Odoo; the payment terms were left unchanged")
    if "credit_limit" in fields and record["credit_limit"] is not None:
        values["credit_limit"] = record["credit_limit"]
    for field, odoo_field in (("email", "email"), ("phone", "phone"), ("mobile", "mobile"),
                              ("address_line1", "street"), ("address_line2", "street2"), ("city", "city"),
                              ("pincode", "zip")):
        if field in fields:
            values[odoo_field] = record[field] or False
    if "country" in fields or "state" in fields:
        country = lookups.country(record["country"])
        if record["country"] and not country:
            shown = record["country"].lstrip("?")
            warnings.append(f"{customer_label}: the country '{shown}' is not known in Odoo; the country and state "
                            "were left unchanged")
        else:
            values["country_id"] = country or False
            state = lookups.state(country, record["state"]) if record["state"] else None
            if record["state"] and not state:
                warnings.append(f"{customer_label}: the state '{record['state']}' is not known in Odoo for this "
                                "country; the state was left empty")
            values["state_id"] = state or False
    return values, warnings


def child_values(record):
    return {"name": record["contact_person"], "email": record["email"] or False, "phone": record["phone"] or False,
            "mobile": record["mobile"] or False}


def changed_values(ctx, records, values):
    """The part of ``values`` that differs from what ``records`` (one partner) holds."""
    record = records.with_env(ctx.env)
    changed = {}
    for name, value in values.items():
        current = record[name]
        field = record._fields[name]
        if field.type == "many2one":
            same = current.id == (value or False) or (not current and not value)
        elif field.type == "html":
            same = (is_html_empty(current) and not value) or (
                not is_html_empty(current) and value and html2plaintext(current).strip() == html2plaintext(value).strip())
        elif field.type == "float":
            same = float_compare(current or 0.0, value or 0.0, precision_digits=2) == 0
        elif field.type == "boolean":
            same = bool(current) == bool(value)
        else:
            same = (current or False) == (value or False)
        if not same:
            changed[name] = value
    return changed
