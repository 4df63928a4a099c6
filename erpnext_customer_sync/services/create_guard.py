"""Notes that a Customer create was sent to ERPNext, kept outside the sync's transaction.

ERPNext's ``insert`` is not idempotent: sending a customer's name again makes "Name - 1". Right
before a create is sent, a note is committed on a cursor of its own, so that it survives whatever
becomes of the sync's transaction (a crash, a failure after the create, a rollback). While the
note is there, the next push of that contact first looks for a customer of its name created by the
sync's API user since then, and links it instead of creating another.

The sync's own transaction never reads or writes the notes. Odoo runs REPEATABLE READ: a snapshot
taken before the note was committed does not see it, and a DELETE there would conflict with the
cursor that wrote it. So each note is read, written and removed on a cursor of its own:

* removed at once when ERPNext refused the create: nothing was created, whatever happens next;
* removed once the link that holds the customer's ERPNext ID is committed (after the commit, and
  only if that link is really there): if the sync's transaction is lost, the note stays.

A note that could not be removed costs one look-up later, never a second customer, so a failure to
remove it is logged and never replaces the outcome of the push.
"""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def note_create_attempt(env, company, partner):
    """Commit a note that the create of ``partner``'s customer is about to be sent."""
    with env.registry.cursor() as cr:
        cr.execute(SQL(
            """INSERT INTO erpnext_create_attempt (company_id, partner_id, attempted_at)
               VALUES (%s, %s, now() AT TIME ZONE 'UTC')
               ON CONFLICT (company_id, partner_id) DO UPDATE SET attempted_at = EXCLUDED.attempted_at""",
            company.id, partner.id,
        ))


def create_attempted_at(env, company, partner):
    """When a create of ``partner``'s customer was sent without its link being stored (as committed
    now), or None."""
    with env.registry.cursor() as cr:
        cr.execute(SQL(
            "SELECT attempted_at FROM erpnext_create_attempt WHERE company_id = %s AND partner_id = %s",
            company.id, partner.id,
        ))
        row = cr.fetchone()
        return row[0] if row else None


def forget_refused_create(env, company, partner):
    """ERPNext refused the create: nothing was created, the note can go now."""
    _remove_note(env.registry, SQL(
        "DELETE FROM erpnext_create_attempt WHERE company_id = %s AND partner_id = %s", company.id, partner.id,
    ))


def forget_create_once_linked(env, company, partner):
    """Remove the note after the sync's transaction commits, if the link with the ID is there then."""
    query = SQL(
        """DELETE FROM erpnext_create_attempt note
            WHERE note.company_id = %(company)s AND note.partner_id = %(partner)s
              AND EXISTS (SELECT 1 FROM erpnext_customer_link link
                           WHERE link.company_id = note.company_id AND link.partner_id = note.partner_id
                             AND link.erpnext_id IS NOT NULL)""",
        company=company.id, partner=partner.id,
    )
    registry = env.registry
    env.cr.postcommit.add(lambda: _remove_note(registry, query))


def _remove_note(registry, query):
    try:
        with registry.cursor() as cr:
            cr.execute(query)
    except Exception:  # noqa: BLE001 - a note left behind costs a look-up; the push's outcome stands
        _logger.warning("An ERPNext create note could not be removed; the next push will look the customer "
                        "up first.", exc_info=True)
