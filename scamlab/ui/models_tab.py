"""The Models tab: pick the chat model and the spam classifier without restarting the app.

Handlers return plain values keyed by component name (the names `_layout` gives); `keyed` maps them to the
components.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from scamlab.access import model_switch_refusal
from scamlab.engine import ChatChoice, Engine, ModelLoadError
from scamlab.model_presets import BUNDLED, CHAT_PRESETS, CLASSIFIER_PRESETS, CUSTOM, ENDPOINT, preset_for_model
from scamlab.ui.common import (
    PRIVATE,
    escape_html,
    escape_markdown,
    keyed,
    models_markdown,
    user_error,
    warn,
    warnings_markdown,
)
from scamlab.ui.rate_limit import username

INTRO = (
    "Choose which models answer. A model loads once and then serves every browser using this app. "
    "When a model cannot load (offline and not downloaded yet, a gated model without a token, not enough "
    "memory), the message says why and **the current model stays**."
)
# The controls that switch models: greyed out for whoever may not.
SWITCHING = ("chat_preset", "chat_model", "endpoint", "chat_load", "classifier_preset", "classifier_model",
             "classifier_load")


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


def chat_fields(preset_id: str) -> dict[str, Any]:
    """Which boxes a chat preset needs (`chat_model`, `endpoint`), and its `chat_note`; the model box starts empty."""
    preset = CHAT_PRESETS.get(preset_id, CHAT_PRESETS[BUNDLED])
    model_label = ("Model name at the endpoint (empty: the one it serves)" if preset_id == ENDPOINT
                   else "Hub id, folder or .gguf file")
    return {"chat_model": gr.update(visible=preset_id in (CUSTOM, ENDPOINT), label=model_label, value=""),
            "endpoint": gr.update(visible=preset_id == ENDPOINT),
            "chat_note": preset_note(preset.note, preset.needs_token)}


def classifier_fields(preset_id: str) -> dict[str, Any]:
    """Whether a classifier preset needs the model box (`classifier_model`), and its `classifier_note`."""
    preset = CLASSIFIER_PRESETS.get(preset_id, CLASSIFIER_PRESETS[BUNDLED])
    return {"classifier_model": gr.update(visible=preset_id == CUSTOM, value=""),
            "classifier_note": preset_note(preset.note, preset.needs_token)}


def preset_note(note: str, needs_token: bool) -> str:
    """A preset's note in italics, and whether it needs a Hugging Face token."""
    return f"*{note}*" + ("\n\n**Needs a Hugging Face token** (HF_TOKEN or HF_TOKEN_GEN)." if needs_token else "")


def _progress_callback(progress: gr.Progress):
    return lambda fraction, message: progress(fraction, desc=message)


def _loaded(engine: Engine, switch: Callable[[], str], done: str) -> dict[str, str]:
    """Run `switch`; the `status` and `warnings` saying what answers now, or why the current model stays."""
    try:
        described = switch()
    except (ModelLoadError, ValueError) as error:
        warn(str(error))
        outcome = f"**Not loaded.** {escape_markdown(str(error))}"
    else:
        gr.Info(escape_html(f"Ready: {described}"))
        outcome = f"**Loaded.** {done} {escape_markdown(described)}."
    status = engine.status()
    return {"status": f"{outcome}\n\n{models_markdown(status)}", "warnings": warnings_markdown(status.warnings)}


class ModelsEvents:
    """The tab's handlers around one engine. The switching ones check, from the request, who is asking: a
    hidden event called by hand is refused like a button a student cannot press."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def refresh(self) -> dict[str, str]:
        """The `status` line and the `warnings`, when the tab is opened (a model that falls back warns as it loads)."""
        status = self.engine.status()
        return {"status": models_markdown(status), "warnings": warnings_markdown(status.warnings)}

    def refusal(self, request: gr.Request | None) -> str | None:
        """Why whoever sent `request` may not switch models (None: they may)."""
        return model_switch_refusal(self.engine.settings, username(request))

    def controls(self, request: gr.Request) -> dict[str, Any]:
        """On page load: the switching controls work only for who may switch; the `role_note` says why not."""
        refusal = self.refusal(request)
        return {**{name: gr.update(interactive=refusal is None) for name in SWITCHING},
                "role_note": gr.update(value=f"🔒 {escape_markdown(refusal)}" if refusal else "", visible=refusal is not None)}

    def _check_role(self, request: gr.Request | None) -> None:
        refusal = self.refusal(request)
        if refusal:
            raise user_error(refusal, title="Not allowed")

    def load_chat_model(self, preset_id: str, model_text: str, endpoint_text: str, request: gr.Request = None,
                        progress: gr.Progress = gr.Progress()) -> dict[str, str]:
        """Switch the chat model; on failure warn, say why, and keep the current one (`status`, `warnings`)."""
        self._check_role(request)
        return _loaded(self.engine, lambda: self.engine.switch_chat_model(
            chat_choice(preset_id, model_text, endpoint_text), _progress_callback(progress)), "The chat now answers with")

    def load_classifier(self, preset_id: str, model_text: str, request: gr.Request = None,
                        progress: gr.Progress = gr.Progress()) -> dict[str, str]:
        """Switch the spam classifier; on failure warn, say why, and keep the current one (`status`, `warnings`)."""
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
    with gr.Tab("Models", id="models") as tab:
        parts = _layout(engine)
    switching = [parts[name] for name in SWITCHING]
    shown = [parts["status"], parts["warnings"]]
    gr.on(None, keyed(events.controls, parts), None, [*switching, parts["role_note"]], **PRIVATE)  # on page load
    # Filled when the tab is opened, not at start-up: the first look may load the models.
    tab.select(keyed(events.refresh, parts), None, shown, **PRIVATE)
    parts["chat_preset"].change(keyed(chat_fields, parts), parts["chat_preset"],
                                [parts["chat_model"], parts["endpoint"], parts["chat_note"]], **PRIVATE)
    parts["classifier_preset"].change(keyed(classifier_fields, parts), parts["classifier_preset"],
                                      [parts["classifier_model"], parts["classifier_note"]], **PRIVATE)
    loading = {"concurrency_id": "models-load", "concurrency_limit": 1, **PRIVATE}
    parts["chat_load"].click(keyed(events.load_chat_model, parts),
                             [parts["chat_preset"], parts["chat_model"], parts["endpoint"]], shown, **loading)
    parts["classifier_load"].click(keyed(events.load_classifier, parts),
                                   [parts["classifier_preset"], parts["classifier_model"]], shown, **loading)


def _layout(engine: Engine) -> dict[str, Any]:
    """The tab's components by name, showing the models that answer now."""
    chat_now, classifier_now = engine.chat_choice, engine.classifier_choice
    chat_preset_id = ENDPOINT if chat_now.endpoint else preset_for_model(CHAT_PRESETS, chat_now.model)
    classifier_preset_id = preset_for_model(CLASSIFIER_PRESETS, classifier_now)
    chat_now_fields, classifier_now_fields = chat_fields(chat_preset_id), classifier_fields(classifier_preset_id)
    gr.Markdown(INTRO)
    parts = {"role_note": gr.Markdown(visible=False), "warnings": gr.Markdown(warnings_markdown(engine.warnings))}
    with gr.Row():
        with gr.Column():
            parts["chat_preset"] = gr.Dropdown([(p.label, p.id) for p in CHAT_PRESETS.values()], value=chat_preset_id,
                                               label="Chat model")
            parts["chat_note"] = gr.Markdown(chat_now_fields["chat_note"])
            parts["chat_model"] = gr.Textbox(chat_now.model if chat_preset_id in (CUSTOM, ENDPOINT) else "",
                                             label=chat_now_fields["chat_model"]["label"],
                                             visible=chat_now_fields["chat_model"]["visible"])
            parts["endpoint"] = gr.Textbox(chat_now.endpoint or "", label="Endpoint base URL",
                                           visible=chat_now_fields["endpoint"]["visible"],
                                           placeholder="http://127.0.0.1:8080/v1")
            parts["chat_load"] = gr.Button("Load chat model", variant="primary")
        with gr.Column():
            parts["classifier_preset"] = gr.Dropdown([(p.label, p.id) for p in CLASSIFIER_PRESETS.values()],
                                                     value=classifier_preset_id, label="Spam classifier")
            parts["classifier_note"] = gr.Markdown(classifier_now_fields["classifier_note"])
            parts["classifier_model"] = gr.Textbox(classifier_now if classifier_preset_id == CUSTOM else "",
                                                   label="Hub id or folder",
                                                   visible=classifier_now_fields["classifier_model"]["visible"])
            parts["classifier_load"] = gr.Button("Load classifier", variant="primary")
    parts["status"] = gr.Markdown("Checking which models answer...")
    return parts
