"""Which side's value each field takes, from the last agreed records and both sides' current ones.

For each field that differs between ERPNext (``remote``) and Odoo (``local``):

- changed only in ERPNext since the last sync: ERPNext's value is written in Odoo;
- changed only in Odoo: Odoo's value stays, to be sent (when syncing both ways);
- changed on both sides: a conflict, settled by the company's policy (newest change wins, ERPNext
  wins, Odoo wins) or held for a person to decide;
- changed on neither (a value Odoo could not take, e.g. an unknown country): left alone, unless
  the customer is read again on purpose (``force``).

The first time a customer and a contact are linked there is no last record: an empty value takes
the other side's, and two different non-empty values are a conflict.

Nothing here imports Odoo.
"""

from dataclasses import dataclass, field

from . import record as rec


@dataclass
class Plan:
    take_remote: set = field(default_factory=set)
    keep_local: set = field(default_factory=set)
    held: set = field(default_factory=set)
    #: {field: (Odoo value, ERPNext value, winner)} of the fields changed on both sides.
    conflicts: dict = field(default_factory=dict)


def plan(remote, local, remote_base, local_base, *, policy, remote_newer, pull_only, force=False, winner=None):
    """``remote_newer``: ERPNext's change is the more recent one (for ``newest``). ``winner``
    ("odoo"/"erpnext") overrides the policy, when a person settles a held conflict."""
    result = Plan()
    first = not remote_base or not local_base
    remote_changed = rec.changed_fields(remote, remote_base)
    local_changed = rec.changed_fields(local, local_base)
    for name in rec.FIELDS:
        theirs, ours = remote.get(name), local.get(name)
        if theirs == ours:
            continue
        if first:
            if _empty(ours):
                result.take_remote.add(name)
                continue
            if _empty(theirs):
                result.keep_local.add(name)
                continue
            both = True
        else:
            changed_there, changed_here = name in remote_changed, name in local_changed
            if changed_there and not changed_here:
                result.take_remote.add(name)
                continue
            if changed_here and not changed_there:
                result.keep_local.add(name)
                continue
            if not changed_there and not changed_here:
                if force:
                    result.take_remote.add(name)
                continue
            both = True
        if both:
            side = _settle(policy, remote_newer, pull_only, winner)
            result.conflicts[name] = (ours, theirs, side)
            if side == "erpnext":
                result.take_remote.add(name)
            elif side == "odoo":
                result.keep_local.add(name)
            else:
                result.held.add(name)
    if pull_only:
        result.keep_local.clear()  # Odoo's own changes stay in Odoo; nothing is sent
    return result


def _settle(policy, remote_newer, pull_only, winner):
    if winner:
        return winner
    if pull_only or policy == "erpnext":
        return "erpnext"
    if policy == "odoo":
        return "odoo"
    if policy == "newest":
        return "erpnext" if remote_newer else "odoo"
    return "held"


def _empty(value):
    return value in (None, "", False, 0, 0.0)
