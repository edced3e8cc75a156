"""How a conversation is displayed: chat bubbles, the scam-meter figure, the stage strip, red-flag reasons.

The chat tab draws its transcript with these, and the classifier's Conversation sub-tab a pasted chat. They take
transcripts and texts and return plain values (chat messages, a figure, highlight segments, Markdown), so they
can be tested without starting an app. No model code.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from scamlab.personas import PERSONAS, styles_for
from scamlab.playbooks import STAGE_LABELS, STAGE_ORDER
from scamlab.red_flags import highlight_segments, red_flag_reason_lines
from scamlab.scenarios import SCENARIOS, get_scenario
from scamlab.transcripts import Transcript, Turn, score_label
from scamlab.ui.common import escape_html, escape_markdown

SIMULATION_BANNER = (
    '<div role="note" style="border:2px solid #b45309;background:#fef3c7;color:#78350f;border-radius:8px;'
    'padding:8px 14px;font-size:0.95rem;line-height:1.5">'
    # A system font for the badge: the bundled bold face draws a capital A too small.
    '<span style="background:#b45309;color:#fff;font:700 0.85rem ui-sans-serif,system-ui,sans-serif;'
    'letter-spacing:0.08em;border-radius:4px;padding:2px 8px;margin-right:8px">SIMULATION</span>'
    "The AI plays a scammer or a victim so the class can practise spotting scams. "
    "Nothing here is a real message: links and numbers are shown as placeholders such as [LINK] or [PHONE]. "
    "Never send real codes, passwords, card details or money to anyone who asks in a chat."
    "</div>"
)

# The scammer always sits on the left and the victim on the right, whoever (AI or person) writes them.
SCREEN_ROLE = {"scammer": "assistant", "victim": "user"}

METER_COLUMNS = ("message", "scam meter (%)", "speaker")
SPEAKER_COLORS = {"Scammer": "#dc2626", "Victim": "#2563eb"}


def persona_choices() -> list[tuple[str, str]]:
    return [(persona.label, persona.id) for persona in PERSONAS.values()]


def style_choices(persona: str) -> list[tuple[str, str]]:
    return [(style.label, style.id) for style in styles_for(persona)]


def scenario_choices() -> list[tuple[str, str]]:
    return [(scenario.title, scenario.id) for scenario in SCENARIOS.values()]


def scenario_note(scenario_id: str | None) -> str:
    """The scenario's one-line description for the teacher."""
    if scenario_id not in SCENARIOS:
        return ""
    return f"*{get_scenario(scenario_id).description}*"


def _who(turn: Turn) -> str:
    return f"{PERSONAS[turn.speaker].label} ({'AI' if turn.by_ai else 'you'})"


STAGE_CHIP = ('<span class="stage-chip" style="background:{background};color:{color};border-radius:9px;'
              'padding:0 7px;margin-left:4px;white-space:nowrap">{text}</span>')


def chat_message(turn: Turn, writing: bool = False) -> dict[str, str]:
    """One chat bubble: the text, then who wrote it, its stage or move (a chip) and its scam meter in small print."""
    if writing:
        footer = f"{_who(turn)} · writing..."
    elif turn.spam_probability is None:
        footer = _who(turn)
    else:
        footer = f"{_who(turn)} · {score_label(turn.spam_probability)}"
    if turn.stage:
        scammer = turn.speaker == "scammer"
        footer += STAGE_CHIP.format(background="#fee2e2" if scammer else "#dbeafe", color="#7f1d1d" if scammer else "#1e3a8a",
                                    text=escape_html(turn.stage))
    # The chatbot renders HTML (not Markdown: copied messages stay readable): a message, streamed or final,
    # is shown as text, never as markup. Only the footer is the app's own markup.
    text = escape_html(turn.text) if turn.text else "..."
    return {"role": SCREEN_ROLE[turn.speaker], "content": f"{text}<br><sub>{footer}</sub>"}


def stages_reached(transcript: Transcript) -> list[str]:
    """The scam stages (ids, in `STAGE_ORDER`) that the scammer's messages have played so far."""
    labels = {turn.stage.split(":", 1)[0] for turn in transcript.turns if turn.speaker == "scammer" and turn.stage}
    return [stage for stage in STAGE_ORDER if STAGE_LABELS[stage] in labels]


def stage_strip(transcript: Transcript) -> str:
    """The tactic timeline above the chat, "Hook → Trust → Urgency → Ask → Pressure → Exit", the stages the
    scammer has played lit up (HTML, the app's own markup only)."""
    reached = set(stages_reached(transcript))
    steps = []
    for stage in STAGE_ORDER:
        lit = stage in reached
        steps.append(
            f'<span class="stage-step{" reached" if lit else ""}" data-stage="{stage}" style="padding:2px 9px;'
            f'border-radius:11px;{"background:#b91c1c;color:#fff;font-weight:600" if lit else "background:#f3f4f6;color:#6b7280"}">'
            f"{STAGE_LABELS[stage]}</span>")
    arrow = '<span aria-hidden="true" style="color:#9ca3af">&rarr;</span>'
    return (f'<div id="stage-strip" role="list" aria-label="Scam stages played so far" style="display:flex;flex-wrap:wrap;'
            f'gap:4px;align-items:center;font-size:0.85rem">'
            f'<span style="color:#374151;margin-right:4px">Scam stages:</span>{arrow.join(steps)}</div>')


def chat_messages(transcript: Transcript, writing: bool = False) -> list[dict[str, str]]:
    """The conversation for `gr.Chatbot`; with `writing`, the last message is still streaming."""
    last = len(transcript.turns) - 1
    return [chat_message(turn, writing and i == last) for i, turn in enumerate(transcript.turns)]


def meter_frame(transcript: Transcript) -> pd.DataFrame:
    """One row per scored message: its number, spam probability in percent, and speaker."""
    scored = [(n, turn) for n, turn in enumerate(transcript.turns, start=1) if turn.spam_probability is not None]
    # Typed columns even when empty: the plot reads its axis types (numbers, not categories) from them.
    return pd.DataFrame({
        METER_COLUMNS[0]: pd.Series([n for n, _ in scored], dtype="int64"),
        METER_COLUMNS[1]: pd.Series([round(turn.spam_probability * 100, 1) for _, turn in scored], dtype="float64"),
        METER_COLUMNS[2]: pd.Series([PERSONAS[turn.speaker].label for _, turn in scored], dtype="object"),
    })


def meter_figure(transcript: Transcript) -> Figure:
    """The scam meter over the conversation: the conversation score so far as a line (the turn where it first
    crossed the line marked), and each message's own score as a faint dot colored by speaker."""
    frame = meter_frame(transcript)
    figure = Figure(figsize=(5, 2.3), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title("Scam meter: the conversation so far (line), each message (dots)", fontsize=8, loc="left", color="#374151")
    axes.axhline(50, color="#9ca3af", linestyle="--", linewidth=0.8)
    axes.text(0.01, 52, "likely scam above", transform=axes.get_yaxis_transform(), fontsize=7, color="#6b7280")
    if len(frame):
        x = frame[METER_COLUMNS[0]]
        for speaker, color in SPEAKER_COLORS.items():
            rows = frame[frame[METER_COLUMNS[2]] == speaker]
            if len(rows):
                axes.scatter(rows[METER_COLUMNS[0]], rows[METER_COLUMNS[1]], color=color, s=22, alpha=0.35, label=speaker, zorder=2)
        conversation = [(n, turn.conversation_score * 100) for n, turn in enumerate(transcript.turns, start=1)
                        if turn.conversation_score is not None]
        if conversation:
            axes.plot(*zip(*conversation), color="#7f1d1d", linewidth=1.8, marker="o", markersize=3, label="conversation", zorder=3)
        if transcript.first_flag_turn is not None:
            axes.axvline(transcript.first_flag_turn, color="#b91c1c", linewidth=1, linestyle=":", zorder=1)
            axes.text(transcript.first_flag_turn, 100, f" flagged at message {transcript.first_flag_turn}", fontsize=7,
                      color="#b91c1c", va="top")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
        axes.set_xlim(0.5, max(x) + 0.5)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        axes.set_xlim(0.5, 6.5)
        axes.text(0.5, 0.5, "no messages yet", transform=axes.transAxes, ha="center", va="center", fontsize=8, color="#6b7280")
        axes.set_xticks([])
    axes.set_ylim(-4, 104)
    axes.set_yticks([0, 50, 100])
    axes.set_xlabel("message", fontsize=8)
    axes.set_ylabel("spam %", fontsize=8)
    axes.tick_params(labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


NO_RED_FLAGS = "The rules found no red flags in this message. That is not proof of safety: scammers change their wording."


def red_flag_reasons(text: str) -> str:
    """Markdown, one bullet per red flag in `text`: its name, the words that tripped it (shown literally), and why."""
    if not text.strip():
        return "No message yet."
    return "\n".join(red_flag_reason_lines(text, show=escape_markdown)) or NO_RED_FLAGS


def last_message_flags(transcript: Transcript) -> tuple[list[tuple[str, str | None]], str]:
    """The last message cut into red-flag highlights, and the reasons for its flags."""
    text = transcript.turns[-1].text if transcript.turns else ""
    return highlight_segments(text), red_flag_reasons(text)
