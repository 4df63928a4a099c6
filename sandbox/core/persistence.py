"""Keeps a simulator's data in a SQLite file so that a demo survives a restart.

The whole state is one JSON document in one row: simple, and fast enough for a sandbox.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

_SCHEMA = "CREATE TABLE IF NOT EXISTS state (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)"


class StateFile:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def load(self) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT data FROM state WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else None

    def save(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, ensure_ascii=False)
        with closing(self._connect()) as connection, connection:
            connection.execute("INSERT OR REPLACE INTO state (id, data) VALUES (1, ?)", (text,))

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path)
        connection.execute(_SCHEMA)
        return connection
