"""The "spot the turn" drill: the student's pick against the meter's, the red flag that gave it away, the
sub-tab's handlers on the real meter, and a round in a real browser."""

from __future__ import annotations

import gradio as gr
import pytest

from scamlab.drill import spot_the_turn
from scamlab.ui.drill_events import reveal, start_drill
from scamlab.ui.drill_tab import DRILL_EXAMPLES

PARCEL = [
    {"role": "them", "content": "Hello, this is the delivery team. We missed you today."},
    {"role": "me", "content": "Oh, which parcel?"},
    {"role": "them", "content": "Your online order. Pay the £2.99 redelivery fee at [LINK] today."},
    {"role": "me", "content": "Can't you just leave it?"},
    {"role": "them", "content": "Send the code we texted you to confirm."},
]


@pytest.mark.parametrize("spotted, meter, verdict", [
    (1, 3, "You spotted it 2 messages before the meter (message 1 vs 3)."),
    (5, 3, "The meter spotted it 2 messages before you (message 3 vs 5)."),
    (3, 3, "You and the meter both spotted it at message 3."),
    (None, 3, "You never became suspicious; the meter crossed its line at message 3."),
    (4, None, "You became suspicious at message 4; the meter never crossed its line."),
    (None, None, "You and the meter agree: this conversation never turned into a scam."),
])
def test_the_verdict_says_who_spotted_it_first(spotted, meter, verdict):
    assert spot_the_turn(PARCEL, {"first_flag_turn": meter}, spotted).verdict == verdict


def test_the_giveaway_is_their_first_flagged_message_up_to_the_later_pick():
    outcome = spot_the_turn(PARCEL, {"first_flag_turn": 5}, 2)
    assert outcome.giveaway == 3 and "Link to click" in outcome.giveaway_flags
    early = spot_the_turn(PARCEL, {"first_flag_turn": None}, 1)
    assert early.giveaway is None and early.giveaway_flags == ()  # nothing flagged in message 1


def test_your_own_messages_never_give_it_away():
    mine = [{"role": "me", "content": "Send the code we texted you."}, {"role": "them", "content": "Thanks, all done."}]
    assert spot_the_turn(mine, {"first_flag_turn": None}, 2).giveaway is None


@pytest.mark.parametrize("spotted", [0, 6, -1])
def test_a_pick_outside_the_conversation_is_refused(spotted):
    with pytest.raises(ValueError, match="between 1 and 5"):
        spot_the_turn(PARCEL, {"first_flag_turn": 3}, spotted)


# --- the sub-tab's handlers, on the real meter -------------------------------------------------------------

PARCEL_PASTE = "\n".join(f"{'Them' if m['role'] == 'them' else 'Me'}: {m['content']}" for m in PARCEL)


def test_start_shows_the_messages_without_scores_and_hides_the_reveal():
    started = start_drill(PARCEL_PASTE)
    assert list(started["reading"]["who"]) == ["Them", "You", "Them", "You", "Them"]
    assert list(started["reading"].columns) == ["message", "who", "text"]
    assert started["meter"]["visible"] is False and started["timeline"]["visible"] is False
    with pytest.raises(gr.Error, match="only one speaker"):
        start_drill("Them: hello\nThem: pay now")


def test_reveal_compares_with_the_meter_and_names_the_giveaway(engine):
    messages = start_drill(PARCEL_PASTE)["messages"]
    meter = engine.score_conversation(messages)["first_flag_turn"]
    shown = reveal(engine, messages, 1)
    assert meter is not None and shown["outcome"].startswith(f"### You spotted it {meter - 1} message")
    assert "**What gave it away:** message 3" in shown["outcome"] and "Link to click" in shown["outcome"]
    assert shown["meter"]["visible"] and "Link to click" in shown["timeline"]["value"].iloc[2]["red flags"]
    with pytest.raises(gr.Error, match="Start first"):
        reveal(engine, None, 1)


def test_practice_conversations_carry_no_answer_in_their_labels():
    assert len(DRILL_EXAMPLES) >= 2 and all(text.startswith("Them:") for text in DRILL_EXAMPLES)


@pytest.mark.slow
def test_browser_drill_round(tab, running_app):
    from playwright.sync_api import expect

    from tests.test_app_e2e import open_classifier_view

    page = open_classifier_view(tab, running_app.url, "Spot the turn")
    page.locator("#drill-chat textarea").fill(PARCEL_PASTE)
    page.get_by_role("button", name="Start").click()
    reading = page.locator("#drill-reading")
    expect(reading).to_contain_text("Send the code we texted you", timeout=30_000)
    reading.get_by_text("Oh, which parcel?").first.click()  # suspicious at message 2
    outcome = page.locator("#drill-outcome")
    expect(outcome).to_contain_text("before", timeout=60_000)
    expect(outcome).to_contain_text("What gave it away: message 3")
    expect(page.locator("#drill-timeline")).to_contain_text("Link to click")
    page.get_by_role("button", name="It never turned").click()
    expect(outcome).to_contain_text("You never became suspicious; the meter crossed its line at message", timeout=60_000)
    tab.screenshot("spot-the-turn")
    assert tab.errors == []
