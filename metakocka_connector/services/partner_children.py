"""The children of a linked contact and Metakocka's addresses and contact persons of its partner.

Each Odoo child that stands for a Metakocka address or contact person keeps its Metakocka id in a
``metakocka.partner.child`` row, so that a pull updates it in place and a push sends the entry with its
``mk_id``. A child and an entry that know nothing of each other yet are paired *by content* (an
address by street, postcode, city and country; a person by name and email) before anything is added
on either side: Metakocka adds every entry sent without an id, so a push repeated after a lost reply
must find what the first one added instead of adding it again.

Users' and companies' contacts are never paired, written or archived (``excluded_ids``).
"""

from .partner_mapper import address_key, child_state, contact_key, new_child_values, shared_children, values_for
from .partner_mapper import ADDRESS_FIELDS, CONTACT_FIELDS

#: Context key of the writes the connector makes itself: they are not sent back to Metakocka.
NO_PUSH = "metakocka_no_partner_push"

_KINDS = (("address", "addresses"), ("contact", "contacts"))


def link_by_content(env, link, partner, remote, state, excluded_ids=()):
    """Pair the children of ``partner`` without a Metakocka id with the entries of ``state`` (Metakocka's)
    that have no Odoo child, when their content is the same; the number of pairs made."""
    linked_ids = set(link.child_ids.mapped("mk_id"))
    by_child = {entry.partner_id.id: entry for entry in link.child_ids}
    free = shared_children(partner, by_child, excluded_ids).filtered(lambda child: child.id not in by_child)
    paired = 0
    for kind, key in _KINDS:
        for mk_id, target in state[key].items():
            child = mk_id not in linked_ids and _same(free, kind, target)
            if child:
                _link_child(env, link, child, kind, mk_id, remote)
                free -= child
                paired += 1
    return paired


def apply_remote(env, link, partner, remote, state, excluded_ids=()):
    """Make the children of ``partner`` hold Metakocka's entries: linked ones updated in place, unlinked
    ones with the same content linked, the others created; a child whose entry Metakocka no longer has
    is archived (Odoo keeps it, Metakocka's API cannot delete). True when anything was written."""
    written = bool(link_by_content(env, link, partner, remote, state, excluded_ids))
    entries = {entry.mk_id: entry for entry in link.child_ids}
    for kind, key in _KINDS:
        for mk_id, target in state[key].items():
            entry = entries.pop(mk_id, None)
            if entry:
                written |= _update_child(entry.partner_id, kind, target)
                written |= _update_entry(entry, mk_id, remote)
            else:
                child = env["res.partner"].sudo().with_context(**{NO_PUSH: True}).create(
                    new_child_values(partner, kind, target))
                _link_child(env, link, child, kind, mk_id, remote)
                written = True
    for entry in entries.values():  # gone from Metakocka
        if entry.partner_id.id not in excluded_ids:
            entry.partner_id.with_context(**{NO_PUSH: True}).sudo().write({"active": False})
        entry.unlink()
        written = True
    return written


def _same(children, kind, target):
    key = address_key if kind == "address" else contact_key
    wanted = _child_kind_filter(children, kind)
    return next((child for child in wanted if key(child_state(child, kind)) == key(target)), None)


def _child_kind_filter(children, kind):
    return children.filtered(lambda child: (child.type == "contact") == (kind == "contact"))


def _update_child(child, kind, target):
    keys = ("type", *ADDRESS_FIELDS) if kind == "address" else CONTACT_FIELDS
    values = values_for(child_state(child, kind), target, keys)
    if values:
        child.sudo().with_context(**{NO_PUSH: True}).write(values)
    return bool(values)


def _entry_values(mk_id, remote):
    address = next((address for address in remote.addresses if address.mk_id == mk_id), None)
    if address:
        return {"address_type": address.address_type or False}
    contact = next((contact for contact in remote.contacts if contact.mk_id == mk_id), None)
    return {"mk_address_id": contact.mk_address_id or False} if contact else {}


def _update_entry(entry, mk_id, remote):
    values = {key: value for key, value in _entry_values(mk_id, remote).items() if entry[key] != value}
    if values:
        entry.write(values)
    return bool(values)


def _link_child(env, link, child, kind, mk_id, remote):
    env["metakocka.partner.child"].sudo().create({
        "link_id": link.id, "partner_id": child.id, "kind": kind, "mk_id": mk_id, **_entry_values(mk_id, remote)})
    link.invalidate_recordset(["child_ids"])
    child.parent_id.invalidate_recordset(["child_ids"])
