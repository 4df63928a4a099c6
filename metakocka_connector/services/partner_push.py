"""Odoo customers to Metakocka: a linked contact's changes with update_partner, a new one found or added.

* A contact is sent as its commercial entity (a child contact's change sends its parent). The contacts
  of users and of companies are never sent, nor contacts of another company.
* A linked contact whose shared state is the one of the last sync costs no call. A changed one is read
  first (get_partner by its id): to see whether Metakocka changed it too (then it waits for review,
  three-way with the link's two fingerprints), and to pair Odoo children Metakocka does not know yet
  with entries of the same content. Then one update_partner sends the partner's fields and every
  address and contact person, those Metakocka knows *with* their ``mk_id``. Entries without an id are
  added by Metakocka, so a push repeated after a lost reply finds what the first one added (by
  content) and adds nothing twice. The ids of added entries are learnt from the answer the same way.
* Metakocka cannot clear a field through update_partner (an empty value is left out): a value cleared in
  Odoo stays in Metakocka, and that is no change (the link keeps what each side holds).
* A new contact: looked up first (VAT number, email, exact name: the catalogue's search), since
  add_partner has no duplicate detection; linked when found, and then sent only when that rewrites
  nothing Metakocka has (else it waits for review); added with add_partner when not found. A lost
  reply to add_partner is found by the same lookup on the next try.
* A push writes only links (never the contact), so it queues nothing back.
"""

import time

from odoo import fields

from ..metakocka_api import MetakockaError, NotFoundError
from ..metakocka_api.values import as_list
from .connection import CompanyService
from .fingerprint import fingerprint
from .outcome import Outcome
from .partner_children import link_by_content
from .partner_mapper import PartnerRowProblem, add_payload, child_kind, differences, odoo_state, read_partner
from .partner_mapper import remote_state, shared_children, update_payload
from .partner_match import odoo_people


class PartnerPusher(CompanyService):
    """Sends customers of one company to Metakocka and records the outcome; never commits."""

    def push(self, partner, force=False):
        """The :class:`~.outcome.Outcome` of sending ``partner`` (its commercial entity); ``force`` sends
        Odoo's data even over changes made in Metakocka ("Send Odoo's data")."""
        started = time.monotonic()
        partner = partner.commercial_partner_id
        refusal = self._refusal(partner)
        if refusal:
            return Outcome("skipped", refusal, record=partner)
        link = self.env["metakocka.partner.link"].sudo().search(
            [("company_id", "=", self.company.id), ("partner_id", "=", partner.id)], limit=1)
        try:
            if not link.mk_id:
                return self._add(partner, link, started)
            if link.state == "needs_review" and not force:
                return Outcome("skipped", self.env._("%(partner)s waits for review: %(error)s",
                                                     partner=partner.display_name, error=link.last_error), link=link)
            return self._update(link, partner, started, force)
        except (MetakockaError, PartnerRowProblem) as exc:
            link = link or link.search([("company_id", "=", self.company.id), ("partner_id", "=", partner.id)])
            if link:
                link.write({"state": "error", "last_error": str(exc)})
            self._log(partner, link, "update" if link.mk_id else "create", "error", started, str(exc))
            return Outcome("failed", self.env._("%(partner)s: %(error)s", partner=partner.display_name, error=exc),
                           link=link, record=partner)

    def _refusal(self, partner):
        if odoo_people(self.env, partner.ids):
            return self.env._("%(partner)s belongs to a user or a company: it is never sent to Metakocka.",
                              partner=partner.display_name)
        if partner.company_id and partner.company_id != self.company:
            return self.env._("%(partner)s belongs to %(company)s.", partner=partner.display_name,
                              company=partner.company_id.name)
        return None

    # -- a contact Metakocka does not know yet ------------------------------------------------------

    def _add(self, partner, link, started):
        row = self.catalog.find_partner_row(partner)
        if row:
            return self._link_found(partner, link, row, started)
        answer = self.client.add_partner(add_payload(partner, self.company))
        addresses = as_list(answer.get("mk_address_id_list"))
        link = self._linked(partner, link, {"mk_id": answer.get("mk_id"), "mk_contact_id": answer.get("mk_contact_id"),
                                            "mk_address_id": addresses[0].get("mk_id") if addresses else False})
        self._log(partner, link, "create", "success", started)
        outcome = self._update(link, partner, started, force=True)  # its code, and the children add_partner cannot take
        outcome.status = "created" if outcome.ok else outcome.status
        return outcome

    def _link_found(self, partner, link, row, started):
        other = self.env["metakocka.partner.link"].sudo().search(
            [("company_id", "=", self.company.id), ("mk_id", "=", row["mk_id"])], limit=1)
        if other:
            return Outcome("failed", self.env._(
                "%(partner)s is Metakocka partner %(code)s, which is linked to %(other)s already: merge the two "
                "contacts in Odoo.", partner=partner.display_name, code=row.get("count_code") or row["mk_id"],
                other=other.partner_id.display_name), record=partner)
        link = self._linked(partner, link, {"mk_id": row["mk_id"]})
        remote = read_partner(row)
        current, remote_now = self._pair(link, partner, remote)
        changes = differences(self.env, remote_now, current, only_filled=True, clears=False)
        if changes:
            message = self.env._(
                "Linked for review: %(partner)s was found in Metakocka (%(code)s), and sending it would change "
                "there: %(differences)s. Use Take Metakocka's data or Send Odoo's data on the contact.",
                partner=partner.display_name, code=remote.who, differences="; ".join(changes))
            link.write({"state": "needs_review", "last_error": message, **self._ids(remote)})
            self._log(partner, link, "update", "warning", started, message)
            return Outcome("needs_review", message, link=link, record=partner)
        return self._send(link, partner, remote, started)

    def _linked(self, partner, link, values):
        values = {**values, "state": "pending", "last_direction": "push"}
        if link:
            link.write(values)
            return link
        return link.create({"company_id": self.company.id, "partner_id": partner.id, **values})

    # -- a linked contact ---------------------------------------------------------------------------

    def _update(self, link, partner, started, force):
        current = odoo_state(partner, link.child_ids, self._excluded(partner))
        if not force and link.state == "synced" and link.odoo_fingerprint == fingerprint(current):
            return Outcome("unchanged", link=link, record=partner)
        remote = self._read(link)
        remote_now = remote_state(self.env, remote)
        if not force and link.fingerprint and fingerprint(remote_now) != link.fingerprint and remote_now != current:
            message = self.env._(
                "Changed in Odoo and in Metakocka since the last sync: %(differences)s. Use Take Metakocka's data "
                "or Send Odoo's data on the contact.",
                differences="; ".join(differences(self.env, remote_now, current)))
            link.write({"state": "needs_review", "last_error": message})
            self._log(partner, link, "update", "warning", started, message)
            return Outcome("needs_review", message, link=link, record=partner)
        return self._send(link, partner, remote, started)

    def _read(self, link):
        rows = [row for row in self.client.find_partners(mk_id=link.mk_id) if row.get("mk_id") == link.mk_id]
        if not rows:
            raise NotFoundError(self.env._("Metakocka has no partner %(mk_id)s any more.", mk_id=link.mk_id),
                                op="get_partner")
        return read_partner(rows[0])

    def _pair(self, link, partner, remote):
        """Pair children and entries of the same content; ``(Odoo's state, Metakocka's state)`` after it."""
        excluded = self._excluded(partner)
        remote_now = remote_state(self.env, remote)
        link_by_content(self.env, link, partner, remote, remote_now, excluded)
        return odoo_state(partner, link.child_ids, excluded), remote_now

    def _send(self, link, partner, remote, started):
        current, remote_now = self._pair(link, partner, remote)
        if current == remote_now:
            self._synced(link, remote, remote_now, current)
            return Outcome("unchanged", link=link, record=partner)
        addresses, contacts = self._entries(link, partner, remote)
        main = remote.main_contact.mk_id if remote.main_contact else None
        payload = update_payload(partner, self.company, link, remote, addresses, contacts, main)
        answer = self.client.update_partner(payload)
        rows = [row for row in as_list(answer.get("partner_list")) if row.get("mk_id") == link.mk_id]
        remote = read_partner(rows[0]) if rows else self._read(link)
        current, remote_now = self._pair(link, partner, remote)  # the ids of the entries Metakocka added
        self._synced(link, remote, remote_now, current)
        self._log(partner, link, "update", "success", started)
        return Outcome("updated", link=link, record=partner)

    def _entries(self, link, partner, remote):
        """``(mk_id or None, child)`` pairs of the addresses and of the contact persons to send; an entry
        Metakocka no longer has is left out (the pull archives its child)."""
        known = {entry.mk_id for entry in (*remote.addresses, *remote.contacts)}
        by_child = {entry.partner_id.id: entry for entry in link.child_ids}
        pairs = {"address": [], "contact": []}
        for child in shared_children(partner, by_child, self._excluded(partner)):
            entry = by_child.get(child.id)
            if entry and entry.mk_id not in known:
                continue
            pairs[entry.kind if entry else child_kind(child)].append((entry.mk_id if entry else None, child))
        return pairs["address"], pairs["contact"]

    def _synced(self, link, remote, remote_now, current):
        link.write({"fingerprint": fingerprint(remote_now), "odoo_fingerprint": fingerprint(current),
                    "state": "synced", "last_error": False, "last_direction": "push",
                    "last_sync_at": fields.Datetime.now(), **self._ids(remote)})

    @staticmethod
    def _ids(remote):
        return {"count_code": remote.count_code or False,
                "mk_address_id": remote.billing.mk_id if remote.billing else False,
                "mk_contact_id": remote.main_contact.mk_id if remote.main_contact else False}

    def _excluded(self, partner):
        return odoo_people(self.env, partner.with_context(active_test=False).child_ids.ids)

    def _log(self, partner, link, operation, status, started, message=""):
        self.env["metakocka.sync.log"]._record(
            partner, company_id=self.company.id, direction="push", mk_id=link.mk_id if link else False,
            operation=operation, status=status, duration_ms=int((time.monotonic() - started) * 1000),
            message=message or False,
        )
