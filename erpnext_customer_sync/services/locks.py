"""Locks that keep two transactions from syncing one company (or one record) at once, across
workers and hosts.

Both kinds are transaction-scoped: they end with the transaction (a commit, a rollback, or the
death of the worker's connection), so that none can be left behind on a pooled connection, even
when the transaction was aborted.
"""

import hashlib
import struct

from psycopg2 import errors

from odoo.tools import SQL


def lock_key(*key_parts):
    """The 64-bit advisory lock key of a name made of ``key_parts``."""
    name = ":".join(str(part) for part in ("erpnext_customer_sync", *key_parts))
    (key,) = struct.unpack("q", hashlib.sha1(name.encode()).digest()[:8])
    return key


def try_lock(env, *key_parts):
    """Take the lock named by ``key_parts`` until the transaction ends; False when someone holds it."""
    env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(*key_parts)])
    return env.cr.fetchone()[0]


def try_lock_latest_row(env, table, row_id):
    """Lock a row this transaction is about to change, if what it sees of the row is its latest version.

    Odoo runs REPEATABLE READ: a row that another transaction changed after this one's snapshot cannot
    be locked (PostgreSQL refuses instead of waiting), and NOWAIT refuses a row another transaction
    holds. Either way the row is not ours to change now: False.
    """
    try:
        with env.cr.savepoint(flush=False):
            env.cr.execute(SQL("SELECT 1 FROM %s WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                               SQL.identifier(table), row_id), log_exceptions=False)
    except (errors.SerializationFailure, errors.LockNotAvailable):
        return False
    return True
