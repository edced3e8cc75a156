"""Switching models while the app runs: to a local folder and back, and a failed switch that keeps the
current model. Uses the session's engine and restores the bundled models afterwards."""

from __future__ import annotations

import os
import shutil

import gradio as gr
import pytest

from scamlab.engine import ChatChoice, GenerationParams, ModelLoadError, bundled
from scamlab.engine.core import BUNDLED_CHAT_NAME, BUNDLED_CLASSIFIER_NAME
from scamlab.engine.loading import converted_gguf_dir
from scamlab.model_presets import BUNDLED, CHAT_PRESETS, CLASSIFIER_PRESETS, CUSTOM, ENDPOINT, preset_for_model
from scamlab.config import load_settings
from scamlab.engine import Engine
from scamlab.engine.remote import ENDPOINT_NOT_ALLOWED, EndpointNotAllowed
from scamlab.ui.common import escape_markdown
from scamlab.ui.models_tab import (
    SWITCHING,
    ModelsEvents,
    build_models_tab,
    chat_choice,
    chat_fields,
    classifier_fields,
    classifier_spec,
)
from tests.conftest import ARTIFACTS, FAKE_TOKEN, RecordingEndpoint, free_port

UNCACHED_HUB_ID = "scamlab-tests/no-such-model-in-any-cache"
SCAM = "URGENT: your account is locked. Send the 6-digit code we just texted you to unlock it."


@pytest.fixture
def bundled_models_after(engine):
    """Whatever a test switches to, the session's engine answers with the bundled models afterwards."""
    yield engine
    engine.switch_chat_model(ChatChoice())
    engine.switch_classifier(None)


def test_chat_model_switches_to_a_local_folder_and_back(bundled_models_after):
    engine = bundled_models_after
    assert BUNDLED_CHAT_NAME in engine.chat_backend().describe()
    folder = converted_gguf_dir(bundled.chat_gguf_path(), engine.settings)  # the bundled model, as a plain folder
    assert (folder / "config.json").is_file()

    described = engine.switch_chat_model(ChatChoice(str(folder)))
    assert str(folder) in described and str(folder) in engine.chat_backend().describe()
    assert engine.chat_choice == ChatChoice(str(folder))
    assert engine.generate_reply("Who is this?", "victim", "skeptical", max_new_tokens=12, temperature=0.0).strip()

    described = engine.switch_chat_model(ChatChoice())
    assert BUNDLED_CHAT_NAME in described and engine.chat_choice == ChatChoice()


def test_an_uncached_hub_model_offline_keeps_the_current_chat_model(engine):
    before = engine.chat_backend()
    with pytest.raises(ModelLoadError, match="not in the local cache") as caught:
        engine.switch_chat_model(ChatChoice(UNCACHED_HUB_ID))
    assert UNCACHED_HUB_ID in str(caught.value) and "Fix:" in str(caught.value)
    assert engine.chat_choice == ChatChoice() and engine.chat_backend() is before


def test_classifier_switches_to_a_local_folder_and_back(bundled_models_after):
    engine = bundled_models_after
    bundled_result = engine.classify_spam(SCAM)
    before = engine.classifier()
    folder = engine.bundled_classifier_dir()

    described = engine.switch_classifier(str(folder))
    assert str(folder) in described and engine.classifier_choice == str(folder)
    same_weights = engine.classify_spam(SCAM)  # the same weights, loaded again: the same answer
    assert same_weights["classification"] == bundled_result["classification"] == "spam"
    assert same_weights["probabilities"]["spam"] == pytest.approx(bundled_result["probabilities"]["spam"], abs=1e-4)
    assert engine.classifier() is not before

    described = engine.switch_classifier(None)
    assert BUNDLED_CLASSIFIER_NAME in described and engine.classifier_choice is None


def test_an_uncached_hub_classifier_offline_keeps_the_current_one(engine):
    before = engine.classifier()
    with pytest.raises(ModelLoadError, match="not in the local cache"):
        engine.switch_classifier(UNCACHED_HUB_ID)
    assert engine.classifier_choice is None and engine.classifier() is before


# --- the Models tab's functions ----------------------------------------------------------------------------

def test_models_tab_reports_a_failed_load_and_keeps_the_model(engine):
    before = engine.chat_backend()
    steps = []
    with pytest.warns(UserWarning, match="not in the local cache"):  # gr.Warning outside a request
        status = ModelsEvents(engine).load_chat_model(CUSTOM, UNCACHED_HUB_ID, "",
                                                      progress=lambda f, desc=None: steps.append(desc))["status"]
    shown = escape_markdown  # model ids and errors appear as plain text
    assert status.startswith("**Not loaded.**") and shown(UNCACHED_HUB_ID) in status and shown(BUNDLED_CHAT_NAME) in status
    assert engine.chat_backend() is before and steps  # progress was reported while it tried

    with pytest.warns(UserWarning, match="Type a Hub id"):
        status = ModelsEvents(engine).load_classifier(CUSTOM, "  ", progress=lambda f, desc=None: None)["status"]
    assert status.startswith("**Not loaded.**") and engine.classifier_choice is None


def test_models_tab_loads_a_folder_and_shows_startup_warnings(bundled_models_after):
    engine = bundled_models_after
    folder = engine.bundled_classifier_dir()
    engine.warnings.append("SCAMLAB_CHAT_MODEL could not load.")
    try:
        shown = ModelsEvents(engine).load_classifier(CUSTOM, str(folder), progress=lambda f, desc=None: None)
    finally:
        engine.warnings.pop()
    status, warnings = shown["status"], shown["warnings"]
    assert status.startswith("**Loaded.**") and escape_markdown(str(folder)) in status and engine.classifier_choice == str(folder)
    assert escape_markdown("SCAMLAB_CHAT_MODEL could not load.") in warnings


def test_preset_fields_name_the_boxes_they_show():
    endpoint = chat_fields(ENDPOINT)
    assert endpoint["chat_model"]["visible"] and endpoint["endpoint"]["visible"] and "endpoint" in endpoint["chat_model"]["label"]
    bundled = chat_fields(BUNDLED)
    assert not bundled["chat_model"]["visible"] and not bundled["endpoint"]["visible"] and bundled["chat_note"].startswith("*")
    assert classifier_fields(CUSTOM)["classifier_model"]["visible"] and not classifier_fields(BUNDLED)["classifier_model"]["visible"]


def test_presets_map_to_engine_choices():
    assert chat_choice(BUNDLED, "ignored", "") == ChatChoice()
    assert chat_choice("qwen2.5-0.5b", "", "") == ChatChoice("Qwen/Qwen2.5-0.5B-Instruct")
    assert chat_choice(ENDPOINT, " smollm2 ", "http://127.0.0.1:8080/v1/") == ChatChoice("smollm2", "http://127.0.0.1:8080/v1")
    assert chat_choice(ENDPOINT, "", "http://h/v1") == ChatChoice(None, "http://h/v1")
    with pytest.raises(ValueError, match="http://"):
        chat_choice(ENDPOINT, "", "localhost:8080")
    assert classifier_spec("bert-tiny-sms", "") == "mrm8488/bert-tiny-finetuned-sms-spam-detection"
    assert classifier_spec(BUNDLED, "") is None
    assert CHAT_PRESETS["llama-3.2-3b"].needs_token and CHAT_PRESETS["llama-3.2-3b"].model == "meta-llama/Llama-3.2-3B-Instruct"
    assert preset_for_model(CHAT_PRESETS, "Qwen/Qwen2.5-1.5B-Instruct") == "qwen2.5-1.5b"
    assert preset_for_model(CLASSIFIER_PRESETS, "/some/folder") == CUSTOM
    assert preset_for_model(CHAT_PRESETS, None) == BUNDLED


@pytest.mark.slow
def test_models_tab_in_a_browser(bundled_models_after):
    """The tab as a teacher uses it: a failed load warns and keeps the model; a folder loads and is shown."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed")
    engine = bundled_models_after
    with gr.Blocks() as demo:
        with gr.Tabs():
            with gr.Tab("First"):
                gr.Markdown("Another tab")
            build_models_tab(engine)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            page.get_by_role("tab", name="Models").click()
            page.get_by_text(BUNDLED_CHAT_NAME).first.wait_for(timeout=60_000)  # the status, filled on opening
            assert not page.get_by_label("Endpoint base URL").is_visible()

            page.get_by_label("Chat model", exact=True).click()
            page.get_by_role("option", name=CHAT_PRESETS[CUSTOM].label).click()
            page.get_by_label("Hub id, folder or .gguf file").fill(UNCACHED_HUB_ID)
            page.get_by_role("button", name="Load chat model").click()
            page.get_by_text("Not loaded.").wait_for(timeout=60_000)
            page.get_by_text("not in the local cache").first.wait_for()  # the status line and the warning toast
            assert engine.chat_choice == ChatChoice()

            page.get_by_label("Chat model", exact=True).click()
            page.get_by_role("option", name=CHAT_PRESETS[ENDPOINT].label).click()
            probe = f"http://127.0.0.1:{free_port()}/v1"  # not listed: refused, and nothing says whether it is open
            page.get_by_label("Endpoint base URL").fill(probe)
            page.get_by_role("button", name="Load chat model").click()
            page.get_by_text("This endpoint is not allowed").first.wait_for(timeout=60_000)
            # No connection was tried: no connection error (the remote error names its kind, e.g. ConnectError).
            assert "ConnectError" not in page.content() and engine.chat_choice == ChatChoice()

            page.get_by_label("Spam classifier", exact=True).click()
            page.get_by_role("option", name=CLASSIFIER_PRESETS[CUSTOM].label).click()
            folder = str(engine.bundled_classifier_dir())
            page.get_by_label("Hub id or folder").fill(folder)
            page.get_by_role("button", name="Load classifier").click()
            page.get_by_text("Messages are now checked by").wait_for(timeout=60_000)
            assert engine.classifier_choice == folder
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "models-tab.png", full_page=True)
            browser.close()
    finally:
        demo.close()


def test_models_tab_adds_no_api_and_loads_nothing_when_built(tmp_path, monkeypatch):
    from scamlab.config import load_settings
    from scamlab.engine import Engine

    fresh = Engine(load_settings({"SCAMLAB_CACHE_DIR": str(tmp_path)}, dotenv_path=None))
    for method in ("chat_backend", "classifier"):
        monkeypatch.setattr(fresh, method, lambda *a, **k: pytest.fail("building the tab loaded a model"))
    with gr.Blocks() as demo:
        with gr.Tabs():
            build_models_tab(fresh)
    dependencies = demo.get_config_file()["dependencies"]
    assert dependencies and all(d.get("api_visibility") == "private" for d in dependencies)


# --- endpoints and tokens, roles ---------------------------------------------------------------------------


def engine_with(**env: str) -> Engine:
    """An engine with a token and `env`; the bundled models come from the shared cache, as the session's do."""
    return Engine(load_settings({**os.environ, "HF_TOKEN": FAKE_TOKEN, **env}, dotenv_path=None))


def test_a_listed_endpoint_gets_no_token_and_the_configured_one_does(recording_endpoint):
    picked = engine_with(SCAMLAB_ALLOWED_ENDPOINTS=recording_endpoint.url)
    described = picked.switch_chat_model(ChatChoice(None, recording_endpoint.url))
    assert RecordingEndpoint.MODEL_ID in described
    question = [{"role": "user", "content": "Your parcel is held."}]
    assert "".join(picked.chat_backend().stream(question, GenerationParams(max_new_tokens=8))) == "Who is this?"
    assert [r["method"] for r in recording_endpoint.requests] == ["GET", "POST"]  # listed its models, then chatted
    assert recording_endpoint.authorizations() == [None, None]

    configured = engine_with(SCAMLAB_CHAT_ENDPOINT=recording_endpoint.url + "/")
    configured.chat_backend()  # the operator's own endpoint: the token is meant for it
    assert recording_endpoint.authorizations()[-1] == f"Bearer {FAKE_TOKEN}"


def test_an_endpoint_not_listed_is_refused_without_a_connection(recording_endpoint):
    engine = engine_with(SCAMLAB_ALLOWED_ENDPOINTS="http://10.9.9.9:8080/v1")
    for typed in (recording_endpoint.url, recording_endpoint.url.replace("127.0.0.1", "localhost"),
                  f"http://user@{recording_endpoint.url[len('http://'):]}"):
        with pytest.raises(EndpointNotAllowed) as refused:
            engine.switch_chat_model(ChatChoice(None, typed))
        assert str(refused.value) == ENDPOINT_NOT_ALLOWED and "reach" not in str(refused.value)
    with pytest.warns(UserWarning, match="not allowed"):  # the tab says so (gr.Warning outside a request)
        status = ModelsEvents(engine).load_chat_model(ENDPOINT, "", recording_endpoint.url,
                                                      progress=lambda f, desc=None: None)["status"]
    assert status.startswith("**Not loaded.**") and "not allowed" in status and "reach" not in status
    assert recording_endpoint.requests == [] and engine.chat_choice == ChatChoice()


class LoggedIn(gr.Request):
    def __init__(self, username: str | None) -> None:
        super().__init__(username=username, session_hash="s")


@pytest.mark.slow
def test_only_a_teacher_may_switch_even_when_calling_the_handler_directly(recording_endpoint):
    engine = engine_with(SCAMLAB_USERS="teacher:pw-1,student:pw-2", SCAMLAB_TEACHERS="teacher",
                         SCAMLAB_ALLOWED_ENDPOINTS=recording_endpoint.url)
    events, before = ModelsEvents(engine), (engine.chat_choice, engine.classifier_choice)
    for who in ("student", None):
        with pytest.raises(gr.Error, match="Only a teacher may switch models"):
            events.load_chat_model(ENDPOINT, "", recording_endpoint.url, LoggedIn(who), progress=lambda f, desc=None: None)
        with pytest.raises(gr.Error, match="Only a teacher"):
            events.load_classifier(CUSTOM, "/tmp", LoggedIn(who), progress=lambda f, desc=None: None)
    assert recording_endpoint.requests == [] and (engine.chat_choice, engine.classifier_choice) == before
    student_view = events.controls(LoggedIn("student"))
    assert {name for name, update in student_view.items() if update.get("interactive") is False} == set(SWITCHING)
    assert "Only a teacher" in student_view["role_note"]["value"] and student_view["role_note"]["visible"]
    assert all(update["interactive"] for name, update in events.controls(LoggedIn("teacher")).items() if name in SWITCHING)
    status = events.load_chat_model(ENDPOINT, "", recording_endpoint.url, LoggedIn("teacher"),
                                    progress=lambda f, desc=None: None)["status"]
    assert status.startswith("**Loaded.**") and engine.chat_choice == ChatChoice(None, recording_endpoint.url)


@pytest.mark.slow
def test_a_model_id_from_an_endpoint_is_shown_as_plain_text():
    hostile = RecordingEndpoint(model_id='![a](//127.0.0.1:9/p.png) <img src=x onerror=alert(1)> [click](http://x.example)')
    try:
        engine = engine_with(SCAMLAB_ALLOWED_ENDPOINTS=hostile.url)
        loaded = ModelsEvents(engine).load_chat_model(ENDPOINT, "", hostile.url, progress=lambda f, desc=None: None)
        status = loaded["status"]
    finally:
        hostile.close()
    assert status.startswith("**Loaded.**") and engine.chat_choice.endpoint == hostile.url
    for markup in ("![", "](", "<img", "[click]"):
        assert markup not in status, markup
    assert "&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;" in status  # every character kept, none active
