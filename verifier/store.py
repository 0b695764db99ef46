"""The result store: `--store PATH`, an SQLite file of finished activation results keyed by
what determines them (the canonical expression, the rule set, the options and the tool
version). A rerun reuses what is stored; each result is committed as soon as it exists, so an
interrupted run (Ctrl-C, kill -9) resumes without losing or duplicating one.

What it does not do: notice that the code of a property changed without a version bump.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from verifier.errors import InputError
from verifier.model import ActivationResult

_SCHEMA = """CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, canonical TEXT NOT NULL, result TEXT NOT NULL)"""


class ResultStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute(_SCHEMA)
            self._db.commit()
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: not a usable result store ({exc})") from None

    @staticmethod
    def key(identity: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{identity}\n{fingerprint}".encode()).hexdigest()

    def get(self, key: str) -> ActivationResult | None:
        row = self._db.execute("SELECT result FROM results WHERE key = ?", (key,)).fetchone()
        return None if row is None else ActivationResult.model_validate_json(row[0])

    def put(self, key: str, result: ActivationResult) -> None:
        self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                         (key, result.canonical or "", result.model_dump_json()))
        self._db.commit()   # one transaction per result: a kill loses at most the one running

    def stats(self) -> dict[str, int]:
        (count,) = self._db.execute("SELECT COUNT(*) FROM results").fetchone()
        (canonical,) = self._db.execute(
            "SELECT COUNT(DISTINCT canonical) FROM results").fetchone()
        return {"results": count, "distinct expressions": canonical}

    def close(self) -> None:
        self._db.close()
