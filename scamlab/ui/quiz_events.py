"""The Quiz tab's handlers and its API: a practice round, a student in a class room, and the teacher's controls.

Handlers return plain values keyed by name (the tab maps names to components); the API functions return JSON
dicts. Teacher-only actions check the role from the request itself, so a hidden event or an API call sent by
hand is refused like a button a student cannot press. Untrusted text (nicknames, codes typed by students) is
shown through `escape_markdown`. No model code: the engine gives the classifier's probability.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from scamlab.classroom import ClassroomError, Quiz, item_view, open_store, teacher_refusal
from scamlab.classroom_rooms import Classroom, RoomState
from scamlab.engine import Engine
from scamlab.quiz_items import QUIZ_ITEMS_BY_ID, QuizItem
from scamlab.red_flags import highlight_segments
from scamlab.ui.common import download_folder, escape_markdown, user_error
from scamlab.ui.rate_limit import username

CONFIDENCE_CHOICES = [("1: a guess", 1), ("2: fairly sure", 2), ("3: certain", 3)]
ANSWER_CHOICES = [("Scam", "scam"), ("Genuine", "genuine")]


# --- rendering: values in, Markdown out ------------------------------------------------------------------------


def item_markdown(source: str, lines: list[tuple[str, str]]) -> str:
    """An item as a student sees it: how it arrived, then each line (speakers in bold), all shown literally."""
    body = "\n\n".join(f"> **{escape_markdown(speaker)}:** {escape_markdown(text)}" if speaker else f"> {escape_markdown(text)}"
                       for speaker, text in lines)
    return f"*{escape_markdown(source)}*\n\n{body}"


def view_markdown(view: dict) -> str:
    """`item_markdown` for an API item view (`scamlab.classroom.item_view`)."""
    return item_markdown(view["source"], [(line["speaker"], line["text"]) for line in view["lines"]])


def answer_markdown(item: QuizItem, correct: bool | None = None) -> str:
    """The right answer with the tactic and the one sentence why; with `correct`, whether the student got it."""
    verdict = "" if correct is None else ("✅ **Right!** " if correct else "❌ **Not this time.** ")
    return f"{verdict}It is **{item.answer.upper()}**: {item.tactic}.\n\n{item.why}"


def score_markdown(score: dict) -> str:
    """The running score: right answers, scams caught and false alarms apart, and the calibration note."""
    if not score["answered"]:
        return ""
    return (f"**Score: {score['correct']} / {score['answered']}** · scams caught: **{score['scams_caught']} of "
            f"{score['scams_total']}** · false alarms: **{score['false_alarms']}** (of {score['genuine_total']} genuine)"
            f"\n\n{score['calibration_note']}")


def end_markdown(score: dict) -> str:
    """The end screen: the student next to the classifier on the same items."""
    model = score["classifier"]
    return (f"## Round finished\n\n| | You | The classifier |\n| --- | --- | --- |\n"
            f"| Right answers | {score['correct']} / {score['answered']} | {model['correct']} / {model['answered']} |\n"
            f"| Scams caught | {score['scams_caught']} / {score['scams_total']} | {model['scams_caught']} / {score['scams_total']} |\n"
            f"| False alarms | {score['false_alarms']} / {score['genuine_total']} | {model['false_alarms']} / {score['genuine_total']} |\n\n"
            f"{score['calibration_note']} The classifier says scam at a spam probability of 0.5 or more.")


def room_markdown(state: RoomState, for_teacher: bool) -> str:
    """The current item of a room, its position, and (once revealed) the answer."""
    if state.ended:
        return "### This class session has ended.\n\nThanks for taking part!"
    head = f"### Item {state.position + 1} of {state.total} · {state.students} students joined"
    item = item_markdown(state.item.source, list(state.item.lines)) if state.item else "*(this item is no longer available)*"
    answer = f"\n\n{answer_markdown(state.item)}" if state.revealed and state.item else ""
    waiting = "" if for_teacher or state.revealed else "\n\n*Vote, then wait for your teacher to reveal the answer.*"
    return f"{head}\n\n{item}{answer}{waiting}"


def tally_bars(state: RoomState) -> dict[str, float]:
    """Vote shares for the live bars (Scam / Genuine)."""
    total = sum(state.tallies.values())
    return {f"{answer.capitalize()} ({count})": (count / total if total else 0.0) for answer, count in state.tallies.items()}


def room_json(state: RoomState) -> dict:
    """A room's state for the API: the answer only once it is revealed."""
    revealed = state.item is not None and (state.revealed or state.ended)
    return {"code": state.code, "position": state.position, "total": state.total, "revealed": state.revealed,
            "ended": state.ended, "tallies": state.tallies, "students": state.students, "my_vote": state.my_vote,
            "item": item_view(state.item) if state.item else None,
            "right_answer": state.item.answer if revealed else None, "why": state.item.why if revealed else None}


# --- handlers -------------------------------------------------------------------------------------------------


class QuizEvents:
    """The tab's handlers around the engine (the classifier's opinion) and one classroom store."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.settings = engine.settings
        self._engine = engine
        store = open_store(data_dir)
        self.quiz, self.rooms = Quiz(store, self.spam_probability), Classroom(store)
        self._probabilities: dict[str, float] = {}
        self._lock = threading.Lock()

    def spam_probability(self, text: str) -> float:
        """The classifier's spam probability for an item's text (items are fixed: each is classified once)."""
        with self._lock:
            known = self._probabilities.get(text)
        if known is None:
            known = self._engine.classify_spam(text)["probabilities"]["spam"]
            with self._lock:
                self._probabilities[text] = known
        return known

    def teacher_refusal(self, request: gr.Request | None) -> str | None:
        """Why whoever sent `request` may not run a class session (None: they may)."""
        client = getattr(request, "client", None)
        headers = getattr(request, "headers", None) or {}
        return teacher_refusal(self.settings, username(request), getattr(client, "host", None),
                               headers.get("x-forwarded-for"))

    def teacher_check(self, request: gr.Request | None) -> None:
        """Raise a "Not allowed" error unless whoever sent `request` may run a class session."""
        refusal = self.teacher_refusal(request)
        if refusal:
            raise user_error(refusal, title="Not allowed")

    # --- the public API (also what the tab's buttons call) ---

    def quiz_next(self, round_id: str = "") -> dict:
        """The next item of a practice round; an empty `round_id` starts a new round of 10."""
        try:
            return self.quiz.next_item(round_id or self.quiz.start_round())
        except ClassroomError as error:
            raise user_error(str(error)) from None

    def quiz_answer(self, round_id: str, answer: str, confidence: int = 2) -> dict:
        """Answer the round's current item "scam" or "genuine" with a confidence of 1-3: the feedback (right
        answer, tactic, why, red flags as [text, label] segments, the classifier's spam probability) and the score."""
        try:
            feedback = self.quiz.answer(round_id, answer, confidence)
        except ClassroomError as error:
            raise user_error(str(error)) from None
        text = QUIZ_ITEMS_BY_ID[feedback["item"]["id"]].text
        return {**feedback, "red_flags": [list(segment) for segment in highlight_segments(text)]}

    def room_join(self, code: str, nickname: str) -> dict:
        """Join a class with its room code and a nickname: `{"code", "nickname", "token"}` (vote with the token)."""
        try:
            token = self.rooms.join(code, nickname)
            return {"code": self.rooms.state(code).code, "nickname": " ".join(nickname.split()), "token": token}
        except ClassroomError as error:
            raise user_error(str(error), title="Cannot join") from None

    def room_vote(self, code: str, token: str, answer: str) -> dict:
        """Vote "scam" or "genuine" on the room's current item: `{"message"}`."""
        try:
            return {"message": self.rooms.vote(code, token, answer)}
        except ClassroomError as error:
            raise user_error(str(error), title="Vote not counted") from None

    def room_state(self, code: str, token: str = "") -> dict:
        """The room now: position, tallies, the item, and the answer once revealed (with `token`: your vote)."""
        try:
            return room_json(self.rooms.state(code, token or None))
        except ClassroomError as error:
            raise user_error(str(error)) from None

    def room_start(self, request: gr.Request) -> dict:
        """(Teacher) Start a class session of 10 items: `{"code", ...}` with the room's state."""
        self.teacher_check(request)
        return self._teacher_call(lambda: self.rooms.state(self.rooms.start()))

    def room_reveal(self, code: str, request: gr.Request) -> dict:
        """(Teacher) Reveal the current item's answer; its votes close."""
        self.teacher_check(request)
        return self._teacher_call(lambda: self.rooms.reveal(code))

    def room_next(self, code: str, request: gr.Request) -> dict:
        """(Teacher) Move on to the next item (after the last, the session ends)."""
        self.teacher_check(request)
        return self._teacher_call(lambda: self.rooms.advance(code))

    def room_end(self, code: str, request: gr.Request) -> dict:
        """(Teacher) End the session: no more votes; results stay until deleted."""
        self.teacher_check(request)
        return self._teacher_call(lambda: self.rooms.end(code))

    def room_results(self, code: str, request: gr.Request) -> list[dict]:
        """(Teacher) Class totals per item: votes each way and the share who got it right."""
        self.teacher_check(request)
        try:
            return self.rooms.results(code)
        except ClassroomError as error:
            raise user_error(str(error)) from None

    def room_delete(self, code: str, request: gr.Request) -> dict:
        """(Teacher) Delete the session with its nicknames and votes: `{"deleted_votes"}`."""
        self.teacher_check(request)
        try:
            return {"deleted_votes": self.rooms.delete(code)}
        except ClassroomError as error:
            raise user_error(str(error)) from None

    def _teacher_call(self, action: Any) -> dict:
        try:
            return room_json(action())
        except ClassroomError as error:
            raise user_error(str(error)) from None

    # --- files ---

    def result_files(self, code: str, request: gr.Request) -> tuple[str, str]:
        """(Teacher) The anonymous CSV and the Markdown answer key, as files to download."""
        self.teacher_check(request)
        folder = download_folder("classroom")
        try:
            csv_path, key_path = folder / f"class-{self.rooms.state(code).code}.csv", folder / "answer-key.md"
            csv_path.write_text(self.rooms.results_csv(code), encoding="utf-8")
            key_path.write_text(self.rooms.answer_key_markdown(code), encoding="utf-8")
        except ClassroomError as error:
            raise user_error(str(error)) from None
        return str(csv_path), str(key_path)

    # --- the tab's flows: each returns values keyed by output name ---

    def practice_next(self, round_id: str) -> dict[str, Any]:
        """Show the round's next item (a new round when `round_id` is empty), or the end screen."""
        step = self.quiz_next(round_id)
        if step["finished"]:
            return {"round_id": "", "item": end_markdown(step["score"]), "progress": "", "answering": False,
                    "next": gr.update(visible=False), "feedback": "", "flags": None, "bars": None,
                    "score": score_markdown(step["score"])}
        return {"round_id": step["round_id"], "item": view_markdown(step["item"]), "answering": True,
                "progress": f"**Item {step['position'] + 1} of {step['total']}**: scam or genuine?",
                "next": gr.update(visible=False), "feedback": "", "flags": None, "bars": None,
                "score": score_markdown(step["score"])}

    def practice_answer(self, round_id: str, answer: str | None, confidence: int | None) -> dict[str, Any]:
        """Answer the current item and show the feedback: right answer, red flags, tactic, bars, why."""
        if not round_id:
            raise user_error("Start a round first.")
        if not answer:
            raise user_error("Choose Scam or Genuine first.")
        feedback = self.quiz_answer(round_id, answer, int(confidence or 2))
        item = QUIZ_ITEMS_BY_ID[feedback["item"]["id"]]
        spam = feedback["classifier_spam"]
        return {"feedback": answer_markdown(item, feedback["correct"]), "answering": False,
                "flags": [tuple(segment) for segment in feedback["red_flags"]],
                "bars": {"spam": spam, "not_spam": 1 - spam}, "score": score_markdown(feedback["score"]),
                "next": gr.update(visible=True, value="See my result" if feedback["finished"] else "Next item")}

    def student_join(self, code: str, nickname: str) -> dict[str, Any]:
        """Join a room from the tab; the student's view starts refreshing."""
        joined = self.room_join(code, nickname)
        return {"student": joined, "timer": gr.Timer(active=True),
                "join_status": f"Joined room **{escape_markdown(joined['code'])}** as **{escape_markdown(joined['nickname'])}**.",
                **self.student_view(joined)}

    def student_vote(self, student: dict | None, answer: str) -> dict[str, Any]:
        """Vote from the tab."""
        if not student:
            raise user_error("Join a class with its room code and a nickname first.")
        message = self.room_vote(student["code"], student["token"], answer)["message"]
        return {**self.student_view(student), "vote_status": escape_markdown(message)}

    def student_view(self, student: dict | None) -> dict[str, Any]:
        """The student's screen: the current item, their vote, the answer once revealed (refreshed by a timer)."""
        if not student:
            return {"room_item": "", "vote_status": ""}
        try:
            state = self.rooms.state(student["code"], student["token"])
        except ClassroomError as error:  # the teacher deleted the session
            return {"room_item": escape_markdown(str(error)), "vote_status": "", "timer": gr.Timer(active=False)}
        mine = f"Your vote: **{state.my_vote}**." if state.my_vote else "You have not voted on this item yet."
        return {"room_item": room_markdown(state, for_teacher=False), "vote_status": "" if state.ended else mine,
                "timer": gr.Timer(active=not state.ended)}

    def teacher_start(self, request: gr.Request) -> dict[str, Any]:
        """Start a session from the tab: the room code, big, and the first item."""
        code = self.room_start(request)["code"]
        return {"teacher_code": code, "timer": gr.Timer(active=True), "files": gr.update(visible=False),
                **self.teacher_view(code)}

    def teacher_view(self, code: str) -> dict[str, Any]:
        """The projected screen: code, current item, live vote bars, class totals once it ends."""
        if not code:
            return {"code_banner": "", "room_item": "", "bars": None}
        state = self.rooms.state(code)
        banner = (f"## Room code: `{state.code}`\nStudents open this app, **Quiz → Join a class**, and type the "
                  f"code and a nickname. {sum(state.tallies.values())} of {state.students} have voted on this item.")
        view = {"code_banner": banner, "room_item": room_markdown(state, for_teacher=True), "bars": tally_bars(state)}
        if state.ended:
            view |= {"timer": gr.Timer(active=False), "results": pd.DataFrame(self.rooms.results(code))}
        return view

    def teacher_action(self, action: str, code: str, request: gr.Request) -> dict[str, Any]:
        """Reveal, next or end from the tab (each checks the role first)."""
        self.teacher_check(request)  # first: a refused caller learns nothing about the session
        if not code:
            raise user_error("Start a class session first.")
        {"reveal": self.room_reveal, "next": self.room_next, "end": self.room_end}[action](code, request)
        return self.teacher_view(code)

    def teacher_files(self, code: str, request: gr.Request) -> dict[str, Any]:
        """The anonymous CSV and the answer key for download."""
        csv_path, key_path = self.result_files(code, request)
        return {"files": gr.update(value=[csv_path, key_path], visible=True)}

    def teacher_delete(self, code: str, request: gr.Request) -> dict[str, Any]:
        """Delete the session and its answers; the screen clears."""
        deleted = self.room_delete(code, request)["deleted_votes"]
        gr.Info(f"Session deleted with its {deleted} votes and every nickname.")
        return {"teacher_code": "", "code_banner": "", "room_item": "", "bars": None, "results": None,
                "timer": gr.Timer(active=False), "files": gr.update(value=None, visible=False)}
