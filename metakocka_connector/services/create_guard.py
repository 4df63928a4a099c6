"""Notes that a create was sent, kept outside the sync's transaction so that they survive its loss.

Metakocka's ``put_document`` is not idempotent. A note is committed right before a create is sent
and removed in the sync's own transaction once the document is linked, or once Metakocka refused
it. A note that is still there means the outcome of a create is unknown: the document is looked up
by its ``buyer_order`` first.
"""

import threading

from odoo.tools import SQL


def note_create_attempt(env, company, doc_type, buyer_order):
    query = SQL(
        """INSERT INTO metakocka_create_attempt (company_id, doc_type, buyer_order, attempted_at)
           VALUES (%s, %s, %s, now() AT TIME ZONE 'UTC')
           ON CONFLICT (company_id, doc_type, buyer_order) DO UPDATE SET attempted_at = EXCLUDED.attempted_at""",
        company.id, doc_type, buyer_order,
    )
    if getattr(threading.current_thread(), "testing", False):
        # Tests run in one transaction that is rolled back; a separate commit would outlive them.
        env.cr.execute(query)
        return
    with env.registry.cursor() as cr:
        cr.execute(query)


def create_was_attempted(env, company, doc_type, buyer_order):
    env.cr.execute(SQL(
        "SELECT 1 FROM metakocka_create_attempt WHERE company_id = %s AND doc_type = %s AND buyer_order = %s",
        company.id, doc_type, buyer_order,
    ))
    return bool(env.cr.rowcount)


def forget_create_attempt(env, company, doc_type, buyer_order):
    env.cr.execute(SQL(
        "DELETE FROM metakocka_create_attempt WHERE company_id = %s AND doc_type = %s AND buyer_order = %s",
        company.id, doc_type, buyer_order,
    ))
