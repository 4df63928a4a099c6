"""Which side's value each field takes, from the last agreed records and both sides' current ones.

For each field that differs between ERPNext (``remote``) and Odoo (``local``):

- changed only in ERPNext since the last sync: ERPNext's value is written in Odoo;
- changed only in Odoo: Odoo's value stays, to be sent (when syncing both ways);
- changed on both sides: a conflict, settled by the company's policy (newest change wins, ERPNext
  wins, Odoo wins) or held for a person to decide;
- changed on neither (a value Odoo could not take, e.g. an unknown country): left alone, unless
  the customer is read again on purpose (``force``).

The first time a customer and a contact are linked there is no last record: an empty value takes
the other side's, and two different non-empty values are a conflict held for a person, whatever
the policy (a first link never overwrites what a contact already holds). A field held for a person
stays held until a person chooses a side (``winner``).

A partner that belongs to an Odoo user or company takes nothing from ERPNext
(:func:`refuse_remote`).

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
    #: Fields ERPNext would have changed on a partner that takes nothing from it.
    refused: set = field(default_factory=set)


def plan(remote, local, remote_base, local_base, *, policy, remote_newer, pull_only, force=False, winner=None,
         contested=()):
    """``remote_newer``: ERPNext's change is the more recent one (for ``newest``). ``winner``
    ("odoo"/"erpnext") overrides the policy, when a person settles a held conflict; ``contested``:
    the fields held for a person so far."""
    result = Plan()
    first = not remote_base or not local_base
    remote_changed = rec.changed_fields(remote, remote_base)
    local_changed = rec.changed_fields(local, local_base)
    for name in rec.FIELDS:
        theirs, ours = remote.get(name), local.get(name)
        if theirs == ours:
            continue
        if name in contested:
            _conflict(result, name, ours, theirs, winner or "held")
        elif first:
            if _empty(ours):
                result.take_remote.add(name)
            elif _empty(theirs):
                result.keep_local.add(name)
            else:  # a first link never overwrites what a contact already holds unasked
                _conflict(result, name, ours, theirs, winner or "held")
        else:
            changed_there, changed_here = name in remote_changed, name in local_changed
            if changed_there != changed_here:
                (result.take_remote if changed_there else result.keep_local).add(name)
            elif changed_there:
                _conflict(result, name, ours, theirs, _settle(policy, remote_newer, pull_only, winner))
            elif force:
                result.take_remote.add(name)
    if pull_only:
        result.keep_local.clear()  # Odoo's own changes stay in Odoo; nothing is sent
    return result


def refuse_remote(result):
    """The plan for a partner that belongs to an Odoo user or company: nothing ERPNext has is
    written (nor held for a person); Odoo's own changes are kept as planned."""
    result.refused = result.take_remote | result.held
    result.conflicts = {name: (ours, theirs, "odoo" if name in result.refused else side)
                        for name, (ours, theirs, side) in result.conflicts.items()}
    result.take_remote, result.held = set(), set()
    return result


def _conflict(result, name, ours, theirs, side):
    """Both sides have their own value: ``side`` ("erpnext", "odoo" or "held") keeps one."""
    result.conflicts[name] = (ours, theirs, side)
    {"erpnext": result.take_remote, "odoo": result.keep_local, "held": result.held}[side].add(name)


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
