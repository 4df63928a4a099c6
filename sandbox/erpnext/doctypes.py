"""The doctypes the simulator knows: their fields, child tables, links and who may read them.

Only what a customer sync touches is modelled: Customer, Contact and Address with their child
tables, ``Deleted Document``, and the masters their links point at. Field names, types and
mandatory flags follow ERPNext v14/v15 (reference §3); labels are used in error messages.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Field types whose values are numbers in JSON.
CHECK, INT, FLOAT = "Check", "Int", "Float"
DATA, TEXT, SELECT, LINK, TABLE, DATETIME, DYNAMIC = "Data", "Text", "Select", "Link", "Table", "Datetime", "Dynamic Link"

STANDARD_FIELDS = ("name", "owner", "creation", "modified", "modified_by", "docstatus", "idx")
CHILD_STANDARD_FIELDS = ("parent", "parentfield", "parenttype")

SYSTEM_MANAGER = "System Manager"


@dataclass(frozen=True)
class Field:
    type: str
    label: str
    reqd: bool = False
    options: str | None = None  # Link target, Select choices ("\n"-separated), Table child doctype
    default: object = None
    read_only: bool = False


@dataclass(frozen=True)
class DocType:
    name: str
    fields: dict[str, Field]
    istable: bool = False
    #: Roles that may read and write it through the API (None: any logged-in user).
    roles: frozenset[str] | None = None
    sort_field: str = "modified"
    sort_order: str = "desc"
    #: Field whose value names the document when no autoname rule applies.
    title_field: str | None = None

    @property
    def tables(self) -> dict[str, str]:
        """Table fieldname -> child doctype."""
        return {name: f.options for name, f in self.fields.items() if f.type == TABLE}

    def has_column(self, fieldname: str) -> bool:
        standard = STANDARD_FIELDS + (CHILD_STANDARD_FIELDS if self.istable else ())
        return fieldname in standard or (fieldname in self.fields and self.fields[fieldname].type != TABLE)

    def label(self, fieldname: str) -> str:
        f = self.fields.get(fieldname)
        return f.label if f else fieldname.replace("_", " ").title()


def _f(type_: str, label: str, **kwargs) -> Field:
    return Field(type_, label, **kwargs)


_DOCTYPES = [
    DocType("Customer", {
        "naming_series": _f(SELECT, "Series", options="CUST-.YYYY.-"),
        "salutation": _f(LINK, "Salutation", options="Salutation"),
        "customer_name": _f(DATA, "Customer Name", reqd=True),
        "customer_type": _f(SELECT, "Customer Type", reqd=True, options="Company\nIndividual\nPartnership",
                            default="Company"),
        "customer_group": _f(LINK, "Customer Group", options="Customer Group"),
        "territory": _f(LINK, "Territory", options="Territory"),
        "gender": _f(LINK, "Gender", options="Gender"),
        "lead_name": _f(LINK, "From Lead", options="Lead"),
        "default_currency": _f(LINK, "Billing Currency", options="Currency"),
        "default_price_list": _f(LINK, "Default Price List", options="Price List"),
        "is_internal_customer": _f(CHECK, "Is Internal Customer", default=0),
        "market_segment": _f(LINK, "Market Segment", options="Market Segment"),
        "industry": _f(LINK, "Industry", options="Industry Type"),
        "website": _f(DATA, "Website"),
        "language": _f(LINK, "Print Language", options="Language"),
        "customer_details": _f(TEXT, "Customer Details"),
        "customer_primary_contact": _f(LINK, "Customer Primary Contact", options="Contact"),
        "mobile_no": _f(DATA, "Mobile No", read_only=True),
        "email_id": _f(DATA, "Email Id", read_only=True),
        "customer_primary_address": _f(LINK, "Customer Primary Address", options="Address"),
        "primary_address": _f(TEXT, "Primary Address", read_only=True),
        "tax_id": _f(DATA, "Tax ID"),
        "tax_category": _f(LINK, "Tax Category", options="Tax Category"),
        "payment_terms": _f(LINK, "Default Payment Terms Template", options="Payment Terms Template"),
        "credit_limits": _f(TABLE, "Credit Limit", options="Customer Credit Limit"),
        "customer_pos_id": _f(DATA, "Customer POS id"),
        "so_required": _f(CHECK, "Allow Sales Invoice Creation Without Sales Order", default=0),
        "dn_required": _f(CHECK, "Allow Sales Invoice Creation Without Delivery Note", default=0),
        "is_frozen": _f(CHECK, "Is Frozen", default=0),
        "disabled": _f(CHECK, "Disabled", default=0),
    }, title_field="customer_name"),
    DocType("Customer Credit Limit", {
        "company": _f(LINK, "Company", reqd=True, options="Company"),
        "credit_limit": _f(FLOAT, "Credit Limit", default=0.0),
        "bypass_credit_limit_check": _f(CHECK, "Bypass Credit Limit Check at Sales Order", default=0),
    }, istable=True),
    DocType("Contact", {
        "first_name": _f(DATA, "First Name"),
        "middle_name": _f(DATA, "Middle Name"),
        "last_name": _f(DATA, "Last Name"),
        "full_name": _f(DATA, "Full Name", read_only=True),
        "company_name": _f(DATA, "Company Name"),
        "salutation": _f(LINK, "Salutation", options="Salutation"),
        "designation": _f(DATA, "Designation"),
        "department": _f(DATA, "Department"),
        "gender": _f(LINK, "Gender", options="Gender"),
        "email_id": _f(DATA, "Email Address", read_only=True),
        "email_ids": _f(TABLE, "Email IDs", options="Contact Email"),
        "phone": _f(DATA, "Phone", read_only=True),
        "mobile_no": _f(DATA, "Mobile No", read_only=True),
        "phone_nos": _f(TABLE, "Contact Numbers", options="Contact Phone"),
        "is_primary_contact": _f(CHECK, "Is Primary Contact", default=0),
        "links": _f(TABLE, "Links", options="Dynamic Link"),
        "address": _f(LINK, "Address", options="Address"),
        "user": _f(LINK, "User Id", options="User"),
        "status": _f(SELECT, "Status", options="Passive\nOpen\nReplied", default="Passive"),
        "unsubscribed": _f(CHECK, "Unsubscribed", default=0),
    }, title_field="full_name"),
    DocType("Contact Email", {
        "email_id": _f(DATA, "Email ID", reqd=True),
        "is_primary": _f(CHECK, "Is Primary", default=0),
    }, istable=True),
    DocType("Contact Phone", {
        "phone": _f(DATA, "Number", reqd=True),
        "is_primary_phone": _f(CHECK, "Is Primary Phone", default=0),
        "is_primary_mobile_no": _f(CHECK, "Is Primary Mobile", default=0),
    }, istable=True),
    DocType("Address", {
        "address_title": _f(DATA, "Address Title"),
        "address_type": _f(SELECT, "Address Type", reqd=True, default="Billing", options=(
            "Billing\nShipping\nOffice\nPersonal\nPlant\nPostal\nShop\nSubsidiary\nWarehouse\nCurrent\n"
            "Permanent\nOther")),
        "address_line1": _f(DATA, "Address Line 1", reqd=True),
        "address_line2": _f(DATA, "Address Line 2"),
        "city": _f(DATA, "City/Town", reqd=True),
        "county": _f(DATA, "County"),
        "state": _f(DATA, "State/Province"),
        "country": _f(LINK, "Country", reqd=True, options="Country"),
        "pincode": _f(DATA, "Postal Code"),
        "email_id": _f(DATA, "Email Address"),
        "phone": _f(DATA, "Phone"),
        "fax": _f(DATA, "Fax"),
        "is_primary_address": _f(CHECK, "Preferred Billing Address", default=0),
        "is_shipping_address": _f(CHECK, "Preferred Shipping Address", default=0),
        "disabled": _f(CHECK, "Disabled", default=0),
        "links": _f(TABLE, "Links", options="Dynamic Link"),
    }, title_field="address_title"),
    DocType("Dynamic Link", {
        "link_doctype": _f(LINK, "Link Document Type", reqd=True, options="DocType"),
        "link_name": _f(DYNAMIC, "Link Name", reqd=True, options="link_doctype"),
        "link_title": _f(DATA, "Link Title", read_only=True),
    }, istable=True),
    DocType("Deleted Document", {
        "deleted_name": _f(DATA, "Deleted Name"),
        "deleted_doctype": _f(DATA, "Deleted DocType"),
        "restored": _f(CHECK, "Restored", default=0),
        "new_name": _f(DATA, "New Name", read_only=True),
        "data": _f("Code", "Data"),
    }, roles=frozenset({SYSTEM_MANAGER}), sort_field="creation"),
    # Masters that links point at.
    DocType("Customer Group", {"customer_group_name": _f(DATA, "Customer Group Name", reqd=True),
                               "parent_customer_group": _f(LINK, "Parent Customer Group", options="Customer Group"),
                               "is_group": _f(CHECK, "Is Group", default=0)}),
    DocType("Territory", {"territory_name": _f(DATA, "Territory Name", reqd=True),
                          "parent_territory": _f(LINK, "Parent Territory", options="Territory"),
                          "is_group": _f(CHECK, "Is Group", default=0)}),
    DocType("Payment Terms Template", {"template_name": _f(DATA, "Template Name"),
                                       "allocate_payment_based_on_payment_terms": _f(CHECK, "Allocate", default=0)}),
    DocType("Country", {"country_name": _f(DATA, "Country Name", reqd=True), "code": _f(DATA, "Code"),
                        "date_format": _f(DATA, "Date Format"), "time_zones": _f(TEXT, "Time Zones")}),
    DocType("Company", {"company_name": _f(DATA, "Company", reqd=True), "abbr": _f(DATA, "Abbr", reqd=True),
                        "default_currency": _f(LINK, "Default Currency", options="Currency"),
                        "country": _f(LINK, "Country", options="Country")}),
    DocType("Currency", {"currency_name": _f(DATA, "Currency Name", reqd=True),
                         "enabled": _f(CHECK, "Enabled", default=1)}),
    DocType("Salutation", {"salutation": _f(DATA, "Salutation")}),
    DocType("Gender", {"gender": _f(DATA, "Gender")}),
    DocType("User", {"email": _f(DATA, "Email", reqd=True), "full_name": _f(DATA, "Full Name"),
                     "enabled": _f(CHECK, "Enabled", default=1)}, roles=frozenset({SYSTEM_MANAGER})),
]

DOCTYPES: dict[str, DocType] = {doctype.name: doctype for doctype in _DOCTYPES}

#: Doctypes with documents of their own (not child tables).
PARENT_DOCTYPES = tuple(name for name, doctype in DOCTYPES.items() if not doctype.istable)
#: Doctypes whose documents the API may create, change and delete; the others are read-only masters.
WRITABLE = ("Customer", "Contact", "Address")


def doctype(name: str) -> DocType | None:
    return DOCTYPES.get(name)
