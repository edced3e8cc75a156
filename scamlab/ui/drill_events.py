"""The "Spot the turn" drill's handlers: a pasted chat in, its messages to read; a pick in, the reveal out.

Values are keyed by the drill view's field names (`scamlab.ui.drill_tab`); the comparison itself is
`scamlab.drill`, the meter is `Engine.score_conversation`.
"""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from scamlab.chat_paste import parse_pasted_chat
from scamlab.drill import DrillOutcome, spot_the_turn
from scamlab.engine import Engine
from scamlab.personas import Message
from scamlab.ui.classifier_display import WHO, message_flags_table, pasted_transcript
from scamlab.ui.common import escape_markdown, user_error
from scamlab.ui.rate_limit import Cost
from scamlab.ui.transcript_display import meter_figure

READ_COLUMNS = ["message", "who", "text"]
HIDDEN = gr.update(visible=False)


def start_drill(text: str) -> dict[str, Any]:
    """The pasted chat's messages as a table to read (no scores yet), the reveal hidden."""
    try:
        messages = parse_pasted_chat(text or "")
    except ValueError as error:
        raise user_error(str(error)) from None
    rows = [(number, WHO[message["role"]], message["content"]) for number, message in enumerate(messages, start=1)]
    return {"messages": messages, "reading": pd.DataFrame(rows, columns=READ_COLUMNS), "never": gr.update(interactive=True),
            "outcome": "Click the message where you first became suspicious.", "meter": HIDDEN, "timeline": HIDDEN}


def reveal(engine: Engine, messages: list[Message] | None, spotted: int | None) -> dict[str, Any]:
    """The meter's turn beside the student's, who spotted it first and what gave it away; the meter and each
    message's red flags (the tactic timeline)."""
    if not messages:
        raise user_error("Pick or paste a conversation and press Start first.")
    try:
        scores = engine.score_conversation(messages)
        outcome = spot_the_turn(messages, scores, spotted)
    except ValueError as error:
        raise user_error(str(error)) from None
    return {"outcome": outcome_markdown(messages, outcome),
            "meter": gr.update(value=meter_figure(pasted_transcript(messages, scores)), visible=True),
            "timeline": gr.update(value=message_flags_table(messages), visible=True)}


def reveal_selected(engine: Engine, messages: list[Message] | None, event: gr.SelectData) -> dict[str, Any]:
    """`reveal` for the clicked row of the reading table."""
    return reveal(engine, messages, event.index[0] + 1 if event.index else None)


def reveal_never(engine: Engine, messages: list[Message] | None) -> dict[str, Any]:
    """`reveal` for "It never turned"."""
    return reveal(engine, messages, None)


def outcome_markdown(messages: list[Message], outcome: DrillOutcome) -> str:
    """Who spotted it first, and the message and red flags that gave it away (quoted literally)."""
    lines = [f"### {outcome.verdict}"]
    if outcome.giveaway is not None:
        quote = escape_markdown(messages[outcome.giveaway - 1]["content"])
        lines.append(f"**What gave it away:** message {outcome.giveaway}, “{quote}”: {', '.join(outcome.giveaway_flags)}.")
    else:
        lines.append("No message of theirs up to that point trips a red-flag rule: the meter read the whole conversation.")
    return "\n\n".join(lines)


def drill_cost(messages: list[Message] | None, *_: Any, **__: Any) -> Cost:
    """Revealing scores each message of the conversation once."""
    return Cost(messages=max(1, len(messages or [])))
