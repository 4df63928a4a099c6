"""Insert, update and delete with ERPNext's behaviour (reference §2.4, §2.6, §3, §6).

- Customer naming follows Selling Settings: by customer name, where a name that exists already
  (case-insensitively) silently becomes ``"<name> - 1"``, ``" - 2"``… with a note in
  ``_server_messages``; or by the ``CUST-.YYYY.-#####`` series.
- Mandatory fields (417 ``MandatoryError``), Select values (417 ``ValidationError``) and links
  (417 ``LinkValidationError``) are checked before anything is stored.
- A Customer created with ``email_id``/``mobile_no`` gets a primary Contact, and with the quick
  entry keys ``address_line1``, ``city``, ``country``… a primary Address, both linked through
  ``links``. ``Customer.email_id``/``mobile_no`` are copies of the primary Contact's, refreshed
  whenever the Customer is saved; whatever a client writes there is overwritten.
- Contact ``email_id``/``phone``/``mobile_no`` come from the ``email_ids``/``phone_nos`` child
  tables; writing them directly is discarded.
- A PUT is a partial update; a child table in the body replaces the whole table (rows keep their
  ``name``); ``modified`` in the body must equal the stored value exactly, or the answer is 417
  ``TimestampMismatchError``. Every save sets a new ``modified``.
- DELETE writes a ``Deleted Document`` row; deleting a Customer deletes the Contacts and
  Addresses linked only to it and unlinks the others.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from .doctypes import CHECK, DOCTYPES, DYNAMIC, FLOAT, INT, LINK, SELECT, TABLE, DocType
from .errors import FrappeError, bad_link, mandatory, not_found, validation
from .store import Doc, Store

#: Keys a new Customer may carry that are not its fields: they create its primary Address.
ADDRESS_QUICK_ENTRY = ("address_line1", "address_line2", "city", "state", "pincode", "country")
#: The field that names a master document.
MASTER_NAME_FIELD = {
    "Customer Group": "customer_group_name", "Territory": "territory_name",
    "Payment Terms Template": "template_name", "Country": "country_name", "Company": "company_name",
    "Currency": "currency_name", "Salutation": "salutation", "Gender": "gender", "User": "email",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_STANDARD = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "doctype",
             "parent", "parentfield", "parenttype"}


@dataclass
class Outcome:
    """What a write did: the stored document, notes for ``_server_messages``, and doc events
    ``(doctype, name, event, snapshot)`` for webhooks."""

    doc: Doc
    messages: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[str, str, str, Doc]] = field(default_factory=list)


class Documents:
    def __init__(self, store: Store) -> None:
        self.store = store

    # --- entry points ----------------------------------------------------------------------

    def insert(self, doctype: str, data: dict[str, Any], user: str) -> Outcome:
        with self.store.lock:
            if doctype == "Customer":
                return self._insert_customer(data, user)
            if doctype == "Contact":
                outcome = Outcome({})
                outcome.doc = self._insert_contact(data, user, outcome)
                return outcome
            if doctype == "Address":
                outcome = Outcome({})
                outcome.doc = self._insert_address(data, user, outcome)
                return outcome
            return self._insert_master(doctype, data, user)

    def update(self, doctype: str, name: str, data: dict[str, Any], user: str) -> Outcome:
        with self.store.lock:
            stored = self.store.find(doctype, name)
            if stored is None:
                raise not_found(doctype, name)
            if "modified" in data and str(data["modified"]) != str(stored["modified"]):
                raise FrappeError(
                    "TimestampMismatchError",
                    f"Error: Document has been modified after you have opened it ({stored['modified']}, "
                    f"{data['modified']}). Please refresh to get the latest document.")
            work = copy.deepcopy(stored)
            self._apply(DOCTYPES[doctype], work, data, user)
            outcome = Outcome(work)
            if doctype == "Customer":
                self._validate(DOCTYPES[doctype], work)
                self._validate_customer(work)
                self._save_customer(work, user, outcome, stored)
            elif doctype == "Contact":
                self._validate_contact(work)
                self._validate(DOCTYPES[doctype], work)
                self._touch(work, user)
                self.store.put(work)
            elif doctype == "Address":
                self._validate(DOCTYPES[doctype], work)
                self._touch(work, user)
                self._clear_other_preferred(work, user, outcome)
                self.store.put(work)
            else:
                self._validate(DOCTYPES[doctype], work)
                self._touch(work, user)
                self.store.put(work)
            outcome.events.append((doctype, work["name"], "on_update", work))
            return outcome

    def delete(self, doctype: str, name: str, user: str) -> Outcome:
        with self.store.lock:
            doc = self.store.find(doctype, name)
            if doc is None:
                raise not_found(doctype, name)
            outcome = Outcome(doc)
            if doctype == "Customer":
                for parenttype in ("Contact", "Address"):
                    for other in list(self.store.table(parenttype).values()):
                        links = other.get("links") or []
                        if not any(_links_to(link, "Customer", doc["name"]) for link in links):
                            continue
                        if len(links) == 1:
                            self._delete_doc(other, user, outcome)
                        else:
                            other["links"] = [link for link in links if not _links_to(link, "Customer", doc["name"])]
                            self._touch(other, user)
                            outcome.events.append((parenttype, other["name"], "on_update", other))
            else:
                self._check_not_linked(doctype, doc)
            self._delete_doc(doc, user, outcome)
            return outcome

    # --- Customer --------------------------------------------------------------------------

    def _insert_customer(self, data: dict[str, Any], user: str) -> Outcome:
        meta = DOCTYPES["Customer"]
        doc = self.store.new_doc("Customer", user)
        self._apply(meta, doc, data, user)
        settings = self.store.settings
        if not doc.get("customer_group") and settings.default_customer_group:
            doc["customer_group"] = settings.default_customer_group
        if not doc.get("territory") and settings.default_territory:
            doc["territory"] = settings.default_territory
        if settings.frappe_version < 15:  # v14 makes both mandatory
            for fieldname in ("customer_group", "territory"):
                if not doc.get(fieldname):
                    raise mandatory("Customer", meta.label(fieldname))
        if isinstance(doc.get("customer_name"), str):
            doc["customer_name"] = doc["customer_name"].strip()
        self._validate(meta, doc)
        self._validate_customer(doc)
        email, mobile = (str(data.get(key) or "").strip() for key in ("email_id", "mobile_no"))
        if email and not _EMAIL.match(email):
            raise FrappeError("InvalidEmailAddressError", f"{email} is not a valid Email Address")
        address = {key: data.get(key) for key in ADDRESS_QUICK_ENTRY if data.get(key) not in (None, "")}
        if "address_line1" in address:
            missing = [label for key, label in (("city", "City"), ("country", "Country")) if not address.get(key)]
            if missing:
                raise validation(f"Following fields are mandatory to create address: {', '.join(missing)}")
            if not self.store.exists("Country", address["country"]):
                raise bad_link("Country", address["country"])

        outcome = Outcome(doc)
        doc["name"] = self._customer_name(doc, outcome)
        for fieldname in meta.tables:
            for row in doc[fieldname]:
                row["parent"] = doc["name"]
        self.store.put(doc)
        outcome.events.append(("Customer", doc["name"], "after_insert", doc))
        # on_update: the primary contact and address from the quick entry keys (db_set, which does
        # not bump ``modified`` while the document is being saved).
        if not doc.get("customer_primary_contact") and not doc.get("lead_name") and (email or mobile):
            contact = self._make_contact(doc, email, mobile, user, outcome)
            doc["customer_primary_contact"] = contact["name"]
        if "address_line1" in address:
            made = self._insert_address({
                "address_title": doc["customer_name"], "address_type": "Billing", "is_primary_address": 1,
                "is_shipping_address": 1, **address,
                "links": [{"link_doctype": "Customer", "link_name": doc["name"]}],
            }, user, outcome)
            doc["customer_primary_address"] = made["name"]
        self._refresh_customer_copies(doc)
        outcome.events.append(("Customer", doc["name"], "on_update", doc))
        return outcome

    def _save_customer(self, work: Doc, user: str, outcome: Outcome, before: Doc) -> None:
        contact_name = work.get("customer_primary_contact")
        if contact_name:
            contact = self.store.find("Contact", contact_name)
            if contact is None:
                raise bad_link("Customer Primary Contact", contact_name)
            work["customer_primary_contact"] = contact["name"]
            contact["is_primary_contact"] = 1
        address_name = work.get("customer_primary_address")
        if address_name:
            address = self.store.find("Address", address_name)
            if address is None:
                raise bad_link("Customer Primary Address", address_name)
            work["customer_primary_address"] = address["name"]
        self._refresh_customer_copies(work)
        self._touch(work, user)
        self.store.put(work)

    def _validate_customer(self, doc: Doc) -> None:
        companies = [row.get("company") for row in doc.get("credit_limits") or []]
        duplicated = {company for company in companies if companies.count(company) > 1}
        if duplicated:
            raise validation(f"Credit Limit for company {sorted(duplicated)[0]} is duplicated")

    def _customer_name(self, doc: Doc, outcome: Outcome) -> str:
        if self.store.settings.customer_naming == "naming_series":
            year = doc["creation"][:4]
            prefix = f"CUST-{year}-"
            number = self.store.next_in_series(prefix)
            while self.store.exists("Customer", f"{prefix}{number:05d}"):
                number = self.store.next_in_series(prefix)
            return f"{prefix}{number:05d}"
        base = doc["customer_name"]
        if not self.store.exists("Customer", base):
            return base
        # get_customer_name(): MAX of the number after the last space among "%<name> - %", plus one.
        pattern = f"{base} - ".casefold()
        count = 0
        for name in self.store.table("Customer"):
            if pattern in name.casefold():
                tail = name.rsplit(" ", 1)[-1]
                count = max(count, int(tail) if tail.isdigit() else 0)
        new_name = f"{base} - {count + 1}"
        outcome.messages.append({"message": f"Changed customer name to '{new_name}' as '{base}' already exists.",
                                 "title": "Note", "indicator": "yellow"})
        return new_name

    def _refresh_customer_copies(self, doc: Doc) -> None:
        """``fetch_from``: email_id and mobile_no from the primary contact; the address text."""
        contact = self.store.find("Contact", doc.get("customer_primary_contact"))
        doc["email_id"] = contact.get("email_id") or None if contact else None
        doc["mobile_no"] = contact.get("mobile_no") or None if contact else None
        address = self.store.find("Address", doc.get("customer_primary_address"))
        doc["primary_address"] = render_address(address) if address else None

    def _make_contact(self, customer: Doc, email: str, mobile: str, user: str, outcome: Outcome) -> Doc:
        """erpnext ``make_contact``: an individual's name split in parts, a company's as company_name."""
        values: dict[str, Any] = {"is_primary_contact": 1,
                                  "links": [{"link_doctype": "Customer", "link_name": customer["name"]}]}
        if customer.get("customer_type") == "Individual":
            first, middle, last = _parse_full_name(customer["customer_name"])
            values.update(first_name=first, middle_name=middle, last_name=last)
        else:
            values["company_name"] = customer["customer_name"]
        if email:
            values["email_ids"] = [{"email_id": email, "is_primary": 1}]
        if mobile:
            values["phone_nos"] = [{"phone": mobile, "is_primary_mobile_no": 1}]
        return self._insert_contact(values, user, outcome)

    # --- Contact ---------------------------------------------------------------------------

    def _insert_contact(self, data: dict[str, Any], user: str, outcome: Outcome) -> Doc:
        meta = DOCTYPES["Contact"]
        doc = self.store.new_doc("Contact", user)
        self._apply(meta, doc, data, user)
        self._validate_contact(doc)
        self._validate(meta, doc)
        base = doc["full_name"]
        links = doc.get("links") or []
        if links:
            base = f"{base}-{str(links[0]['link_name']).strip()}"
        doc["name"] = self._append_number_if_exists("Contact", base)
        self._adopt_children(meta, doc)
        self.store.put(doc)
        outcome.events.append(("Contact", doc["name"], "after_insert", doc))
        outcome.events.append(("Contact", doc["name"], "on_update", doc))
        return doc

    def _validate_contact(self, doc: Doc) -> None:
        doc["links"] = _deduplicate_links(doc.get("links") or [])
        emails = doc.get("email_ids") or []
        for row in emails:
            row["email_id"] = str(row.get("email_id") or "").strip()
            if row["email_id"] and not _EMAIL.match(row["email_id"]):
                raise FrappeError("InvalidEmailAddressError", f"{row['email_id']} is not a valid Email Address")
        if len(emails) == 1:
            emails[0]["is_primary"] = 1
        primary = [row for row in emails if row.get("is_primary")]
        if len(primary) > 1:
            raise validation("Only one Email ID can be set as primary.")
        doc["email_id"] = primary[0]["email_id"] if primary else ""
        phones = doc.get("phone_nos") or []
        for fieldname, flag, label in (("phone", "is_primary_phone", "Phone"),
                                       ("mobile_no", "is_primary_mobile_no", "Mobile No")):
            chosen = [row for row in phones if row.get(flag)]
            if len(chosen) > 1:
                raise validation(f"Only one {label} can be set as primary.")
            doc[fieldname] = str(chosen[0].get("phone") or "") if chosen else ""
        doc["full_name"] = " ".join(filter(None, (str(doc.get(part) or "").strip() for part in (
            "first_name", "middle_name", "last_name")))) or str(doc.get("company_name") or "").strip()
        if not doc["full_name"]:
            raise mandatory("Contact", "First Name")

    # --- Address ---------------------------------------------------------------------------

    def _insert_address(self, data: dict[str, Any], user: str, outcome: Outcome) -> Doc:
        meta = DOCTYPES["Address"]
        doc = self.store.new_doc("Address", user)
        self._apply(meta, doc, data, user)
        doc["links"] = _deduplicate_links(doc.get("links") or [])
        if not doc.get("address_title") and doc["links"]:
            doc["address_title"] = doc["links"][0]["link_name"]
        if not doc.get("address_title"):
            raise validation("Address Title is mandatory.")
        self._validate(meta, doc)
        base = f"{str(doc['address_title']).strip()}-{doc['address_type']}"
        name = base
        if self.store.exists("Address", name):
            name = f"{base}-{self.store.next_in_series(base + '-')}"
            while self.store.exists("Address", name):
                name = f"{base}-{self.store.next_in_series(base + '-')}"
        doc["name"] = name
        self._adopt_children(meta, doc)
        self._clear_other_preferred(doc, user, outcome)
        self.store.put(doc)
        outcome.events.append(("Address", doc["name"], "after_insert", doc))
        outcome.events.append(("Address", doc["name"], "on_update", doc))
        return doc

    def _clear_other_preferred(self, doc: Doc, user: str, outcome: Outcome) -> None:
        """A preferred billing/shipping address clears the flag on the party's other addresses."""
        for flag in ("is_primary_address", "is_shipping_address"):
            if not doc.get(flag):
                continue
            for link in doc.get("links") or []:
                for other in self.store.table("Address").values():
                    if other["name"] != doc["name"] and other.get(flag) and any(
                            _links_to(row, link["link_doctype"], link["link_name"]) for row in other.get("links") or []):
                        other[flag] = 0
                        self._touch(other, user)
                        outcome.events.append(("Address", other["name"], "on_update", other))

    # --- masters ---------------------------------------------------------------------------

    def _insert_master(self, doctype: str, data: dict[str, Any], user: str) -> Outcome:
        meta = DOCTYPES[doctype]
        doc = self.store.new_doc(doctype, user)
        self._apply(meta, doc, data, user)
        name_field = MASTER_NAME_FIELD.get(doctype)
        name = str(data.get("name") or (doc.get(name_field) if name_field else "") or "").strip()
        if name_field and not doc.get(name_field):
            doc[name_field] = name
        self._validate(meta, doc)
        if not name:
            raise mandatory(doctype, meta.label(name_field) if name_field else "Name")
        if self.store.exists(doctype, name):
            raise FrappeError("DuplicateEntryError", f"{doctype} {name} already exists", title="Duplicate Name",
                              raise_exception=False)
        doc["name"] = name
        self.store.put(doc)
        return Outcome(doc, events=[(doctype, name, "after_insert", doc), (doctype, name, "on_update", doc)])

    # --- shared ----------------------------------------------------------------------------

    def _apply(self, meta: DocType, doc: Doc, data: dict[str, Any], user: str) -> None:
        """Set the fields ``data`` names; other keys (and standard fields) are ignored."""
        for key, value in data.items():
            f = meta.fields.get(key)
            if key in _STANDARD or f is None:
                continue
            if f.type == TABLE:
                doc[key] = self._child_rows(f.options, doc, key, value, user)
            else:
                doc[key] = _coerce(f, value, meta.label(key))

    def _child_rows(self, child_doctype: str, parent: Doc, parentfield: str, rows: Any, user: str) -> list[Doc]:
        if rows in (None, ""):
            return []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise validation(f"{DOCTYPES[parent['doctype']].label(parentfield)} must be a list of rows")
        meta = DOCTYPES[child_doctype]
        existing = {row["name"]: row for row in parent.get(parentfield) or []}
        result = []
        for idx, values in enumerate(rows, start=1):
            row = existing.get(values.get("name")) if values.get("name") else None
            row = copy.deepcopy(row) if row else self.store.new_child(child_doctype, parent, parentfield, idx, {}, user)
            row["idx"] = idx
            self._apply(meta, row, values, user)
            result.append(row)
        return result

    def _adopt_children(self, meta: DocType, doc: Doc) -> None:
        for fieldname in meta.tables:
            for row in doc[fieldname]:
                row.update(parent=doc["name"], creation=doc["creation"], modified=doc["modified"])

    def _validate(self, meta: DocType, doc: Doc, row_label: str = "") -> None:
        missing = []
        for fieldname, f in meta.fields.items():
            value = doc.get(fieldname)
            if f.type == TABLE:
                for row in value or []:
                    self._validate(DOCTYPES[f.options], row, f" (row {row.get('idx')})")
                continue
            empty = value is None or (isinstance(value, str) and not value.strip())
            if f.reqd and empty:
                missing.append(meta.label(fieldname))
                continue
            if empty:
                continue
            if f.type == SELECT:
                choices = (f.options or "").split("\n")
                if value not in choices:
                    options = ", ".join(f'"{choice}"' for choice in choices)
                    raise validation(f'{meta.label(fieldname)} cannot be "{value}". It should be one of {options}')
            elif f.type == LINK and f.options in DOCTYPES:
                target = self.store.find(f.options, value)
                if target is None:
                    raise bad_link(meta.label(fieldname), value)
                doc[fieldname] = target["name"]
            elif f.type == DYNAMIC:
                linked_doctype = doc.get(f.options)
                if linked_doctype not in DOCTYPES or DOCTYPES[linked_doctype].istable:
                    raise bad_link("Link Document Type", linked_doctype)
                target = self.store.find(linked_doctype, value)
                if target is None:
                    raise bad_link(f"{meta.label(fieldname)}{row_label}", value)
                doc[fieldname] = target["name"]
                if "link_title" in doc:
                    title_field = DOCTYPES[linked_doctype].title_field
                    doc["link_title"] = target.get(title_field) if title_field else target["name"]
        if missing:
            raise mandatory(meta.name, ", ".join(missing) + row_label)

    def _check_not_linked(self, doctype: str, doc: Doc) -> None:
        for other in self.store.table("Customer").values():
            for fieldname in ("customer_primary_contact", "customer_primary_address"):
                linked_doctype = DOCTYPES["Customer"].fields[fieldname].options
                if linked_doctype == doctype and other.get(fieldname) == doc["name"]:
                    raise FrappeError("LinkExistsError", f"Cannot delete or cancel because {doctype} {doc['name']} "
                                                         f"is linked with Customer {other['name']}")

    def _delete_doc(self, doc: Doc, user: str, outcome: Outcome) -> None:
        now = self.store.clock.now_str()
        snapshot = copy.deepcopy(doc)
        name = secrets.token_hex(5)
        self.store.put({
            "name": name, "owner": user, "creation": now, "modified": now, "modified_by": user, "docstatus": 0,
            "idx": 0, "doctype": "Deleted Document", "deleted_name": doc["name"], "deleted_doctype": doc["doctype"],
            "restored": 0, "new_name": None, "data": json.dumps(snapshot, indent=1, default=str),
        })
        self.store.remove(doc["doctype"], doc["name"])
        outcome.events.append((doc["doctype"], doc["name"], "on_trash", snapshot))

    def _append_number_if_exists(self, doctype: str, base: str) -> str:
        if not self.store.exists(doctype, base):
            return base
        pattern = re.compile(rf"^{re.escape(base.casefold())}-(\d+)$")
        numbers = [int(match[1]) for name in self.store.table(doctype) if (match := pattern.match(name.casefold()))]
        return f"{base}-{max(numbers, default=0) + 1}"

    def _touch(self, doc: Doc, user: str) -> None:
        doc["modified"] = self.store.clock.now_str()
        doc["modified_by"] = user
        meta = DOCTYPES[doc["doctype"]]
        for fieldname in meta.tables:
            for row in doc.get(fieldname) or []:
                row["modified"] = doc["modified"]


def render_address(address: Doc) -> str:
    """The rendered address text ERPNext keeps in ``Customer.primary_address``."""
    parts = [address.get(key) for key in ("address_line1", "address_line2", "city", "state", "pincode", "country")]
    return "".join(f"{part}<br>" for part in parts if part)


def _coerce(f: Any, value: Any, label: str) -> Any:
    if value is None:
        return None
    try:
        if f.type == CHECK:
            if isinstance(value, str):
                return 1 if value.strip().lower() in ("1", "true", "yes") else 0
            return 1 if value else 0
        if f.type == INT:
            return int(value) if value != "" else 0
        if f.type == FLOAT:
            return float(value) if value != "" else 0.0
    except (TypeError, ValueError):
        raise validation(f"{label}: {value!r} is not a number") from None
    if isinstance(value, (dict, list)):
        raise validation(f"{label}: a value, not {type(value).__name__}, is expected")
    return str(value)


def _links_to(link: Doc, doctype: str, name: str) -> bool:
    return link.get("link_doctype") == doctype and str(link.get("link_name") or "").casefold() == name.casefold()


def _deduplicate_links(links: list[Doc]) -> list[Doc]:
    seen, result = set(), []
    for link in links:
        key = (link.get("link_doctype"), str(link.get("link_name") or "").casefold())
        if key not in seen:
            seen.add(key)
            result.append(link)
    for idx, link in enumerate(result, start=1):
        link["idx"] = idx
    return result


def _parse_full_name(full_name: str) -> tuple[str, str | None, str | None]:
    """frappe ``parse_full_name``: first, middle and last name of "A B C"."""
    parts = full_name.split()
    first = parts[0] if parts else full_name
    middle = " ".join(parts[1:-1]) or None if len(parts) > 2 else None
    last = parts[-1] if len(parts) > 1 else None
    return first, middle, last
