"""The result store: `--store PATH`, an SQLite file of finished activation results keyed by
what determines them (the canonical expression, the rule set, the options and the tool
version). A rerun reuses what is stored; each result is committed as soon as it exists, so an
interrupted run (Ctrl-C, kill -9) resumes without losing or duplicating one.

A store that cannot be used is never fatal to the analysis: a file that is no store (another
schema, not SQLite) or cannot be written is refused when opened (InputError); a failure later
(a corrupted page or row, a full disk) is remembered in `failure`, the store is used no more,
and the run goes on and writes its reports; the CLI then says so and exits 2.

What it does not do: notice that the code of a property changed without a version bump.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from pydantic import ValidationError

from verifier.errors import InputError
from verifier.model import ActivationResult

_SCHEMA = """CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY, canonical TEXT NOT NULL, result TEXT NOT NULL)"""


_COLUMNS = ["key", "canonical", "result"]


class ResultStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.failure: str | None = None    # why the store stopped being used, if it did
        if self.path.is_symlink():
            raise InputError(f"{self.path}: is a symbolic link; the result store must be a "
                             f"file of its own")
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute(_SCHEMA)
            columns = [row[1] for row in self._db.execute("PRAGMA table_info(results)")]
            if columns != _COLUMNS:
                raise InputError(f"{self.path}: not a result store (its results table has "
                                 f"other columns)")
            self._db.execute("BEGIN IMMEDIATE")    # writable, now rather than at the end
            self._db.commit()
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: not a usable result store ({exc})") from None

    def __reduce__(self) -> tuple[type[ResultStore], tuple[Path]]:
        """Pickled as its path: reopened where it is unpickled (verifier.seeded's child)."""
        return ResultStore, (self.path,)

    @staticmethod
    def key(identity: str, fingerprint: str) -> str:
        return hashlib.sha256(f"{identity}\n{fingerprint}".encode()).hexdigest()

    def get(self, key: str) -> ActivationResult | None:
        """The stored result, or None (also once the store has failed)."""
        if self.failure:
            return None
        try:
            row = self._db.execute("SELECT result FROM results WHERE key = ?",
                                   (key,)).fetchone()
            return None if row is None else ActivationResult.model_validate_json(row[0])
        except (sqlite3.Error, ValidationError, ValueError) as exc:
            self._fail("reading", exc)
            return None

    def put(self, key: str, result: ActivationResult) -> None:
        if self.failure:
            return
        try:
            self._db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                             (key, result.canonical or "", result.model_dump_json()))
            self._db.commit()   # one transaction per result: a kill loses only the running
        except sqlite3.Error as exc:
            self._fail("writing", exc)

    def _fail(self, doing: str, exc: Exception) -> None:
        kind = "a stored result is damaged" if isinstance(exc, (ValidationError, ValueError)) \
            else str(exc)
        self.failure = (f"{self.path}: the result store failed while {doing} ({kind}); the "
                        f"run went on without it")

    def stats(self) -> dict[str, int]:
        try:
            (count,) = self._db.execute("SELECT COUNT(*) FROM results").fetchone()
            (canonical,) = self._db.execute(
                "SELECT COUNT(DISTINCT canonical) FROM results").fetchone()
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: not a usable result store ({exc})") from None
        return {"results": count, "distinct expressions": canonical}

    def close(self) -> None:
        try:
            self._db.close()
        except sqlite3.Error:
            pass
