"""The classroom's SQLite file: schema, numbered migrations, and thread-safe transactions (standard `sqlite3`).

One file, `SCAMLAB_DATA_DIR/classroom.sqlite3`, in WAL mode so that the teacher's tallies read while students
write. Every committed write is on disk before the call returns, so a restarted app carries on with the same
rooms, votes and quiz rounds. Nothing personal is stored beyond the nickname a student types.

Schema (version = `PRAGMA user_version`; each migration runs once, in order, in one transaction):
- `quiz_rounds(id, item_ids, created_at)`: one person's 10-item quiz; `item_ids` is a JSON list.
- `quiz_answers(round_id, position, item_id, answer, confidence, correct, classifier_spam, answered_at)`.
- `rooms(code, item_ids, position, revealed, created_at, ended_at)`: a class session and where it stands.
- `participants(id, room_code, nickname, token, joined_at)`: nickname unique per room (any case); `token`
  is the secret a student's browser (or script) votes with.
- `votes(room_code, position, participant_id, answer, voted_at)`: at most one vote per student per item
  (a second vote before the reveal replaces the first).
Deleting a room deletes its participants and votes (foreign keys, `ON DELETE CASCADE`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DATABASE_NAME = "classroom.sqlite3"

# Migration n (1-based) brings the schema from version n-1 to n. Append; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE quiz_rounds (
            id TEXT PRIMARY KEY,
            item_ids TEXT NOT NULL,
            created_at REAL NOT NULL)""",
        """CREATE TABLE quiz_answers (
            round_id TEXT NOT NULL REFERENCES quiz_rounds(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            item_id TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('scam', 'genuine')),
            confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 3),
            correct INTEGER NOT NULL,
            classifier_spam REAL,
            answered_at REAL NOT NULL,
            PRIMARY KEY (round_id, position))""",
        """CREATE TABLE rooms (
            code TEXT PRIMARY KEY,
            item_ids TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0,
            revealed INTEGER NOT NULL DEFAULT 0,
            created_at REAL NOT NULL,
            ended_at REAL)""",
        """CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
            nickname TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE,
            joined_at REAL NOT NULL,
            UNIQUE (room_code, nickname COLLATE NOCASE))""",
        """CREATE TABLE votes (
            room_code TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            answer TEXT NOT NULL CHECK (answer IN ('scam', 'genuine')),
            voted_at REAL NOT NULL,
            PRIMARY KEY (room_code, position, participant_id))""",
        "CREATE INDEX votes_by_item ON votes (room_code, position)",
        "CREATE INDEX rounds_by_age ON quiz_rounds (created_at)",
    ),
)


class ClassroomStore:
    """One SQLite connection shared by Gradio's worker threads, one transaction at a time (a lock).

    Votes are tiny writes (well under a millisecond), so serializing them costs less than a connection per
    thread, and reads always see every committed vote.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # in WAL: a commit survives an app crash or restart
        self._db.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    @property
    def schema_version(self) -> int:
        """The number of migrations applied to this file."""
        return int(self.query("PRAGMA user_version")[0][0])

    def migrate(self) -> None:
        """Apply the migrations this file has not had yet, each in its own transaction."""
        for version, statements in enumerate(MIGRATIONS, start=1):
            with self.transaction() as db:
                if int(db.execute("PRAGMA user_version").fetchone()[0]) >= version:
                    continue
                for statement in statements:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (`BEGIN IMMEDIATE`): committed on leaving, rolled back on an exception."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """All rows of one read."""
        with self._lock:
            return self._db.execute(sql, parameters).fetchall()

    def close(self) -> None:
        """Close the connection (the file stays)."""
        with self._lock:
            self._db.close()
