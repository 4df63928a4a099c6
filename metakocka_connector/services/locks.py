"""Transaction-scoped PostgreSQL advisory locks, so that two workers never sync one record at once."""

import hashlib
import struct


def lock_key(*key_parts):
    """The 64-bit advisory lock key of a name made of ``key_parts``."""
    name = ":".join(str(part) for part in ("metakocka", *key_parts))
    (key,) = struct.unpack("q", hashlib.sha1(name.encode()).digest()[:8])
    return key


def try_lock(env, *key_parts):
    """Take the lock named by ``key_parts`` until the transaction ends; False when someone holds it."""
    env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(*key_parts)])
    return env.cr.fetchone()[0]
