"""The chat tab's handlers that run the model: `ChatEvents` (around one engine), and what they share.

Handlers return (or yield) `Updates`: values keyed by the names of the tab's components (`ChatLayout`'s
fields); the tab maps the names to components with `keyed`, and a name left out keeps its component as it is.
Replies stream: a handler is a generator that yields the conversation as it grows. Stop cancels the streaming
event; Gradio then closes the handler's generator, which closes the engine's stream, which stops the model
producing tokens. The handlers that only change the conversation are in `scamlab.ui.chat_edits`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import replace
from typing import Any

import gradio as gr

from scamlab.engine import Engine, GenerationParams, ReplyRequest
from scamlab.engine.chat import DEFAULT_CANDIDATES
from scamlab.engine.errors import ClassBusyError, ModelLoadError
from scamlab.personas import DEFAULT_PERSONA_ID, DEFAULT_STYLE_ID, PERSONAS, get_persona, get_style
from scamlab.scenarios import DEFAULT_SCENARIO_ID, get_scenario
from scamlab.transcripts import Transcript, Turn, checked_messages, write_files
from scamlab.ui import chat_state
from scamlab.ui.common import download_folder, models_markdown, user_error, warn, warnings_markdown
from scamlab.ui.rate_limit import Cost
from scamlab.ui.transcript_display import chat_messages, last_message_flags, meter_figure, stage_strip

log = logging.getLogger(__name__)

ONE_REPLY = Cost(replies=1)

Updates = dict[str, Any]
"""New values (or `gr.update`s) keyed by component name."""

VIEW = ("chatbot", "transcript", "meter", "flags", "flag_reasons", "timeline")
"""What `view` fills."""
LOCKED = ("message", "send_button", "opens_button", "retry_button", "undo_button", "clear_button",
          "autoplay_button", "picker", "rename_button", "new_button", "delete_button", "upload")
"""Everything that changes the conversation: it waits while the AI writes (Stop stays available)."""


def chat_error(error: Exception) -> gr.Error:
    """`error` as the chat tab's error toast."""
    return user_error(str(error), title="Chat")


def chat_warning(error: Exception, title: str = "Chat") -> None:
    """A limit or a "nothing to do" as a toast; the event then changes nothing (no error badges on the outputs)."""
    warn(str(error), title=title)


def generation_params(temperature: float, top_p: float, max_new_tokens: float, seed: float | None,
                      candidates: float = DEFAULT_CANDIDATES) -> GenerationParams:
    """The settings accordion as `GenerationParams`; a seed of 0 or empty means random."""
    try:
        return GenerationParams(
            max_new_tokens=int(max_new_tokens), temperature=float(temperature), top_p=float(top_p),
            seed=int(seed) if seed else None, candidates=int(candidates),
        )
    except (TypeError, ValueError) as error:
        raise chat_error(error) from None


def view(transcript: Transcript) -> Updates:
    """A conversation shown: its messages, the transcript, the meter, the last message's red flags and their
    reasons, and the stage strip (`VIEW`)."""
    segments, reasons = last_message_flags(transcript)
    return {"chatbot": chat_messages(transcript), "transcript": transcript, "meter": meter_figure(transcript),
            "flags": segments, "flag_reasons": reasons, "timeline": stage_strip(transcript)}


def writing(transcript: Transcript) -> Updates:
    """A conversation whose last message the AI is still writing (the meter and flags wait for the end)."""
    return {"chatbot": chat_messages(transcript, writing=True), "transcript": transcript}


class ChatEvents:
    """The tab's event handlers around one engine; each takes plain values and returns (or yields) `Updates`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- running the model ---------------------------------------------------------------------------

    def stream_text(
        self, history: list[dict[str, str]], speaker: str, style: str, scenario: str, params: GenerationParams
    ) -> Iterator[tuple[str, str | None]]:
        """The engine's reply stream, (text so far, stage played); closing it stops the model."""
        return self.engine.stream_staged_reply(ReplyRequest(history, speaker, style, scenario, params))

    def scored(self, transcript: Transcript) -> Transcript:
        """Every message with text given its spam probability (one classifier batch for the missing ones).

        A classifier failure leaves the messages unscored (shown without a meter) rather than losing the chat.
        """
        missing = chat_state.unscored(transcript)
        if missing:
            try:
                results = self.engine.batch_classify([transcript.turns[i].text for i in missing])
            except (ModelLoadError, ValueError, RuntimeError) as error:
                log.warning("Scam meter unavailable: %s", error)
                warn(f"The scam meter is unavailable: {error}")
                return transcript
            # A message the classifier cannot read (control characters only) stays unscored.
            scores = {i: r["probabilities"]["spam"] for i, r in zip(missing, results) if "error" not in r}
            transcript = chat_state.with_scores(transcript, scores)
        return self.with_conversation_scores(transcript)

    def with_conversation_scores(self, transcript: Transcript) -> Transcript:
        """Each message given P(scam | the conversation up to it), the scammer's side read as "them"."""
        positions = [i for i, turn in enumerate(transcript.turns) if turn.text.strip()]
        if all(transcript.turns[i].conversation_score is not None for i in positions):
            return transcript
        try:
            scores = self.engine.score_conversation(transcript.messages())["turn_scores"]  # the same non-empty turns
        except (ModelLoadError, ValueError, RuntimeError) as error:
            log.warning("Conversation meter unavailable: %s", error)
            return transcript
        return chat_state.with_scores(transcript, dict(zip(positions, scores)), "conversation_score")

    def _play(
        self, transcript: Transcript, speakers: list[str], persona: str, style: str, scenario: str, params: GenerationParams
    ) -> Iterator[Updates]:
        """Write one AI message per speaker, yielding the `VIEW` as text arrives (while a message is written,
        only its text and the stage strip change)."""
        transcript = replace(transcript, scenario=scenario, persona=persona, style=chat_state.valid_style(persona, style))
        if chat_state.unscored(transcript):
            transcript = self.scored(transcript)
            yield view(transcript)
        for speaker in speakers:
            try:
                chat_state.check_room(transcript)
            except chat_state.ChatLimitError as error:
                warn(str(error), title="Chat")
                return
            history = transcript.messages()
            transcript = transcript.with_turn(Turn(speaker, "", by_ai=True))
            yield writing(transcript)
            speaker_style = chat_state.style_for(speaker, persona, style)
            try:
                with closing(self.stream_text(history, speaker, speaker_style, scenario, params)) as stream:
                    for text, stage in stream:
                        transcript = transcript.with_last_text(text, stage)
                        yield {**writing(transcript), "timeline": stage_strip(transcript)}
            except (ModelLoadError, ClassBusyError, ValueError) as error:
                raise chat_error(error) from None
            if not transcript.turns[-1].text.strip():
                transcript = transcript.without_last()
                yield view(transcript)
                gr.Warning("The model wrote nothing this time. Press Retry, or change the seed in Settings.")
                return
            transcript = self.scored(transcript)
            yield view(transcript)

    def reply(self, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[Updates]:
        """The AI answers as the chosen persona."""
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        yield from self._play(chat_state.or_new(transcript), [persona], persona, style, scenario, params)

    def answer(self, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[Updates]:
        """The AI answers the person's last message (nothing to do when the last message is not the person's)."""
        if transcript and transcript.turns and not transcript.turns[-1].by_ai:
            yield from self.reply(transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates)

    def retry(self, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[Updates]:
        """The AI's last message written again (or the person's last message answered)."""
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        try:
            transcript, speaker = chat_state.retry_point(chat_state.or_new(transcript), persona)
        except chat_state.ChatLimitError as error:
            chat_warning(error)
            return
        yield from self._play(transcript, [speaker], persona, style, scenario, params)

    def autoplay(self, count, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[Updates]:
        """The AI plays both sides for `count` messages, carrying on from the last speaker."""
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        transcript = chat_state.or_new(transcript)
        first = chat_state.next_speaker(transcript)
        count = max(1, min(int(count), chat_state.AUTOPLAY_MAX))
        speakers = [first if i % 2 == 0 else PERSONAS[first].other_side for i in range(count)]
        yield from self._play(transcript, speakers, persona, style, scenario, params)

    # --- showing and saving ----------------------------------------------------------------------------

    def finalize(self, transcript: Transcript | None, library: chat_state.Library | None) -> Updates:
        """Score what is unscored, save the conversation in the browser, show it with its downloads and its
        name, and enable the `LOCKED` actions again."""
        transcript = self.scored(chat_state.finished(chat_state.or_new(transcript)))
        library = chat_state.stored(library, transcript)
        markdown, data = write_files(transcript, download_folder("transcripts")) if transcript.turns else (None, None)
        return {
            **{name: gr.update(interactive=True) for name in LOCKED},
            **view(transcript),
            "download_markdown": gr.update(value=markdown, interactive=markdown is not None),
            "download_json": gr.update(value=data, interactive=data is not None),
            "picker": gr.update(choices=chat_state.conversation_choices(library), value=transcript.id, interactive=True),
            "title": transcript.title,
            "library": library,
        }

    def describe_models(self) -> str:
        """Which models answer, and where (loads them on first use)."""
        status = self.engine.status()
        return "\n\n".join(part for part in (models_markdown(status), warnings_markdown(status.warnings)) if part)

    # --- the API ---------------------------------------------------------------------------------------

    def api_reply(
        self,
        messages: list[dict[str, str]] | str,
        persona: str = DEFAULT_PERSONA_ID,
        style: str = DEFAULT_STYLE_ID,
        scenario: str = DEFAULT_SCENARIO_ID,
        temperature: float = 0.7,
        top_p: float = 0.9,
        max_new_tokens: int = 80,
        seed: int = 0,
        candidates: int = DEFAULT_CANDIDATES,
    ) -> Iterator[str]:
        """The persona's next message, streamed (the text so far). `messages`: [{"role", "content"}] as a list
        or JSON, oldest first; role is user/assistant or scammer/victim. persona: scammer or victim. Contact
        points come back as placeholders such as [LINK]. Seed 0 means random. candidates (1-5): replies written
        at once, the best one sent."""
        try:
            get_persona(persona), get_style(style), get_scenario(scenario)
            checked = checked_messages(messages)
        except ValueError as error:
            raise gr.Error(str(error), title="Bad request", print_exception=False) from None
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        reply = ""
        try:
            # The first piece is "" while the candidates are written (a client can show "writing..." or cancel).
            for reply, _ in self.stream_text(checked, persona, style, scenario, params):
                yield reply
        except (ModelLoadError, ClassBusyError, ValueError) as error:
            raise chat_error(error) from None
        if not reply:
            raise gr.Error("The model wrote nothing this time; try again or change the seed.", print_exception=False)


def locking(handler: Callable[..., Iterator[Updates]]) -> Callable[..., Iterator[Updates]]:
    """`handler` (a generator of `Updates`) that also disables the `LOCKED` actions with its first update.

    While the AI writes, a second action on the same conversation would race it, so the actions wait
    (`ChatEvents.finalize` enables them again). A handler with nothing to do still yields once, an update that
    changes nothing: Gradio sets the outputs of a generator that never yields to empty.
    """

    @functools.wraps(handler)
    def run(*args: Any) -> Iterator[Updates]:
        locks = {name: gr.update(interactive=False) for name in LOCKED}
        with closing(handler(*args)) as updates:
            for update in updates:
                yield {**update, **locks}
                locks = {}
        if locks:  # nothing was yielded
            yield {name: gr.skip() for name in LOCKED}

    return run


def autoplay_cost(count: Any, *_: Any) -> Cost:
    """Auto-play costs one chat reply per message it writes."""
    try:
        return Cost(replies=max(1, min(int(count), chat_state.AUTOPLAY_MAX)))
    except (TypeError, ValueError):
        return Cost(replies=1)

