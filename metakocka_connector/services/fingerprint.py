"""A short, stable hash of a payload: equal payloads, equal fingerprints, whatever the key order."""

import hashlib
import json


def fingerprint(payload):
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]
