"""Replies come back clean: no role prefix, no template tokens, no next speaker, no contact points, whole sentences."""

import pytest

from scamlab.engine.reply_cleaning import clean_reply, is_finished_turn

SYSTEM = "You are a scammer sending text messages in a classroom scam-awareness simulation. Write only your next text message."


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Scammer: Your parcel is waiting. Pay now.", "Your parcel is waiting. Pay now."),
        ("**Victim:** Who is this?", "Who is this?"),
        ("assistant: Hello there! How are", "Hello there!"),
        ("Hi! Pay today.<|im_end|><|im_start|>user\nNo", "Hi! Pay today."),
        ("Send the code now.\nUser: no way\nScammer: yes", "Send the code now."),
        ("Call me on 07700 900123 or visit www.fake-bank.com today.", "Call me on [PHONE] or visit [LINK] today."),
        ("Hello.\n\nUser: what", "Hello."),
        ("No sentence end here", "No sentence end here"),
        (SYSTEM + " Pay the fee today!", "Pay the fee today!"),
        ("   ", ""),
    ],
)
def test_clean_reply(raw, expected):
    assert clean_reply(raw, SYSTEM) == expected


@pytest.mark.parametrize(
    "raw, finished",
    [("Pay now.", False), ("Pay now.\nVictim: why", True), ("Pay now.\n\nMore", True), ("\nScammer: hi", False), ("Done.<|im_end|>", True)],
)
def test_is_finished_turn(raw, finished):
    assert is_finished_turn(raw) is finished


@pytest.mark.parametrize(
    "raw, expected",
    [
        ('"Meet me at the station."', "Meet me at the station."),
        ("No thanks. (implying that it was not possible to meet)", "No thanks."),
        ("It costs (£5) only.", "It costs (£5) only."),
    ],
)
def test_stage_directions_and_wrapping_quotes_go(raw, expected):
    assert clean_reply(raw) == expected


def test_a_leading_quotation_drops_the_commentary_after_it():
    assert clean_reply('"You won a prize!" (Skim) Scammers use this line to seem friendly.') == "You won a prize!"


def test_several_role_prefixes_go_at_once():
    assert clean_reply("Scammer: Victim: **Scammer:**   Hi there.") == "Hi there."


def test_a_reply_is_never_longer_than_a_chat_message():
    from scamlab.transcripts import MAX_MESSAGE_CHARS

    reply = clean_reply("Pay the fee now. " * 300)
    assert len(reply) <= MAX_MESSAGE_CHARS and reply.endswith("now.")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Hi \ud83d there. And", "Hi \ufffd there."),  # a lone surrogate from a broken decode becomes U+FFFD
        ("Hi 😀 and", "Hi 😀"),  # an emoji ends a sentence
        ("Stop.\u00a0Now it", "Stop."),  # so does a no-break space after the full stop
    ],
)
def test_unicode_edges(raw, expected):
    assert clean_reply(raw) == expected
