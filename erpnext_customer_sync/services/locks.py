"""PostgreSQL advisory locks: one sync per company at a time, across workers and hosts.

Session-level locks survive the commits a long run makes between its steps, and are released when
the worker lets go (or its connection dies).
"""

import hashlib
import struct


def lock_key(*key_parts):
    name = ":".join(str(part) for part in ("erpnext_customer_sync", *key_parts))
    (key,) = struct.unpack("q", hashlib.sha1(name.encode()).digest()[:8])
    return key


def try_session_lock(env, *key_parts):
    env.cr.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(*key_parts)])
    return env.cr.fetchone()[0]


def unlock_session_lock(env, *key_parts):
    env.cr.execute("SELECT pg_advisory_unlock(%s)", [lock_key(*key_parts)])
