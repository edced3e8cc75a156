"""Chat tab: role-play with an AI scammer or victim, with a scam meter and red flags on every message.

Plain handlers first (`ChatEvents`, around one engine), then the layout and its wiring
(`build_chat_tab`). Replies stream: a handler is a generator that yields the conversation as it grows.
Stop cancels the streaming event; Gradio then closes the handler's generator, which closes the
engine's stream, which stops the model producing tokens.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Any

import gradio as gr

from scamlab.engine import Engine, GenerationParams
from scamlab.engine.chat import DEFAULT_CANDIDATES
from scamlab.engine.errors import ClassBusyError, ModelLoadError
from scamlab.engine.scheduler import SchedulerLimits
from scamlab.personas import PERSONAS, get_persona, get_style
from scamlab.red_flags import red_flag_table_markdown
from scamlab.scenarios import DEFAULT_SCENARIO_ID, SCENARIOS, get_scenario
from scamlab.transcripts import Transcript, TranscriptError, Turn, from_file, to_json, to_markdown
from scamlab.ui import chat_actions as actions
from scamlab.ui.common import (
    RED_FLAG_COLORS,
    download_folder,
    escape_markdown,
    read_from_browser_js,
    user_error,
    warn,
    write_to_browser_js,
)
from scamlab.ui.rate_limit import Cost, RateLimiter, rate_limited
from scamlab.ui.widgets import (
    SIMULATION_BANNER,
    chat_messages,
    last_message_flags,
    meter_figure,
    persona_choices,
    scenario_choices,
    scenario_note,
    stage_strip,
    style_choices,
)

log = logging.getLogger(__name__)

CHAT_TAB_ID = "chat"
WATERMARK = "(scamlab simulation: not a real message)"
LIBRARY_KEY = "scamlab-library"  # localStorage key of the saved conversations (plain JSON)
API_ROLES = ("user", "assistant", "scammer", "victim")
_GENERATION = "chat-model"  # one concurrency group for everything that runs the chat model
# gr.HighlightedText breaks words anywhere (break-all); a message reads better broken between words.
# Its flag labels use a system font: the bundled bold face draws a capital A too small.
FLAG_STYLE = (
    "<style>#chat-red-flags .textfield { word-break: normal; overflow-wrap: anywhere; }"
    " #chat-red-flags .label { font-family: ui-sans-serif, system-ui, sans-serif; letter-spacing: 0.03em; }</style>"
)


def _user_error(error: Exception) -> gr.Error:
    return user_error(str(error), title="Chat")


def _warn(error: Exception, title: str = "Chat") -> None:
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
        raise _user_error(error) from None


def api_request(messages: list[dict[str, str]] | str, persona: str, style: str, scenario: str) -> list[dict[str, str]]:
    """The `/reply` endpoint's input checked: messages as a list or a JSON string; `ValueError` says what is wrong."""
    get_persona(persona), get_style(style), get_scenario(scenario)
    if isinstance(messages, str):
        try:
            messages = json.loads(messages) if messages.strip() else []
        except json.JSONDecodeError as error:
            raise ValueError(f"messages is not valid JSON ({error.msg} at line {error.lineno}).") from None
    if not isinstance(messages, list) or not messages:
        raise ValueError('messages is empty: send a list of {"role", "content"} messages, oldest first.')
    if len(messages) > actions.MAX_MESSAGES:
        raise ValueError(f"messages has {len(messages)} messages; the limit is {actions.MAX_MESSAGES}.")
    checked = []
    for number, message in enumerate(messages, start=1):
        if not isinstance(message, dict) or message.get("role") not in API_ROLES or not isinstance(message.get("content"), str):
            raise ValueError(f"Message {number} needs a role ({', '.join(API_ROLES)}) and text content.")
        if len(message["content"]) > actions.MAX_MESSAGE_CHARS:
            raise ValueError(
                f"Message {number} has {len(message['content']):,} characters; the limit is {actions.MAX_MESSAGE_CHARS:,}."
            )
        checked.append({"role": message["role"], "content": message["content"]})
    if not any(m["content"].strip() for m in checked):
        raise ValueError("Every message is empty: give at least one message some text.")
    return checked


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def transcript_files(transcript: Transcript) -> tuple[str | None, str | None]:
    """The handout (.md) and the transcript (.json) written to a fresh download folder (removed after an hour)."""
    if not transcript.turns:
        return None, None
    folder = download_folder("transcripts")
    # The title and id may come from an uploaded file: only [a-z0-9-] reach the file name.
    stem = "-".join(part for part in (_slug(transcript.title)[:40], _slug(transcript.id)[:24]) if part) or "conversation"
    markdown, data = folder / f"{stem}.md", folder / f"{stem}.json"
    markdown.write_text(to_markdown(transcript), encoding="utf-8")
    data.write_text(to_json(transcript), encoding="utf-8")
    return str(markdown), str(data)


def _controls(transcript: Transcript) -> tuple[Any, ...]:
    """Values for (persona, style, scenario) that show a conversation's settings."""
    styles = gr.update(choices=style_choices(transcript.persona), value=transcript.style)
    return transcript.persona, styles, transcript.scenario


def _or_new(transcript: Transcript | None) -> Transcript:
    return transcript or actions.starting_transcript(None, None, None)


class ChatEvents:
    """The tab's event handlers around one engine; each takes and returns plain values."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- running the model ---------------------------------------------------------------------------

    def stream_text(
        self, history: list[dict[str, str]], speaker: str, style: str, scenario: str, params: GenerationParams
    ) -> Iterator[tuple[str, str | None]]:
        """The engine's reply stream, (text so far, stage played), closed (so the model stops) however the
        consumer leaves."""
        backend = self.engine.chat_backend()
        before = getattr(backend, "tokens_generated", None)
        completed = False
        stream = self.engine.stream_staged_reply(history, speaker, style, scenario, params)
        try:
            yield from stream
            completed = True
        finally:
            stream.close()
            if not completed:
                made = "?" if before is None else backend.tokens_generated - before
                log.info("Reply stopped early after %s new tokens (limit %d).", made, params.max_new_tokens)

    def scored(self, transcript: Transcript) -> Transcript:
        """Every message with text given its spam probability (one classifier batch for the missing ones).

        A classifier failure leaves the messages unscored (shown without a meter) rather than losing the chat.
        """
        missing = actions.unscored(transcript)
        if missing:
            try:
                results = self.engine.batch_classify([transcript.turns[i].text for i in missing])
            except (ModelLoadError, ValueError, RuntimeError) as error:
                log.warning("Scam meter unavailable: %s", error)
                warn(f"The scam meter is unavailable: {error}")
                return transcript
            transcript = actions.with_scores(transcript, {i: r["probabilities"]["spam"] for i, r in zip(missing, results)})
        return self.with_conversation_scores(transcript)

    def with_conversation_scores(self, transcript: Transcript) -> Transcript:
        """Each message given P(scam | the conversation up to it), the scammer's side read as "them"."""
        positions = [i for i, turn in enumerate(transcript.turns) if turn.text.strip()]
        if all(transcript.turns[i].conversation_score is not None for i in positions):
            return transcript
        try:
            messages = [{"role": transcript.turns[i].speaker, "content": transcript.turns[i].text} for i in positions]
            scores = self.engine.score_conversation(messages)["turn_scores"]
        except (ModelLoadError, ValueError, RuntimeError) as error:
            log.warning("Conversation meter unavailable: %s", error)
            return transcript
        return actions.with_scores(transcript, dict(zip(positions, scores)), "conversation_score")

    def _play(
        self, transcript: Transcript, speakers: list[str], persona: str, style: str, scenario: str, params: GenerationParams
    ) -> Iterator[tuple[Any, ...]]:
        """Write one AI message per speaker, yielding (chatbot, transcript, meter, flags, reasons, stage strip) as
        text arrives."""
        skip = (gr.skip(), gr.skip(), gr.skip())
        transcript = replace(transcript, scenario=scenario, persona=persona, style=actions.valid_style(persona, style))
        if actions.unscored(transcript):
            transcript = self.scored(transcript)
            yield self.view(transcript)
        for speaker in speakers:
            try:
                actions.check_room(transcript)
            except actions.ChatLimitError as error:
                warn(str(error), title="Chat")
                return
            history = transcript.messages()
            transcript = transcript.with_turn(Turn(speaker, "", by_ai=True))
            yield (chat_messages(transcript, writing=True), transcript, *skip, gr.skip())
            speaker_style = actions.style_for(speaker, persona, style)
            try:
                with closing(self.stream_text(history, speaker, speaker_style, scenario, params)) as stream:
                    for text, stage in stream:
                        transcript = transcript.with_last_text(text, stage)
                        yield (chat_messages(transcript, writing=True), transcript, *skip, stage_strip(transcript))
            except (ModelLoadError, ClassBusyError, ValueError) as error:
                raise _user_error(error) from None
            if not transcript.turns[-1].text.strip():
                transcript = transcript.without_last()
                yield self.view(transcript)
                gr.Warning("The model wrote nothing this time. Press Retry, or change the seed in Settings.")
                return
            transcript = self.scored(transcript)
            yield self.view(transcript)

    def reply(self, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[tuple[Any, ...]]:
        """The AI answers as the chosen persona."""
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        yield from self._play(_or_new(transcript), [persona], persona, style, scenario, params)

    def answer(self, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[tuple[Any, ...]]:
        """The AI answers the person's last message (nothing to do when the last message is not the person's)."""
        if transcript and transcript.turns and not transcript.turns[-1].by_ai:
            yield from self.reply(transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates)

    def retry(self, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[tuple[Any, ...]]:
        """The AI's last message written again (or the person's last message answered)."""
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        try:
            transcript, speaker = actions.retry_point(_or_new(transcript), persona)
        except actions.ChatLimitError as error:
            _warn(error)
            return
        yield from self._play(transcript, [speaker], persona, style, scenario, params)

    def autoplay(self, count, transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates=DEFAULT_CANDIDATES) -> Iterator[tuple[Any, ...]]:
        """The AI plays both sides for `count` messages, carrying on from the last speaker."""
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        transcript = _or_new(transcript)
        first = actions.next_speaker(transcript)
        count = max(1, min(int(count), actions.AUTOPLAY_MAX))
        speakers = [first if i % 2 == 0 else PERSONAS[first].other_side for i in range(count)]
        yield from self._play(transcript, speakers, persona, style, scenario, params)

    # --- showing and saving ----------------------------------------------------------------------------

    def view(self, transcript: Transcript) -> tuple[Any, ...]:
        """(chatbot, transcript, meter, flags, reasons, stage strip) for a conversation."""
        segments, reasons = last_message_flags(transcript)
        return chat_messages(transcript), transcript, meter_figure(transcript), segments, reasons, stage_strip(transcript)

    def finalize(self, transcript: Transcript | None, library: actions.Library | None) -> tuple[Any, ...]:
        """Score what is unscored, save the conversation in the browser, and show it with its downloads."""
        transcript = self.scored(actions.finished(_or_new(transcript)))
        library = actions.stored(library, transcript)
        markdown, data = transcript_files(transcript)
        return (
            *self.view(transcript),
            gr.update(value=markdown, interactive=markdown is not None),
            gr.update(value=data, interactive=data is not None),
            gr.update(choices=actions.conversation_choices(library), value=transcript.id, interactive=True),
            transcript.title,
            library,
        )

    def describe_models(self) -> str:
        """Which models answer, and where (loads them on first use)."""
        lines = []
        for name, load in (("Chat model", self.engine.chat_backend), ("Scam meter", self.engine.classifier)):
            try:
                lines.append(f"**{name}:** {escape_markdown(load().describe())}")
            except Exception as error:  # shown, not raised: the page must still load
                lines.append(f"**{name}:** not available ({escape_markdown(str(error))})")
        # Model ids and errors come from settings, endpoints and the Hub: shown as text, never as Markdown.
        lines += [f"Warning: {escape_markdown(warning)}" for warning in self.engine.warnings]
        return "  \n".join(lines)

    # --- the API ---------------------------------------------------------------------------------------

    def api_reply(
        self,
        messages: list[dict[str, str]] | str,
        persona: str = "scammer",
        style: str = "neutral",
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
            checked = api_request(messages, persona, style, scenario)
        except ValueError as error:
            raise gr.Error(str(error), title="Bad request", print_exception=False) from None
        params = generation_params(temperature, top_p, max_new_tokens, seed, candidates)
        reply = ""
        try:
            # The first piece is "" while the candidates are written (a client can show "writing..." or cancel).
            for reply, _ in self.stream_text(checked, persona, style, scenario, params):
                yield reply
        except (ModelLoadError, ClassBusyError, ValueError) as error:
            raise _user_error(error) from None
        if not reply:
            raise gr.Error("The model wrote nothing this time; try again or change the seed.", print_exception=False)


def locking(handler: Any, width: int, count: int) -> Any:
    """`handler` (a generator of `width` values) that also disables `count` buttons with its first yield.

    While the AI writes, a second action on the same conversation would race it, so the actions wait
    (`finalize` enables them again). A handler with nothing to do still yields once, skipping every
    output: Gradio sets the outputs of a generator that never yields to empty.
    """

    @functools.wraps(handler)
    def run(*args: Any) -> Iterator[tuple[Any, ...]]:
        locks, yielded = tuple(gr.update(interactive=False) for _ in range(count)), False
        with closing(handler(*args)) as values:
            for value in values:
                yield (*value, *locks)
                locks, yielded = tuple(gr.skip() for _ in range(count)), True
        if not yielded:
            yield tuple(gr.skip() for _ in range(width + count))

    return run


# --- handlers that only change the conversation (no model) --------------------------------------------------


def send(text: str, transcript: Transcript | None, persona: str) -> tuple[Any, ...]:
    """The person's message added (the box empties); a limit keeps the text in the box and says why."""
    try:
        transcript = actions.add_person_message(_or_new(transcript), text, persona)
    except actions.ChatLimitError as error:
        _warn(error, "Not sent")
        return gr.skip(), gr.skip(), gr.skip()
    return "", transcript, chat_messages(transcript, writing=False)


def start_opening(transcript: Transcript | None, scenario: str, style: str) -> tuple[Any, ...]:
    """A new conversation (the current one stays saved) in which the AI scammer writes first."""
    current = _or_new(transcript)
    fresh = actions.starting_transcript(scenario, "scammer", style)
    opening = replace(fresh, id=current.id, title=current.title) if not current.turns else fresh
    return opening, chat_messages(opening), "scammer"


def new_conversation(transcript: Transcript | None, scenario: str, persona: str, style: str) -> Transcript:
    current = _or_new(transcript)
    return current if not current.turns else actions.starting_transcript(scenario, persona, style)


def undo(transcript: Transcript | None) -> tuple[Any, ...]:
    try:
        transcript, text = actions.undo(_or_new(transcript))
    except actions.ChatLimitError as error:
        _warn(error)
        return gr.skip(), gr.skip()
    return transcript, text if text else gr.skip()


def clear(transcript: Transcript | None) -> Transcript:
    return actions.clear(_or_new(transcript))


def rename(transcript: Transcript | None, title: str) -> Any:
    try:
        return actions.renamed(_or_new(transcript), title)
    except actions.ChatLimitError as error:
        _warn(error)
        return gr.skip()


def switch(transcript_id: str | None, library: actions.Library | None) -> tuple[Any, ...]:
    transcript = actions.saved(library, transcript_id) or actions.starting_transcript(None, None, None)
    return transcript, *_controls(transcript)


def delete(transcript: Transcript | None, library: actions.Library | None) -> tuple[Any, ...]:
    library = actions.removed(library, _or_new(transcript).id)
    transcript = actions.saved(library) or actions.starting_transcript(None, None, None)
    return transcript, library, *_controls(transcript)


def restore(library: actions.Library | None) -> tuple[Any, ...]:
    """The conversation that was open when the page was last left, or a fresh one.

    An open conversation without messages is not shared: another tab of this browser may be starting it, and two
    tabs writing under one id would overwrite each other. The new page gets a fresh one with the same settings.
    """
    transcript = actions.saved(library)
    if transcript is None:
        transcript = actions.starting_transcript(None, None, None)
    elif not transcript.turns:
        transcript = actions.starting_transcript(transcript.scenario, transcript.persona, transcript.style)
    return transcript, *_controls(transcript)


def import_transcript(path: str | None, library: actions.Library | None) -> tuple[Any, ...]:
    """A JSON transcript uploaded to be continued (scrubbed for display)."""
    try:
        if not path:
            raise TranscriptError("No file was uploaded.")
        transcript = actions.imported(from_file(path), library)
    except (TranscriptError, OSError) as error:
        _warn(error, "Cannot open that file")
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    return transcript, *_controls(transcript)


def open_with_message(text: str) -> tuple[Any, ...]:
    """Values for `ChatTab.opener_outputs`: a new conversation opened by `text` from the scammer."""
    try:
        transcript, notice = actions.opened_with(text)
    except actions.ChatLimitError as error:
        raise _user_error(error) from None
    if notice:
        warn(notice, title="Chat")
    segments, reasons = last_message_flags(transcript)
    return (
        transcript, chat_messages(transcript), *_controls(transcript), scenario_note(transcript.scenario),
        meter_figure(transcript), segments, reasons, stage_strip(transcript), transcript.id,
    )


def persona_changed(persona: str, style: str) -> Any:
    """Only the styles that suit the persona; the chosen style stays if it fits."""
    return gr.update(choices=style_choices(persona), value=actions.valid_style(persona, style))


@dataclass(frozen=True)
class ChatTab:
    """What other tabs need from the chat tab: its id, and how to open a conversation with a message."""

    opener_outputs: list[gr.components.Component]
    tab_id: str = CHAT_TAB_ID

    def open_with_message(self, text: str) -> tuple[Any, ...]:
        """Values for `opener_outputs`: a NEW conversation whose first message is `text` from the scammer;
        the AI then answers as the victim."""
        return open_with_message(text)


# --- layout and wiring -------------------------------------------------------------------------------------


ONE_REPLY = Cost(replies=1)


def autoplay_cost(count: Any, *_: Any) -> Cost:
    """Auto-play costs one chat reply per message it writes."""
    try:
        return Cost(replies=max(1, min(int(count), actions.AUTOPLAY_MAX)))
    except (TypeError, ValueError):
        return Cost(replies=1)


def import_cost(path: str | None, *_: Any) -> Cost:
    """An import costs each message the scam meter will score (a file it cannot read: nothing but the request)."""
    try:
        turns = len(from_file(path).turns) if path else 0
    except (TranscriptError, OSError, ValueError):
        turns = 0
    return Cost(messages=min(turns, actions.MAX_MESSAGES))


def build_chat_tab(engine: Engine, limiter: RateLimiter | None = None) -> ChatTab:
    """The chat tab: conversation, controls, scam meter, red flags, transcripts, settings and the `/reply` API.

    Every event that runs a model is charged to the person's allowances in `limiter` (default: the settings'):
    a reply each reply it writes, an import each message it has scored.
    """
    events = ChatEvents(engine)
    limiter = limiter or RateLimiter.from_settings(engine.settings)
    # With batching, replies from every session share the model's batch: let as many run as it holds.
    generating = {"concurrency_id": _GENERATION, "concurrency_limit": SchedulerLimits.max_batch if engine.settings.batching else "default"}
    empty = actions.starting_transcript(None, None, None)
    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Tab("Chat simulator", id=CHAT_TAB_ID):
        gr.HTML(SIMULATION_BANNER, head=FLAG_STYLE)
        # Saved conversations live in this browser's localStorage as plain JSON (not encrypted: see the README),
        # read afresh by every event that uses them and written back after every change.
        library = gr.JSON(actions.empty_library(), visible=False)
        transcript = gr.State(None)
        open_signal = gr.State("")  # set by "Open in chat" (classifier tab); its change starts the AI's answer
        # The controls sit in the right column but the example openers (left column) fill two of them.
        persona = gr.Radio(
            persona_choices(), value=empty.persona, label="The AI plays", render=False,
            info="You play the other side. Changes apply to the next reply.",
        )
        style = gr.Dropdown(style_choices(empty.persona), value=empty.style, label="Style", render=False)
        scenario = gr.Dropdown(scenario_choices(), value=empty.scenario, label="Scenario", render=False)
        with gr.Row():
            with gr.Column(scale=3, min_width=420):
                timeline = gr.HTML(stage_strip(empty), elem_id="stage-timeline", padding=False)
                chatbot = gr.Chatbot(
                    label="Conversation: scammer on the left, victim on the right",
                    watermark=WATERMARK, height=460, buttons=["copy", "copy_all"], feedback_options=None,
                    # Messages are escaped HTML (widgets.chat_message): no Markdown, no LaTeX from what anyone writes.
                    render_markdown=False, latex_delimiters=[],
                    placeholder="Press **AI opens** for a scam message to answer, send a message yourself, "
                    "or press **Auto-play** to watch the AI play both sides.",
                )
                # One starting line: Gradio sends on Enter only then (Shift+Enter starts a new line, up to 6).
                message = gr.Textbox(
                    label="Your message", lines=1, max_lines=6,
                    placeholder="Write as the side the AI does not play, then press Enter or Send "
                    "(Shift+Enter for a new line).",
                    info=f"Up to {actions.MAX_MESSAGE_CHARS:,} characters; a conversation holds up to "
                    f"{actions.MAX_MESSAGES} messages.",
                )
                with gr.Row():
                    # A separate Send button: the textbox's own submit button empties the box before a limit is checked.
                    send_button = gr.Button("Send", variant="primary", size="sm", min_width=80)
                    opens_button = gr.Button("AI opens", size="sm", min_width=80)
                    stop_button = gr.Button("Stop", variant="stop", size="sm", min_width=80)
                    retry_button = gr.Button("Retry", size="sm", min_width=80)
                    undo_button = gr.Button("Undo", size="sm", min_width=80)
                    clear_button = gr.Button("Clear", size="sm", min_width=80)
                with gr.Row(equal_height=True):
                    autoplay_count = gr.Slider(
                        2, actions.AUTOPLAY_MAX, value=actions.AUTOPLAY_DEFAULT, step=1, scale=3,
                        label="Auto-play: messages the AI writes for both sides",
                    )
                    autoplay_button = gr.Button("Auto-play", scale=1, min_width=100, size="md")
                gr.Examples(
                    [[opener, "victim", item.id] for item in SCENARIOS.values() for opener in item.openers],
                    inputs=[message, persona, scenario], visible_columns=[0], examples_per_page=6,
                    label="Scam messages to send yourself (the AI answers as the victim)", **private,
                )
            with gr.Column(scale=2, min_width=320):
                persona.render()
                style.render()
                scenario.render()
                note = gr.Markdown(scenario_note(empty.scenario))
                meter = gr.Plot(meter_figure(empty), label="Scam meter", show_label=False, format="png")
                flags = gr.HighlightedText(
                    label="Red flags in the last message", color_map=RED_FLAG_COLORS, show_legend=False,
                    combine_adjacent=True, elem_id="chat-red-flags",
                )
                flag_reasons = gr.Markdown()
                with gr.Accordion("All red-flag rules", open=False):
                    gr.Markdown(red_flag_table_markdown())
        with gr.Accordion("Conversations and transcripts", open=True):
            with gr.Row():
                picker = gr.Dropdown([], label="Saved in this browser", scale=3, allow_custom_value=False,
                                     info="Kept only in this browser, not encrypted: anyone using it can read them.")
                title = gr.Textbox(label="Name", scale=3)
                rename_button = gr.Button("Rename", scale=1, min_width=80, size="sm")
            with gr.Row():
                new_button = gr.Button("New conversation", size="sm")
                delete_button = gr.Button("Delete conversation", variant="stop", size="sm")
                download_markdown = gr.DownloadButton("Download handout (.md)", interactive=False, size="sm")
                download_json = gr.DownloadButton("Download transcript (.json)", interactive=False, size="sm")
                upload = gr.UploadButton("Continue a transcript (.json)", file_types=[".json"], size="sm")
        with gr.Accordion("Settings", open=False) as settings:
            with gr.Row():
                temperature = gr.Slider(0, 1.5, value=0.7, step=0.05, label="Temperature", info="0 = always the same reply")
                top_p = gr.Slider(0.05, 1, value=0.9, step=0.05, label="Top-p")
                max_new_tokens = gr.Slider(16, 256, value=80, step=8, label="Max new tokens")
                seed = gr.Number(0, precision=0, minimum=0, label="Seed (0 or empty = random)")
                candidates = gr.Slider(1, 5, value=DEFAULT_CANDIDATES, step=1, label="Candidates",
                                       info="Replies written at once; the one that best fits the scam stage is sent")
            model_info = gr.Markdown("Checking which models answer...")
        # Registered before the UI events so it keeps the name /reply (private events still reserve names).
        gr.api(rate_limited(limiter, events.api_reply, cost=ONE_REPLY), api_name="reply", **generating)

    view = [chatbot, transcript, meter, flags, flag_reasons, timeline]
    # Everything that changes the conversation waits while the AI writes (Stop stays available).
    locked = [
        message, send_button, opens_button, retry_button, undo_button, clear_button, autoplay_button,
        picker, rename_button, new_button, delete_button, upload,
    ]
    unlocked = [component for component in locked if component is not picker]  # finalize updates the picker anyway
    final = [*view, download_markdown, download_json, picker, title, library, *unlocked]
    controls = [persona, style, scenario]
    generation = [transcript, persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates]
    streaming = {**generating, "show_progress": "minimal", **private}
    # Over the rate limit, a toast and no change, like the tab's other limits (the API gets an error instead).
    answer, reply, retry, autoplay = (
        rate_limited(limiter, locking(handler, len(view), len(locked)), warn=True, cost=cost)
        for handler, cost in ((events.answer, ONE_REPLY), (events.reply, ONE_REPLY), (events.retry, ONE_REPLY),
                              (events.autoplay, autoplay_cost))
    )

    def finalize(current: Transcript | None, saved: actions.Library | None) -> tuple[Any, ...]:
        return (*events.finalize(current, saved), *(gr.update(interactive=True) for _ in unlocked))

    def then_finalize(dependency: Any) -> Any:
        finalized = dependency.then(finalize, [transcript, library], final, show_progress="hidden",
                                    js=read_from_browser_js(LIBRARY_KEY, 1), **private)
        finalized.then(None, library, None, js=write_to_browser_js(LIBRARY_KEY), **private)
        return finalized

    sent = gr.on(
        [message.submit, send_button.click], send, [message, transcript, persona], [message, transcript, chatbot],
        show_progress="hidden", **private,
    )
    answered = sent.success(answer, generation, [*view, *locked], **streaming)
    then_finalize(answered)
    opening = opens_button.click(start_opening, [transcript, scenario, style], [transcript, chatbot, persona], **private)
    opener = opening.success(reply, generation, [*view, *locked], **streaming)
    then_finalize(opener)
    opened = open_signal.change(reply, generation, [*view, *locked], **streaming)
    then_finalize(opened)
    retried = retry_button.click(retry, generation, [*view, *locked], **streaming)
    then_finalize(retried)
    autoplayed = autoplay_button.click(autoplay, [autoplay_count, *generation], [*view, *locked], **streaming)
    then_finalize(autoplayed)
    # Stop cancels the running reply: Gradio closes its generator, and with it the engine's stream.
    then_finalize(stop_button.click(None, None, None, cancels=[answered, opener, opened, retried, autoplayed], **private))

    then_finalize(undo_button.click(undo, transcript, [transcript, message], **private))
    then_finalize(gr.on([clear_button.click, chatbot.clear], clear, transcript, transcript, **private))
    then_finalize(new_button.click(new_conversation, [transcript, scenario, persona, style], transcript, **private))
    then_finalize(rename_button.click(rename, [transcript, title], transcript, **private))
    then_finalize(picker.input(switch, [picker, library], [transcript, *controls], js=read_from_browser_js(LIBRARY_KEY, 1),
                               **private))
    deleted = delete_button.click(delete, [transcript, library], [transcript, library, *controls],
                                  js=read_from_browser_js(LIBRARY_KEY, 1), **private)
    then_finalize(deleted.then(None, library, None, js=write_to_browser_js(LIBRARY_KEY), **private))
    imports = rate_limited(limiter, import_transcript, warn=True, cost=import_cost)
    then_finalize(upload.upload(imports, [upload, library], [transcript, *controls],
                                js=read_from_browser_js(LIBRARY_KEY, 1), **private))

    persona.change(persona_changed, [persona, style], style, show_progress="hidden", **private)
    scenario.change(scenario_note, scenario, note, show_progress="hidden", **private)
    settings.expand(events.describe_models, None, model_info, show_progress="hidden", **private)  # after a model switch

    # On page load: the conversation left open, then (slow on first use) which models answer.
    loaded = gr.on(None, lambda: gr.skip(), None, model_info, **private)
    then_finalize(loaded.then(restore, library, [transcript, *controls], js=read_from_browser_js(LIBRARY_KEY, 0), **private)).then(
        events.describe_models, None, model_info, show_progress="hidden", **private
    )

    opener_outputs = [transcript, chatbot, *controls, note, meter, flags, flag_reasons, timeline, open_signal]
    return ChatTab(opener_outputs=opener_outputs)
