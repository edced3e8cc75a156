"""Chat tab: role-play with an AI scammer or victim, with a scam meter and red flags on every message.

Layout and wiring only: `build_chat_tab` lays out the components (`ChatLayout`) and wires their events. The
handlers are in `scamlab.ui.chat_events` (those that run the model) and `scamlab.ui.chat_edits` (those that
only change the conversation); their values are keyed by `ChatLayout`'s field names, and `keyed` hands them to
the components.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import gradio as gr

from scamlab.engine import Engine
from scamlab.engine.chat import DEFAULT_CANDIDATES
from scamlab.engine.scheduler import SchedulerLimits
from scamlab.red_flags import red_flag_table_markdown
from scamlab.scenarios import SCENARIOS
from scamlab.transcripts import Transcript
from scamlab.ui import chat_state
from scamlab.ui import chat_edits as edits
from scamlab.ui.chat_events import LOCKED, ONE_REPLY, VIEW, ChatEvents, autoplay_cost, locking
from scamlab.ui.common import PRIVATE, RED_FLAG_COLORS, keyed, read_from_browser_js, write_to_browser_js
from scamlab.ui.rate_limit import RateLimiter, rate_limited
from scamlab.ui.transcript_display import (
    SIMULATION_BANNER,
    meter_figure,
    persona_choices,
    scenario_choices,
    scenario_note,
    stage_strip,
    style_choices,
)

CHAT_TAB_ID = "chat"
WATERMARK = "(scamlab simulation: not a real message)"
LIBRARY_KEY = "scamlab-library"  # localStorage key of the saved conversations (plain JSON)
_GENERATION = "chat-model"  # one concurrency group for everything that runs the chat model
# gr.HighlightedText breaks words anywhere (break-all); a message reads better broken between words.
# Its flag labels use a system font: the bundled bold face draws a capital A too small.
FLAG_STYLE = (
    "<style>#chat-red-flags .textfield { word-break: normal; overflow-wrap: anywhere; }"
    " #chat-red-flags .label { font-family: ui-sans-serif, system-ui, sans-serif; letter-spacing: 0.03em; }</style>"
)

Component = gr.components.Component
CONTROLS = ("persona", "style", "scenario")
# What "Open in chat" (classifier tab) fills: the conversation, its settings, and the signal for the AI's answer.
OPENER = ("transcript", "chatbot", *CONTROLS, "note", "meter", "flags", "flag_reasons", "timeline", "open_signal")


@dataclass(frozen=True)
class ChatTab:
    """What other tabs need from the chat tab: its id, and how to open a conversation with a message."""

    opener: dict[str, Component]
    tab_id: str = CHAT_TAB_ID

    @property
    def opener_outputs(self) -> list[Component]:
        """The components `open_with_message` fills, in the order of its values."""
        return list(self.opener.values())

    def open_with_message(self, text: str) -> tuple[Any, ...]:
        """Values for `opener_outputs`: a NEW conversation whose first message is `text` from the scammer;
        the AI then answers as the victim."""
        opened = edits.open_with_message(text)
        return tuple(opened[name] for name in self.opener)


@dataclass(frozen=True)
class ChatLayout:
    """The chat tab's components, by name, and the groups of them that events share."""

    library: gr.JSON
    transcript: gr.State
    open_signal: gr.State
    persona: gr.Radio
    style: gr.Dropdown
    scenario: gr.Dropdown
    timeline: gr.HTML
    chatbot: gr.Chatbot
    message: gr.Textbox
    send_button: gr.Button
    opens_button: gr.Button
    stop_button: gr.Button
    retry_button: gr.Button
    undo_button: gr.Button
    clear_button: gr.Button
    autoplay_count: gr.Slider
    autoplay_button: gr.Button
    note: gr.Markdown
    meter: gr.Plot
    flags: gr.HighlightedText
    flag_reasons: gr.Markdown
    picker: gr.Dropdown
    title: gr.Textbox
    rename_button: gr.Button
    new_button: gr.Button
    delete_button: gr.Button
    download_markdown: gr.DownloadButton
    download_json: gr.DownloadButton
    upload: gr.UploadButton
    settings: gr.Accordion
    temperature: gr.Slider
    top_p: gr.Slider
    max_new_tokens: gr.Slider
    seed: gr.Number
    candidates: gr.Slider
    model_info: gr.Markdown

    def by_name(self, *names: str) -> dict[str, Component]:
        """The components with these field names (default: all) under their names, the keys of handlers' values."""
        return {name: getattr(self, name) for name in names or (field.name for field in fields(self))}

    def pick(self, *names: str) -> list[Component]:
        """The components with these field names, in order, each once: an event's outputs."""
        return list(self.by_name(*names).values())

    @property
    def controls(self) -> list[Component]:
        """Persona, style and scenario."""
        return self.pick(*CONTROLS)

    @property
    def generation(self) -> list[Component]:
        """The inputs of every handler that writes a reply."""
        return [self.transcript, *self.controls, self.temperature, self.top_p, self.max_new_tokens, self.seed,
                self.candidates]


def build_chat_tab(engine: Engine, limiter: RateLimiter | None = None) -> ChatTab:
    """The chat tab: conversation, controls, scam meter, red flags, transcripts, settings and the `/reply` API.

    Every event that runs a model is charged to the person's allowances in `limiter` (default: the settings'):
    a reply each reply it writes, an import each message it has scored.
    """
    events = ChatEvents(engine)
    limiter = limiter or RateLimiter.from_settings(engine.settings)
    # With batching, replies from every session share the model's batch: let as many run as it holds.
    generating = {"concurrency_id": _GENERATION, "concurrency_limit": SchedulerLimits.max_batch if engine.settings.batching else "default"}
    with gr.Tab("Chat simulator", id=CHAT_TAB_ID):
        ui = _layout()
        # Registered before the UI events so it keeps the name /reply (private events still reserve names).
        gr.api(rate_limited(limiter, events.api_reply, cost=ONE_REPLY, name="reply"), api_name="reply", **generating)
    then_finalize = _finalizer(events, ui)
    _wire_replies(events, ui, limiter, generating, then_finalize)
    _wire_conversations(ui, limiter, then_finalize)
    _wire_page(events, ui, then_finalize)
    return ChatTab(opener=ui.by_name(*OPENER))


# --- layout --------------------------------------------------------------------------------------------------


def _layout() -> ChatLayout:
    """Every component of the tab, laid out."""
    empty = chat_state.starting_transcript(None, None, None)
    gr.HTML(SIMULATION_BANNER, head=FLAG_STYLE)
    # Saved conversations live in this browser's localStorage as plain JSON (not encrypted: see the README),
    # read afresh by every event that uses them and written back after every change.
    parts: dict[str, Any] = {"library": gr.JSON(chat_state.empty_library(), visible=False), "transcript": gr.State(None)}
    parts["open_signal"] = gr.State("")  # set by "Open in chat" (classifier tab); its change starts the AI's answer
    # The controls sit in the right column but the example openers (left column) fill two of them.
    parts["persona"] = gr.Radio(
        persona_choices(), value=empty.persona, label="The AI plays", render=False,
        info="You play the other side. Changes apply to the next reply.",
    )
    parts["style"] = gr.Dropdown(style_choices(empty.persona), value=empty.style, label="Style", render=False)
    parts["scenario"] = gr.Dropdown(scenario_choices(), value=empty.scenario, label="Scenario", render=False)
    with gr.Row():
        with gr.Column(scale=3, min_width=420):
            parts |= _conversation_column(empty, parts["persona"], parts["scenario"])
        with gr.Column(scale=2, min_width=320):
            parts |= _side_column(empty, parts["persona"], parts["style"], parts["scenario"])
    with gr.Accordion("Conversations and transcripts", open=True):
        parts |= _library_rows()
    with gr.Accordion("Settings", open=False) as settings:
        parts |= _settings_row()
    return ChatLayout(settings=settings, **parts)


def _conversation_column(empty: Transcript, persona: gr.Radio, scenario: gr.Dropdown) -> dict[str, Any]:
    """The stage strip, the conversation, the message box, the action buttons, auto-play and the examples."""
    parts: dict[str, Any] = {"timeline": gr.HTML(stage_strip(empty), elem_id="stage-timeline", padding=False)}
    parts["chatbot"] = gr.Chatbot(
        label="Conversation: scammer on the left, victim on the right",
        watermark=WATERMARK, height=460, buttons=["copy", "copy_all"], feedback_options=None,
        # Messages are escaped HTML (transcript_display.chat_message): no Markdown, no LaTeX from what anyone writes.
        render_markdown=False, latex_delimiters=[],
        placeholder="Press **AI opens** for a scam message to answer, send a message yourself, "
        "or press **Auto-play** to watch the AI play both sides.",
    )
    # One starting line: Gradio sends on Enter only then (Shift+Enter starts a new line, up to 6).
    parts["message"] = gr.Textbox(
        label="Your message", lines=1, max_lines=6,
        placeholder="Write as the side the AI does not play, then press Enter or Send "
        "(Shift+Enter for a new line).",
        info=f"Up to {chat_state.MAX_MESSAGE_CHARS:,} characters; a conversation holds up to "
        f"{chat_state.MAX_MESSAGES} messages.",
    )
    with gr.Row():
        # A separate Send button: the textbox's own submit button empties the box before a limit is checked.
        parts["send_button"] = gr.Button("Send", variant="primary", size="sm", min_width=80)
        parts["opens_button"] = gr.Button("AI opens", size="sm", min_width=80)
        parts["stop_button"] = gr.Button("Stop", variant="stop", size="sm", min_width=80)
        parts["retry_button"] = gr.Button("Retry", size="sm", min_width=80)
        parts["undo_button"] = gr.Button("Undo", size="sm", min_width=80)
        parts["clear_button"] = gr.Button("Clear", size="sm", min_width=80)
    with gr.Row(equal_height=True):
        parts["autoplay_count"] = gr.Slider(
            2, chat_state.AUTOPLAY_MAX, value=chat_state.AUTOPLAY_DEFAULT, step=1, scale=3,
            label="Auto-play: messages the AI writes for both sides",
        )
        parts["autoplay_button"] = gr.Button("Auto-play", scale=1, min_width=100, size="md")
    gr.Examples(
        [[opener, "victim", item.id] for item in SCENARIOS.values() for opener in item.openers],
        inputs=[parts["message"], persona, scenario], visible_columns=[0], examples_per_page=6,
        label="Scam messages to send yourself (the AI answers as the victim)", **PRIVATE,
    )
    return parts


def _side_column(empty: Transcript, persona: gr.Radio, style: gr.Dropdown, scenario: gr.Dropdown) -> dict[str, Any]:
    """The controls, the scenario note, the scam meter and the red flags of the last message."""
    persona.render()
    style.render()
    scenario.render()
    parts: dict[str, Any] = {"note": gr.Markdown(scenario_note(empty.scenario))}
    parts["meter"] = gr.Plot(meter_figure(empty), label="Scam meter", show_label=False, format="png")
    parts["flags"] = gr.HighlightedText(
        label="Red flags in the last message", color_map=RED_FLAG_COLORS, show_legend=False,
        combine_adjacent=True, elem_id="chat-red-flags",
    )
    parts["flag_reasons"] = gr.Markdown()
    with gr.Accordion("All red-flag rules", open=False):
        gr.Markdown(red_flag_table_markdown())
    return parts


def _library_rows() -> dict[str, Any]:
    """The saved conversations: picker, name, new, delete, downloads and upload."""
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
    return {"picker": picker, "title": title, "rename_button": rename_button, "new_button": new_button,
            "delete_button": delete_button, "download_markdown": download_markdown, "download_json": download_json,
            "upload": upload}


def _settings_row() -> dict[str, Any]:
    """The generation settings, and which models answer."""
    with gr.Row():
        parts: dict[str, Any] = {
            "temperature": gr.Slider(0, 1.5, value=0.7, step=0.05, label="Temperature", info="0 = always the same reply"),
            "top_p": gr.Slider(0.05, 1, value=0.9, step=0.05, label="Top-p"),
            "max_new_tokens": gr.Slider(16, 256, value=80, step=8, label="Max new tokens"),
            "seed": gr.Number(0, precision=0, minimum=0, label="Seed (0 or empty = random)"),
            "candidates": gr.Slider(1, 5, value=DEFAULT_CANDIDATES, step=1, label="Candidates",
                                    info="Replies written at once; the one that best fits the scam stage is sent"),
        }
    parts["model_info"] = gr.Markdown("Checking which models answer...")
    return parts


# --- wiring ----------------------------------------------------------------------------------------------------


def _finalizer(events: ChatEvents, ui: ChatLayout) -> Callable[[Any], Any]:
    """`then_finalize(event)`: after `event`, the conversation scored, saved in the browser and shown with its
    downloads, and the locked actions enabled again."""
    finalize = keyed(events.finalize, ui.by_name())
    final = ui.pick(*VIEW, "download_markdown", "download_json", "picker", "title", "library", *LOCKED)

    def then_finalize(dependency: Any) -> Any:
        finalized = dependency.then(finalize, [ui.transcript, ui.library], final, show_progress="hidden",
                                    js=read_from_browser_js(LIBRARY_KEY, 1), **PRIVATE)
        finalized.then(None, ui.library, None, js=write_to_browser_js(LIBRARY_KEY), **PRIVATE)
        return finalized

    return then_finalize


def _wire_replies(events: ChatEvents, ui: ChatLayout, limiter: RateLimiter, generating: dict[str, Any],
                  then_finalize: Callable[[Any], Any]) -> None:
    """Send, AI opens, Open in chat, Retry and Auto-play (each writes replies, then finalizes), and Stop."""
    named, shown = ui.by_name(), ui.pick(*VIEW, *LOCKED)
    streaming = {**generating, "show_progress": "minimal", **PRIVATE}
    # Over the rate limit, a toast and no change, like the tab's other limits (the API gets an error instead).
    answer, reply, retry, autoplay = (
        rate_limited(limiter, keyed(locking(handler), named), warn=True, cost=cost)
        for handler, cost in ((events.answer, ONE_REPLY), (events.reply, ONE_REPLY), (events.retry, ONE_REPLY),
                              (events.autoplay, autoplay_cost))
    )
    sent = gr.on(
        [ui.message.submit, ui.send_button.click], keyed(edits.send, named), [ui.message, ui.transcript, ui.persona],
        ui.pick("message", "transcript", "chatbot"), show_progress="hidden", **PRIVATE,
    )
    answered = sent.success(answer, ui.generation, shown, **streaming)
    then_finalize(answered)
    opening = ui.opens_button.click(keyed(edits.start_opening, named), [ui.transcript, ui.scenario, ui.style],
                                    ui.pick("transcript", "chatbot", "persona"), **PRIVATE)
    opener = opening.success(reply, ui.generation, shown, **streaming)
    then_finalize(opener)
    opened = ui.open_signal.change(reply, ui.generation, shown, **streaming)
    then_finalize(opened)
    retried = ui.retry_button.click(retry, ui.generation, shown, **streaming)
    then_finalize(retried)
    autoplayed = ui.autoplay_button.click(autoplay, [ui.autoplay_count, *ui.generation], shown, **streaming)
    then_finalize(autoplayed)
    # Stop cancels the running reply: Gradio closes its generator, and with it the engine's stream.
    then_finalize(ui.stop_button.click(None, None, None, cancels=[answered, opener, opened, retried, autoplayed],
                                       **PRIVATE))


def _wire_conversations(ui: ChatLayout, limiter: RateLimiter, then_finalize: Callable[[Any], Any]) -> None:
    """Undo, Clear, New, Rename, the picker, Delete and the upload (each finalizes after it)."""
    named, transcript, library = ui.by_name(), ui.transcript, ui.library
    opened = ui.pick("transcript", *CONTROLS)
    read_library = read_from_browser_js(LIBRARY_KEY, 1)
    then_finalize(ui.undo_button.click(keyed(edits.undo, named), transcript, ui.pick("transcript", "message"), **PRIVATE))
    then_finalize(gr.on([ui.clear_button.click, ui.chatbot.clear], keyed(edits.clear, named), transcript, transcript,
                        **PRIVATE))
    then_finalize(ui.new_button.click(keyed(edits.new_conversation, named), [transcript, ui.scenario, ui.persona, ui.style],
                                      transcript, **PRIVATE))
    then_finalize(ui.rename_button.click(keyed(edits.rename, named), [transcript, ui.title], transcript, **PRIVATE))
    then_finalize(ui.picker.input(keyed(edits.switch, named), [ui.picker, library], opened, js=read_library, **PRIVATE))
    deleted = ui.delete_button.click(keyed(edits.delete, named), [transcript, library],
                                     ui.pick("transcript", "library", *CONTROLS), js=read_library, **PRIVATE)
    then_finalize(deleted.then(None, library, None, js=write_to_browser_js(LIBRARY_KEY), **PRIVATE))
    imports = rate_limited(limiter, keyed(edits.import_transcript, named), warn=True, cost=edits.import_cost)
    then_finalize(ui.upload.upload(imports, [ui.upload, library], opened, js=read_library, **PRIVATE))


def _wire_page(events: ChatEvents, ui: ChatLayout, then_finalize: Callable[[Any], Any]) -> None:
    """The controls, the settings, and the page load: the conversation left open, then which models answer."""
    named = ui.by_name()
    ui.persona.change(keyed(edits.persona_changed, named), [ui.persona, ui.style], ui.style, show_progress="hidden",
                      **PRIVATE)
    ui.scenario.change(scenario_note, ui.scenario, ui.note, show_progress="hidden", **PRIVATE)
    # After a model switch, opening the settings says again which models answer.
    ui.settings.expand(events.describe_models, None, ui.model_info, show_progress="hidden", **PRIVATE)
    # On page load: the conversation left open, then (slow on first use) which models answer.
    loaded = gr.on(None, lambda: gr.skip(), None, ui.model_info, **PRIVATE)
    restored = loaded.then(keyed(edits.restore, named), ui.library, ui.pick("transcript", *CONTROLS),
                           js=read_from_browser_js(LIBRARY_KEY, 0), **PRIVATE)
    then_finalize(restored).then(events.describe_models, None, ui.model_info, show_progress="hidden", **PRIVATE)
