"""The classifier tab's Conversation sub-tab: a pasted chat in, the conversation meter, the verdict and the red flags
per message out; bad pastes answered clearly; pasted markup shown as text in a real browser."""

from __future__ import annotations

import gradio as gr
import pytest

from scamlab.chat_paste import MAX_CHAT_LINES, parse_pasted_chat
from scamlab.safety import scrub_contact_points
from scamlab.ui import classifier_events as handlers
from scamlab.ui import classifier_tab as tab
from scamlab.ui.classifier_display import FLAG_COLUMNS
from scamlab.ui.rate_limit import Cost, RateLimiter
from tests.test_app_e2e import open_classifier_view

GENUINE, PARCEL = (text for _, text in tab.CONVERSATION_EXAMPLES)


def test_the_parcel_scam_crosses_the_line_and_names_the_message(engine):
    shown = handlers.score_pasted_chat(engine, PARCEL, "")
    figure, verdict, flags = shown["meter"], shown["verdict"], shown["flags"]
    scores = engine.score_conversation(parse_pasted_chat(PARCEL))
    flagged = scores["first_flag_turn"]
    assert flagged is not None and scores["scam_probability"] > 0.5
    assert verdict.startswith(f"### Likely scam: the meter crossed the line at message {flagged}")
    assert f"Message {flagged} (Them)" in verdict and f"**{scores['scam_probability']:.2f}**" in verdict
    assert list(flags.columns) == FLAG_COLUMNS and list(flags["message"]) == list(range(1, 8))
    assert list(flags["who"]) == ["Them", "You"] * 3 + ["Them"]
    assert "Link to click" in flags.iloc[flagged - 1]["red flags"] and flags.iloc[1]["red flags"] == "none"
    texts = [text.get_text() for text in figure.axes[0].texts]
    assert f" flagged at message {flagged}" in texts


def test_the_genuine_bank_call_stays_below_the_line(engine):
    shown = handlers.score_pasted_chat(engine, GENUINE, None)
    figure, verdict, flags = shown["meter"], shown["verdict"], shown["flags"]
    assert verdict.startswith("### Below the line throughout") and len(flags) == 5
    assert not any("flagged at message" in text.get_text() for text in figure.axes[0].texts)


def test_a_whatsapp_export_with_your_name(engine):
    export = ("[12/03/2024, 14:05] Alex: Hi, it's your bank. Your account is locked.\n"
              "[12/03/2024, 14:06] Sam: Which bank?\n"
              "[12/03/2024, 14:07] Alex: Verify your details now at [LINK] or lose access today.")
    flags = handlers.score_pasted_chat(engine, export, "Sam")["flags"]
    assert list(flags["who"]) == ["Them", "You", "Them"] and "Link to click" in flags.iloc[2]["red flags"]
    flags = handlers.score_pasted_chat(engine, export, "Alex")["flags"]  # you wrote the odd ones
    assert list(flags["who"]) == ["You", "Them", "You"]


@pytest.mark.parametrize("paste, message", [
    ("", "The chat is empty"),
    ("  \n\n ", "The chat is empty"),
    ("Them: hello\n" * 5_000, f"The chat has 5,000 lines; the limit is {MAX_CHAT_LINES:,} lines"),
    ("Them: hello\nThem: pay now", "only one speaker"),
])
def test_bad_pastes_get_the_parsers_message(engine, paste, message):
    with pytest.raises(gr.Error, match=message):
        handlers.score_pasted_chat(engine, paste, "")


def test_scoring_costs_a_message_per_message_and_is_private(engine):
    assert handlers.pasted_chat_cost(PARCEL, "") == Cost(messages=7)
    assert handlers.pasted_chat_cost("", "") == Cost(messages=1)  # a paste it cannot read still costs a request
    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            tab.build_classifier_tab(engine, None, tabs, limiter=RateLimiter(1000, messages=10))
    event = next(fn for fn in demo.fns.values() if isinstance(fn.outputs[0], gr.Plot))
    assert event.api_visibility == "private"
    verdict = event.outputs[1]
    assert isinstance(verdict, gr.Markdown) and event.fn(PARCEL, "")[verdict].startswith("### Likely scam")
    with pytest.raises(gr.Error, match="Slow down.*messages checked"):  # 7 + 7 messages: over the 10 a minute
        event.fn(PARCEL, "")


def test_examples_have_no_working_contact_points():
    for _, text in tab.CONVERSATION_EXAMPLES:
        assert scrub_contact_points(text) == text, text


# --- in a browser ----------------------------------------------------------------------------------------


HOSTILE_CHAT = """Them: Your parcel is held. Pay the £1.99 fee within 24 hours at [LINK]
Me: Which parcel?
Them: <img src=x onerror="window.__pwned=1"> Send the code we texted you now."""


@pytest.mark.slow
def test_browser_scores_a_pasted_chat_and_keeps_its_markup_inert(tab, running_app):
    from playwright.sync_api import expect

    page = open_classifier_view(tab, running_app.url, "Conversation")
    page.locator("#conversation-chat textarea").fill(HOSTILE_CHAT)
    page.get_by_role("button", name="Score the conversation").click()
    verdict = page.locator("#conversation-verdict")
    expect(verdict).to_contain_text("Likely scam: the meter crossed the line at message", timeout=60_000)
    table = page.locator("#conversation-flags")
    expect(table).to_contain_text("Link to click")
    expect(table.get_by_text('<img src=x onerror="window.__pwned=1">', exact=False).filter(visible=True).first).to_be_visible()
    assert page.locator("img[src='x']").count() == 0 and page.evaluate("window.__pwned === undefined")
    expect(page.locator("#conversation-chat textarea")).to_have_value(HOSTILE_CHAT)  # the paste stays
    tab.screenshot("conversation-tab")
    assert tab.errors == []
