"""Notes that a create was sent to Metakocka, kept outside the sync's transaction.

Metakocka's ``put_document`` is not idempotent. Right before a create is sent, a note is committed
on a cursor of its own, so that it survives whatever becomes of the sync's transaction (a crash, a
lost connection to PostgreSQL, a rollback). While the note is there, the outcome of that create is
not known for sure: the next push looks the document up by its ``buyer_order`` before it would
create another.

The sync's own transaction never reads or writes the notes. Odoo runs REPEATABLE READ: a snapshot
taken before the note was committed does not see it, and a DELETE there would conflict with the
cursor that wrote it ("could not serialize access due to concurrent update"). So each note is read,
written and removed on a cursor of its own:

* removed at once when Metakocka refused the create: nothing was created, whatever happens next;
* removed once the link that holds the document's Metakocka id is committed (after the commit, and
  only if that link is really there): if the sync's transaction is lost, the note stays.

A note that could not be removed costs one look-up later, never a second document, so a failure to
remove it is logged and never replaces the outcome of the push.
"""

import logging

from odoo.tools import SQL

from .locks import committed_row_exists

_logger = logging.getLogger(__name__)


def note_create_attempt(env, company, doc_type, buyer_order):
    """Commit a note that the create of ``buyer_order`` is about to be sent."""
    with env.registry.cursor() as cr:
        cr.execute(SQL(
            """INSERT INTO metakocka_create_attempt (company_id, doc_type, buyer_order, attempted_at)
               VALUES (%s, %s, %s, now() AT TIME ZONE 'UTC')
               ON CONFLICT (company_id, doc_type, buyer_order) DO UPDATE SET attempted_at = EXCLUDED.attempted_at""",
            company.id, doc_type, buyer_order,
        ))


def create_was_attempted(env, company, doc_type, buyer_order):
    """Whether a create of ``buyer_order`` was sent without its link being stored (as committed now)."""
    return committed_row_exists(env, SQL(
        "SELECT 1 FROM metakocka_create_attempt WHERE company_id = %s AND doc_type = %s AND buyer_order = %s",
        company.id, doc_type, buyer_order,
    ))


def forget_refused_create(env, company, doc_type, buyer_order):
    """Metakocka refused the create: nothing was created, the note can go now."""
    forget_create(env, company, doc_type, buyer_order)


def forget_create(env, company, doc_type, buyer_order):
    """Remove the note now: nothing was created, or what was created is seen in Metakocka."""
    _remove_note(env.registry, SQL(
        "DELETE FROM metakocka_create_attempt WHERE company_id = %s AND doc_type = %s AND buyer_order = %s",
        company.id, doc_type, buyer_order,
    ))


def forget_create_once_linked(env, company, doc_type, buyer_order):
    """Remove the note after the sync's transaction commits, if the link with the id is there then."""
    query = SQL(
        """DELETE FROM metakocka_create_attempt note
            WHERE note.company_id = %(company)s AND note.doc_type = %(doc_type)s AND note.buyer_order = %(key)s
              AND EXISTS (SELECT 1 FROM metakocka_document_link link
                           WHERE link.company_id = note.company_id AND link.doc_type = note.doc_type
                             AND link.buyer_order = note.buyer_order AND link.mk_id IS NOT NULL)""",
        company=company.id, doc_type=doc_type, key=buyer_order,
    )
    _remove_after_commit(env, query)


def forget_packing_list_once_stored(env, company, buyer_order):
    """As :func:`forget_create_once_linked`, for a delivery's packing list (kept on its fulfilment)."""
    _remove_after_commit(env, SQL(
        """DELETE FROM metakocka_create_attempt note
            WHERE note.company_id = %(company)s AND note.doc_type = 'warehouse_packing_list'
              AND note.buyer_order = %(key)s
              AND EXISTS (SELECT 1 FROM metakocka_fulfilment fulfilment
                           WHERE fulfilment.company_id = note.company_id AND fulfilment.buyer_order = note.buyer_order
                             AND fulfilment.mk_id IS NOT NULL)""",
        company=company.id, key=buyer_order,
    ))


def forget_transaction_once_sent(env, company, reference):
    """As :func:`forget_create_once_linked`, for a payment sent with put_transaction (its reference is kept on
    its ``metakocka.payment.transaction``, done)."""
    _remove_after_commit(env, SQL(
        """DELETE FROM metakocka_create_attempt note
            WHERE note.company_id = %(company)s AND note.doc_type = 'put_transaction' AND note.buyer_order = %(key)s
              AND EXISTS (SELECT 1 FROM metakocka_payment_transaction row
                           WHERE row.company_id = note.company_id AND row.reference = note.buyer_order
                             AND row.state = 'done')""",
        company=company.id, key=reference,
    ))


def _remove_after_commit(env, query):
    registry = env.registry
    env.cr.postcommit.add(lambda: _remove_note(registry, query))


def _remove_note(registry, query):
    try:
        with registry.cursor() as cr:
            cr.execute(query)
    except Exception:  # noqa: BLE001 - a note left behind costs a look-up; the push's outcome stands
        _logger.warning("A Metakocka create note could not be removed; the next push will look the document "
                        "up first.", exc_info=True)
