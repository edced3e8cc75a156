"""The chat tab's handlers that change the conversation or the saved conversations without running a model.

Each takes plain values and returns `Updates` keyed by component name; a limit shows a toast and changes
nothing. `open_with_message` is what "Open in chat" (classifier tab) calls.
"""

from __future__ import annotations

from dataclasses import replace

import gradio as gr

from scamlab.transcripts import Transcript, TranscriptError, from_file
from scamlab.ui import chat_state
from scamlab.ui.chat_events import Updates, chat_error, chat_warning, view
from scamlab.ui.common import warn
from scamlab.ui.rate_limit import Cost
from scamlab.ui.transcript_display import chat_messages, scenario_note, style_choices


def unchanged() -> Updates:
    """An update that changes nothing. Gradio reads an empty dict as a value: this skips one output by name,
    which leaves them all as they are."""
    return {"transcript": gr.skip()}


def opened(transcript: Transcript) -> Updates:
    """The conversation, with its settings (persona, style, scenario) in the controls."""
    styles = gr.update(choices=style_choices(transcript.persona), value=transcript.style)
    return {"transcript": transcript, "persona": transcript.persona, "style": styles, "scenario": transcript.scenario}


def send(text: str, transcript: Transcript | None, persona: str) -> Updates:
    """The person's message added (the box empties); a limit keeps the text in the box and says why."""
    try:
        transcript = chat_state.add_person_message(chat_state.or_new(transcript), text, persona)
    except chat_state.ChatLimitError as error:
        chat_warning(error, "Not sent")
        return unchanged()
    return {"message": "", "transcript": transcript, "chatbot": chat_messages(transcript, writing=False)}


def start_opening(transcript: Transcript | None, scenario: str, style: str) -> Updates:
    """A new conversation (the current one stays saved) in which the AI scammer writes first."""
    current = chat_state.or_new(transcript)
    fresh = chat_state.starting_transcript(scenario, "scammer", style)
    opening = replace(fresh, id=current.id, title=current.title) if not current.turns else fresh
    return {"transcript": opening, "chatbot": chat_messages(opening), "persona": "scammer"}


def new_conversation(transcript: Transcript | None, scenario: str, persona: str, style: str) -> Updates:
    """A fresh conversation with the current controls (the current one if it has no messages yet)."""
    current = chat_state.or_new(transcript)
    return {"transcript": current if not current.turns else chat_state.starting_transcript(scenario, persona, style)}


def undo(transcript: Transcript | None) -> Updates:
    """The last message taken back; a message the person wrote goes back into the box."""
    try:
        transcript, text = chat_state.undo(chat_state.or_new(transcript))
    except chat_state.ChatLimitError as error:
        chat_warning(error)
        return unchanged()
    return {"transcript": transcript, "message": text} if text else {"transcript": transcript}


def clear(transcript: Transcript | None) -> Updates:
    """The same conversation with no messages."""
    return {"transcript": chat_state.clear(chat_state.or_new(transcript))}


def rename(transcript: Transcript | None, title: str) -> Updates:
    """The conversation under a new name (an empty name: a toast, no change)."""
    try:
        return {"transcript": chat_state.renamed(chat_state.or_new(transcript), title)}
    except chat_state.ChatLimitError as error:
        chat_warning(error)
        return unchanged()


def switch(transcript_id: str | None, library: chat_state.Library | None) -> Updates:
    """The saved conversation picked, with its settings in the controls."""
    return opened(chat_state.saved(library, transcript_id) or chat_state.starting_transcript(None, None, None))


def delete(transcript: Transcript | None, library: chat_state.Library | None) -> Updates:
    """The library without the open conversation, and the most recent one left (or a fresh one) opened."""
    library = chat_state.removed(library, chat_state.or_new(transcript).id)
    return {**opened(chat_state.saved(library) or chat_state.starting_transcript(None, None, None)), "library": library}


def restore(library: chat_state.Library | None) -> Updates:
    """The conversation that was open when the page was last left, or a fresh one.

    An open conversation without messages is not shared: another tab of this browser may be starting it, and two
    tabs writing under one id would overwrite each other. The new page gets a fresh one with the same settings.
    """
    transcript = chat_state.saved(library)
    if transcript is None:
        transcript = chat_state.starting_transcript(None, None, None)
    elif not transcript.turns:
        transcript = chat_state.starting_transcript(transcript.scenario, transcript.persona, transcript.style)
    return opened(transcript)


def import_transcript(path: str | None, library: chat_state.Library | None) -> Updates:
    """A JSON transcript uploaded to be continued (scrubbed for display)."""
    try:
        if not path:
            raise TranscriptError("No file was uploaded.")
        transcript = chat_state.imported(from_file(path), library)
    except (TranscriptError, OSError) as error:
        chat_warning(error, "Cannot open that file")
        return unchanged()
    return opened(transcript)


def open_with_message(text: str) -> Updates:
    """A new conversation opened by `text` from the scammer, shown with its settings and scenario note; the
    change of `open_signal` (the conversation's id) starts the AI's answer."""
    try:
        transcript, notice = chat_state.opened_with(text)
    except chat_state.ChatLimitError as error:
        raise chat_error(error) from None
    if notice:
        warn(notice, title="Chat")
    return {**view(transcript), **opened(transcript), "note": scenario_note(transcript.scenario),
            "open_signal": transcript.id}


def persona_changed(persona: str, style: str) -> Updates:
    """Only the styles that suit the persona; the chosen style stays if it fits."""
    return {"style": gr.update(choices=style_choices(persona), value=chat_state.valid_style(persona, style))}


def import_cost(path: str | None, *_: object) -> Cost:
    """An import costs each message the scam meter will score (a file it cannot read: nothing but the request)."""
    try:
        turns = len(from_file(path).turns) if path else 0
    except (TranscriptError, OSError, ValueError):
        turns = 0
    return Cost(messages=min(turns, chat_state.MAX_MESSAGES))

