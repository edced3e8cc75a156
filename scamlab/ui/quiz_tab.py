"""The Quiz tab: a practice round of "scam or not?", joining a class room, and the teacher's projected view.

Layout and wiring only; the handlers are in `scamlab.ui.quiz_events`. The API (`/quiz_next`, `/quiz_answer`,
`/room_join`, `/room_vote`, `/room_state`, and the teacher's `/room_start`, `/room_reveal`, `/room_next`,
`/room_end`, `/room_results`, `/room_delete`) is the same code the buttons use.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import gradio as gr

from scamlab.access import Cost
from scamlab.engine import Engine
from scamlab.ui.common import PRIVATE, RED_FLAG_COLORS, escape_markdown, keyed
from scamlab.ui.quiz_events import ANSWER_CHOICES, CONFIDENCE_CHOICES, QuizEvents
from scamlab.ui.rate_limit import RateLimiter, rate_limited

INTRO = ("Read each message or chat and decide: **scam** or **genuine**? Some genuine ones look alarming on purpose: "
         "the score counts scams you caught *and* false alarms (genuine messages you called a scam).")
CLASSROOM_CONCURRENCY = {"concurrency_id": "classroom", "concurrency_limit": 16}
STUDENT_REFRESH_S, TEACHER_REFRESH_S = 2.0, 1.0
RESULT_COLUMNS = ("item", "item_id", "right_answer", "scam_votes", "genuine_votes", "right_share")


def new_round_cost(round_id: str = "", *_: Any, **__: Any) -> Cost:
    """Starting a round costs one request (it adds a row); going on in one is free."""
    return Cost(requests=0 if round_id else 1)


def _answering(values: dict[str, Any]) -> dict[str, Any]:
    """The `answering` flag as the answer controls' updates: enabled (and cleared) while an item waits."""
    answering = values.pop("answering", None)
    if answering is not None:
        values |= {name: gr.update(interactive=answering, **({"value": None} if name == "answer" and answering else {}))
                   for name in ("answer", "confidence", "answer_button")}
    return values


def quiz_keyed(handler: Callable[..., dict[str, Any]], components: dict[str, Any]) -> Callable[..., dict[Any, Any]]:
    """`keyed`, where a handler's `answering` flag stands for the answer controls."""
    return keyed(handler, components, expand=_answering)


def build_quiz_tab(engine: Engine, limiter: RateLimiter) -> None:
    """The Quiz tab with its three views and the classroom API."""
    events = QuizEvents(engine, engine.settings.data_dir)
    with gr.Tab("Quiz", id="quiz"):
        with gr.Tabs():
            with gr.Tab("Practice round", id="quiz-practice"):
                practice = _practice_layout()
            with gr.Tab("Join a class", id="quiz-join"):
                student = _student_layout()
            with gr.Tab("Teach a class", id="quiz-teach"):
                teacher = _teacher_layout()
        _register_api(events, limiter)
    _wire_practice(events, practice, limiter)
    _wire_student(events, student, limiter)
    _wire_teacher(events, teacher)


def _practice_layout() -> dict[str, Any]:
    gr.Markdown(INTRO)
    parts = {"start": gr.Button("Start a round of 10", variant="primary", elem_id="quiz-start"),
             "progress": gr.Markdown(), "item": gr.Markdown(elem_id="quiz-item")}
    with gr.Row():
        parts["answer"] = gr.Radio(ANSWER_CHOICES, label="Your answer", interactive=False, elem_id="quiz-answer")
        parts["confidence"] = gr.Radio(CONFIDENCE_CHOICES, value=2, label="How sure are you?", interactive=False,
                                       elem_id="quiz-confidence")
    parts["answer_button"] = gr.Button("Answer", variant="primary", interactive=False, elem_id="quiz-submit")
    parts["feedback"] = gr.Markdown(elem_id="quiz-feedback")
    with gr.Row():
        parts["flags"] = gr.HighlightedText(label="Red flags in the text", color_map=RED_FLAG_COLORS, combine_adjacent=True)
        parts["bars"] = gr.Label(label="The spam classifier's opinion", num_top_classes=2)
    parts["next"] = gr.Button("Next item", visible=False, elem_id="quiz-next")
    parts["score"] = gr.Markdown(elem_id="quiz-score")
    parts["round_id"] = gr.State("")
    return parts


def _student_layout() -> dict[str, Any]:
    gr.Markdown("Your teacher shows a **room code**. Type it with a nickname (not your full name) to vote with the class.")
    with gr.Row():
        parts = {"code": gr.Textbox(label="Room code", max_length=12, elem_id="room-code"),
                 "nickname": gr.Textbox(label="Nickname", max_length=100, elem_id="room-nickname")}
        parts["join"] = gr.Button("Join", variant="primary", elem_id="room-join")
    parts["join_status"] = gr.Markdown()
    parts["room_item"] = gr.Markdown(elem_id="room-item")
    with gr.Row():
        parts["vote_scam"] = gr.Button("Scam", variant="stop", elem_id="room-vote-scam")
        parts["vote_genuine"] = gr.Button("Genuine", variant="primary", elem_id="room-vote-genuine")
    parts["vote_status"] = gr.Markdown(elem_id="room-vote-status")
    parts["student"] = gr.State(None)
    parts["timer"] = gr.Timer(STUDENT_REFRESH_S, active=False)
    return parts


def _teacher_layout() -> dict[str, Any]:
    parts = {"role_note": gr.Markdown(visible=False),
             "start": gr.Button("Start a class session", variant="primary", elem_id="teach-start"),
             "code_banner": gr.Markdown(elem_id="teach-code")}
    with gr.Row():
        parts["room_item"] = gr.Markdown(elem_id="teach-item")
        parts["bars"] = gr.Label(label="Class votes", num_top_classes=2, show_heading=False, elem_id="teach-bars")
    with gr.Row():
        parts["reveal"] = gr.Button("Reveal the answer", elem_id="teach-reveal")
        parts["next"] = gr.Button("Next item", elem_id="teach-next")
        parts["end"] = gr.Button("End the session", variant="stop", elem_id="teach-end")
    parts["results"] = gr.Dataframe(headers=list(RESULT_COLUMNS), label="Class totals per item (after the end)",
                                    interactive=False)
    with gr.Row():
        parts["download"] = gr.Button("Download CSV and answer key", elem_id="teach-download")
        parts["delete"] = gr.Button("Delete this session and its answers", variant="stop", elem_id="teach-delete")
    parts["files"] = gr.File(label="Anonymous CSV and printable answer key", file_count="multiple", visible=False)
    parts["teacher_code"] = gr.State("")
    parts["timer"] = gr.Timer(TEACHER_REFRESH_S, active=False)
    return parts


def _wire_practice(events: QuizEvents, parts: dict[str, Any], limiter: RateLimiter) -> None:
    shown = [parts[name] for name in ("round_id", "item", "progress", "next", "feedback", "flags", "bars", "score",
                                      "answer", "confidence", "answer_button")]
    start = rate_limited(limiter, quiz_keyed(lambda: events.practice_next(""), parts), ":classroom")
    parts["start"].click(start, None, shown, **PRIVATE)
    parts["next"].click(quiz_keyed(events.practice_next, parts), parts["round_id"], shown, **PRIVATE)
    parts["answer_button"].click(quiz_keyed(events.practice_answer, parts),
                                 [parts["round_id"], parts["answer"], parts["confidence"]], shown, **PRIVATE)


def _wire_student(events: QuizEvents, parts: dict[str, Any], limiter: RateLimiter) -> None:
    shown = [parts[name] for name in ("student", "timer", "join_status", "room_item", "vote_status")]
    parts["join"].click(rate_limited(limiter, quiz_keyed(events.student_join, parts), ":classroom"),
                        [parts["code"], parts["nickname"]], shown, **CLASSROOM_CONCURRENCY, **PRIVATE)
    for button, answer in ((parts["vote_scam"], "scam"), (parts["vote_genuine"], "genuine")):
        button.click(quiz_keyed(partial(events.student_vote, answer=answer), parts), parts["student"], shown,
                     **CLASSROOM_CONCURRENCY, **PRIVATE)
    parts["timer"].tick(quiz_keyed(events.student_view, parts), parts["student"], shown, show_progress="hidden",
                        **CLASSROOM_CONCURRENCY, **PRIVATE)


def _wire_teacher(events: QuizEvents, parts: dict[str, Any]) -> None:
    shown = [parts[name] for name in ("teacher_code", "timer", "files", "code_banner", "room_item", "bars", "results")]
    controls = [parts[name] for name in ("start", "reveal", "next", "end", "download", "delete")]
    code = parts["teacher_code"]

    def role_view(request: gr.Request) -> dict[Any, Any]:
        refusal = events.teacher_refusal(request)
        return {**{control: gr.update(interactive=refusal is None) for control in controls},
                parts["role_note"]: gr.update(value=f"🔒 {escape_markdown(refusal)}" if refusal else "", visible=refusal is not None)}

    gr.on(None, role_view, None, [*controls, parts["role_note"]], **PRIVATE)  # on page load: who is looking
    parts["start"].click(quiz_keyed(events.teacher_start, parts), None, shown, **CLASSROOM_CONCURRENCY, **PRIVATE)
    for action in ("reveal", "next", "end"):
        parts[action].click(quiz_keyed(partial(events.teacher_action, action), parts), code, shown,
                            **CLASSROOM_CONCURRENCY, **PRIVATE)
    parts["timer"].tick(quiz_keyed(events.teacher_view, parts), code, shown, show_progress="hidden",
                        **CLASSROOM_CONCURRENCY, **PRIVATE)
    parts["download"].click(quiz_keyed(events.teacher_files, parts), code, shown, **PRIVATE)
    parts["delete"].click(quiz_keyed(events.teacher_delete, parts), code, shown, **PRIVATE)


def _register_api(events: QuizEvents, limiter: RateLimiter) -> None:
    """The documented endpoints; starting a round or joining a room is charged to the person's allowance."""
    gr.api(rate_limited(limiter, events.quiz_next, ":classroom", cost=new_round_cost), api_name="quiz_next")
    gr.api(events.quiz_answer, api_name="quiz_answer")
    gr.api(rate_limited(limiter, events.room_join, ":classroom"), api_name="room_join", **CLASSROOM_CONCURRENCY)
    for handler in (events.room_vote, events.room_state, events.room_start, events.room_reveal, events.room_next,
                    events.room_end, events.room_results, events.room_delete):
        gr.api(handler, api_name=handler.__name__, **CLASSROOM_CONCURRENCY)
