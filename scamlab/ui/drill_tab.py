"""The classifier tab's "Spot the turn" sub-tab: layout and wiring. Handlers: `scamlab.ui.drill_events`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from typing import Any

import gradio as gr

from scamlab.data import read_json, read_text
from scamlab.engine import Engine
from scamlab.ui.classifier_display import FLAG_COLUMNS
from scamlab.ui.common import PRIVATE, keyed
from scamlab.ui.drill_events import READ_COLUMNS, drill_cost, reveal_never, reveal_selected, start_drill
from scamlab.ui.rate_limit import RateLimiter, rate_limited

DRILL_INTRO = read_text("classifier/drill_intro.md")
# The Conversation examples, unnamed here: a label such as "Scam: parcel fee" would give the answer away.
DRILL_EXAMPLES = ["\n".join(example["lines"]) for example in read_json("classifier/examples.json")["conversations"]]


@dataclass(frozen=True)
class DrillView:
    """The "Spot the turn" sub-tab's components."""

    chat: gr.Textbox
    start: gr.Button
    reading: gr.Dataframe
    never: gr.Button
    outcome: gr.Markdown
    meter: gr.Plot
    timeline: gr.Dataframe
    messages: gr.State


def build_drill_tab(engine: Engine, limiter: RateLimiter | None) -> DrillView:
    """Lay out the drill inside the current tab and wire it; revealing is charged like scoring a chat."""
    gr.Markdown(DRILL_INTRO)
    chat = gr.Textbox(label="Conversation", lines=6, placeholder="Them: Hi, your parcel is held...\nMe: Which parcel?",
                      elem_id="drill-chat")
    gr.Examples([[text] for text in DRILL_EXAMPLES], [chat], example_labels=[f"Conversation {n}" for n in
                range(1, len(DRILL_EXAMPLES) + 1)], label="Conversations to practise on", **PRIVATE)
    start = gr.Button("Start", variant="primary", elem_id="drill-start")
    reading = gr.Dataframe(headers=READ_COLUMNS, datatype=["number", "str", "str"], interactive=False, wrap=True,
                           column_widths=["10%", "10%", "80%"], label="Click the message where you became suspicious",
                           elem_id="drill-reading")
    never = gr.Button("It never turned", interactive=False, elem_id="drill-never")
    outcome = gr.Markdown(elem_id="drill-outcome")
    meter = gr.Plot(label="Scam meter", show_label=False, format="png", visible=False)
    timeline = gr.Dataframe(headers=FLAG_COLUMNS, interactive=False, wrap=True, visible=False, elem_id="drill-timeline",
                            column_widths=["9%", "9%", "52%", "30%"], label="Red flags per message (the tactics, in order)")
    view = DrillView(chat, start, reading, never, outcome, meter, timeline, messages=gr.State(None))
    _wire(engine, limiter, view)
    return view


def _wire(engine: Engine, limiter: RateLimiter | None, view: DrillView) -> None:
    named = {field.name: getattr(view, field.name) for field in fields(view)}
    shown = [view.outcome, view.meter, view.timeline]
    view.start.click(keyed(start_drill, named), view.chat, [view.messages, view.reading, view.never, *shown], **PRIVATE)
    view.reading.select(_charged(limiter, keyed(partial(reveal_selected, engine), named)), view.messages, shown, **PRIVATE)
    view.never.click(_charged(limiter, keyed(partial(reveal_never, engine), named)), view.messages, shown,
                     **PRIVATE)


def _charged(limiter: RateLimiter | None, handler: Any) -> Any:
    """`handler` charged a message per message of the conversation; without a limiter, `handler` itself."""
    return rate_limited(limiter, handler, cost=drill_cost) if limiter else handler
