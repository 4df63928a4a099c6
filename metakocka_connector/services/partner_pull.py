"""The customer pull: Metakocka's partner register into Odoo's contacts, one page of get_partner at a time.

The register has no "changed since", so the pull reads it whole and compares: a partner whose shared
state (see ``partner_mapper``) is the one of the last sync costs no write. A Metakocka partner is
found in Odoo through its link, else by VAT number, then email (equal ignoring case), then exact name
(``partner_match``), among the contacts without a parent that belong to the company or to no company,
are linked to no other Metakocka partner, and belong to no user and no company (DESIGN principle 11).
Several equally good contacts fail the row: the pull never guesses.

A *first link* to an existing contact never rewrites it silently: when taking Metakocka's data would
change a value the contact has, the link is made *needs review*, with the differences as its error,
and nothing is written; **Take Metakocka's data** or **Send Odoo's data** on the contact settles it.
Filling an empty field, or adding addresses and contact persons, rewrites nothing and is done.

Later pulls are three-way (the link's two fingerprints): Metakocka's change is taken when Odoo did
not change since the last sync, left alone when only Odoo changed (the push sends it), and held for
review when both changed. What the pull writes queues no push back (``NO_PUSH``). One row that
cannot be read or written fails alone, logged with the partner's code and the field.
"""

import logging
from dataclasses import dataclass, field

from odoo import fields
from odoo.tools import SQL

from ..metakocka_api import PARTNER_PAGE_SIZE
from .connection import CompanyService
from .fingerprint import fingerprint
from .outcome import Outcome
from .partner_children import NO_PUSH, apply_remote
from .partner_mapper import OWN_FIELDS, PartnerRowProblem, differences, new_partner_values, odoo_state, read_partner
from .partner_mapper import remote_state, values_for
from .partner_match import find_candidates, odoo_people

__all__ = ["NO_PUSH", "PAGE_SIZE", "PartnerPuller"]

_logger = logging.getLogger(__name__)

#: Metakocka gives at most 1000 partners a page, and no total.
PAGE_SIZE = PARTNER_PAGE_SIZE
STATUSES = ("created", "linked", "updated", "unchanged", "review", "failed")


@dataclass
class PageResult:
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    errors: list = field(default_factory=list)
    full: bool = False  # a full page: the next one may hold more

    def summary(self):
        return ", ".join(f"{status} {self.counts[status]}" for status in STATUSES)


class PartnerPuller(CompanyService):
    """Pulls pages of a company's Metakocka partner register; never commits."""

    def pull_page(self, offset, limit=PAGE_SIZE):
        """Pull the partners of one page; a :class:`PageResult`, also logged in the sync log."""
        rows = self.client.partner_page(offset=offset, limit=limit)
        result = PageResult(full=len(rows) >= limit)
        links = self._links([row.get("mk_id") for row in rows if isinstance(row, dict)])
        for row in rows:
            result.counts[self._pull_row(row, links, result)] += 1
        self._log(None, "success" if not result.errors else "error", self.env._(
            "Partners %(first)s–%(last)s of the Metakocka register: %(summary)s.",
            first=offset + 1, last=offset + len(rows), summary=result.summary()))
        return result

    def pull_all(self, page_size=PAGE_SIZE):
        """Every page in turn (tools and tests; runs pull a page an item)."""
        total, offset = PageResult(), 0
        while True:
            page = self.pull_page(offset, page_size)
            for status, count in page.counts.items():
                total.counts[status] += count
            total.errors += page.errors
            offset += page_size
            if not page.full:
                return total

    def take_metakocka(self, link):
        """Metakocka's data into the linked contact, whatever Odoo holds ("Take Metakocka's data")."""
        row = next((row for row in self.client.find_partners(mk_id=link.mk_id) if row.get("mk_id") == link.mk_id), None)
        if row is None:
            return Outcome("failed", self.env._("Metakocka has no partner %(mk_id)s any more.", mk_id=link.mk_id),
                           link=link)
        try:
            with self.env.cr.savepoint():
                remote = read_partner(row)
                self._take(link, link.partner_id, remote, remote_state(self.env, remote))
        except PartnerRowProblem as exc:
            return Outcome("failed", str(exc), link=link)
        message = self.env._("Metakocka's data was taken into %(partner)s.", partner=link.partner_id.display_name)
        self._log(link.partner_id, "success", message, mk_id=link.mk_id)
        return Outcome("taken", message, link=link, record=link.partner_id)

    def _links(self, mk_ids):
        links = self.env["metakocka.partner.link"].sudo().search(
            [("company_id", "=", self.company.id), ("mk_id", "in", [str(mk_id) for mk_id in mk_ids if mk_id])])
        return {link.mk_id: link for link in links}

    def _pull_row(self, row, links, result):
        who = " ".join(filter(None, [str(row.get(key) or "") for key in ("count_code", "customer")])) \
            if isinstance(row, dict) else ""
        try:
            with self.env.cr.savepoint():
                remote = read_partner(row)
                return self._apply(remote, remote_state(self.env, remote), links)
        except Exception as exc:  # noqa: BLE001 - one bad partner must not stop the page
            message = str(exc) if isinstance(exc, PartnerRowProblem) else f"{who or '?'}: {exc}"
            if not isinstance(exc, PartnerRowProblem):
                _logger.warning("Pulling Metakocka partner %s failed", who, exc_info=True)
            result.errors.append(message)
            self._fail(row, links, message)
            return "failed"

    # -- deciding --------------------------------------------------------------------------------

    def _apply(self, remote, state, links):
        """Create, link or update the Odoo contact of ``remote``; its status."""
        link = links.get(remote.mk_id)
        if link:
            return self._update_linked(link, remote, state)
        partner = self._match(remote)
        created = not partner
        if created:
            owner = False if self.company.metakocka_share_records else self.company.id
            partner = self.env["res.partner"].sudo().with_context(**{NO_PUSH: True}).create(
                new_partner_values(state, owner))
        link = links[remote.mk_id] = self.env["metakocka.partner.link"].sudo().create({
            "company_id": self.company.id, "partner_id": partner.id, **self._ids(remote)})
        if created:
            self._take(link, partner, remote, state)
            return "created"
        return self._compare_first(link, partner, remote, state)

    def _update_linked(self, link, remote, state):
        partner = link.partner_id
        if odoo_people(self.env, partner.ids):
            raise PartnerRowProblem(remote.who, "partner", self.env._(
                "the linked contact %(partner)s belongs to a user or a company; Metakocka's data never rewrites it.",
                partner=partner.display_name))
        self._note_ids(link, remote)
        if not link.fingerprint:
            return self._compare_first(link, partner, remote, state)
        current = self._odoo_state(link, partner)
        if link.state == "needs_review":
            return self._compare_review(link, partner, remote, state, current)
        if fingerprint(state) == link.fingerprint:
            return "unchanged"  # Metakocka did not change; a change made in Odoo is for the push
        if fingerprint(current) != link.odoo_fingerprint and current != state:
            return self._review(link, partner, self.env._(
                "Changed in Odoo and in Metakocka since the last sync: %(differences)s. Use Take Metakocka's data "
                "or Send Odoo's data on the contact.", differences="; ".join(differences(self.env, current, state))))
        return "updated" if self._take(link, partner, remote, state) else "unchanged"

    def _compare_first(self, link, partner, remote, state):
        """A first comparison: taken when it rewrites nothing the contact has, else held for review."""
        current = self._odoo_state(link, partner)
        changes = differences(self.env, current, state, only_filled=True)
        if changes:
            return self._review(link, partner, self.env._(
                "Linked for review: taking Metakocka's data would change %(partner)s: %(differences)s. Use Take "
                "Metakocka's data or Send Odoo's data on the contact.",
                partner=partner.display_name, differences="; ".join(changes)))
        self._take(link, partner, remote, state)
        return "linked"

    def _compare_review(self, link, partner, remote, state, current):
        if current == state:  # a person made them equal
            self._take(link, partner, remote, state)
            return "updated"
        return "review"

    def _match(self, remote):
        """The one unlinked commercial contact of the company that ``remote`` is, or none; several fail the row."""
        linked = SQL("(SELECT partner_id FROM metakocka_partner_link WHERE company_id = %s)", self.company.id)
        email = remote.main_contact.email if remote.main_contact else ""
        criterion, found = find_candidates(self.env, self.company, vat=remote.vat, email=email, name=remote.name,
                                           domain=[("parent_id", "=", False), ("id", "not in", linked)])
        if len(found) > 1:
            raise PartnerRowProblem(remote.who, criterion, self.env._(
                "several Odoo contacts match (%(names)s); merge them, or make them differ, and pull again.",
                names=", ".join(found[:5].mapped("display_name"))))
        return found

    # -- writing ---------------------------------------------------------------------------------

    def _take(self, link, partner, remote, state):
        """Make ``partner`` and its children hold ``state``; the link synced. True when the contact was written."""
        excluded = self._excluded(partner)
        values = values_for(odoo_state(partner, link.child_ids, excluded), state, OWN_FIELDS)
        if values:
            partner.sudo().with_context(**{NO_PUSH: True}).write(values)
        written = apply_remote(self.env, link, partner, remote, state, excluded) or bool(values)
        self._save(link, {"fingerprint": fingerprint(state),
                          "odoo_fingerprint": fingerprint(odoo_state(partner, link.child_ids, excluded)),
                          "state": "synced", "last_error": False, **self._ids(remote)})
        return written

    def _review(self, link, partner, message):
        if (link.state, link.last_error) != ("needs_review", message):
            self._save(link, {"state": "needs_review", "last_error": message})
            self._log(partner, "warning", message, mk_id=link.mk_id)
        return "review"

    def _save(self, link, values):
        """Write what changed on the link (nothing, not even the sync time, when nothing did)."""
        changed = {key: value for key, value in values.items() if link[key] != value}
        if changed:
            link.write({**changed, "last_direction": "pull", "last_sync_at": fields.Datetime.now()})

    def _note_ids(self, link, remote):
        """Metakocka's code, billing address and main contact as they are now (written only when they changed)."""
        self._save(link, self._ids(remote))

    @staticmethod
    def _ids(remote):
        return {"mk_id": remote.mk_id, "count_code": remote.count_code or False,
                "mk_address_id": remote.billing.mk_id if remote.billing else False,
                "mk_contact_id": remote.main_contact.mk_id if remote.main_contact else False}

    def _odoo_state(self, link, partner):
        return odoo_state(partner, link.child_ids, self._excluded(partner))

    def _excluded(self, partner):
        return odoo_people(self.env, partner.with_context(active_test=False).child_ids.ids)

    def _fail(self, row, links, message):
        mk_id = str(row.get("mk_id") or "") if isinstance(row, dict) else ""
        link = links.get(mk_id)
        if link:
            link.write({"state": "error", "last_error": message})
        self._log(link.partner_id if link else None, "error", message, mk_id=mk_id or False)

    def _log(self, partner, status, message, mk_id=False):
        values = {"company_id": self.company.id, "direction": "pull", "operation": "pull", "status": status,
                  "message": message, "mk_id": mk_id}
        self.env["metakocka.sync.log"]._record(partner or None, **values)
