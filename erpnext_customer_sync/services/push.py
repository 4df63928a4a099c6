"""Odoo partners to ERPNext: new ones created with their Contact and Address, changed ones updated
with ``modified`` sent so that ERPNext refuses an edit that would overwrite someone else's.

Only the fields changed in Odoo since the last sync are sent. An edit conflict
(``TimestampMismatchError``) reads the customer again and settles each field by the company's
policy (see :mod:`.merge`); what Odoo keeps is then sent once more with the fresh ``modified``.

A create is never sent twice blindly: before it goes out, the attempt is noted in its own committed
transaction (``create_guard``); while the note is there, the next push looks for a customer of that
name created by our API user since then, and links it instead of creating another ("Name - 1").
Once ERPNext answered with the new customer's ID, the link keeps it even when what follows fails.
"""

import logging
from datetime import timedelta

from ..erpnext_api import ERPNextError, NotFoundError, TimestampMismatchError, UnknownOutcomeError
from ..erpnext_api.values import format_timestamp, from_utc
from . import create_guard
from . import record as rec
from .mapper import MappingError, local_record
from .pull import CustomerPuller

_logger = logging.getLogger(__name__)

#: How far back a lost create is looked for (clocks and retries leave some slack).
LOOKBACK = timedelta(days=1)


class CustomerPusher:
    def __init__(self, ctx):
        self.ctx = ctx
        self.puller = CustomerPuller(ctx)
        self._api_user = None

    def push(self, link, *, _retry=True):
        """Send one link's partner; returns created / updated / unchanged / conflict / archived."""
        ctx = self.ctx
        partner = link.partner_id.with_env(ctx.env)
        label = f"Contact '{partner.display_name}' (#{partner.id})"
        if not link.erpnext_id:
            return self._create(link, partner, label)
        try:
            if not link.remote_record:
                self._rebase(link)  # created, but not read back yet: start from what ERPNext has
            return self._update(link, partner, label)
        except TimestampMismatchError as exc:
            return self._conflict(link, partner, label, exc, retry=_retry)
        except NotFoundError:
            counts = self.puller.archive_deleted([link.erpnext_id], reason=(
                f"Customer '{link.erpnext_id}' no longer exists in ERPNext; the contact was archived."))
            return "archived" if counts.archived else "failed"

    # -- create -----------------------------------------------------------------------------

    def _create(self, link, partner, label):
        """Create the customer, unless an earlier create of it may have arrived: then link that one."""
        ctx = self.ctx
        if not link.contact_partner_id and partner.is_company:
            person = partner.child_ids.filtered(lambda child: child.type == "contact" and not child.is_company)[:1]
            if person:
                link.contact_partner_id = person
        local = local_record(ctx, partner, link.contact_partner_id)
        previous_attempt = create_guard.create_attempted_at(ctx.env, ctx.company, partner) or link.create_attempted_at
        if previous_attempt and self._adopt_earlier_create(link, partner, label, previous_attempt):
            return "created"
        if not local["customer_name"]:
            raise MappingError(f"{label}: the field Name is empty")
        payload, warnings = self._create_payload(local, label)
        create_guard.note_create_attempt(ctx.env, ctx.company, partner)
        try:
            doc = ctx.client.insert("Customer", payload)
        except UnknownOutcomeError:
            raise
        except ERPNextError:
            create_guard.forget_refused_create(ctx.env, ctx.company, partner)
            raise
        self._keep_new_id(link, doc["name"])
        if doc["name"] != local["customer_name"]:
            warnings.append(f"ERPNext named the customer '{doc['name']}' because a customer called "
                            f"'{local['customer_name']}' exists already")
        sent = rec.describe_changes({}, local, set(rec.CUSTOMER_FIELDS) | {"email", "mobile"}
                                    | (set(rec.ADDRESS_FIELDS) if "address_line1" in payload else set()))
        ctx.log("push", "create", "warning" if warnings else "success", partner=partner, erpnext_id=doc["name"],
                changes=sent, message="\n".join(warnings) or None)
        self._complete_new_customer(link, partner, label, warnings)
        return "created"

    def _create_payload(self, local, label):
        payload, warnings = self._customer_payload(local, set(rec.CUSTOMER_FIELDS), label)
        payload["customer_type"] = local["customer_type"]
        if local["email"]:
            payload["email_id"] = local["email"]
        if local["mobile"]:
            payload["mobile_no"] = local["mobile"]
        address, address_warnings = self._address_values(local, set(rec.ADDRESS_FIELDS), label, complete=True)
        payload.update(address)
        return payload, warnings + address_warnings

    def _keep_new_id(self, link, name):
        """The customer exists in ERPNext now: its ID is on the link, whatever fails after this."""
        link.write({"erpnext_id": name, "create_attempted_at": False})
        create_guard.forget_create_once_linked(self.ctx.env, self.ctx.company, link.partner_id)

    def _complete_new_customer(self, link, partner, label, warnings):
        """Read the new customer back and send what the create could not carry (contact person, phone).

        A failure here leaves the customer linked (it exists in ERPNext) and the link waiting to be
        sent: the next push reads it back and sends the rest."""
        try:
            with self.ctx.env.cr.savepoint():
                self._rebase(link)
                self._update(link, partner, label, log=False, warnings=warnings)
        except (ERPNextError, MappingError) as exc:
            message = f"{label}: created in ERPNext as '{link.erpnext_id}', but completing it failed: {exc}"
            link.write({"state": "pending", "last_error": message, "remote_record": False})
            self.ctx.log("push", "create", "error", partner=partner, erpnext_id=link.erpnext_id, message=message)

    def _adopt_earlier_create(self, link, partner, label, attempted_at):
        """Link the customer an earlier unanswered create made, if it is there; whether it was."""
        found = self._find_earlier_create(attempted_at, partner)
        if len(found) > 1:
            raise MappingError(
                f"{label}: {len(found)} ERPNext customers named '{partner.name}' were created by the sync after "
                f"an unanswered create ({', '.join(row['name'] for row in found)}); enter the right ERPNext ID "
                "on the link by hand")
        if not found:
            return False
        self._keep_new_id(link, found[0]["name"])
        self._rebase(link)
        self.ctx.log("push", "link", "success", partner=partner, erpnext_id=link.erpnext_id,
                     message=f"{label}: an earlier unanswered create had reached ERPNext as "
                             f"'{link.erpnext_id}'; it was linked instead of creating another customer")
        self._update(link, partner, label)
        return True

    def _find_earlier_create(self, attempted_at, partner):
        ctx = self.ctx
        if self._api_user is None:
            self._api_user = ctx.client.get_logged_user()
        since = format_timestamp(from_utc(attempted_at - LOOKBACK, ctx.time_zone))
        return ctx.client.find_customers(partner.name, created_since=since, owner=self._api_user)

    def _rebase(self, link):
        """Take ERPNext's current customer as the last agreed state on both sides, so that the next
        update sends exactly what Odoo has and ERPNext has not."""
        remote, versions = self._read_remote(link.erpnext_id)
        link.write(dict(versions, remote_record=remote, local_record=remote))

    # -- update -----------------------------------------------------------------------------

    def _update(self, link, partner, label, *, log=True, warnings=None):
        ctx, client = self.ctx, self.ctx.client
        warnings = list(warnings or [])
        local = local_record(ctx, partner, link.contact_partner_id)
        base = link.local_record or {}
        changed = {key for key in rec.FIELDS if local.get(key) != base.get(key)}
        if local["credit_limit"] is None:
            changed.discard("credit_limit")
        if not changed:
            if warnings:
                link.write({"state": "warning", "last_error": "\n".join(dict.fromkeys(warnings)),
                            "local_changed_at": False, "last_sync_at": ctx.now(), "last_direction": "push"})
            elif link.state in ("pending", "error"):
                link.write({"state": "synced", "last_error": False, "local_changed_at": False})
            return "unchanged"
        name = link.erpnext_id
        modified = link.remote_modified
        customer_changes = changed & set(rec.CUSTOMER_FIELDS)
        if customer_changes:
            payload, customer_warnings = self._customer_payload(local, customer_changes, label)
            warnings += customer_warnings
            if "credit_limit" in customer_changes:
                payload["credit_limits"] = self._credit_limits(name, local["credit_limit"])
            if payload:
                modified = client.update("Customer", name, payload, modified=modified)["modified"]
        contact_changes = changed & set(rec.CONTACT_FIELDS)
        if contact_changes:
            modified = self._push_contact(link, local, contact_changes, modified)
        address_changes = changed & set(rec.ADDRESS_FIELDS)
        if address_changes:
            modified, address_warnings = self._push_address(link, local, address_changes, modified, label)
            warnings += address_warnings
        remote, versions = self._read_remote(name)
        warnings = list(dict.fromkeys(warnings))
        link.write(dict(versions, remote_record=remote, local_record=local, state="warning" if warnings else "synced",
                        last_error="\n".join(warnings) or False, last_sync_at=ctx.now(), last_direction="push",
                        local_changed_at=False, conflict_fields=False))
        if log:
            ctx.log("push", "update", "warning" if warnings else "success", partner=partner, erpnext_id=name,
                    changes=rec.describe_changes(base, local, changed), message="\n".join(warnings) or None)
        return "updated"

    def _customer_payload(self, local, fields, label):
        payload, warnings = {}, []
        for key in fields:
            if key == "customer_name":
                if not local["customer_name"]:
                    raise MappingError(f"{label}: the field Name is empty")
                payload["customer_name"] = local["customer_name"]
            elif key == "customer_type":
                payload["customer_type"] = local["customer_type"]
            elif key == "tax_id":
                payload["tax_id"] = local["tax_id"] or None
            elif key == "customer_details":
                payload["customer_details"] = local["customer_details"] or None
            elif key == "disabled":
                payload["disabled"] = 1 if local["disabled"] else 0
            elif key == "payment_terms":
                term = local["payment_terms"]
                known = {name.casefold(): name for name in self.ctx.erpnext_payment_terms}
                if not term:
                    payload["payment_terms"] = None
                elif term.casefold() in known:
                    payload["payment_terms"] = known[term.casefold()]
                else:
                    warnings.append(f"{label}: ERPNext has no payment terms template '{term}'; the payment terms "
                                    "were not sent")
        return payload, warnings

    def _credit_limits(self, name, amount):
        """The Customer's credit limit rows with ours set (the table is replaced as a whole)."""
        rows = self.ctx.client.get_doc("Customer", name).get("credit_limits") or []
        company = self.ctx.erpnext_company
        kept = [{key: row[key] for key in ("name", "company", "credit_limit", "bypass_credit_limit_check") if key in row}
                for row in rows]
        ours = [row for row in kept if row.get("company") == company]
        if ours:
            ours[0]["credit_limit"] = amount
        elif amount:
            kept.append({"company": company, "credit_limit": amount})
        return kept

    def _push_contact(self, link, local, changes, customer_modified):
        """Update the primary Contact (its child tables edited in place), or create one."""
        client = self.ctx.client
        if link.contact_name:
            contact = client.get_doc("Contact", link.contact_name)
            body = {}
            if "contact_person" in changes and local["contact_person"]:
                first, last = rec.split_person(local["contact_person"])
                body.update(first_name=first, middle_name=None, last_name=last or None)
            if "email" in changes:
                body["email_ids"] = _set_primary(contact.get("email_ids") or [], "email_id", "is_primary",
                                                 local["email"])
            if changes & {"phone", "mobile"}:
                phones = contact.get("phone_nos") or []
                if "phone" in changes:
                    phones = _set_primary(phones, "phone", "is_primary_phone", local["phone"])
                if "mobile" in changes:
                    phones = _set_primary(phones, "phone", "is_primary_mobile_no", local["mobile"])
                body["phone_nos"] = phones
            if body:
                client.update("Contact", link.contact_name, body, modified=link.contact_modified)
            if "email" in changes or "mobile" in changes:
                # Customer.email_id/mobile_no are copies, refreshed only when the Customer is saved.
                customer_modified = client.update("Customer", link.erpnext_id, {}, modified=customer_modified)["modified"]
            return customer_modified
        if not any(local[key] for key in ("contact_person", "email", "phone", "mobile")):
            return customer_modified
        values = {"is_primary_contact": 1, "links": [{"link_doctype": "Customer", "link_name": link.erpnext_id}]}
        if local["contact_person"]:
            first, last = rec.split_person(local["contact_person"])
            values.update(first_name=first, last_name=last or None)
        else:
            values["company_name"] = local["customer_name"]
        if local["email"]:
            values["email_ids"] = [{"email_id": local["email"], "is_primary": 1}]
        phones = []
        if local["phone"]:
            phones.append({"phone": local["phone"], "is_primary_phone": 1})
        if local["mobile"]:
            phones.append({"phone": local["mobile"], "is_primary_mobile_no": 1})
        if phones:
            values["phone_nos"] = phones
        contact = client.insert("Contact", values)
        link.write({"contact_name": contact["name"]})
        return client.update("Customer", link.erpnext_id, {"customer_primary_contact": contact["name"]},
                             modified=customer_modified)["modified"]

    def _address_values(self, local, fields, label, *, complete):
        """Address fields to send; the whole address must have street, city and a country ERPNext knows."""
        warnings = []
        country_name = None
        if local["country"]:
            country_name = self.ctx.erpnext_country_by_code.get(local["country"])
            if not country_name:
                return {}, [f"{label}: ERPNext has no country with the code {local['country']}; the address was "
                            "not sent"]
        if not (local["address_line1"] and local["city"] and country_name):
            if any(local[key] for key in rec.ADDRESS_FIELDS):
                warnings.append(f"{label}: an ERPNext address needs a street, a city and a country; the address "
                                "was not sent")
            return {}, warnings
        names = {"address_line1": "address_line1", "address_line2": "address_line2", "city": "city",
                 "state": "state", "pincode": "pincode", "country": "country"}
        values = {}
        for key in (rec.ADDRESS_FIELDS if complete else fields):
            values[names[key]] = country_name if key == "country" else (local[key] or None)
        return values, warnings

    def _push_address(self, link, local, changes, customer_modified, label):
        client = self.ctx.client
        values, warnings = self._address_values(local, changes, label, complete=not link.address_name)
        if not values:
            return customer_modified, warnings
        if link.address_name:
            client.update("Address", link.address_name, values, modified=link.address_modified)
            return customer_modified, warnings
        address = client.insert("Address", dict(values, address_title=local["customer_name"], address_type="Billing",
                                                is_primary_address=1, links=[
                                                    {"link_doctype": "Customer", "link_name": link.erpnext_id}]))
        link.write({"address_name": address["name"]})
        modified = client.update("Customer", link.erpnext_id, {"customer_primary_address": address["name"]},
                                 modified=customer_modified)["modified"]
        return modified, warnings

    def _read_remote(self, name):
        ctx, client = self.ctx, self.ctx.client
        customer = client.customers([name]).get(name)
        if customer is None:
            raise NotFoundError(f"ERPNext refused GET Customer: Customer {name} not found", http_status=404)
        contact = client.contacts([customer.get("customer_primary_contact")]).get(customer.get("customer_primary_contact"))
        address = client.addresses([customer.get("customer_primary_address")]).get(
            customer.get("customer_primary_address"))
        credit = client.credit_limits([name], ctx.erpnext_company).get(name, 0.0) if ctx.erpnext_company else None
        remote = rec.remote_record(customer, contact, address, credit, ctx.erpnext_countries)
        return remote, {
            "remote_modified": customer.get("modified"),
            "contact_name": contact["name"] if contact else False,
            "contact_modified": contact.get("modified") if contact else False,
            "address_name": address["name"] if address else False,
            "address_modified": address.get("modified") if address else False,
        }

    # -- conflicts ----------------------------------------------------------------------------

    def _conflict(self, link, partner, label, exc, *, retry):
        """ERPNext changed since we read it: read it again, settle by the policy, send what Odoo keeps."""
        ctx = self.ctx
        customers = ctx.client.customers([link.erpnext_id])
        if link.erpnext_id not in customers:
            self.puller.archive_deleted([link.erpnext_id], reason=f"Customer '{link.erpnext_id}' was deleted in "
                                                                   "ERPNext; the contact was archived.")
            return "archived"
        ctx.log("push", "conflict", "warning", partner=partner, erpnext_id=link.erpnext_id,
                message=f"{label}: ERPNext refused the update because the customer changed there in the meantime "
                        f"({exc.exc_type}); it is read again and settled by the policy "
                        f"'{dict(ctx.company._fields['erpnext_conflict_policy'].selection).get(ctx.policy)}'.")
        self.puller.pull_page(list(customers.values()))
        link.invalidate_recordset()
        if link.state == "pending" and retry:
            self.push(link, _retry=False)
        return "conflict"


_FLAGS = ("is_primary", "is_primary_phone", "is_primary_mobile_no")


def _set_primary(rows, value_field, flag, value):
    """Contact child rows with the primary one (by ``flag``) holding ``value``; untouched rows keep
    their ``name`` so ERPNext updates them rather than replacing them."""
    rows = [{key: row[key] for key in ("name", value_field, *_FLAGS) if key in row} for row in rows]
    primary = next((row for row in rows if row.get(flag)), None)
    shared = primary is not None and any(primary.get(other) for other in _FLAGS if other != flag)
    if not value:
        if primary is not None:
            if shared:
                primary[flag] = 0
            else:
                rows.remove(primary)
        return rows
    if primary is not None and not shared:
        primary[value_field] = value
        return rows
    if primary is not None:
        if primary.get(value_field) == value:
            return rows
        primary[flag] = 0  # the row is another kind of primary too: this value gets a row of its own
    same = next((row for row in rows if row.get(value_field) == value), None)
    if same is not None:
        same[flag] = 1
    else:
        rows.append({value_field: value, flag: 1})
    return rows
