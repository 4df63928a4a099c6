"""ERPNext customers into Odoo, a page at a time, as one batch.

For a page of Customer rows: their primary Contacts and Addresses and credit limits come in three
requests; the page's links come from one query; unlinked customers are matched to existing
contacts by VAT, then email, then exact name (three queries for the whole page); new partners,
their contact persons, links and log lines are created in batches. A customer whose mapped values
did not change since the last sync is skipped without a write.
"""

import logging
from dataclasses import dataclass, field

from ..erpnext_api.values import parse_timestamp, to_utc
from . import record as rec
from .mapper import MappingError, changed_values, child_values, local_record, partner_values
from .merge import plan as merge_plan

_logger = logging.getLogger(__name__)


@dataclass
class Counts:
    processed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    archived: int = 0
    conflicts: int = 0

    def add(self, other):
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class PageResult:
    counts: Counts = field(default_factory=Counts)
    #: The newest ``modified`` among customers processed without failure, and the oldest failed one.
    newest: str = None
    oldest_failure: str = None

    def done(self, customer):
        self.newest = later(self.newest, customer.get("modified"))

    def failed(self, customer):
        self.counts.failed += 1
        modified = customer.get("modified")
        if modified and (self.oldest_failure is None or parse_timestamp(modified) < parse_timestamp(self.oldest_failure)):
            self.oldest_failure = modified


def later(first, second):
    """The later of two ERPNext timestamps (either may be None)."""
    if not first or not second:
        return first or second
    return second if parse_timestamp(second) > parse_timestamp(first) else first


def label_of(customer):
    name, title = customer.get("name"), customer.get("customer_name")
    return f"Customer '{title}' ({name})" if title and title != name else f"Customer '{name}'"


class CustomerPuller:
    def __init__(self, ctx):
        self.ctx = ctx

    # -- a page -----------------------------------------------------------------------------

    def pull_page(self, customers, *, force=False, winner=None):
        """Apply a page of ERPNext Customer rows (``CUSTOMER_FIELDS``) to Odoo."""
        ctx, result = self.ctx, PageResult()
        if not customers:
            return result
        client = ctx.client
        contacts = client.contacts(c.get("customer_primary_contact") for c in customers)
        addresses = client.addresses(c.get("customer_primary_address") for c in customers)
        names = [c["name"] for c in customers]
        credits = client.credit_limits(names, ctx.erpnext_company) if ctx.erpnext_company else None
        countries = ctx.erpnext_countries
        remote, versions = {}, {}
        for customer in customers:
            contact = contacts.get(customer.get("customer_primary_contact"))
            address = addresses.get(customer.get("customer_primary_address"))
            credit = credits.get(customer["name"], 0.0) if credits is not None else None
            remote[customer["name"]] = rec.remote_record(customer, contact, address, credit, countries)
            versions[customer["name"]] = {
                "remote_modified": customer.get("modified"),
                "contact_name": contact["name"] if contact else False,
                "contact_modified": contact.get("modified") if contact else False,
                "address_name": address["name"] if address else False,
                "address_modified": address.get("modified") if address else False,
            }
        links = {link.erpnext_id: link for link in ctx.Link.search(
            [("company_id", "=", ctx.company.id), ("erpnext_id", "in", names)])}
        to_match, to_merge = [], []
        for customer in customers:
            result.counts.processed += 1
            name = customer["name"]
            link = links.get(name)
            if link is None:
                to_match.append(customer)
            elif (not force and link.state not in ("error", "deleted") and link.remote_record == remote[name]
                  and link.state != "conflict"):
                # Nothing we map changed in ERPNext: at most remember the newer 'modified' values.
                moved = {key: value for key, value in versions[name].items() if (link[key] or False) != value}
                if moved:
                    link.write(moved)
                result.counts.unchanged += 1
                result.done(customer)
            elif link.state == "conflict" and not force and not winner and link.remote_record == remote[name]:
                result.counts.unchanged += 1  # held for a person; nothing new from ERPNext
                result.done(customer)
            else:
                to_merge.append((customer, link, link.partner_id))
        matched, unmatched = self._match(to_match, remote, result)
        to_merge.extend(matched)
        self._create(unmatched, remote, versions, result)
        for customer, link, partner in to_merge:
            try:
                with ctx.env.cr.savepoint():
                    self._merge(customer, link, partner, remote[customer["name"]], versions[customer["name"]],
                                result, force=force, winner=winner)
            except MappingError as exc:
                self._failed(customer, str(exc), result, link)
            except Exception as exc:  # noqa: BLE001 - one customer must not stop the page
                _logger.warning("Applying ERPNext %s failed", label_of(customer), exc_info=True)
                self._failed(customer, f"{label_of(customer)}: {exc}", result, link)
        ctx.flush_logs()
        return result

    # -- matching existing contacts ---------------------------------------------------------

    def _match(self, customers, remote, result):
        """Pair unlinked customers with unlinked Odoo contacts by VAT, then email, then exact name."""
        if not customers:
            return [], []
        ctx = self.ctx
        keys = {
            "vat": {_vat_key(remote[c["name"]]["tax_id"]) for c in customers} - {""},
            "email": {remote[c["name"]]["email"] for c in customers} - {""},
            "name": {remote[c["name"]]["customer_name"] for c in customers} - {""},
        }
        expressions = {"vat": "upper(regexp_replace(p.vat, '[^[:alnum:]]', '', 'g'))", "email": "lower(trim(p.email))",
                       "name": "p.name"}
        candidates = {}
        for kind, values in keys.items():
            candidates[kind] = {}
            if not values:
                continue
            ctx.env.cr.execute(f"""
                SELECT p.id, {expressions[kind]}
                  FROM res_partner p
                 WHERE p.parent_id IS NULL AND p.active
                   AND (p.company_id IS NULL OR p.company_id = %s)
                   AND {expressions[kind]} = ANY(%s)
                   AND NOT EXISTS (SELECT 1 FROM erpnext_customer_link l
                                    WHERE l.partner_id = p.id AND l.company_id = %s)
                 ORDER BY p.id""", [ctx.company.id, list(values), ctx.company.id])  # noqa: S608 - fixed expressions
            for partner_id, key in ctx.env.cr.fetchall():
                candidates[kind].setdefault(key, []).append(partner_id)
        matched, unmatched, claimed = [], [], set()
        for customer in customers:
            record = remote[customer["name"]]
            choice, problem = None, None
            for kind, key in (("vat", _vat_key(record["tax_id"])), ("email", record["email"]),
                              ("name", record["customer_name"])):
                found = [pid for pid in candidates[kind].get(key, []) if pid not in claimed] if key else []
                if len(found) == 1:
                    choice = found[0]
                    break
                if len(found) > 1:
                    problem = (f"{label_of(customer)}: {len(found)} Odoo contacts have the same "
                               f"{ {'vat': 'tax ID', 'email': 'email', 'name': 'name'}[kind]} '{key}'; "
                               "link the right one by hand (ERPNext ID on the link) and sync again")
                    break
            if problem:
                self._failed(customer, problem, result, None)
            elif choice:
                claimed.add(choice)
                matched.append((customer, None, ctx.Partner.browse(choice)))
            else:
                unmatched.append(customer)
        return matched, unmatched

    # -- new partners -----------------------------------------------------------------------

    def _create(self, customers, remote, versions, result):
        ctx = self.ctx
        prepared = []
        for customer in customers:
            record = remote[customer["name"]]
            try:
                values, warnings = partner_values(ctx, record, rec.FIELDS, label_of(customer))
            except MappingError as exc:
                self._failed(customer, str(exc), result, None)
                continue
            values.update(company_id=ctx.company.id, customer_rank=1)
            prepared.append((customer, values, warnings))
        if not prepared:
            return
        try:
            with ctx.env.cr.savepoint():
                partners = ctx.Partner.create([values for _, values, _ in prepared])
            created = list(zip(prepared, partners))
        except Exception:  # noqa: BLE001 - find the culprit one by one, the others go on
            _logger.info("Batch create of %s partners failed; creating them one by one", len(prepared), exc_info=True)
            created = []
            for item in prepared:
                try:
                    with ctx.env.cr.savepoint():
                        created.append((item, ctx.Partner.create(item[1])))
                except Exception as exc:  # noqa: BLE001
                    self._failed(item[0], f"{label_of(item[0])}: {exc}", result, None)
        children = {}
        child_values_list = [
            (partner, dict(child_values(remote[customer["name"]]), parent_id=partner.id, type="contact",
                           company_id=ctx.company.id))
            for (customer, _, _), partner in created
            if remote[customer["name"]]["customer_type"] != "Individual" and remote[customer["name"]]["contact_person"]
        ]
        if child_values_list:
            made = ctx.Partner.create([values for _, values in child_values_list])
            children = {partner.id: child for (partner, _), child in zip(child_values_list, made)}
        link_values = []
        for (customer, _, warnings), partner in created:
            name = customer["name"]
            child = children.get(partner.id, ctx.Partner)
            local = local_record(ctx, partner, child)
            link_values.append({
                "company_id": ctx.company.id, "partner_id": partner.id, "erpnext_id": name,
                "contact_partner_id": child.id or False, "remote_record": remote[name], "local_record": local,
                "state": "warning" if warnings else "synced", "last_error": "\n".join(warnings) or False,
                "last_sync_at": ctx.now(), "last_direction": "pull", **versions[name],
            })
            ctx.log("pull", "create", "warning" if warnings else "success", partner=partner, erpnext_id=name,
                    changes=rec.describe_changes({}, local, rec.FIELDS), message="\n".join(warnings) or None)
            result.counts.created += 1
            result.done(customer)
        ctx.Link.create(link_values)

    # -- existing partners --------------------------------------------------------------------

    def _merge(self, customer, link, partner, remote_now, versions, result, *, force=False, winner=None):
        ctx = self.ctx
        name = customer["name"]
        label = label_of(customer)
        partner = partner.with_env(ctx.env)
        child = link.contact_partner_id if link else self._existing_child(partner, remote_now["contact_person"])
        local_now = local_record(ctx, partner, child)
        remote_base = link.remote_record if link else None
        local_base = link.local_record if link else None
        if link and link.state == "deleted" and remote_base and local_base:
            # Restored in ERPNext: its deletion had archived the contact, as if disabled on both sides.
            remote_base, local_base = dict(remote_base, disabled=True), dict(local_base, disabled=True)
        remote_time = max(filter(None, (to_utc(versions.get(key), ctx.time_zone) for key in (
            "remote_modified", "contact_modified", "address_modified"))), default=None)
        local_time = (link.local_changed_at if link else None) or partner.write_date
        # Odoo keeps whole seconds: compare ERPNext's time at that precision (a tie goes to Odoo).
        remote_newer = bool(remote_time and local_time and remote_time.replace(microsecond=0) > local_time)
        decided = merge_plan(remote_now, local_now, remote_base, local_base, policy=ctx.policy,
                             remote_newer=remote_newer,
                             pull_only=not ctx.both_ways, force=force, winner=winner)
        values, warnings = partner_values(ctx, remote_now, decided.take_remote, label)
        values = changed_values(ctx, partner, values)
        if values:
            partner.write(values)
        if decided.take_remote & set(rec.CONTACT_FIELDS) and remote_now["contact_person"] and (
                remote_now["customer_type"] != "Individual"):
            wanted = child_values(remote_now)
            if child:
                child_changes = changed_values(ctx, child, wanted)
                if child_changes:
                    child.with_env(ctx.env).write(child_changes)
            else:
                child = ctx.Partner.create(dict(wanted, parent_id=partner.id, type="contact",
                                                company_id=partner.company_id.id or False))
        new_local = local_record(ctx, partner, child)
        pending = decided.keep_local | decided.held
        base = local_base or remote_now
        local_snapshot = {key: (base.get(key) if key in pending else new_local[key]) for key in rec.FIELDS}
        if decided.held:
            state = "conflict"
        elif decided.keep_local:
            state = "pending"
        elif warnings:
            state = "warning"
        else:
            state = "synced"
        notes = list(warnings)
        if decided.held:
            notes.insert(0, "Changed in Odoo and in ERPNext since the last sync: "
                         + ", ".join(rec.label(key) for key in sorted(decided.held)) + ". Choose which to keep.")
        link_values = {
            "remote_record": remote_now, "local_record": local_snapshot, "state": state,
            "last_error": "\n".join(notes) or False, "last_sync_at": ctx.now(), "last_direction": "pull",
            "contact_partner_id": child.id if child else False, "create_attempted_at": False,
            "conflict_fields": {rec.label(key): list(decided.conflicts[key][:2]) for key in decided.held} or False,
            **versions,
        }
        if link:
            link.write(link_values)
            operation = "update"
        else:
            link = ctx.Link.create(dict(link_values, company_id=ctx.company.id, partner_id=partner.id,
                                        erpnext_id=name))
            operation = "link"
        applied = rec.describe_changes(local_now, new_local, rec.FIELDS)
        if decided.conflicts:
            result.counts.conflicts += 1
            ctx.log("pull", "conflict", "warning", partner=partner, erpnext_id=name, message="\n".join(
                f"{rec.label(key)}: Odoo '{ours}' / ERPNext '{theirs}' → "
                f"{ {'erpnext': 'ERPNext value kept', 'odoo': 'Odoo value kept', 'held': 'held for review'}[side]}"
                for key, (ours, theirs, side) in sorted(decided.conflicts.items())),
                changes={rec.label(key): [ours, theirs] for key, (ours, theirs, _) in decided.conflicts.items()})
        if applied or operation == "link":
            ctx.log("pull", operation, "warning" if warnings else "success", partner=partner, erpnext_id=name,
                    changes=applied, message="\n".join(warnings) or None)
            result.counts.updated += 1
        else:
            if warnings and (link.last_error or "") != "\n".join(notes):
                ctx.log("pull", "update", "warning", partner=partner, erpnext_id=name, message="\n".join(warnings))
            result.counts.unchanged += 1
        result.done(customer)
        return link

    def _existing_child(self, partner, person):
        if not person:
            return self.ctx.Partner
        return partner.child_ids.filtered(lambda child: child.type == "contact" and child.name == person)[:1]

    # -- deletions ----------------------------------------------------------------------------

    def archive_deleted(self, names, *, reason):
        """Archive the partners linked to ERPNext customers that no longer exist; their history stays."""
        ctx, counts = self.ctx, Counts()
        links = ctx.Link.search([("company_id", "=", ctx.company.id), ("erpnext_id", "in", list(names)),
                                 ("state", "!=", "deleted")])
        for link in links:
            partner = link.partner_id.with_env(ctx.env)
            try:
                with ctx.env.cr.savepoint():
                    if partner.active:
                        partner.write({"active": False})
                    link.write({"state": "deleted", "last_error": reason, "last_sync_at": ctx.now(),
                                "last_direction": "pull"})
            except Exception as exc:  # noqa: BLE001 - e.g. a contact linked to an active user
                counts.failed += 1
                ctx.log("pull", "error", "error", partner=partner, erpnext_id=link.erpnext_id,
                        message=f"Customer '{link.erpnext_id}' was deleted in ERPNext, but its contact could not be "
                                f"archived: {exc}")
                continue
            counts.archived += 1
            ctx.log("pull", "delete", "success", partner=partner, erpnext_id=link.erpnext_id,
                    changes={rec.label("disabled"): [False, True]}, message=reason)
        ctx.flush_logs()
        return counts

    # -- failures ------------------------------------------------------------------------------

    def _failed(self, customer, message, result, link):
        ctx = self.ctx
        result.failed(customer)
        if link:
            link.write({"state": "error", "last_error": message})
        last = ctx.env["erpnext.sync.log"].search([("company_id", "=", ctx.company.id),
                                                   ("erpnext_id", "=", customer["name"])], limit=1)
        if last.message == message and last.status == "error":
            return  # the same failure as last time: counted, not logged twice
        ctx.log("pull", "error", "error", partner=link.partner_id if link else None, erpnext_id=customer["name"],
                partner_name=customer.get("customer_name"), message=message)


def _vat_key(value):
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()
