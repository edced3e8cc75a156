"""Chat transcripts: the stored conversation, its Markdown handout and its JSON file.

A `Transcript` is one role-play conversation. Each `Turn` names its speaker by persona id
(`scammer` or `victim`), not by chat role, so the same transcript can be continued with the AI on
either side, or with the AI playing both. `to_json` / `from_json` round-trip a transcript exactly;
`from_json` raises `TranscriptError` (a `ValueError`) with a message a teacher can act on.

The classroom limits live here because a transcript is where they hold: at most `MAX_MESSAGES` messages of
at most `MAX_MESSAGE_CHARS` characters. A file or saved copy is checked against them before any work is
done on its messages, and a file over `MAX_TRANSCRIPT_BYTES` is refused before it is parsed. Read
transcripts get an id that is safe in a file name and no lone surrogates (so they can be saved again).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scamlab.personas import PERSONAS, STYLES, Message
from scamlab.red_flags import flagged_rules, red_flag_reason_lines, red_flag_table_markdown
from scamlab.scenarios import SCENARIOS, get_scenario
from scamlab.text_patterns import compile_pattern, searchable
from scamlab.verdicts import LIKELY_SCAM, verdict_for

FORMAT = "scamlab-transcript"
FORMAT_VERSION = 1
SPEAKERS = ("scammer", "victim")
API_ROLES = ("user", "assistant", *SPEAKERS)  # what a `/reply` caller may name a message's author

MAX_MESSAGES = 40  # in one conversation: the chat, an imported file, the /reply API
MAX_MESSAGE_CHARS = 1_000  # in one message, typed or written by the AI
MAX_TRANSCRIPT_BYTES = 256 * 1024  # a transcript file; 40 long messages with emoji fit well within it
MAX_TITLE_CHARS = 80
MAX_ID_CHARS = 32
_NOT_ID_CHARACTERS = compile_pattern("[^a-z0-9]+")


class TranscriptError(ValueError):
    """A transcript file scamlab cannot read; the message says what is wrong with it."""


@dataclass(frozen=True)
class Turn:
    """One message: who sent it, whether the AI wrote it, and its spam probability once scored."""

    speaker: str
    text: str
    by_ai: bool = True
    spam_probability: float | None = None
    stage: str | None = None  # the scam stage and tactic (or the victim's move) the AI played, e.g. "Ask: ..."
    conversation_score: float | None = None  # P(scam | the conversation up to this message), once scored


@dataclass(frozen=True)
class Transcript:
    """One conversation with the settings it was played with (`persona` is the side the AI plays)."""

    id: str
    title: str
    scenario: str
    persona: str
    style: str
    turns: tuple[Turn, ...] = ()
    created: str = ""

    def messages(self) -> list[Message]:
        """The conversation as `{"role": persona id, "content"}` messages, empty turns left out."""
        return [{"role": turn.speaker, "content": turn.text} for turn in self.turns if turn.text.strip()]

    def with_turn(self, turn: Turn) -> Transcript:
        return replace(self, turns=(*self.turns, turn))

    def with_last_text(self, text: str, stage: str | None = None) -> Transcript:
        """The last turn's text (and, when given, its stage) replaced while a reply streams in."""
        last = replace(self.turns[-1], text=text, spam_probability=None, conversation_score=None,
                       stage=stage or self.turns[-1].stage)
        return replace(self, turns=(*self.turns[:-1], last))

    @property
    def first_flag_turn(self) -> int | None:
        """The 1-based message where the conversation score first reached the "likely scam" line, or None."""
        return next((n for n, turn in enumerate(self.turns, start=1)
                     if turn.conversation_score is not None and turn.conversation_score >= LIKELY_SCAM), None)

    def without_last(self, count: int = 1) -> Transcript:
        return replace(self, turns=self.turns[: max(0, len(self.turns) - count)])


def other_side(speaker: str) -> str:
    """`victim` for `scammer` and the other way round."""
    return PERSONAS[speaker].other_side


def new_id() -> str:
    """A short random id for a conversation."""
    return uuid.uuid4().hex[:12]


def safe_id(value: str) -> str:
    """`value` as an id safe in a file name: lower-case letters, digits and dashes, at most `MAX_ID_CHARS`.

    A fresh id when nothing usable is left (`"x/../.."` gives `"x"`, `"../.."` a new id).
    """
    return _NOT_ID_CHARACTERS.sub("-", searchable(value[:MAX_ID_CHARS]).lower()).strip("-") or new_id()


def new_transcript(
    scenario: str, persona: str, style: str, title: str | None = None, turns: tuple[Turn, ...] = ()
) -> Transcript:
    """A fresh conversation with a new id, titled after its scenario and start time unless given a title."""
    now = datetime.now().astimezone()
    title = title or f"{get_scenario(scenario).title} ({now:%d %b %H:%M})"
    return Transcript(new_id(), title, scenario, persona, style, turns, now.isoformat(timespec="seconds"))


# --- Markdown handout ------------------------------------------------------------------------------------


def speaker_label(turn: Turn) -> str:
    """`Scammer (AI)`, `Victim (person)`..."""
    return f"{PERSONAS[turn.speaker].label} ({'AI' if turn.by_ai else 'person'})"


def score_label(spam_probability: float | None) -> str:
    """`scam meter 87% (Scam)`, or `not scored` before the classifier has seen the message."""
    if spam_probability is None:
        return "not scored"
    return f"scam meter {spam_probability:.0%} ({verdict_for(spam_probability)})"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines() or [""])


def _first_flag(transcript: Transcript) -> str:
    if transcript.first_flag_turn is not None:
        return f"message {transcript.first_flag_turn}"
    scored = any(turn.conversation_score is not None for turn in transcript.turns)
    return "never (it stayed below the line)" if scored else "not scored"


def to_markdown(transcript: Transcript) -> str:
    """A classroom handout: scenario, who the AI played, each turn with its score and red flags."""
    scenario = get_scenario(transcript.scenario)
    lines = [
        f"# Scam-awareness handout: {transcript.title}",
        "",
        "> **SIMULATION.** This conversation was written in a classroom exercise, partly or wholly by an AI. "
        "It is not a real message; links and numbers in it are placeholders.",
        "",
        f"- **Scenario:** {scenario.title}: {scenario.description}",
        f"- **The AI played:** {PERSONAS[transcript.persona].label} (style: {STYLES[transcript.style].label})",
        f"- **Messages:** {len(transcript.turns)}",
        f"- **Started:** {transcript.created or 'unknown'}",
        f"- **The scam meter first flagged the conversation at:** {_first_flag(transcript)}",
        "",
        "## Conversation",
    ]
    for number, turn in enumerate(transcript.turns, start=1):
        lines += ["", f"### {number}. {speaker_label(turn)}: {score_label(turn.spam_probability)}", "", _quote(turn.text), ""]
        if turn.stage:
            lines += [f"Stage: **{turn.stage}**", ""]
        flags = red_flag_reason_lines(turn.text)
        if flags:
            lines += ["Red flags:", *flags]
        else:
            lines.append("Red flags: none found by the rules.")
    rules = flagged_rules("\n".join(turn.text for turn in transcript.turns))
    lines += ["", "## Red flags to remember", ""]
    if rules:
        lines.append(red_flag_table_markdown(rules))
    else:
        lines.append("The rules found no red flags in this conversation. Scams can still hide in plain words.")
    return "\n".join(lines) + "\n"


# --- JSON ------------------------------------------------------------------------------------------------


def to_dict(transcript: Transcript) -> dict[str, Any]:
    """The transcript as plain JSON-ready data (the JSON file and the browser's saved copy)."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "id": transcript.id,
        "title": transcript.title,
        "scenario": transcript.scenario,
        "persona": transcript.persona,
        "style": transcript.style,
        "created": transcript.created,
        "turns": [
            {"speaker": t.speaker, "text": t.text, "by_ai": t.by_ai, "spam_probability": t.spam_probability,
             **({"conversation_score": t.conversation_score} if t.conversation_score is not None else {}),
             **({"stage": t.stage} if t.stage else {})}
            for t in transcript.turns
        ],
    }


def to_json(transcript: Transcript) -> str:
    return json.dumps(to_dict(transcript), ensure_ascii=False, indent=2) + "\n"


def _field(data: dict[str, Any], name: str, kind: type, where: str = "the transcript") -> Any:
    """`data[name]` checked to be a `kind`; text comes back without lone surrogates."""
    value = data.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TranscriptError(f"Not a usable transcript: {where} needs {name!r} as {kind.__name__}, got {value!r:.60}.")
    return searchable(value) if isinstance(value, str) else value


def _choice(data: dict[str, Any], name: str, allowed: dict[str, object]) -> str:
    value = _field(data, name, str)
    if value not in allowed:
        raise TranscriptError(f"Not a usable transcript: unknown {name} {value!r}; use one of: {', '.join(allowed)}.")
    return value


def _turn_from_dict(data: object, number: int) -> Turn:
    where = f"message {number}"
    if not isinstance(data, dict):
        raise TranscriptError(f"Not a usable transcript: {where} must be an object with speaker and text.")
    speaker = _field(data, "speaker", str, where)
    if speaker not in SPEAKERS:
        raise TranscriptError(f"Not a usable transcript: {where} has speaker {speaker!r}; use scammer or victim.")
    probability, conversation_score = _probability(data, "spam_probability", where), _probability(data, "conversation_score", where)
    by_ai = data.get("by_ai", True)
    if not isinstance(by_ai, bool):
        raise TranscriptError(f"Not a usable transcript: {where} has by_ai {by_ai!r}; use true or false.")
    text = _field(data, "text", str, where)
    if len(text) > MAX_MESSAGE_CHARS:
        raise TranscriptError(
            f"Not a usable transcript: {where} has {len(text):,} characters; "
            f"the limit is {MAX_MESSAGE_CHARS:,} characters per message."
        )
    stage = data.get("stage")
    if stage is not None and (not isinstance(stage, str) or len(stage) > MAX_TITLE_CHARS * 2):
        raise TranscriptError(f"Not a usable transcript: {where} has stage {stage!r:.60}; use a short text or leave it out.")
    return Turn(speaker, text, by_ai, probability, searchable(stage) if stage else None, conversation_score)


def _probability(data: dict[str, Any], name: str, where: str) -> float | None:
    """`data[name]` as a probability (None when absent); `TranscriptError` when it is not one."""
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise TranscriptError(f"Not a usable transcript: {where} has {name} {value!r}; use 0 to 1 or null.")
    return float(value)


def from_dict(data: object) -> Transcript:
    """A transcript from `to_dict`'s shape; `TranscriptError` naming the first problem otherwise."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TranscriptError(f"Not a scamlab transcript: expected a JSON object with \"format\": \"{FORMAT}\".")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= FORMAT_VERSION:
        raise TranscriptError(f"Unsupported transcript version {version!r}; this scamlab reads version {FORMAT_VERSION}.")
    turns = _field(data, "turns", list)
    if len(turns) > MAX_MESSAGES:
        raise TranscriptError(
            f"This transcript has {len(turns):,} messages; a conversation holds at most {MAX_MESSAGES}. "
            "Remove some messages and upload it again."
        )
    created = data.get("created")
    return Transcript(
        id=safe_id(_field(data, "id", str)),
        title=_field(data, "title", str)[:MAX_TITLE_CHARS],
        scenario=_choice(data, "scenario", SCENARIOS),
        persona=_choice(data, "persona", PERSONAS),
        style=_choice(data, "style", STYLES),
        turns=tuple(_turn_from_dict(turn, number) for number, turn in enumerate(turns, start=1)),
        created=searchable(created[:40]) if isinstance(created, str) else "",
    )


def checked_messages(messages: list[Message] | str) -> list[Message]:
    """Messages sent to the `/reply` API (a list, or a JSON string of one), held to the transcript limits;
    `ValueError` says what is wrong and how to fix it."""
    if isinstance(messages, str):
        try:
            messages = json.loads(messages) if messages.strip() else []
        except json.JSONDecodeError as error:
            raise ValueError(f"messages is not valid JSON ({error.msg} at line {error.lineno}).") from None
    if not isinstance(messages, list) or not messages:
        raise ValueError('messages is empty: send a list of {"role", "content"} messages, oldest first.')
    if len(messages) > MAX_MESSAGES:
        raise ValueError(f"messages has {len(messages)} messages; the limit is {MAX_MESSAGES}.")
    checked = []
    for number, message in enumerate(messages, start=1):
        if not isinstance(message, dict) or message.get("role") not in API_ROLES or not isinstance(message.get("content"), str):
            raise ValueError(f"Message {number} needs a role ({', '.join(API_ROLES)}) and text content.")
        if len(message["content"]) > MAX_MESSAGE_CHARS:
            raise ValueError(f"Message {number} has {len(message['content']):,} characters; the limit is {MAX_MESSAGE_CHARS:,}.")
        checked.append({"role": message["role"], "content": message["content"]})
    if not any(m["content"].strip() for m in checked):
        raise ValueError("Every message is empty: give at least one message some text.")
    return checked


def write_files(transcript: Transcript, folder: Path) -> tuple[str, str]:
    """The handout (.md) and the transcript (.json) written into `folder`; their paths.

    The title and id may come from an uploaded file: only [a-z0-9-] reach the file names.
    """
    stem = "-".join(part for part in (safe_id(transcript.title)[:40], safe_id(transcript.id)[:24]) if part)
    markdown, data = folder / f"{stem}.md", folder / f"{stem}.json"
    markdown.write_text(to_markdown(transcript), encoding="utf-8")
    data.write_text(to_json(transcript), encoding="utf-8")
    return str(markdown), str(data)


def _kilobytes(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def from_json(text: str | bytes) -> Transcript:
    """Read a transcript written by `to_json`; `TranscriptError` (a `ValueError`) on anything else.

    Text over `MAX_TRANSCRIPT_BYTES` is refused before it is parsed.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError(
            f"The transcript is {_kilobytes(size)}; the limit is {_kilobytes(MAX_TRANSCRIPT_BYTES)} "
            f"({MAX_MESSAGES} messages of up to {MAX_MESSAGE_CHARS:,} characters fit well within it)."
        )
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        where = f" (line {error.lineno}, column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        raise TranscriptError(f"Not a scamlab transcript: the file is not valid JSON{where}.") from None
    except RecursionError:
        raise TranscriptError("Not a scamlab transcript: the JSON is nested too deeply.") from None
    return from_dict(data)


def from_file(path: str | Path) -> Transcript:
    """Read a transcript file, refusing one over `MAX_TRANSCRIPT_BYTES` before reading it."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_TRANSCRIPT_BYTES:
        limit = _kilobytes(MAX_TRANSCRIPT_BYTES)
        raise TranscriptError(f"The file is {_kilobytes(size)}; the limit is {limit} per transcript.")
    return from_json(path.read_bytes())
