"""Classroom mode without Gradio: solo quiz rounds, class rooms with live votes, scoring, and who may teach.

- A **quiz round** is 10 items (half scams, half genuine look-alikes) answered "scam" or "genuine" with a
  confidence of 1-3. The score counts scams caught and false alarms separately, notes answers that were sure
  and wrong, and compares the person with the spam classifier on the same items.
- A **room** is a class session: a teacher starts it and gets a short code, students join with the code and a
  nickname, everyone votes on the current item, the teacher reveals the answer and moves on; the end gives
  class totals per item, an anonymous CSV and a printable answer key.
  Rooms live in `scamlab.classroom_rooms`.
Everything lives in a `ClassroomStore` (SQLite), so a restart loses nothing. Errors a person can fix are
`ClassroomError`, with a message to show them.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scamlab.access import is_loopback
from scamlab.classroom_store import DATABASE_NAME, ClassroomStore
from scamlab.config import Settings
from scamlab.quiz_items import QUIZ_ITEMS, QUIZ_ITEMS_BY_ID, QuizItem

ANSWERS = ("scam", "genuine")
ROUND_SIZE = 10
ROUND_RETENTION_S = 7 * 24 * 3600  # solo quiz rounds are removed after a week

TEACHERS_ONLY = "Only a teacher may start, reveal, move on in or end a class session."
LOCAL_ONLY = ("Teaching is turned off here: the app is open to the network without a login and this request "
              "does not come from the teacher's own machine. Use 127.0.0.1 on the teacher's laptop, or set "
              "SCAMLAB_USERS and SCAMLAB_TEACHERS.")


class ClassroomError(ValueError):
    """Something a student or teacher can fix (a wrong code, a taken nickname); the message says what."""


def teacher_refusal(settings: Settings, username: str | None, client_host: str | None,
                    forwarded_for: str | None = None) -> str | None:
    """None when this request may run a class session (start, reveal, next, end, delete); else why not.

    With a login, only the names in `SCAMLAB_TEACHERS` may. Without one, only a request from this machine
    itself (the teacher's laptop, with students on the LAN), never through a proxy or on a Space.
    """
    if settings.users:
        return None if username is not None and username in settings.teachers else TEACHERS_ONLY
    direct_local = bool(client_host) and is_loopback(client_host or "") and not forwarded_for and not settings.on_space
    return None if direct_local else LOCAL_ONLY


def open_store(data_dir: Path) -> ClassroomStore:
    """The classroom database in `data_dir`, created and migrated as needed."""
    return ClassroomStore(Path(data_dir).expanduser() / DATABASE_NAME)


def draw_items(rng: random.Random, size: int = ROUND_SIZE) -> list[str]:
    """`size` item ids, half scams and half genuine (the odd one either way), in a shuffled order."""
    scams = [item.id for item in QUIZ_ITEMS if item.is_scam]
    genuine = [item.id for item in QUIZ_ITEMS if not item.is_scam]
    scam_count = size // 2 + rng.randint(0, size % 2)
    chosen = rng.sample(scams, scam_count) + rng.sample(genuine, size - scam_count)
    rng.shuffle(chosen)
    return chosen


def item_view(item: QuizItem) -> dict:
    """What a person sees before answering: how it arrived and its lines, never the answer."""
    return {"id": item.id, "source": item.source, "kind": "conversation" if item.is_conversation else "message",
            "lines": [{"speaker": speaker, "text": text} for speaker, text in item.lines]}


def answer_of(answer: str) -> str:
    """`answer` as "scam" or "genuine" (any case); `ClassroomError` otherwise."""
    normalized = (answer or "").strip().lower()
    if normalized not in ANSWERS:
        raise ClassroomError("Answer \"scam\" or \"genuine\".")
    return normalized


# --- solo quiz rounds -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """One answered item of a round, as scored."""

    item: QuizItem
    answer: str
    confidence: int
    classifier_spam: float | None

    @property
    def correct(self) -> bool:
        return self.answer == self.item.answer


def score(answers: list[Answered]) -> dict:
    """The round's score: scams caught, false alarms (genuine called scam), sure-and-wrong answers, and the
    classifier on the same items (it says scam at a spam probability of 0.5 or more)."""
    scams = [a for a in answers if a.item.is_scam]
    genuine = [a for a in answers if not a.item.is_scam]
    judged = [a for a in answers if a.classifier_spam is not None]
    model_says_scam = {id(a): a.classifier_spam >= 0.5 for a in judged}
    sure_and_wrong = sum(1 for a in answers if a.confidence == 3 and not a.correct)
    return {
        "answered": len(answers), "correct": sum(a.correct for a in answers),
        "scams_caught": sum(a.answer == "scam" for a in scams), "scams_total": len(scams),
        "false_alarms": sum(a.answer == "scam" for a in genuine), "genuine_total": len(genuine),
        "sure_and_wrong": sure_and_wrong, "calibration_note": calibration_note(answers),
        "classifier": {
            "correct": sum(model_says_scam[id(a)] == a.item.is_scam for a in judged),
            "scams_caught": sum(model_says_scam[id(a)] for a in judged if a.item.is_scam),
            "false_alarms": sum(model_says_scam[id(a)] for a in judged if not a.item.is_scam),
            "answered": len(judged),
        },
    }


CALIBRATION_NOTES = (  # (minimum sure-and-wrong answers, note); the first that applies is used
    (2, "You were sure and wrong {n} times: when something feels certain, check once more."),
    (1, "You were sure and wrong once: look at that one again."),
)


def calibration_note(answers: list[Answered]) -> str:
    """One sentence on confidence: sure and wrong, or well judged."""
    sure_and_wrong = sum(1 for a in answers if a.confidence == 3 and not a.correct)
    for minimum, note in CALIBRATION_NOTES:
        if sure_and_wrong >= minimum:
            return note.format(n=sure_and_wrong)
    unsure_right = sum(1 for a in answers if a.confidence == 1 and a.correct)
    if unsure_right >= 2:
        return f"You were unsure but right {unsure_right} times: trust your checks a little more."
    return "Your confidence matched your answers well." if answers else "No answers yet."


class Quiz:
    """Solo rounds kept in the store; `classify` gives the classifier's spam probability for a text."""

    def __init__(self, store: ClassroomStore, classify: Callable[[str], float]) -> None:
        self.store, self.classify = store, classify

    def start_round(self, seed: int | None = None) -> str:
        """A new round of `ROUND_SIZE` items; returns its id (also removes rounds past their retention)."""
        round_id = secrets.token_urlsafe(12)
        items = draw_items(random.Random(seed if seed is not None else secrets.randbits(64)))
        with self.store.transaction() as db:
            db.execute("DELETE FROM quiz_rounds WHERE created_at < ?", (time.time() - ROUND_RETENTION_S,))
            db.execute("INSERT INTO quiz_rounds VALUES (?, ?, ?)", (round_id, json.dumps(items), time.time()))
        return round_id

    def _items(self, round_id: str) -> list[QuizItem]:
        rows = self.store.query("SELECT item_ids FROM quiz_rounds WHERE id = ?", (round_id or "",))
        if not rows:
            raise ClassroomError("This quiz round is unknown or has expired: start a new round.")
        return [QUIZ_ITEMS_BY_ID[item_id] for item_id in json.loads(rows[0][0]) if item_id in QUIZ_ITEMS_BY_ID]

    def answered(self, round_id: str) -> list[Answered]:
        """The round's answers so far, in order."""
        rows = self.store.query("SELECT item_id, answer, confidence, classifier_spam FROM quiz_answers "
                                "WHERE round_id = ? ORDER BY position", (round_id,))
        return [Answered(QUIZ_ITEMS_BY_ID[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in QUIZ_ITEMS_BY_ID]

    def next_item(self, round_id: str) -> dict:
        """The round's next unanswered item (`finished` with the score when all are answered)."""
        items, answered = self._items(round_id), self.answered(round_id)
        base = {"round_id": round_id, "position": len(answered), "total": len(items)}
        if len(answered) >= len(items):
            return {**base, "finished": True, "item": None, "score": score(answered)}
        return {**base, "finished": False, "item": item_view(items[len(answered)]), "score": score(answered)}

    def answer(self, round_id: str, answer: str, confidence: int) -> dict:
        """Answer the round's current item; the feedback (right answer, tactic, why, red flags come from the
        text, the classifier's probability) and the score so far."""
        answer = answer_of(answer)
        if not isinstance(confidence, int | float) or int(confidence) not in (1, 2, 3):
            raise ClassroomError("Confidence is 1 (a guess), 2 (fairly sure) or 3 (certain).")
        items = self._items(round_id)
        position = len(self.answered(round_id))
        if position >= len(items):
            raise ClassroomError("This round is finished: start a new round.")
        item = items[position]
        spam = self.classify(item.text)
        try:
            with self.store.transaction() as db:
                db.execute("INSERT INTO quiz_answers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (round_id, position, item.id, answer, int(confidence), answer == item.answer, spam, time.time()))
        except sqlite3.IntegrityError:
            raise ClassroomError("That item was already answered (two clicks?): go on to the next one.") from None
        return {"item": item_view(item), "answer": answer, "correct": answer == item.answer,
                "right_answer": item.answer, "tactic": item.tactic, "why": item.why, "classifier_spam": spam,
                "score": score(self.answered(round_id)), "finished": position + 1 >= len(items)}
