"""What the chat tab's buttons do to a conversation, as plain functions (no Gradio, no model).

Classroom limits (from scamlab.transcripts): a conversation holds at most `MAX_MESSAGES` messages and a
person's message at most `MAX_MESSAGE_CHARS` characters. Breaking one raises `ChatLimitError`, whose message
the tab shows as it is. The saved-conversations library is plain JSON data kept in the browser.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from scamlab.personas import DEFAULT_PERSONA_ID, DEFAULT_STYLE_ID, PERSONAS, STYLES, styles_for
from scamlab.safety import scrub_contact_points
from scamlab.scenarios import DEFAULT_SCENARIO_ID, SCENARIOS
from scamlab.transcripts import (
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES,
    Transcript,
    TranscriptError,
    Turn,
    from_dict,
    new_id,
    new_transcript,
    other_side,
    to_dict,
)
from scamlab.verdicts import SCAM_TAGS

AUTOPLAY_DEFAULT = 6
AUTOPLAY_MAX = 12
MAX_SAVED_CONVERSATIONS = 30

# Scam-type tags whose id is not already a scenario id.
_TAG_SCENARIOS = {"credentials": "bank", "banking": "bank", "delivery": "parcel"}

Library = dict[str, Any]
"""`{"active": transcript id or None, "conversations": [transcript dicts, most recent first]}`"""


class ChatLimitError(ValueError):
    """A classroom limit stops this action; the message says which and what to do."""


# --- checks ----------------------------------------------------------------------------------------------


def check_message(text: str | None) -> str:
    """The person's message, stripped; `ChatLimitError` when empty or over `MAX_MESSAGE_CHARS`."""
    text = (text or "").strip()
    if not text:
        raise ChatLimitError("Type a message first.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ChatLimitError(
            f"Your message is {len(text):,} characters; the limit is {MAX_MESSAGE_CHARS:,}. "
            "Shorten it and press Send again: your text is still in the box."
        )
    return text


def check_room(transcript: Transcript, needed: int = 1) -> None:
    """`ChatLimitError` when `needed` more messages would pass `MAX_MESSAGES`."""
    if len(transcript.turns) + needed > MAX_MESSAGES:
        raise ChatLimitError(
            f"This conversation has {len(transcript.turns)} messages and the classroom limit is {MAX_MESSAGES}, "
            "so it cannot grow further. Download it, or start a new conversation."
        )


def style_for(speaker: str, persona: str, style: str) -> str:
    """The chosen style for the AI's persona; `neutral` for the other side (auto-play) or a style that does not fit."""
    fits = style in {s.id for s in styles_for(speaker)}
    return style if speaker == persona and fits else DEFAULT_STYLE_ID


def valid_style(persona: str, style: str | None) -> str:
    """`style` if it suits `persona`, else `neutral`."""
    return style if style in {s.id for s in styles_for(persona)} else DEFAULT_STYLE_ID


# --- editing ---------------------------------------------------------------------------------------------


def add_person_message(transcript: Transcript, text: str, persona: str) -> Transcript:
    """The person's message (checked, contact points scrubbed) added on the side the AI does not play."""
    text = check_message(text)
    check_room(transcript, needed=2)
    return replace(transcript, persona=persona).with_turn(Turn(other_side(persona), scrub_contact_points(text), by_ai=False))


def undo(transcript: Transcript) -> tuple[Transcript, str]:
    """Drop the person's last message and the AI's answers after it, giving its text back for editing.

    A conversation the AI wrote alone (auto-play, "AI opens") loses its last message instead.
    """
    for position in range(len(transcript.turns) - 1, -1, -1):
        if not transcript.turns[position].by_ai:
            return transcript.without_last(len(transcript.turns) - position), transcript.turns[position].text
    if not transcript.turns:
        raise ChatLimitError("Nothing to undo: the conversation is empty.")
    return transcript.without_last(), ""


def retry_point(transcript: Transcript, persona: str) -> tuple[Transcript, str]:
    """The conversation to answer again and who answers: the AI's last message is removed and rewritten.

    When the last message is the person's (say, a reply was stopped before it began), the AI answers it.
    """
    if not transcript.turns:
        raise ChatLimitError("Nothing to retry: the conversation is empty. Press \"AI opens\" or send a message.")
    last = transcript.turns[-1]
    if last.by_ai:
        return transcript.without_last(), last.speaker
    return transcript, persona


def clear(transcript: Transcript) -> Transcript:
    """The same conversation (id, title, settings) with no messages."""
    return replace(transcript, turns=())


def next_speaker(transcript: Transcript) -> str:
    """Who writes next when the AI plays both sides: the scammer opens, then the sides alternate."""
    return other_side(transcript.turns[-1].speaker) if transcript.turns else "scammer"


def finished(transcript: Transcript) -> Transcript:
    """Without empty messages (a reply stopped before its first word)."""
    return replace(transcript, turns=tuple(turn for turn in transcript.turns if turn.text.strip()))


def unscored(transcript: Transcript) -> list[int]:
    """Positions of the messages that have no spam probability yet."""
    return [i for i, turn in enumerate(transcript.turns) if turn.spam_probability is None and turn.text.strip()]


def with_scores(transcript: Transcript, scores: dict[int, float], field: str = "spam_probability") -> Transcript:
    """The transcript with a score (`spam_probability` or `conversation_score`) set at the given positions."""
    turns = tuple(
        replace(turn, **{field: scores[i]}) if i in scores else turn for i, turn in enumerate(transcript.turns)
    )
    return replace(transcript, turns=turns)


def scenario_for_message(text: str) -> str:
    """The scenario a pasted scam message most looks like (by the scam-type keywords), else the default."""
    for tag in SCAM_TAGS:
        scenario = _TAG_SCENARIOS.get(tag.id, tag.id)
        if scenario in SCENARIOS and tag.found_in(text):
            return scenario
    return DEFAULT_SCENARIO_ID


def opened_with(text: str) -> tuple[Transcript, str | None]:
    """A new conversation that starts with `text` from the scammer, the AI to answer as the victim.

    Text over `MAX_MESSAGE_CHARS` is cut; the second value then says so.
    """
    text = (text or "").strip()
    if not text:
        raise ChatLimitError("There is no message to open in the chat: type or paste one first.")
    notice = None
    if len(text) > MAX_MESSAGE_CHARS:
        notice = f"The message has {len(text):,} characters; the chat opened its first {MAX_MESSAGE_CHARS:,}."
        text = text[:MAX_MESSAGE_CHARS]
    first = Turn("scammer", scrub_contact_points(text), by_ai=False)
    return new_transcript(scenario_for_message(text), "victim", DEFAULT_STYLE_ID, turns=(first,)), notice


def imported(transcript: Transcript, library: Library | None) -> Transcript:
    """An uploaded transcript made safe to show (contact points scrubbed), with a fresh id if that id is taken."""
    turns = tuple(replace(turn, text=scrub_contact_points(turn.text)) for turn in transcript.turns)
    taken = {entry["id"] for entry in _entries(library)}
    return replace(transcript, turns=turns, id=new_id() if transcript.id in taken else transcript.id)


# --- the saved-conversations library (kept in the browser) -----------------------------------------------


def empty_library() -> Library:
    return {"active": None, "conversations": []}


def _entries(library: Library | None) -> list[dict[str, Any]]:
    """The library's readable conversations (at most `MAX_SAVED_CONVERSATIONS`), each checked as an import is.

    The library comes back from the browser, where anyone can edit it: every entry is read by `from_dict`
    (types, caps, safe ids, no lone surrogates) and written out again; anything else is dropped.
    """
    entries = library.get("conversations") if isinstance(library, dict) else None
    checked = []
    for entry in entries[:MAX_SAVED_CONVERSATIONS] if isinstance(entries, list) else []:
        try:
            checked.append(to_dict(from_dict(entry)))
        except TranscriptError:
            continue
    return checked


def stored(library: Library | None, transcript: Transcript) -> Library:
    """The library with `transcript` saved first and active; the oldest drop out past `MAX_SAVED_CONVERSATIONS`.

    Other conversations without messages are dropped: one empty conversation (the open one) is enough.
    """
    others = [entry for entry in _entries(library) if entry.get("id") != transcript.id and entry.get("turns")]
    return {"active": transcript.id, "conversations": [to_dict(transcript), *others][:MAX_SAVED_CONVERSATIONS]}


def removed(library: Library | None, transcript_id: str) -> Library:
    """The library without that conversation; the most recent other one becomes active."""
    others = [entry for entry in _entries(library) if entry.get("id") != transcript_id]
    return {"active": others[0].get("id") if others else None, "conversations": others}


def saved(library: Library | None, transcript_id: str | None = None) -> Transcript | None:
    """The saved conversation with that id (default: the active one); None if missing or unreadable."""
    wanted = transcript_id or (library.get("active") if isinstance(library, dict) else None)
    return next((from_dict(entry) for entry in _entries(library) if entry["id"] == wanted), None)


def _count(messages: int) -> str:
    return "1 message" if messages == 1 else f"{messages} messages"


def conversation_choices(library: Library | None) -> list[tuple[str, str]]:
    """(title, id) pairs for the conversation picker, most recent first."""
    return [
        (f"{entry.get('title') or 'Untitled'} · {_count(len(entry.get('turns') or []))}", entry["id"])
        for entry in _entries(library)
        if isinstance(entry.get("id"), str)
    ]


def renamed(transcript: Transcript, title: str | None) -> Transcript:
    title = " ".join((title or "").split())[:80]
    if not title:
        raise ChatLimitError("Type a name for the conversation first.")
    return replace(transcript, title=title)


def starting_transcript(scenario: str | None, persona: str | None, style: str | None) -> Transcript:
    """An empty conversation with the current controls (unknown values fall back to the defaults)."""
    scenario = scenario if scenario in SCENARIOS else DEFAULT_SCENARIO_ID
    persona = persona if persona in PERSONAS else DEFAULT_PERSONA_ID
    style = valid_style(persona, style if style in STYLES else None)
    return new_transcript(scenario, persona, style)


def or_new(transcript: Transcript | None) -> Transcript:
    """`transcript`, or (before the page has one) an empty conversation with the default settings."""
    return transcript or starting_transcript(None, None, None)
