"""The queue of run items: who may take which item, and when an item taken by a worker is free again.

A worker claims items with ``SKIP LOCKED`` and commits the claim (its attempt count, the time, and
its database connection's process id) before it works on them. An item is free again when

* its worker let it go (not reached within the batch's time budget: back to ``queued``);
* its worker's connection is gone (the worker was killed or crashed: PostgreSQL ends the backend of
  a dead connection, so the item is taken again at once, by any worker of any host);
* its claim is older than ``LEASE`` (a worker that hangs with its connection still open).

An item taken ``MAX_ATTEMPTS`` times without an outcome is failed with the reason, not tried forever.
"""

from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

#: A claim older than this is taken again even when its worker's connection is still open.
LEASE = timedelta(minutes=10)
#: How many times an item may be taken before it is failed (crashes, busy records, leases run out).
MAX_ATTEMPTS = 5
#: A record another transaction holds is tried again after this long.
BUSY_DELAY = timedelta(seconds=10)

_NOW = SQL("(now() AT TIME ZONE 'UTC')")

# Claimed, but its worker's database connection is gone or its lease ran out.
_ABANDONED = SQL(
    """(item.state = 'running'
        AND (item.claimed_at < %(now)s - make_interval(secs => %(lease)s)
             OR NOT EXISTS (SELECT 1 FROM pg_stat_activity activity
                             WHERE activity.pid = item.claimed_by
                               AND (activity.backend_start IS NULL
                                    OR activity.backend_start <= item.claimed_at AT TIME ZONE 'UTC'))))""",
    now=_NOW, lease=LEASE.total_seconds(),
)
_WAITING = SQL("(item.state = 'queued' AND (item.available_at IS NULL OR item.available_at <= %s))", _NOW)


def fail_exhausted(env):
    """Fail the takeable items that were taken MAX_ATTEMPTS times already, saying why."""
    # PostgreSQL keeps what pg_stat_activity showed until the end of the transaction: look afresh.
    env.cr.execute("SELECT pg_stat_clear_snapshot()")
    env.cr.execute(SQL(
        """UPDATE metakocka_sync_run_item item
              SET state = 'failed', claimed_at = NULL, claimed_by = NULL,
                  error = CASE WHEN item.state = 'running'
                               THEN %(crashed)s
                               ELSE %(tried)s || COALESCE(E'\\n' || item.error, '') END
            WHERE item.attempts >= %(max)s AND (%(waiting)s OR %(abandoned)s)
        RETURNING item.run_id""",
        crashed=env._("This item was taken %(count)s times without an outcome, the last time by a worker that "
                      "stopped while it had it (a crash or a restart); it was not tried again. Press Retry failed to "
                      "try once more.", count=MAX_ATTEMPTS),
        tried=env._("Tried %(count)s times without success.", count=MAX_ATTEMPTS),
        max=MAX_ATTEMPTS, waiting=_WAITING, abandoned=_ABANDONED,
    ))
    return {row[0] for row in env.cr.fetchall()}


def claim(env, size):
    """Take up to ``size`` free items for this worker; their ids in queue order."""
    env.cr.execute("SELECT pg_stat_clear_snapshot()")
    env.cr.execute(SQL(
        """UPDATE metakocka_sync_run_item
              SET state = 'running', attempts = COALESCE(attempts, 0) + 1, claimed_at = %(now)s, claimed_by = pg_backend_pid()
            WHERE id IN (SELECT item.id FROM metakocka_sync_run_item item
                          WHERE %(waiting)s OR %(abandoned)s
                       ORDER BY item.run_id, item.id
                          LIMIT %(size)s
                     FOR UPDATE SKIP LOCKED)
        RETURNING id""",
        now=_NOW, waiting=_WAITING, abandoned=_ABANDONED, size=size,
    ))
    return sorted(row[0] for row in env.cr.fetchall())


def release(env, item_ids):
    """Give back items this worker took but did not start (they keep no attempt)."""
    if item_ids:
        env.cr.execute(SQL(
            """UPDATE metakocka_sync_run_item
                  SET state = 'queued', attempts = GREATEST(attempts - 1, 0), claimed_at = NULL, claimed_by = NULL
                WHERE id IN %s AND state = 'running'""",
            tuple(item_ids),
        ))


def next_free_at(env):
    """When the first item that no worker may take now becomes free (a busy wait or a lease), or None."""
    env.cr.execute(SQL(
        """SELECT MIN(CASE WHEN item.state = 'queued' THEN item.available_at
                           ELSE item.claimed_at + make_interval(secs => %(lease)s) END)
             FROM metakocka_sync_run_item item
            WHERE item.state IN ('queued', 'running')""",
        lease=LEASE.total_seconds(),
    ))
    return env.cr.fetchone()[0]


def busy_until():
    return fields.Datetime.now() + BUSY_DELAY
