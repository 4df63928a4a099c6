"""The site's clock: naive timestamps in the site's system time zone, as Frappe stores them.

Frappe sets ``modified`` to ``now()`` in the site's time zone without tzinfo and serialises it
with ``str(datetime)``, which leaves out ``.ffffff`` when the microseconds are 0 (reference §4.1,
§2.1). The default zone is ``Asia/Kolkata`` (UTC+05:30), Frappe's own fallback, which exposes
clients that take the values for UTC.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

DEFAULT_TIME_ZONE = "Asia/Kolkata"
_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


class SiteClock:
    def __init__(self, time_zone: str = DEFAULT_TIME_ZONE) -> None:
        self.zone = ZoneInfo(time_zone)
        self.time_zone = time_zone
        self._frozen: datetime | None = None
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """Now in the site's zone, naive, with microseconds."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(self.zone).replace(tzinfo=None) + self._offset

    def now_str(self) -> str:
        return format_timestamp(self.now())

    def freeze(self, moment: datetime | None) -> None:
        """Stop the clock at ``moment`` (naive: site time; aware: converted), ``None`` = run again."""
        with self._lock:
            self._frozen = self.to_site(moment) if moment is not None else None

    def advance(self, seconds: float) -> None:
        """Move the clock on (a frozen clock stays frozen at the new time)."""
        with self._lock:
            if self._frozen is not None:
                self._frozen += timedelta(seconds=seconds)
            else:
                self._offset += timedelta(seconds=seconds)

    def to_site(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            return moment
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def to_utc(self, site_time: datetime) -> datetime:
        return site_time.replace(tzinfo=self.zone).astimezone(timezone.utc)


def format_timestamp(moment: datetime) -> str:
    """``str(datetime)``: ``2025-01-31 10:00:00.123456``, or without ``.ffffff`` at 0 µs."""
    return str(moment.replace(tzinfo=None))


def parse_timestamp(value: object) -> datetime | None:
    """A Frappe date or datetime string (or a datetime) as a naive datetime; ``None`` if it is none."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    text = str(value).strip()
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date or timestamp")
