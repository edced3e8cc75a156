"""Untrusted text stays text: escaping, the places that show it, download folders, and conversations in the browser.

The unit tests render the escaped text with a real Markdown parser; the browser tests drive real Chromium against
the chat and classifier tabs (a fake engine, so no model) with a loopback listener that must receive nothing.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import gradio as gr
import pytest
from markdown_it import MarkdownIt

from scamlab.transcripts import Turn, from_dict, new_transcript, to_dict, to_json, write_files
from scamlab.ui import chat_state
from scamlab.ui import common
from scamlab.ui.chat_events import ChatEvents
from scamlab.ui.chat_tab import LIBRARY_KEY, build_chat_tab
from scamlab.ui.classifier_events import check_message, second_opinion
from scamlab.ui.classifier_tab import build_classifier_tab
from scamlab.ui.classifier_display import write_results_csv
from scamlab.ui.common import download_folder, escape_html, escape_markdown
from scamlab.ui.transcript_display import chat_message, red_flag_reasons
from tests.conftest import free_port
from tests.test_chat_tab import FakeEngine

# Each one, rendered as Markdown or HTML, would load something, link somewhere, or change the page.
HOSTILE = (
    "<img src=//127.0.0.1:9/x>",
    "![a](http://127.0.0.1:9/p.png)",
    "[click](http://127.0.0.1:9/)",
    "x.com/![a](//host/p)",
    "[ref]\n\n[ref]: http://127.0.0.1:9/r",
    "<http://127.0.0.1:9/auto> and <me@example.com>",
    "www.example.com and http://127.0.0.1:9/bare and me@example.com",
    '<div style="position:fixed;inset:0;background:red">overlay</div>',
    "<script>window.__pwned=1</script><b>bold?</b>&amp; &lt;kept&gt;",
    "**bold** _em_ `code` ~~gone~~ | a | b |\n|---|---|\n| 1 | 2 |",
    "# heading\n> quote\n- item\n1. first\n    indented code\n\ttabbed\nsetext\n===",
    "$$\\href{http://127.0.0.1:9/}{x}$$ \\(x\\) \\[y\\]",
    "back\\slash \\*not emphasis\\* \\<b\\>",
)
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def shown_text(rendered_html: str) -> str:
    """What a reader sees of rendered HTML: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered_html)).split())


def tags(rendered_html: str) -> set[str]:
    return set(re.findall(r"<([a-z][a-z0-9]*)", rendered_html))


# --- escaping -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_renders_as_exactly_its_text(text):
    rendered = MARKDOWN.render(escape_markdown(text))
    assert tags(rendered) <= {"p"}, rendered  # no image, link, code, list, heading, table or raw HTML
    assert shown_text(rendered) == " ".join(text.split())
    assert "$$" not in escape_markdown(text) and "://" not in escape_markdown(text)  # no LaTeX, no autolink


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_html_has_no_markup_but_line_breaks(text):
    escaped = escape_html(text)
    assert set(re.findall(r"<[^>]*>?", escaped)) <= {"<br>"}
    assert html.unescape(escaped.replace("<br>", "\n")) == text


def test_escaping_is_linear_in_the_length():
    text = "![a](//h/p) <b>" * 20_000  # 300,000 characters
    started = time.perf_counter()
    escape_markdown(text), escape_html(text)
    assert time.perf_counter() - started < 1.0


# --- the places that show untrusted text ------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE)
def test_chat_bubbles_show_text_and_keep_their_own_footer(text):
    content = chat_message(Turn("victim", text, by_ai=False))["content"]
    body, footer = content.rsplit("<br><sub>", 1)
    assert body == escape_html(text) and footer.endswith("</sub>")


def test_red_flag_reasons_quote_the_words_literally():
    reasons = red_flag_reasons("Pay now at x.com/![a](//host/p) [click](http://host/) urgently")
    rendered = MARKDOWN.render(reasons)
    assert tags(rendered) <= {"ul", "li", "strong", "p"}, rendered
    assert "x.com/![a](//host/p)" in shown_text(rendered) or "x.com" not in reasons


def test_classifier_result_and_judge_note_stay_text(tmp_path):
    engine = FakeEngine(tmp_path)
    shown = check_message(engine, "Pay ![a](http://127.0.0.1:9/p.png) now")  # type: ignore[arg-type]
    for markdown in (shown["notice"], shown["verdict"], shown["reasons"]):
        assert not tags(MARKDOWN.render(markdown)) & {"img", "a"}

    class BrokenJudge:
        def judge(self, text: str) -> float:
            raise RuntimeError("endpoint said ![x](http://127.0.0.1:9/j.png)")

    note = second_opinion(BrokenJudge(), "hello", None)["judge_note"]  # type: ignore[arg-type]
    rendered = MARKDOWN.render(note)
    assert not tags(rendered) & {"img", "a"} and "![x](http://127.0.0.1:9/j.png)" in shown_text(rendered)


def test_settings_show_model_ids_and_warnings_as_text(tmp_path):
    engine = FakeEngine(tmp_path)
    engine.backend.describe = lambda: "![m](http://127.0.0.1:9/m.png) [x](http://h/)"  # type: ignore[method-assign]
    engine.warnings.append('<img src=//127.0.0.1:9/w> <div style="position:fixed">')
    rendered = MARKDOWN.render(ChatEvents(engine).describe_models())  # type: ignore[arg-type]
    assert not tags(rendered) & {"img", "a", "div"}
    assert "![m](http://127.0.0.1:9/m.png)" in shown_text(rendered) and "<img src=//127.0.0.1:9/w>" in shown_text(rendered)


def test_toasts_echo_input_as_text():
    error = common.user_error("unknown scenario '<img src=//127.0.0.1:9/s>'", title="Chat")
    assert "<img" not in error.message and "&lt;img src=//127.0.0.1:9/s&gt;" in error.message


# --- download folders -------------------------------------------------------------------------------------------


def test_downloads_go_to_one_folder_and_old_ones_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "DOWNLOADS_ROOT", tmp_path / "downloads")
    old = download_folder("triage")
    (old / "scamlab-triage.csv").write_text("x")
    hour_ago = time.time() - common.DOWNLOAD_MAX_AGE_S - 1
    os.utime(old, (hour_ago, hour_ago))
    recent = download_folder("triage")
    assert not old.exists() and recent.is_dir() and recent.parent == tmp_path / "downloads" / "triage"
    csv_path = write_results_csv([{"source": "a", "preview": "p", "verdict": "Safe", "spam probability": 0.1, "tags": ""}], {})
    assert csv_path.parent.parent == tmp_path / "downloads" / "triage" and csv_path.name == "scamlab-triage.csv"
    assert recent.exists()  # a folder younger than an hour stays: its file may still be downloading


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://127.0.0.1:9/","win")', "+1+2", "-2+3", "@SUM(1)", "\t=1"])
def test_triage_download_never_carries_a_live_formula(tmp_path, monkeypatch, cell):
    monkeypatch.setattr(common, "DOWNLOADS_ROOT", tmp_path / "downloads")
    row = {"source": cell, "preview": cell, "verdict": "Safe", "spam probability": 0.1, "tags": ""}
    with open(write_results_csv([row], {cell: cell}), newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))[1]
    assert written[0] == written[4] == "'" + cell and written[2] == "0.1"


def test_transcript_downloads_never_leave_their_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "DOWNLOADS_ROOT", tmp_path / "downloads")
    transcript = new_transcript("bank", "scammer", "neutral", title="../../etc/passwd", turns=(Turn("scammer", "hi"),))
    markdown, data = write_files(replace(transcript, id="x/../../.."), download_folder("transcripts"))
    for path in (Path(markdown), Path(data)):
        assert path.resolve().parent.parent == (tmp_path / "downloads" / "transcripts").resolve()
        assert re.fullmatch(r"[a-z0-9-]+\.(md|json)", path.name), path.name


# --- conversations kept in the browser --------------------------------------------------------------------------


def saved_conversation(text: str):
    return new_transcript("bank", "scammer", "neutral", turns=(Turn("victim", text, by_ai=False),))


def test_saving_into_another_tabs_library_keeps_both():
    first, second = saved_conversation("from the first tab"), saved_conversation("from the second tab")
    stored_by_first = chat_state.stored(chat_state.empty_library(), first)
    stored_by_second = chat_state.stored(stored_by_first, second)  # the second tab read the store afresh
    assert {entry["id"] for entry in stored_by_second["conversations"]} == {first.id, second.id}


def test_a_library_from_the_browser_is_checked_like_an_import():
    good = to_dict(saved_conversation("kept"))
    hostile = {
        "active": {"not": "an id"},
        "conversations": [good, "text", {"format": "scamlab-transcript"}, {**good, "turns": "many"}]
        + [to_dict(saved_conversation(f"extra {n}")) for n in range(chat_state.MAX_SAVED_CONVERSATIONS + 5)],
    }
    choices = chat_state.conversation_choices(hostile)
    assert len(choices) <= chat_state.MAX_SAVED_CONVERSATIONS and choices[0][1] == good["id"]
    assert chat_state.saved(hostile) is None and chat_state.saved(hostile, good["id"]) == from_dict(good)
    for nonsense in (None, "x", [], {"conversations": "x"}, {"conversations": [None]}):
        assert chat_state.conversation_choices(nonsense) == [] and chat_state.saved(nonsense) is None  # type: ignore[arg-type]


def test_the_page_gets_no_key_for_saved_conversations(tmp_path):
    with gr.Blocks() as demo:
        build_chat_tab(FakeEngine(tmp_path))  # type: ignore[arg-type]
    config = json.dumps(demo.get_config_file(), default=str)
    assert '"secret"' not in config and "browser_state" not in config


# --- in a real browser ------------------------------------------------------------------------------------------


class Listener:
    """A loopback HTTP server that records every request path it gets."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Record(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                listener.paths.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    recording = Listener()
    yield recording
    recording.server.shutdown()


def payloads(port: int) -> list[str]:
    return [f"<img src=//127.0.0.1:{port}/img>", f"![a](http://127.0.0.1:{port}/p.png)",
            f"[click](http://127.0.0.1:{port}/link)", f"x.com/![a](//127.0.0.1:{port}/flag)"]


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory, listener) -> Iterator[str]:
    """The chat and classifier tabs around a fake engine whose replies and model id carry every payload."""
    hostile = " ".join(payloads(listener.port))
    engine = FakeEngine(tmp_path_factory.mktemp("hostile"), reply=f"Pay now {hostile}")
    engine.backend.describe = lambda: hostile  # type: ignore[method-assign]
    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            chat = build_chat_tab(engine)  # type: ignore[arg-type]
            build_classifier_tab(engine, chat, tabs)  # type: ignore[arg-type]
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def loaded(page, url: str):
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_label("Name")).not_to_have_value("", timeout=60_000)  # the page-load events ran
    return page


URL_ATTRIBUTES = ["src", "href", "srcset", "poster", "action", "formaction", "data", "xlink:href", "background", "style"]


def assert_inert(page, listener: Listener) -> None:
    """No element loads from or links to the listener, no link says "click", and the listener was never asked."""
    pointing = page.evaluate(
        """(port) => [...document.querySelectorAll('*')].flatMap(element => [...element.attributes]
              .filter(attribute => URL_ATTRIBUTES.includes(attribute.name) && attribute.value.includes(':' + port))
              .map(() => element.outerHTML.slice(0, 120)))""".replace("URL_ATTRIBUTES", json.dumps(URL_ATTRIBUTES)),
        str(listener.port),
    )
    assert pointing == [] and page.locator("a", has_text="click").count() == 0
    page.wait_for_timeout(500)  # a loading image would have asked by now
    assert listener.paths == []


@pytest.mark.slow
def test_hostile_text_stays_inert_in_every_view(tab, hostile_app, listener, tmp_path):
    page = loaded(tab.page, hostile_app)
    port = listener.port
    # A message the person sends, then the AI's streamed and final reply that carries every payload.
    page.get_by_label("Your message").fill(" ".join(payloads(port)))
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text(f"[click](http://127.0.0.1:{port}/link)").last.wait_for(timeout=30_000)
    page.get_by_text("scam meter 90%").last.wait_for(timeout=30_000)
    assert_inert(page, listener)
    # The red-flag reasons of the last message, and the model id in Settings.
    page.get_by_text("Settings", exact=True).first.click()
    page.get_by_text(f"![a](http://127.0.0.1:{port}/p.png)").first.wait_for()
    assert_inert(page, listener)
    # An imported transcript.
    transcript = replace(saved_conversation("imported: " + " ".join(payloads(port))),
                         title=f"![t](http://127.0.0.1:{port}/title.png) <img src=//127.0.0.1:{port}/title>")
    upload = tmp_path / "hostile.json"
    upload.write_text(to_json(transcript))
    page.locator("input[type=file]").first.set_input_files(upload)
    page.get_by_text("imported: ").first.wait_for(timeout=30_000)
    page.get_by_label("Saved in this browser").click()  # the imported title among the choices
    page.get_by_role("option", name=re.compile(r"title\.png")).wait_for()
    page.keyboard.press("Escape")
    assert_inert(page, listener)
    # The classifier: result, red-flag reasons, judge note; then a batch table.
    page.get_by_role("tab", name="Spam classifier").click()
    page.locator("#classifier-message textarea").fill(" ".join(payloads(port)))
    page.locator("#classifier-check").click()
    page.get_by_text(f"“x.com/![a](//127.0.0.1:{port}/flag)”", exact=False).first.wait_for(timeout=30_000)
    assert_inert(page, listener)
    page.get_by_role("tab", name="Batch triage").click()
    page.locator("#triage-pasted textarea").fill("\n".join(payloads(port)))
    page.locator("#triage-run").click()
    page.get_by_text(f"[click](http://127.0.0.1:{port}/link)").filter(visible=True).first.wait_for(timeout=30_000)
    assert_inert(page, listener)
    tab.screenshot("untrusted-text-classifier")


@pytest.mark.slow
def test_two_tabs_of_one_browser_keep_both_conversations(browser, hostile_app):
    from playwright.sync_api import expect

    context = browser.new_context()
    try:
        first, second = loaded(context.new_page(), hostile_app), loaded(context.new_page(), hostile_app)
        for page, text in ((first, "written in the first tab"), (second, "written in the second tab")):
            page.get_by_label("Your message").fill(text)
            page.get_by_role("button", name="Send", exact=True).click()
            page.get_by_text("scam meter 90%").last.wait_for(timeout=30_000)
            expect(page.get_by_role("button", name="Send", exact=True)).to_be_enabled(timeout=30_000)  # saved
        texts: list[str] = []
        for _ in range(20):  # the last save may still be on its way to localStorage
            stored = json.loads(first.evaluate(f"localStorage.getItem({json.dumps(LIBRARY_KEY)})"))
            texts = [turn["text"] for entry in stored["conversations"] for turn in entry["turns"]]
            if "written in the second tab" in texts:
                break
            first.wait_for_timeout(500)
        assert "written in the first tab" in texts and "written in the second tab" in texts
        third = loaded(context.new_page(), hostile_app)
        third.get_by_label("Saved in this browser").click()
        assert third.get_by_role("option").count() >= 2
    finally:
        context.close()
