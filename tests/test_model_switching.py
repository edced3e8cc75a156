"""Switching models while the app runs: to a local folder and back, and a failed switch that keeps the
current model. Uses the session's engine and restores the bundled models afterwards."""

from __future__ import annotations

import shutil

import gradio as gr
import pytest

from scamlab.engine import ChatChoice, ModelLoadError, bundled
from scamlab.engine.core import BUNDLED_CHAT_NAME, BUNDLED_CLASSIFIER_NAME
from scamlab.engine.loading import converted_gguf_dir
from scamlab.model_presets import BUNDLED, CHAT_PRESETS, CLASSIFIER_PRESETS, CUSTOM, ENDPOINT, preset_for_model
from scamlab.ui.models_tab import build_models_tab, chat_choice, classifier_spec, load_chat_model, load_classifier
from tests.conftest import ARTIFACTS, free_port

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
        status, _ = load_chat_model(engine, CUSTOM, UNCACHED_HUB_ID, "", progress=lambda f, desc=None: steps.append(desc))
    assert status.startswith("**Not loaded.**") and UNCACHED_HUB_ID in status and BUNDLED_CHAT_NAME in status
    assert engine.chat_backend() is before and steps  # progress was reported while it tried

    with pytest.warns(UserWarning, match="Type a Hub id"):
        status, _ = load_classifier(engine, CUSTOM, "  ", progress=lambda f, desc=None: None)
    assert status.startswith("**Not loaded.**") and engine.classifier_choice is None


def test_models_tab_loads_a_folder_and_shows_startup_warnings(bundled_models_after):
    engine = bundled_models_after
    folder = engine.bundled_classifier_dir()
    engine.warnings.append("SCAMLAB_CHAT_MODEL could not load.")
    try:
        status, warnings = load_classifier(engine, CUSTOM, str(folder), progress=lambda f, desc=None: None)
    finally:
        engine.warnings.pop()
    assert status.startswith("**Loaded.**") and str(folder) in status and engine.classifier_choice == str(folder)
    assert "SCAMLAB_CHAT_MODEL could not load." in warnings


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
            down = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
            page.get_by_label("Endpoint base URL").fill(down)
            page.get_by_role("button", name="Load chat model").click()
            page.get_by_text(f"The chat endpoint {down} cannot be reached").first.wait_for(timeout=60_000)
            assert engine.chat_choice == ChatChoice()

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
