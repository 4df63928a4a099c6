"""ERPNext customers into Odoo, a page at a time, as one batch.

For a page of Customer rows: their primary Contacts and Addresses and credit limits come in three
requests; the page's links come from one query; unlinked customers are matched to existing
contacts by VAT, then email, then exact name (three queries for the whole page), never to the
partner of an Odoo user or company; new partners, their contact persons, links and log lines are
created in batches. A customer whose mapped values did not change since the last sync is skipped
without a write. A row that cannot be a customer, or a customer that cannot be applied, fails on
its own (a failed count and a sync log line naming it and the field); the rest of the page goes on.
"""

import logging
from dataclasses import dataclass, field

from ..erpnext_api.values import parse_timestamp, to_utc
from . import record as rec
from .lookups import PROTECTED_PARTNERS_SQL, protected_partner_ids
from .mapper import MappingError, changed_values, child_values, local_record, partner_values
from .merge import plan as merge_plan
from .merge import refuse_remote

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
        modified = _modified_of(customer)
        if modified and (self.oldest_failure is None or parse_timestamp(modified) < parse_timestamp(self.oldest_failure)):
            self.oldest_failure = modified


def later(first, second):
    """The later of two ERPNext timestamps (either may be None)."""
    if not first or not second:
        return first or second
    return second if parse_timestamp(second) > parse_timestamp(first) else first


def label_of(customer):
    return rec.row_label(customer, None)


def _modified_of(row):
    """A row's ``modified`` when it is a timestamp (a malformed row may have none)."""
    modified = row.get("modified") if isinstance(row, dict) else None
    try:
        return modified if parse_timestamp(modified) else None
    except (TypeError, ValueError):
        return None


def _versions(customer, contact, address):
    """What a link remembers of ERPNext's documents: their names and ``modified``."""
    return {
        "remote_modified": customer.get("modified"),
        "contact_name": contact["name"] if contact else False,
        "contact_modified": contact.get("modified") if contact else False,
        "address_name": address["name"] if address else False,
        "address_modified": address.get("modified") if address else False,
    }


def _held_fields(link):
    """The fields of a link held for a person to choose (its ``conflict_fields`` are by label)."""
    if not link or link.state != "conflict" or not link.conflict_fields:
        return set()
    by_label = {rec.label(key): key for key in rec.FIELDS}
    return {by_label[label] for label in link.conflict_fields if label in by_label}


class CustomerPuller:
    def __init__(self, ctx):
        self.ctx = ctx
        self._protected = None

    @property
    def protected(self):
        """Partners of Odoo users and companies, which a pull never links nor writes (read once a page)."""
        if self._protected is None:
            self._protected = protected_partner_ids(self.ctx.env)
        return self._protected

    # -- a page -----------------------------------------------------------------------------

    def pull_page(self, customers, *, force=False, winner=None):
        """Apply a page of ERPNext Customer rows (``CUSTOMER_FIELDS``) to Odoo."""
        ctx, result = self.ctx, PageResult()
        if not customers:
            return result
        self._protected = None
        result.counts.processed += len(customers)
        rows = self._checked(customers, result)
        links = {link.erpnext_id: link for link in ctx.Link.search(
            [("company_id", "=", ctx.company.id), ("erpnext_id", "in", [row["name"] for row in rows])])}
        remote, versions = self._records(rows, links, result)
        to_match, to_merge = [], []
        for customer in (row for row in rows if row["name"] in remote):
            link = links.get(customer["name"])
            if link is None:
                to_match.append(customer)
            elif self._unchanged(link, remote[customer["name"]], versions[customer["name"]], force or winner):
                result.counts.unchanged += 1
                result.done(customer)
            else:
                to_merge.append((customer, link, link.partner_id))
        matched, unmatched = self._match(to_match, remote, result)
        self._create(unmatched, remote, versions, result)
        for customer, link, partner in to_merge + matched:
            self._merge_one(customer, link, partner, remote, versions, result, force=force, winner=winner)
        ctx.flush_logs()
        return result

    def _checked(self, customers, result):
        """The rows that can be customers; any other one fails on its own, named by its place."""
        rows, names = [], set()
        for position, row in enumerate(customers, start=1):
            try:
                rec.check_row(row, position)
                if row["name"] in names:
                    raise rec.BadValue(f"{label_of(row)} comes twice in one page of customers")
            except rec.BadValue as exc:
                self._failed(row, str(exc), result, None)
                continue
            names.add(row["name"])
            rows.append(row)
        return rows

    def _records(self, rows, links, result):
        """({name: record}, {name: versions}) of the rows, with their primary Contacts, Addresses and
        credit limits (three requests); a customer with a value of the wrong kind fails alone."""
        ctx, remote, versions = self.ctx, {}, {}
        if not rows:
            return remote, versions
        client = ctx.client
        contacts = client.contacts(row.get("customer_primary_contact") for row in rows)
        addresses = client.addresses(row.get("customer_primary_address") for row in rows)
        credits = client.credit_limits([row["name"] for row in rows], ctx.erpnext_company) if (
            ctx.erpnext_company) else None
        for row in rows:
            name = row["name"]
            contact = contacts.get(row.get("customer_primary_contact"))
            address = addresses.get(row.get("customer_primary_address"))
            credit = credits.get(name, 0.0) if credits is not None else None
            try:
                remote[name] = rec.remote_record(row, contact, address, credit, ctx.erpnext_countries)
            except rec.BadValue as exc:
                self._failed(row, str(exc), result, links.get(name))
                continue
            versions[name] = _versions(row, contact, address)
        return remote, versions

    @staticmethod
    def _unchanged(link, record, versions, again):
        """Nothing we map changed in ERPNext (and nobody asks to read it ``again``): at most the
        newer 'modified' values are remembered. A conflict held for a person stays held."""
        if again or link.state in ("error", "deleted") or link.remote_record != record:
            return False
        if link.state != "conflict":
            moved = {key: value for key, value in versions.items() if (link[key] or False) != value}
            if moved:
                link.write(moved)
        return True

    def _merge_one(self, customer, link, partner, remote, versions, result, **options):
        """Apply one linked or matched customer in its own savepoint; a failure is its own."""
        name = customer["name"]
        try:
            with self.ctx.env.cr.savepoint():
                self._merge(customer, link, partner, remote[name], versions[name], result, **options)
        except MappingError as exc:
            self._failed(customer, str(exc), result, link)
        except Exception as exc:  # noqa: BLE001 - one customer must not stop the page
            _logger.warning("Applying ERPNext %s failed", label_of(customer), exc_info=True)
            self._failed(customer, f"{label_of(customer)}: {exc}", result, link)

    # -- matching existing contacts ---------------------------------------------------------

    def _match(self, customers, remote, result):
        """Pair unlinked customers with unlinked Odoo contacts by VAT, then email, then exact name."""
        if not customers:
            return [], []
        candidates = self._candidates(customers, remote)
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
                matched.append((customer, None, self.ctx.Partner.browse(choice)))
            else:
                unmatched.append(customer)
        return matched, unmatched

    def _candidates(self, customers, remote):
        """{kind: {key: [partner ids]}} of the active, unlinked top-level contacts of the company (or
        of no company) whose VAT, email or name is one of the customers'. Partners of users and
        companies are never candidates."""
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
                   AND p.id NOT IN ({PROTECTED_PARTNERS_SQL})
                   AND NOT EXISTS (SELECT 1 FROM erpnext_customer_link l
                                    WHERE l.partner_id = p.id AND l.company_id = %s)
                 ORDER BY p.id""", [ctx.company.id, list(values), ctx.company.id])  # noqa: S608 - fixed expressions
            for partner_id, key in ctx.env.cr.fetchall():
                candidates[kind].setdefault(key, []).append(partner_id)
        return candidates

    # -- new partners -----------------------------------------------------------------------

    def _create(self, customers, remote, versions, result):
        """New partners (with their contact person and link) for the unmatched customers: as one
        batch, or, when the batch fails, one by one, each in its own savepoint."""
        ctx = self.ctx
        prepared = []
        for customer in customers:
            try:
                values, warnings = partner_values(ctx, remote[customer["name"]], rec.FIELDS, label_of(customer))
            except MappingError as exc:
                self._failed(customer, str(exc), result, None)
                continue
            prepared.append((customer, dict(values, company_id=self._new_partner_company(), customer_rank=1),
                             warnings))
        if not prepared:
            return
        try:
            with ctx.env.cr.savepoint():
                created = self._create_partners(prepared, remote, versions)
        except Exception:  # noqa: BLE001 - find the culprit one by one, the others go on
            _logger.info("Batch create of %s partners failed; creating them one by one", len(prepared), exc_info=True)
            created = []
            for item in prepared:
                try:
                    with ctx.env.cr.savepoint():
                        created += self._create_partners([item], remote, versions)
                except Exception as exc:  # noqa: BLE001
                    self._failed(item[0], f"{label_of(item[0])}: {exc}", result, None)
        for customer, partner, local, warnings in created:
            ctx.log("pull", "create", "warning" if warnings else "success", partner=partner,
                    erpnext_id=customer["name"], changes=rec.describe_changes({}, local, rec.FIELDS),
                    message="\n".join(warnings) or None)
            result.counts.created += 1
            result.done(customer)

    def _new_partner_company(self):
        """The company of a partner made from ERPNext: the syncing one, or none when it shares them."""
        return False if self.ctx.company.erpnext_share_partners else self.ctx.company.id

    def _create_partners(self, prepared, remote, versions):
        """Create the partners of ``prepared`` [(customer, values, warnings)], their contact persons
        and their links; returns [(customer, partner, local record, warnings)]."""
        ctx = self.ctx
        partners = ctx.Partner.create([values for _, values, _ in prepared])
        people = [(partner, dict(child_values(remote[customer["name"]]), parent_id=partner.id, type="contact",
                                 company_id=partner.company_id.id or False))
                  for (customer, _, _), partner in zip(prepared, partners)
                  if remote[customer["name"]]["customer_type"] != "Individual"
                  and remote[customer["name"]]["contact_person"]]
        children = dict(zip((partner.id for partner, _ in people), ctx.Partner.create([v for _, v in people])))
        created, link_values = [], []
        for (customer, _, warnings), partner in zip(prepared, partners):
            name, child = customer["name"], children.get(partner.id, ctx.Partner)
            local = local_record(ctx, partner, child)
            link_values.append({
                "company_id": ctx.company.id, "partner_id": partner.id, "erpnext_id": name,
                "contact_partner_id": child.id or False, "remote_record": remote[name], "local_record": local,
                "state": "warning" if warnings else "synced", "last_error": "\n".join(warnings) or False,
                "last_sync_at": ctx.now(), "last_direction": "pull", **versions[name],
            })
            created.append((customer, partner, local, warnings))
        ctx.Link.create(link_values)
        return created

    # -- existing partners --------------------------------------------------------------------

    def _merge(self, customer, link, partner, remote_now, versions, result, *, force=False, winner=None):
        ctx, label = self.ctx, label_of(customer)
        partner = partner.with_env(ctx.env)
        child = link.contact_partner_id if link else self._existing_child(partner, remote_now["contact_person"])
        local_now = local_record(ctx, partner, child)
        decided = self._decide(link, partner, local_now, remote_now, versions, force=force, winner=winner)
        child, warnings = self._write(partner, child, remote_now, decided, label)
        new_local = local_record(ctx, partner, child)
        previous_error = link.last_error if link else False
        link, operation = self._save_link(customer, link, partner, child, remote_now, new_local, versions,
                                          decided, warnings)
        if decided.conflicts:
            result.counts.conflicts += 1
            self._log_conflicts(customer, partner, decided)
        applied = rec.describe_changes(local_now, new_local, rec.FIELDS)
        if applied or operation == "link":
            ctx.log("pull", operation, "warning" if warnings else "success", partner=partner,
                    erpnext_id=customer["name"], changes=applied, message="\n".join(warnings) or None)
            result.counts.updated += 1
        else:
            if warnings and (previous_error or "") != (link.last_error or ""):
                ctx.log("pull", "update", "warning", partner=partner, erpnext_id=customer["name"],
                        message="\n".join(warnings))
            result.counts.unchanged += 1
        result.done(customer)
        return link

    def _decide(self, link, partner, local_now, remote_now, versions, *, force, winner):
        """Which side each differing field takes (:mod:`.merge`); nothing of ERPNext's for a partner
        of an Odoo user or company."""
        ctx = self.ctx
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
                             remote_newer=remote_newer, pull_only=not ctx.both_ways, force=force, winner=winner,
                             contested=_held_fields(link))
        return refuse_remote(decided) if partner.id in self.protected else decided

    def _write(self, partner, child, remote_now, decided, label):
        """ERPNext's side of the plan written on the partner and its contact person; returns the
        contact person and the warnings (what Odoo could not take)."""
        ctx = self.ctx
        values, warnings = partner_values(ctx, remote_now, decided.take_remote, label)
        values = changed_values(ctx, partner, values)
        if values:
            partner.write(values)
        if decided.refused:
            warnings.append(f"{label}: the contact '{partner.display_name}' belongs to an Odoo user or company, so "
                            "Odoo keeps its own values of " + ", ".join(sorted(rec.label(key) for key in decided.refused))
                            + "; change them in Odoo by hand if ERPNext's are right")
        if decided.take_remote & set(rec.CONTACT_FIELDS) and remote_now["contact_person"] and (
                remote_now["customer_type"] != "Individual"):
            child, warning = self._write_child(partner, child, child_values(remote_now), label)
            warnings += [warning] if warning else []
        return child, warnings

    def _write_child(self, partner, child, wanted, label):
        """The contact person with ERPNext's contact values (made when missing); a user's is left alone."""
        ctx = self.ctx
        if not child:
            return ctx.Partner.create(dict(wanted, parent_id=partner.id, type="contact",
                                           company_id=partner.company_id.id or False)), None
        if child.id in self.protected:
            return child, (f"{label}: the contact person '{child.name}' belongs to an Odoo user, so ERPNext's "
                           "contact values were not written to it")
        changes = changed_values(ctx, child, wanted)
        if changes:
            child.with_env(ctx.env).write(changes)
        return child, None

    def _save_link(self, customer, link, partner, child, remote_now, new_local, versions, decided, warnings):
        """The link with what both sides now agree on, and what is held; returns (link, "update"/"link")."""
        ctx = self.ctx
        pending = decided.keep_local | decided.held
        base = (link.local_record if link else None) or remote_now
        notes = list(warnings)
        if decided.held:
            notes.insert(0, self._held_note(link, partner, decided.held))
        values = {
            "remote_record": remote_now, "state": _link_state(decided, warnings),
            "local_record": {key: (base.get(key) if key in pending else new_local[key]) for key in rec.FIELDS},
            "last_error": "\n".join(notes) or False, "last_sync_at": ctx.now(), "last_direction": "pull",
            "contact_partner_id": child.id if child else False, "create_attempted_at": False,
            "conflict_fields": {rec.label(key): list(decided.conflicts[key][:2]) for key in decided.held} or False,
            **versions,
        }
        if link:
            link.write(values)
            return link, "update"
        return ctx.Link.create(dict(values, company_id=ctx.company.id, partner_id=partner.id,
                                    erpnext_id=customer["name"])), "link"

    @staticmethod
    def _held_note(link, partner, held):
        fields = ", ".join(rec.label(key) for key in sorted(held))
        if link is None or (link.state == "conflict" and (link.last_error or "").startswith("Linked to")):
            return (f"Linked to the existing contact '{partner.display_name}', which has other values than ERPNext "
                    f"for: {fields}. Nothing was changed; choose which to keep.")
        return f"Changed in Odoo and in ERPNext since the last sync: {fields}. Choose which to keep."

    def _log_conflicts(self, customer, partner, decided):
        outcome = {"erpnext": "ERPNext value kept", "odoo": "Odoo value kept", "held": "held for review"}
        self.ctx.log("pull", "conflict", "warning", partner=partner, erpnext_id=customer["name"], message="\n".join(
            f"{rec.label(key)}: Odoo '{ours}' / ERPNext '{theirs}' → {outcome[side]}"
            for key, (ours, theirs, side) in sorted(decided.conflicts.items())),
            changes={rec.label(key): [ours, theirs] for key, (ours, theirs, _) in decided.conflicts.items()})

    def _existing_child(self, partner, person):
        """The partner's contact person called ``person`` (never a user's)."""
        if not person:
            return self.ctx.Partner
        return partner.child_ids.filtered(lambda child: child.type == "contact" and child.name == person
                                          and child.id not in self.protected)[:1]

    # -- deletions ----------------------------------------------------------------------------

    def archive_deleted(self, names, *, reason):
        """Archive the partners linked to ERPNext customers that no longer exist; their history stays.
        The partner of an Odoo user or company stays active; only its link is marked deleted."""
        ctx, counts = self.ctx, Counts()
        self._protected = None
        links = ctx.Link.search([("company_id", "=", ctx.company.id), ("erpnext_id", "in", list(names)),
                                 ("state", "!=", "deleted")])
        for link in links:
            partner = link.partner_id.with_env(ctx.env)
            kept = partner.id in self.protected
            message = (f"{reason} The contact belongs to an Odoo user or company and stays active." if kept
                       else reason)
            try:
                with ctx.env.cr.savepoint():
                    if partner.active and not kept:
                        partner.write({"active": False})
                    link.write({"state": "deleted", "last_error": message, "last_sync_at": ctx.now(),
                                "last_direction": "pull"})
            except Exception as exc:  # noqa: BLE001 - e.g. a contact linked to an active user
                counts.failed += 1
                ctx.log("pull", "error", "error", partner=partner, erpnext_id=link.erpnext_id,
                        message=f"Customer '{link.erpnext_id}' was deleted in ERPNext, but its contact could not be "
                                f"archived: {exc}")
                continue
            if kept:
                counts.unchanged += 1
            else:
                counts.archived += 1
            ctx.log("pull", "delete", "success", partner=partner, erpnext_id=link.erpnext_id,
                    changes=None if kept else {rec.label("disabled"): [False, True]}, message=message)
        ctx.flush_logs()
        return counts

    # -- failures ------------------------------------------------------------------------------

    def _failed(self, customer, message, result, link):
        """A customer (or a row that is none) failed: counted, its link marked, logged once."""
        ctx = self.ctx
        result.failed(customer)
        if link:
            link.write({"state": "error", "last_error": message})
        row = customer if isinstance(customer, dict) else {}
        name = row.get("name") if isinstance(row.get("name"), str) and row["name"].strip() else False
        title = row.get("customer_name") if isinstance(row.get("customer_name"), str) else None
        last = ctx.env["erpnext.sync.log"].search([("company_id", "=", ctx.company.id),
                                                   ("erpnext_id", "=", name)], limit=1)
        if last.message == message and last.status == "error":
            return  # the same failure as last time: counted, not logged twice
        ctx.log("pull", "error", "error", partner=link.partner_id if link else None, erpnext_id=name,
                partner_name=title, message=message)


def _link_state(decided, warnings):
    if decided.held:
        return "conflict"
    if decided.keep_local:
        return "pending"
    return "warning" if warnings else "synced"


def _vat_key(value):
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()
