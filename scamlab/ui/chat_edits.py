"""The chat tab's handlers that change the conversation or the saved conversations without running a model.

Each takes and returns plain values; a limit shows a toast and changes nothing (`gr.skip()`). `open_with_message`
is what "Open in chat" (classifier tab) calls.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import gradio as gr

from scamlab.transcripts import Transcript, TranscriptError, from_file
from scamlab.ui import chat_state
from scamlab.ui.chat_events import chat_error, chat_warning
from scamlab.ui.common import warn
from scamlab.ui.rate_limit import Cost
from scamlab.ui.transcript_display import chat_messages, last_message_flags, meter_figure, scenario_note, stage_strip, style_choices


def _controls(transcript: Transcript) -> tuple[Any, ...]:
    """Values for (persona, style, scenario) that show a conversation's settings."""
    styles = gr.update(choices=style_choices(transcript.persona), value=transcript.style)
    return transcript.persona, styles, transcript.scenario


def send(text: str, transcript: Transcript | None, persona: str) -> tuple[Any, ...]:
    """The person's message added (the box empties); a limit keeps the text in the box and says why."""
    try:
        transcript = chat_state.add_person_message(chat_state.or_new(transcript), text, persona)
    except chat_state.ChatLimitError as error:
        chat_warning(error, "Not sent")
        return gr.skip(), gr.skip(), gr.skip()
    return "", transcript, chat_messages(transcript, writing=False)


def start_opening(transcript: Transcript | None, scenario: str, style: str) -> tuple[Any, ...]:
    """A new conversation (the current one stays saved) in which the AI scammer writes first."""
    current = chat_state.or_new(transcript)
    fresh = chat_state.starting_transcript(scenario, "scammer", style)
    opening = replace(fresh, id=current.id, title=current.title) if not current.turns else fresh
    return opening, chat_messages(opening), "scammer"


def new_conversation(transcript: Transcript | None, scenario: str, persona: str, style: str) -> Transcript:
    """A fresh conversation with the current controls (the current one if it has no messages yet)."""
    current = chat_state.or_new(transcript)
    return current if not current.turns else chat_state.starting_transcript(scenario, persona, style)


def undo(transcript: Transcript | None) -> tuple[Any, ...]:
    """The last message taken back; a message the person wrote goes back into the box."""
    try:
        transcript, text = chat_state.undo(chat_state.or_new(transcript))
    except chat_state.ChatLimitError as error:
        chat_warning(error)
        return gr.skip(), gr.skip()
    return transcript, text if text else gr.skip()


def clear(transcript: Transcript | None) -> Transcript:
    """The same conversation with no messages."""
    return chat_state.clear(chat_state.or_new(transcript))


def rename(transcript: Transcript | None, title: str) -> Any:
    """The conversation under a new name (an empty name: a toast, no change)."""
    try:
        return chat_state.renamed(chat_state.or_new(transcript), title)
    except chat_state.ChatLimitError as error:
        chat_warning(error)
        return gr.skip()


def switch(transcript_id: str | None, library: chat_state.Library | None) -> tuple[Any, ...]:
    """The saved conversation picked, with its settings in the controls."""
    transcript = chat_state.saved(library, transcript_id) or chat_state.starting_transcript(None, None, None)
    return transcript, *_controls(transcript)


def delete(transcript: Transcript | None, library: chat_state.Library | None) -> tuple[Any, ...]:
    """The library without the open conversation, and the most recent one left (or a fresh one) opened."""
    library = chat_state.removed(library, chat_state.or_new(transcript).id)
    transcript = chat_state.saved(library) or chat_state.starting_transcript(None, None, None)
    return transcript, library, *_controls(transcript)


def restore(library: chat_state.Library | None) -> tuple[Any, ...]:
    """The conversation that was open when the page was last left, or a fresh one.

    An open conversation without messages is not shared: another tab of this browser may be starting it, and two
    tabs writing under one id would overwrite each other. The new page gets a fresh one with the same settings.
    """
    transcript = chat_state.saved(library)
    if transcript is None:
        transcript = chat_state.starting_transcript(None, None, None)
    elif not transcript.turns:
        transcript = chat_state.starting_transcript(transcript.scenario, transcript.persona, transcript.style)
    return transcript, *_controls(transcript)


def import_transcript(path: str | None, library: chat_state.Library | None) -> tuple[Any, ...]:
    """A JSON transcript uploaded to be continued (scrubbed for display)."""
    try:
        if not path:
            raise TranscriptError("No file was uploaded.")
        transcript = chat_state.imported(from_file(path), library)
    except (TranscriptError, OSError) as error:
        chat_warning(error, "Cannot open that file")
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    return transcript, *_controls(transcript)


def open_with_message(text: str) -> tuple[Any, ...]:
    """Values for `ChatTab.opener_outputs`: a new conversation opened by `text` from the scammer."""
    try:
        transcript, notice = chat_state.opened_with(text)
    except chat_state.ChatLimitError as error:
        raise chat_error(error) from None
    if notice:
        warn(notice, title="Chat")
    segments, reasons = last_message_flags(transcript)
    return (
        transcript, chat_messages(transcript), *_controls(transcript), scenario_note(transcript.scenario),
        meter_figure(transcript), segments, reasons, stage_strip(transcript), transcript.id,
    )


def persona_changed(persona: str, style: str) -> Any:
    """Only the styles that suit the persona; the chosen style stays if it fits."""
    return gr.update(choices=style_choices(persona), value=chat_state.valid_style(persona, style))


def import_cost(path: str | None, *_: Any) -> Cost:
    """An import costs each message the scam meter will score (a file it cannot read: nothing but the request)."""
    try:
        turns = len(from_file(path).turns) if path else 0
    except (TranscriptError, OSError, ValueError):
        turns = 0
    return Cost(messages=min(turns, chat_state.MAX_MESSAGES))

