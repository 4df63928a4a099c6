"""The simulated company's data: one JSON-ready dict behind one lock.

Layout of the dict (built by :mod:`.seed`)::

    next_id         the mk_id counter (numeric ids, increasing, shared by every kind of record)
    sequences       counters for count_codes ({"sales_order": 3, "partner": 1002, ...})
    users           e-mails of the company's users (``api_user_email`` must be one of them)
    taxes           tax code -> rate ("EX4": "0.22"), in register order
    statuses        status register per document family: [[Vrednost, Opis], ...]
    payment_types   [{"value": "PayPal", "fiscal": false}, ...]
    profit_centers  [{"code": ..., "desc": ...}], the first is the default
    warehouses      [{"mk_id", "mark", "name", "main_warehouse", ...}]
    partners        mk_id -> partner           (see :mod:`.partners`)
    products        mk_id -> product           (see :mod:`.products`)
    stock           product mk_id -> {warehouse mk_id: amount}
    documents       mk_id -> document          (see :mod:`.documents`)

Handlers change the data inside :meth:`Store.write` and must validate before they change
anything: an error raised half-way is not rolled back.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Callable, Iterator

from ..core.persistence import StateFile
from .values import LJUBLJANA, timestamp

Data = dict[str, Any]


class Store:
    def __init__(self, initial_data: Callable[[], Data], state_file: StateFile | None = None) -> None:
        self._initial_data = initial_data
        self._state_file = state_file
        self._lock = threading.RLock()
        self._now: datetime | None = None
        #: Metakocka runs one search at a time per company; searches queue on this lock.
        self.search_lock = threading.Lock()
        #: Extra seconds each search takes, to make the queueing observable.
        self.search_delay = 0.0
        #: A search page of one record gives it as a bare object instead of a list of one.
        self.single_result_as_object = False
        loaded = state_file.load() if state_file else None
        self._data = loaded if loaded is not None else self._fresh()

    @contextmanager
    def read(self) -> Iterator[Data]:
        with self._lock:
            yield self._data

    @contextmanager
    def write(self) -> Iterator[Data]:
        """Change the data; it is saved to the state file when the block ends without error."""
        with self._lock:
            yield self._data
            if self._state_file:
                self._state_file.save(self._data)

    def reset(self) -> None:
        with self._lock:
            self._data = self._fresh()

    def _fresh(self) -> Data:
        data = self._initial_data()
        if self._state_file:
            self._state_file.save(data)
        return data

    # --- helpers used inside read()/write() ---------------------------------------------

    def new_id(self) -> str:
        """A new mk_id: a numeric string, larger than every id before it."""
        with self._lock:
            self._data["next_id"] += 1
            return str(self._data["next_id"])

    def next_in_sequence(self, name: str, start: int = 1) -> int:
        with self._lock:
            sequences = self._data["sequences"]
            sequences[name] = sequences.get(name, start - 1) + 1
            return sequences[name]

    def now(self) -> datetime:
        return self._now or datetime.now(LJUBLJANA)

    def timestamp(self) -> str:
        """Now, as Metakocka writes timestamps: ``2026-05-08T12:13:15+02:00``."""
        return timestamp(self.now())

    def set_now(self, moment: datetime | None) -> None:
        """Freeze the clock (``None`` = the real clock again)."""
        if moment is not None and moment.tzinfo is None:
            raise ValueError("set_now needs an aware datetime")
        self._now = moment
