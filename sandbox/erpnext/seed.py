"""The sandbox site's initial data, and a generator of many customers for load tests and demos.

Masters: customer groups, territories, payment terms templates, countries (ERPNext's own names,
some of which differ from Odoo's, e.g. "Viet Nam" and "Korea, Republic of", with lowercase ISO
codes), companies, currencies. A few sample customers with a primary Contact and Address.

:func:`generate_customers` adds thousands of customers, each with a primary Contact and Address,
straight into the store (no HTTP, no validation), deterministic for a given ``seed``. Their
``modified`` values lie in the past, about a second apart, with some shared by several customers
(a bulk import does that) and some on a whole second (no ``.ffffff``).
"""

from __future__ import annotations

import copy
import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from .clock import format_timestamp
from .doctypes import DOCTYPES, TABLE
from .documents import render_address

ADMINISTRATOR = "Administrator"
DEFAULT_API_USER = "sync@sandbox.example"
DEFAULT_COMPANY = "Sandbox Company"

CUSTOMER_GROUPS = ["All Customer Groups", "Commercial", "Individual", "Government", "Non Profit"]
TERRITORIES = ["All Territories", "India", "Europe", "Rest Of The World"]
PAYMENT_TERMS = ["Immediate Payment", "15 Days", "30 Days", "45 Days", "Net 60"]
COUNTRIES = [  # ERPNext's name, ISO code
    ("Austria", "at"), ("Czech Republic", "cz"), ("France", "fr"), ("Germany", "de"), ("India", "in"),
    ("Italy", "it"), ("Korea, Republic of", "kr"), ("Netherlands", "nl"), ("Russian Federation", "ru"),
    ("Slovenia", "si"), ("United Kingdom", "gb"), ("United States", "us"), ("Viet Nam", "vn"),
]
COMPANIES = [("Sandbox Company", "SC", "INR", "India"), ("Sandbox Europe GmbH", "SEG", "EUR", "Germany")]
CURRENCIES = ["INR", "EUR", "USD"]

#: (country, states that Odoo knows by these names, cities)
_PLACES = [
    ("Germany", ["Bayern", "Berlin", "Hessen", "Sachsen", "Hamburg"], ["München", "Berlin", "Frankfurt", "Leipzig"]),
    ("India", ["Maharashtra", "Karnataka", "Tamil Nadu", "Gujarat", "Delhi"], ["Mumbai", "Bengaluru", "Chennai"]),
    ("United States", ["California", "New York", "Texas", "Washington"], ["Springfield", "Austin", "Seattle"]),
    ("Slovenia", [None], ["Ljubljana", "Maribor", "Celje"]),
    ("United Kingdom", [None], ["London", "Leeds", "Bristol"]),
    ("Viet Nam", [None], ["Hanoi", "Da Nang"]),
    ("Austria", [None], ["Wien", "Graz", "Linz"]),
]
_FIRST = ["Anna", "Ben", "Chitra", "David", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kavya", "Luka",
          "Maja", "Nikhil", "Olga", "Pavel", "Rosa", "Sanjay", "Tina", "Uwe", "Vera", "Wen", "Yusuf", "Zala"]
_LAST = ["Novak", "Sharma", "Müller", "Rossi", "Kim", "Nguyen", "Horvat", "Schmidt", "Patel", "Dubois", "Kovač",
         "Smith", "Fischer", "Iyer", "Weber", "Costa"]
_WORDS = ["Alpine", "Bright", "Coastal", "Delta", "Evergreen", "Falcon", "Granite", "Harbor", "Indigo", "Juniper",
          "Keystone", "Lumen", "Meridian", "Northwind", "Orbit", "Pioneer", "Quartz", "Riverside", "Summit", "Titan"]
_TRADES = ["Tools", "Foods", "Logistics", "Textiles", "Systems", "Pharma", "Motors", "Energy", "Papers", "Optics"]
_LEGAL = ["GmbH", "Ltd", "d.o.o.", "Pvt Ltd", "Inc", "AG", "LLC", "SAS"]
_STREETS = ["Main Street", "Hauptstraße", "MG Road", "Slovenska cesta", "High Street", "Ringstraße", "Park Avenue"]


def initial_data(api_user: str = DEFAULT_API_USER, *, sample_customers: bool = True,
                 now: datetime | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Masters, the users, and (unless ``sample_customers`` is false) four sample customers."""
    moment = now or datetime(2025, 1, 15, 9, 30, 0, 250000)
    data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in DOCTYPES if not DOCTYPES[name].istable}
    stamp = format_timestamp(moment - timedelta(days=30))

    def master(doctype: str, name: str, **values: Any) -> None:
        doc = _blank(doctype, name, stamp, ADMINISTRATOR)
        doc.update(values)
        data[doctype][name] = doc

    for group in CUSTOMER_GROUPS:
        master("Customer Group", group, customer_group_name=group, is_group=int(group.startswith("All")),
               parent_customer_group=None if group.startswith("All") else "All Customer Groups")
    for territory in TERRITORIES:
        master("Territory", territory, territory_name=territory, is_group=int(territory.startswith("All")),
               parent_territory=None if territory.startswith("All") else "All Territories")
    for template in PAYMENT_TERMS:
        master("Payment Terms Template", template, template_name=template)
    for country, code in COUNTRIES:
        master("Country", country, country_name=country, code=code)
    for currency in CURRENCIES:
        master("Currency", currency, currency_name=currency, enabled=1)
    for company, abbr, currency, country in COMPANIES:
        master("Company", company, company_name=company, abbr=abbr, default_currency=currency, country=country)
    for salutation in ("Mr", "Ms", "Dr"):
        master("Salutation", salutation, salutation=salutation)
    for gender in ("Male", "Female"):
        master("Gender", gender, gender=gender)
    master("User", ADMINISTRATOR, email="admin@sandbox.example", full_name="Administrator")
    master("User", api_user, email=api_user, full_name="Odoo sync")
    if sample_customers:
        for offset, sample in enumerate(_SAMPLES):
            add_customer(data, moment - timedelta(days=3 - offset, seconds=offset), ADMINISTRATOR, **copy.deepcopy(sample))
    return data


_SAMPLES = [
    {"customer_name": "Sharma Traders", "customer_type": "Company", "tax_id": "27AAEPS1234C1ZV",
     "payment_terms": "30 Days", "customer_details": "Prefers delivery before noon.",
     "credit_limits": [{"company": "Sandbox Company", "credit_limit": 50000.0}],
     "contact": {"first_name": "Priya", "last_name": "Sharma", "email_id": "priya@sharma-traders.example",
                 "phone": "+91 22 2345 6789", "mobile_no": "+91 98200 12345"},
     "address": {"address_line1": "12 MG Road", "address_line2": "Fort", "city": "Mumbai",
                 "state": "Maharashtra", "pincode": "400001", "country": "India"}},
    {"customer_name": "Müller Maschinenbau GmbH", "customer_type": "Company", "tax_id": "DE123456789",
     "payment_terms": "15 Days", "customer_group": "Commercial", "territory": "Europe",
     "credit_limits": [{"company": "Sandbox Europe GmbH", "credit_limit": 20000.0},
                       {"company": "Sandbox Company", "credit_limit": 7500.0}],
     "contact": {"first_name": "Hans", "last_name": "Müller", "email_id": "hans.mueller@mueller-maschinen.example",
                 "phone": "+49 89 123456"},
     "address": {"address_line1": "Industriestraße 5", "city": "München", "state": "Bayern", "pincode": "80331",
                 "country": "Germany"}},
    {"customer_name": "Jane Doe", "customer_type": "Individual", "customer_group": "Individual",
     "contact": {"first_name": "Jane", "last_name": "Doe", "email_id": "jane.doe@example.com",
                 "mobile_no": "+1 415 555 0100"},
     "address": {"address_line1": "1 Market Street", "city": "San Francisco", "state": "California",
                 "pincode": "94105", "country": "United States"}},
    {"customer_name": "Nguyen Optics", "customer_type": "Company", "disabled": 1, "territory": "Rest Of The World",
     "contact": {"first_name": "Wen", "last_name": "Nguyen", "email_id": "wen@nguyen-optics.example"},
     "address": {"address_line1": "8 Trang Tien", "city": "Hanoi", "pincode": "100000", "country": "Viet Nam"}},
]


def add_customer(data: dict[str, dict[str, dict[str, Any]]], moment: datetime, owner: str, *,
                 contact: dict[str, Any] | None = None, address: dict[str, Any] | None = None,
                 **values: Any) -> dict[str, Any]:
    """Put a customer, its primary Contact and Address straight into ``data`` (no validation)."""
    stamp = format_timestamp(moment)
    name = values["customer_name"]
    customer = _blank("Customer", name, stamp, owner)
    customer.update(customer_type="Company", customer_group="Commercial", territory="All Territories")
    credit_limits = values.pop("credit_limits", [])
    customer.update(values)
    customer["credit_limits"] = [_child("Customer Credit Limit", customer, "credit_limits", idx, row)
                                 for idx, row in enumerate(credit_limits, start=1)]
    if contact:
        person = _blank("Contact", None, stamp, owner)
        email, phone, mobile = contact.pop("email_id", None), contact.pop("phone", None), contact.pop("mobile_no", None)
        person.update(contact, is_primary_contact=1)
        person["full_name"] = " ".join(filter(None, (person.get("first_name"), person.get("middle_name"),
                                                     person.get("last_name")))) or person.get("company_name")
        person["name"] = f"{person['full_name']}-{name}"
        person["links"] = [_child("Dynamic Link", person, "links", 1, {
            "link_doctype": "Customer", "link_name": name, "link_title": name})]
        person["email_ids"] = [_child("Contact Email", person, "email_ids", 1, {"email_id": email, "is_primary": 1})
                               ] if email else []
        phones = []
        if phone:
            phones.append({"phone": phone, "is_primary_phone": 1, "is_primary_mobile_no": 0})
        if mobile:
            phones.append({"phone": mobile, "is_primary_phone": 0, "is_primary_mobile_no": 1})
        person["phone_nos"] = [_child("Contact Phone", person, "phone_nos", idx, row)
                               for idx, row in enumerate(phones, start=1)]
        person.update(email_id=email or "", phone=phone or "", mobile_no=mobile or "")
        data["Contact"][person["name"]] = person
        customer.update(customer_primary_contact=person["name"], email_id=email, mobile_no=mobile)
    if address:
        place = _blank("Address", f"{name}-Billing", stamp, owner)
        place.update(address_title=name, address_type="Billing", is_primary_address=1, is_shipping_address=1)
        place.update(address)
        place["links"] = [_child("Dynamic Link", place, "links", 1, {
            "link_doctype": "Customer", "link_name": name, "link_title": name})]
        data["Address"][place["name"]] = place
        customer.update(customer_primary_address=place["name"], primary_address=render_address(place))
    data["Customer"][name] = customer
    return customer


def generate_customers(data: dict[str, dict[str, dict[str, Any]]], count: int, *, end: datetime, seed: int = 0,
                       owner: str = ADMINISTRATOR, prefix: str = "") -> list[str]:
    """Add ``count`` customers whose ``modified`` values end at ``end``; their names, oldest first."""
    rng = random.Random(seed)
    names = []
    moments, moment = [], end
    for i in range(count, 0, -1):
        moments.append(moment)
        if i % 7 != 1:  # every seventh customer shares the next one's timestamp
            moment -= timedelta(seconds=1 + rng.random() * 0.4, microseconds=rng.randrange(1, 999_999))
        if i % 50 == 1:
            moment = moment.replace(microsecond=0)  # str() leaves ".000000" out
    moments.reverse()
    for i in range(1, count + 1):
        moment = moments[i - 1]
        company = rng.random() < 0.75
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        if company:
            customer_name = f"{prefix}{rng.choice(_WORDS)} {rng.choice(_TRADES)} {rng.choice(_LEGAL)} {i:05d}"
        else:
            customer_name = f"{prefix}{first} {last} {i:05d}"
        while customer_name in data["Customer"]:
            customer_name += "+"
        country, states, cities = rng.choice(_PLACES)
        slug = customer_name.lower().replace(" ", "-").replace(".", "")
        values: dict[str, Any] = {
            "customer_name": customer_name,
            "customer_type": "Company" if company else "Individual",
            "customer_group": "Commercial" if company else "Individual",
            "tax_id": f"TX{rng.randrange(10**8, 10**9)}" if company else None,
            "payment_terms": rng.choice(["30 Days", "15 Days", "Immediate Payment", None]),
            "customer_details": f"Account {i}" if rng.random() < 0.3 else None,
            "credit_limits": [{"company": DEFAULT_COMPANY, "credit_limit": float(rng.randrange(1, 100) * 1000)}]
            if rng.random() < 0.5 else [],
        }
        contact = {"first_name": first, "last_name": last, "email_id": f"{first.lower()}.{i}@{_ascii(slug)}.example",
                   "phone": f"+386 1 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
                   "mobile_no": f"+386 41 {rng.randrange(100, 999)} {rng.randrange(100, 999)}"}
        address = {"address_line1": f"{rng.choice(_STREETS)} {rng.randrange(1, 200)}", "city": rng.choice(cities),
                   "state": rng.choice(states), "pincode": str(rng.randrange(10000, 99999)), "country": country}
        add_customer(data, moment, owner, contact=contact, address=address, **values)
        names.append(customer_name)
    return names


def _ascii(text: str) -> str:
    return "".join(ch for ch in text.encode("ascii", "ignore").decode() if ch.isalnum() or ch == "-") or "customer"


def _blank(doctype: str, name: str | None, stamp: str, owner: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": name, "owner": owner, "creation": stamp, "modified": stamp, "modified_by": owner,
                           "docstatus": 0, "idx": 0, "doctype": doctype}
    for fieldname, f in DOCTYPES[doctype].fields.items():
        doc[fieldname] = [] if f.type == TABLE else f.default
    return doc


def _child(doctype: str, parent: dict[str, Any], parentfield: str, idx: int, values: dict[str, Any]) -> dict[str, Any]:
    row = _blank(doctype, secrets.token_hex(5), parent["creation"], parent["owner"])
    row.update(values, parent=parent["name"], parentfield=parentfield, parenttype=parent["doctype"], idx=idx)
    return row
