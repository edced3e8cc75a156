"""Class rooms: a teacher's session with a short code, students' votes, the reveal, and the results.

No Gradio and no roles here: the UI checks `scamlab.classroom.teacher_refusal` before calling the teacher's
methods (`start`, `reveal`, `advance`, `end`, `delete`). Students are known only by their nickname and the
secret token `join` gives them; the CSV and the answer key leave even the nickname out.
"""

from __future__ import annotations

import csv
import io
import json
import random
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass

from scamlab.classroom import ANSWERS, ROUND_SIZE, ClassroomError, answer_of, draw_items
from scamlab.classroom_store import ClassroomStore
from scamlab.quiz_items import QUIZ_ITEMS_BY_ID, QuizItem

NICKNAME_MAX_CHARS = 24
ROOM_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read from a projector
ROOM_CODE_LENGTH = 5
MAX_STUDENTS_PER_ROOM = 200
MAX_OPEN_ROOMS = 50
ROOM_RETENTION_S = 30 * 24 * 3600  # class sessions are removed after 30 days, or when the teacher deletes them

UNKNOWN_ROOM = "There is no class with room code {code!r}: check the code on the board."
ROOM_ENDED = "This class session has ended: votes are closed. Thanks for taking part!"
NOT_JOINED = "You have not joined this room yet: join with the room code and a nickname first."


@dataclass(frozen=True)
class RoomState:
    """Where a class session stands: the current item (`position` of `total`), votes so far, revealed or not,
    and (for a student's view) the vote this student gave on it."""

    code: str
    position: int
    total: int
    item: QuizItem | None
    revealed: bool
    ended: bool
    tallies: dict[str, int]
    students: int
    my_vote: str | None = None


def normalize_code(code: str) -> str:
    """A room code as stored: upper case letters and digits only (spaces and dashes dropped)."""
    return "".join(ch for ch in (code or "")[:40].upper() if ch.isascii() and ch.isalnum())


def checked_nickname(nickname: str) -> str:
    """A nickname as stored: spaces collapsed, 1 to `NICKNAME_MAX_CHARS` characters, nothing invisible;
    `ClassroomError` otherwise."""
    cleaned = " ".join((nickname or "").split())
    if not cleaned:
        raise ClassroomError("Type a nickname (not your full name).")
    if len(cleaned) > NICKNAME_MAX_CHARS:
        raise ClassroomError(f"That nickname is too long ({len(cleaned):,} characters): use at most {NICKNAME_MAX_CHARS}.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn") for ch in cleaned):
        raise ClassroomError("Use letters, digits, spaces or emoji in a nickname, nothing invisible.")
    return cleaned


class Classroom:
    """Class sessions kept in a `ClassroomStore`; each method is one transaction, safe from many threads."""

    def __init__(self, store: ClassroomStore) -> None:
        self.store = store

    # --- the teacher's side (the caller checks the role) ---

    def start(self, size: int = ROUND_SIZE, seed: int | None = None) -> str:
        """A new session of `size` items; returns its room code. Removes sessions past their retention."""
        items = draw_items(random.Random(seed if seed is not None else secrets.randbits(64)), size)
        with self.store.transaction() as db:
            db.execute("DELETE FROM rooms WHERE created_at < ?", (time.time() - ROOM_RETENTION_S,))
            if db.execute("SELECT COUNT(*) FROM rooms WHERE ended_at IS NULL").fetchone()[0] >= MAX_OPEN_ROOMS:
                raise ClassroomError(f"There are already {MAX_OPEN_ROOMS} open class sessions: end or delete one first.")
            while True:
                code = "".join(secrets.choice(ROOM_CODE_ALPHABET) for _ in range(ROOM_CODE_LENGTH))
                try:
                    db.execute("INSERT INTO rooms (code, item_ids, created_at) VALUES (?, ?, ?)",
                               (code, json.dumps(items), time.time()))
                    return code
                except sqlite3.IntegrityError:  # that code is taken: draw another
                    continue

    def reveal(self, code: str) -> RoomState:
        """Show the current item's answer; votes on it close."""
        return self._move(code, "UPDATE rooms SET revealed = 1 WHERE code = ?")

    def advance(self, code: str) -> RoomState:
        """Go on to the next item (the session ends after the last one)."""
        return self._move(code, "UPDATE rooms SET position = position + 1, revealed = 0, ended_at = CASE WHEN "
                                "position + 1 >= json_array_length(item_ids) THEN ? ELSE NULL END WHERE code = ?", True)

    def end(self, code: str) -> RoomState:
        """End the session: no more votes; the results stay until deleted."""
        return self._move(code, "UPDATE rooms SET revealed = 1, ended_at = ? WHERE code = ?", True)

    def _move(self, code: str, update: str, with_time: bool = False) -> RoomState:
        code = normalize_code(code)
        with self.store.transaction() as db:
            room = self._room(db, code)
            if room["ended_at"] is not None:
                raise ClassroomError(ROOM_ENDED)
            db.execute(update, (time.time(), code) if with_time else (code,))
        return self.state(code)

    def delete(self, code: str) -> int:
        """Delete the session with its nicknames and votes; returns how many votes went with it."""
        code = normalize_code(code)
        with self.store.transaction() as db:
            self._room(db, code)
            votes = db.execute("SELECT COUNT(*) FROM votes WHERE room_code = ?", (code,)).fetchone()[0]
            db.execute("DELETE FROM rooms WHERE code = ?", (code,))
        return votes

    # --- the students' side ---

    def join(self, code: str, nickname: str) -> str:
        """Join a session; returns the secret token this student votes with."""
        code, nickname = normalize_code(code), checked_nickname(nickname)
        token = secrets.token_urlsafe(16)
        with self.store.transaction() as db:
            if self._room(db, code)["ended_at"] is not None:
                raise ClassroomError(ROOM_ENDED)
            if db.execute("SELECT COUNT(*) FROM participants WHERE room_code = ?", (code,)).fetchone()[0] >= MAX_STUDENTS_PER_ROOM:
                raise ClassroomError(f"This room is full ({MAX_STUDENTS_PER_ROOM} students).")
            try:
                db.execute("INSERT INTO participants (room_code, nickname, token, joined_at) VALUES (?, ?, ?, ?)",
                           (code, nickname, token, time.time()))
            except sqlite3.IntegrityError:
                raise ClassroomError(f"The nickname {nickname!r} is taken in this room: pick another one.") from None
        return token

    def vote(self, code: str, token: str, answer: str) -> str:
        """Count this student's vote on the current item (a second vote before the reveal replaces the first)."""
        code, answer = normalize_code(code), answer_of(answer)
        with self.store.transaction() as db:
            room = self._room(db, code)
            student = db.execute("SELECT id FROM participants WHERE room_code = ? AND token = ?",
                                 (code, token or "")).fetchone()
            if student is None:
                raise ClassroomError(NOT_JOINED)
            if room["ended_at"] is not None:
                raise ClassroomError(ROOM_ENDED)
            if room["revealed"]:
                raise ClassroomError("The answer is already shown: wait for the next item.")
            db.execute("INSERT INTO votes VALUES (?, ?, ?, ?, ?) ON CONFLICT (room_code, position, participant_id) "
                       "DO UPDATE SET answer = excluded.answer, voted_at = excluded.voted_at",
                       (code, room["position"], student["id"], answer, time.time()))
        return f"Vote counted: {answer} on item {room['position'] + 1}."

    # --- what everyone sees ---

    def state(self, code: str, token: str | None = None) -> RoomState:
        """The session now; with a student's `token`, also that student's vote on the current item."""
        code = normalize_code(code)
        room = self._room(None, code)
        items = json.loads(room["item_ids"])
        position = min(room["position"], len(items) - 1)
        counts = dict(self.store.query("SELECT answer, COUNT(*) FROM votes WHERE room_code = ? AND position = ? "
                                       "GROUP BY answer", (code, position)))
        students = self.store.query("SELECT COUNT(*) FROM participants WHERE room_code = ?", (code,))[0][0]
        mine = self.store.query("SELECT v.answer FROM votes v JOIN participants p ON p.id = v.participant_id "
                                "WHERE v.room_code = ? AND v.position = ? AND p.token = ?",
                                (code, position, token)) if token else []
        return RoomState(code, position, len(items), QUIZ_ITEMS_BY_ID.get(items[position]), bool(room["revealed"]),
                         room["ended_at"] is not None, {answer: counts.get(answer, 0) for answer in ANSWERS},
                         students, mine[0][0] if mine else None)

    def results(self, code: str) -> list[dict]:
        """Class totals per item: votes each way and the share who got it right (which items fooled the class)."""
        code = normalize_code(code)
        items = json.loads(self._room(None, code)["item_ids"])
        counts = {(position, answer): n for position, answer, n in self.store.query(
            "SELECT position, answer, COUNT(*) FROM votes WHERE room_code = ? GROUP BY position, answer", (code,))}
        rows = []
        for position, item_id in enumerate(items):
            item = QUIZ_ITEMS_BY_ID.get(item_id)
            scam, genuine = counts.get((position, "scam"), 0), counts.get((position, "genuine"), 0)
            right = (scam if item and item.is_scam else genuine)
            rows.append({"item": position + 1, "item_id": item_id, "right_answer": item.answer if item else "?",
                         "scam_votes": scam, "genuine_votes": genuine,
                         "right_share": round(right / (scam + genuine), 2) if scam + genuine else None})
        return rows

    def results_csv(self, code: str) -> str:
        """Every vote, anonymous: students are numbered in the order they joined, nicknames are left out."""
        code = normalize_code(code)
        items = json.loads(self._room(None, code)["item_ids"])
        rows = self.store.query(
            "SELECT v.position, v.answer, (SELECT COUNT(*) FROM participants q WHERE q.room_code = p.room_code "
            "AND q.id <= p.id) AS student FROM votes v JOIN participants p ON p.id = v.participant_id "
            "WHERE v.room_code = ? ORDER BY v.position, student", (code,))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["item", "item_id", "right_answer", "student", "answer", "correct"])
        for position, answer, student in rows:
            item = QUIZ_ITEMS_BY_ID.get(items[position])
            right = item.answer if item else "?"
            writer.writerow([position + 1, items[position], right, student, answer, int(answer == right)])
        return buffer.getvalue()

    def answer_key_markdown(self, code: str) -> str:
        """A printable answer key: each item, its answer, the tactic, why, and how the class did."""
        lines = [f"# Scam or not? Answer key (room {normalize_code(code)})", ""]
        for row in self.results(code):
            item = QUIZ_ITEMS_BY_ID.get(row["item_id"])
            if item is None:
                continue
            quoted = "  \n".join(f"> {'**' + speaker + ':** ' if speaker else ''}{text}" for speaker, text in item.lines)
            share = "no votes" if row["right_share"] is None else f"{row['right_share']:.0%} of the class got it right"
            lines += [f"## {row['item']}. {item.source}", "", quoted, "",
                      f"**Answer: {item.answer.capitalize()}** ({item.tactic}). {item.why}", "", f"*Class: {share}.*", ""]
        return "\n".join(lines)

    def _room(self, db: sqlite3.Connection | None, code: str) -> sqlite3.Row:
        """The room's row, read inside transaction `db` (None: a read of its own); `ClassroomError` when unknown."""
        sql = "SELECT * FROM rooms WHERE code = ?"
        rows = db.execute(sql, (code,)).fetchall() if db is not None else self.store.query(sql, (code,))
        if not rows:
            raise ClassroomError(UNKNOWN_ROOM.format(code=code) if code else "Type the room code shown on the board.")
        return rows[0]
