"""The Models tab: pick the chat model and the spam classifier without restarting the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from scamlab.access import model_switch_refusal
from scamlab.engine import ChatChoice, Engine, ModelLoadError
from scamlab.model_presets import BUNDLED, CHAT_PRESETS, CLASSIFIER_PRESETS, CUSTOM, ENDPOINT, preset_for_model
from scamlab.ui.common import PRIVATE, escape_html, escape_markdown, models_markdown, user_error, warn, warnings_markdown
from scamlab.ui.rate_limit import username
INTRO = (
    "Choose which models answer. A model loads once and then serves every browser using this app. "
    "When a model cannot load (offline and not downloaded yet, a gated model without a token, not enough "
    "memory), the message says why and **the current model stays**."
)


# --- plain functions: inputs in, values out ----------------------------------------------------------

def chat_choice(preset_id: str, model_text: str, endpoint_text: str) -> ChatChoice:
    """The `ChatChoice` for the tab's inputs; `ValueError` with the fix when something is missing."""
    model_text, endpoint_text = (model_text or "").strip(), (endpoint_text or "").strip()
    if preset_id == ENDPOINT:
        if not endpoint_text.startswith(("http://", "https://")):
            raise ValueError("Type the endpoint's base URL, starting with http:// or https:// "
                             "(e.g. http://127.0.0.1:8080/v1).")
        return ChatChoice(model_text or None, endpoint_text.rstrip("/"))
    if preset_id == CUSTOM:
        if not model_text:
            raise ValueError("Type a Hub id (owner/name), a local folder or a .gguf file.")
        return ChatChoice(model_text)
    if preset_id not in CHAT_PRESETS:
        raise ValueError(f"Unknown chat model choice {preset_id!r}.")
    return ChatChoice(CHAT_PRESETS[preset_id].model)


def classifier_spec(preset_id: str, model_text: str) -> str | None:
    """The classifier to load for the tab's inputs (None: bundled); `ValueError` when the box is empty."""
    if preset_id == CUSTOM:
        if not (model_text or "").strip():
            raise ValueError("Type a Hub id (owner/name) or a local folder of a text-classification model.")
        return model_text.strip()
    if preset_id not in CLASSIFIER_PRESETS:
        raise ValueError(f"Unknown classifier choice {preset_id!r}.")
    return CLASSIFIER_PRESETS[preset_id].model


def chat_fields(preset_id: str) -> tuple[dict, dict, str]:
    """Which boxes a chat preset needs (model text, endpoint URL), and its note; the model box starts empty."""
    preset = CHAT_PRESETS.get(preset_id, CHAT_PRESETS[BUNDLED])
    model_label = ("Model name at the endpoint (empty: the one it serves)" if preset_id == ENDPOINT
                   else "Hub id, folder or .gguf file")
    return (gr.update(visible=preset_id in (CUSTOM, ENDPOINT), label=model_label, value=""),
            gr.update(visible=preset_id == ENDPOINT), preset_note(preset.note, preset.needs_token))


def classifier_fields(preset_id: str) -> tuple[dict, str]:
    """Whether a classifier preset needs the model box, and its note."""
    preset = CLASSIFIER_PRESETS.get(preset_id, CLASSIFIER_PRESETS[BUNDLED])
    return gr.update(visible=preset_id == CUSTOM, value=""), preset_note(preset.note, preset.needs_token)


def preset_note(note: str, needs_token: bool) -> str:
    return f"*{note}*" + ("\n\n**Needs a Hugging Face token** (HF_TOKEN or HF_TOKEN_GEN)." if needs_token else "")


def _progress_callback(progress: gr.Progress):
    return lambda fraction, message: progress(fraction, desc=message)


def _loaded(engine: Engine, switch: Callable[[], str], done: str) -> tuple[str, str]:
    """Run `switch`; (status, warnings) saying what answers now, or why the current model stays."""
    try:
        described = switch()
    except (ModelLoadError, ValueError) as error:
        warn(str(error))
        outcome = f"**Not loaded.** {escape_markdown(str(error))}"
    else:
        gr.Info(escape_html(f"Ready: {described}"))
        outcome = f"**Loaded.** {done} {escape_markdown(described)}."
    status = engine.status()
    return f"{outcome}\n\n{models_markdown(status)}", warnings_markdown(status.warnings)


class ModelsEvents:
    """The tab's handlers around one engine. The switching ones check, from the request, who is asking: a
    hidden event called by hand is refused like a button a student cannot press."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def refresh(self) -> tuple[str, str]:
        """The status line and the warnings, when the tab is opened (a model that falls back warns as it loads)."""
        status = self.engine.status()
        return models_markdown(status), warnings_markdown(status.warnings)

    def refusal(self, request: gr.Request | None) -> str | None:
        """Why whoever sent `request` may not switch models (None: they may)."""
        return model_switch_refusal(self.engine.settings, username(request))

    def _check_role(self, request: gr.Request | None) -> None:
        refusal = self.refusal(request)
        if refusal:
            raise user_error(refusal, title="Not allowed")

    def load_chat_model(self, preset_id: str, model_text: str, endpoint_text: str, request: gr.Request = None,
                        progress: gr.Progress = gr.Progress()) -> tuple[str, str]:
        """Switch the chat model; on failure warn, say why, and keep the current one. Returns (status, warnings)."""
        self._check_role(request)
        return _loaded(self.engine, lambda: self.engine.switch_chat_model(
            chat_choice(preset_id, model_text, endpoint_text), _progress_callback(progress)), "The chat now answers with")

    def load_classifier(self, preset_id: str, model_text: str, request: gr.Request = None,
                        progress: gr.Progress = gr.Progress()) -> tuple[str, str]:
        """Switch the spam classifier; on failure warn, say why, and keep the current one."""
        self._check_role(request)
        return _loaded(self.engine, lambda: self.engine.switch_classifier(
            classifier_spec(preset_id, model_text), _progress_callback(progress)), "Messages are now checked by")


# --- layout and wiring -------------------------------------------------------------------------------

def build_models_tab(engine: Engine) -> None:
    """The Models tab: chat model and classifier choices, each with a Load button and a status line.

    Only someone who may switch models (a teacher; without a login, anyone on a loopback-only app) gets
    working controls; everyone else sees them greyed out, with a note saying why.
    """
    events = ModelsEvents(engine)
    chat_now, classifier_now = engine.chat_choice, engine.classifier_choice
    chat_preset_id = ENDPOINT if chat_now.endpoint else preset_for_model(CHAT_PRESETS, chat_now.model)
    classifier_preset_id = preset_for_model(CLASSIFIER_PRESETS, classifier_now)
    chat_model_box, endpoint_box, chat_note_text = chat_fields(chat_preset_id)
    classifier_model_box, classifier_note_text = classifier_fields(classifier_preset_id)

    with gr.Tab("Models", id="models") as tab:
        gr.Markdown(INTRO)
        role_note = gr.Markdown(visible=False)
        warnings = gr.Markdown(warnings_markdown(engine.warnings))
        with gr.Row():
            with gr.Column():
                chat_preset = gr.Dropdown([(p.label, p.id) for p in CHAT_PRESETS.values()], value=chat_preset_id,
                                          label="Chat model")
                chat_note = gr.Markdown(chat_note_text)
                chat_model = gr.Textbox(chat_now.model if chat_preset_id in (CUSTOM, ENDPOINT) else "",
                                        label=chat_model_box["label"], visible=chat_model_box["visible"])
                endpoint = gr.Textbox(chat_now.endpoint or "", label="Endpoint base URL",
                                      visible=endpoint_box["visible"], placeholder="http://127.0.0.1:8080/v1")
                chat_load = gr.Button("Load chat model", variant="primary")
            with gr.Column():
                classifier_preset = gr.Dropdown([(p.label, p.id) for p in CLASSIFIER_PRESETS.values()],
                                                value=classifier_preset_id, label="Spam classifier")
                classifier_note = gr.Markdown(classifier_note_text)
                classifier_model = gr.Textbox(classifier_now if classifier_preset_id == CUSTOM else "",
                                              label="Hub id or folder", visible=classifier_model_box["visible"])
                classifier_load = gr.Button("Load classifier", variant="primary")
        status = gr.Markdown("Checking which models answer...")

    switching = [chat_preset, chat_model, endpoint, chat_load, classifier_preset, classifier_model, classifier_load]

    def view(request: gr.Request) -> dict[Any, Any]:
        refusal = events.refusal(request)
        return {**{control: gr.update(interactive=refusal is None) for control in switching},
                role_note: gr.update(value=f"🔒 {escape_markdown(refusal)}" if refusal else "", visible=refusal is not None)}

    gr.on(None, view, None, [*switching, role_note], **PRIVATE)  # on page load: who is looking decides
    # Filled when the tab is opened, not at start-up: the first look may load the models.
    tab.select(events.refresh, None, [status, warnings], **PRIVATE)
    chat_preset.change(chat_fields, chat_preset, [chat_model, endpoint, chat_note], **PRIVATE)
    classifier_preset.change(classifier_fields, classifier_preset, [classifier_model, classifier_note], **PRIVATE)
    chat_load.click(events.load_chat_model, [chat_preset, chat_model, endpoint], [status, warnings],
                    concurrency_id="models-load", concurrency_limit=1, **PRIVATE)
    classifier_load.click(events.load_classifier, [classifier_preset, classifier_model], [status, warnings],
                          concurrency_id="models-load", concurrency_limit=1, **PRIVATE)
