"""What one push or import of one record came to."""

from dataclasses import dataclass


@dataclass
class Outcome:
    #: created, updated, unchanged, skipped, needs_review (done); failed, busy (not done)
    status: str
    message: str = ""
    link: object = None
    record: object = None

    @property
    def ok(self):
        return self.status not in ("failed", "busy")
