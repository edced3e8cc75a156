"""Tests for scamlab.red_flags: the rule table, hits, highlighting and docs table."""

import re

import pytest

from scamlab import red_flags
from scamlab.red_flags import (
    RED_FLAG_RULES,
    RedFlagRule,
    find_red_flags,
    flagged_rules,
    highlight_segments,
    red_flag_table_markdown,
)

RULES_BY_ID = {rule.id: rule for rule in RED_FLAG_RULES}

# (rule id, a message that must trigger it, the text it must match)
RULE_EXAMPLES = [
    ("urgency", "Act now or lose access", "Act now"),
    ("urgency", "Reply within 24 hours", "within 24 hours"),
    ("urgency", "Your account has been suspended", "account has been suspended"),
    ("urgency", "FINAL NOTICE from us", "FINAL NOTICE"),
    ("urgency", "or face arrest", "arrest"),
    ("money_request", "Please make a payment today", "payment"),
    ("money_request", "A small fee applies", "fee"),
    ("money_request", "Wire the amount to me", "Wire"),
    ("money_request", "transfer it tonight", "transfer"),
    ("unusual_payment", "Buy a gift card from the shop", "gift card"),
    ("unusual_payment", "Pay with iTunes", "iTunes"),
    ("unusual_payment", "send Steam cards", "Steam cards"),
    ("unusual_payment", "only in bitcoin", "bitcoin"),
    ("unusual_payment", "send USDT", "USDT"),
    ("credentials", "Tell me your PIN", "PIN"),
    ("credentials", "read me the OTP", "OTP"),
    ("credentials", "the verification code we sent", "verification code"),
    ("credentials", "confirm your password", "password"),
    ("credentials", "and your date of birth", "date of birth"),
    ("credentials", "enter your card details", "card details"),
    ("credentials", "Send the code we texted you", "Send the code"),
    ("credentials", "your social security number", "social security number"),
    ("link", "visit https://secure-pay.example/x now", "https://secure-pay.example/x"),
    ("link", "go to hxxp://bad.example", "hxxp://bad.example"),
    ("link", "see www.fake-bank.example", "www.fake-bank.example"),
    ("link", "log in at paypa1-login.com", "paypa1-login.com"),
    ("link", "Click here to claim", "Click here"),
    ("link", "tap the link below", "tap the link"),
    ("link", "Pay at [LINK] today", "[LINK]"),
    ("secrecy", "Don't tell anyone about this", "Don't tell anyone"),
    ("secrecy", "keep this between us", "keep this between us"),
    ("authority", "Message from HMRC", "HMRC"),
    ("authority", "This is the police", "police"),
    ("authority", "Microsoft has detected", "Microsoft"),
    ("authority", "the IRS says", "IRS"),
    ("authority", "the post office holds it", "post office"),
    ("authority", "a DHL courier", "DHL"),
    ("too_good", "You've won a car", "You've won"),
    ("too_good", "claim your prize", "prize"),
    ("too_good", "a FREE phone", "FREE"),
    ("too_good", "guaranteed returns each month", "guaranteed returns"),
    ("too_good", "double your money fast", "double your money"),
    ("app_switch", "add me on WhatsApp", "add me on"),
    ("app_switch", "let's chat on Telegram", "Telegram"),
    ("app_switch", "text me on this number", "text me on"),
    ("app_switch", "please switch to Signal", "switch to"),
    ("unexpected_contact", "Hi Mum, it's me", "Hi Mum"),
    ("unexpected_contact", "this is my new number", "my new number"),
    ("unexpected_contact", "I lost my phone", "lost my phone"),
]

INNOCENT_MESSAGES = [
    "See you at football practice at 5.",
    "I ate an apple. Ups and downs.",
    "Thanks for dinner, it was lovely.",
    "Homework is due next Monday.",
]

SAMPLE_MESSAGES = [
    "URGENT: your bank account has been suspended. Verify within 24 hours at [LINK] or else.",
    "Hi Mum, I broke my phone, this is my new number. Can you pay a bill? Don't tell Dad.",
    "Congratulations! You have won a free iPhone. Pay the £1.99 fee with an iTunes gift card.",
    "Thanks for dinner, it was lovely.",
    "",
]


@pytest.mark.parametrize(("rule_id", "message", "matched"), RULE_EXAMPLES)
def test_rule_catches_example(rule_id: str, message: str, matched: str) -> None:
    hits = find_red_flags(message)
    assert any(hit.rule_id == rule_id and hit.matched == matched for hit in hits), hits


def test_every_rule_has_an_example() -> None:
    assert {rule_id for rule_id, _, _ in RULE_EXAMPLES} == set(RULES_BY_ID)


def test_rule_table_is_well_formed() -> None:
    assert len(RULES_BY_ID) == len(RED_FLAG_RULES) >= 10
    for rule in RED_FLAG_RULES:
        assert rule.label and rule.reason and "\n" not in rule.reason
        assert not rule.pattern.options.case_sensitive


@pytest.mark.parametrize("message", INNOCENT_MESSAGES)
def test_innocent_message_has_no_red_flags(message: str) -> None:
    assert find_red_flags(message) == []
    assert highlight_segments(message) == [(message, None)]


@pytest.mark.parametrize("message", SAMPLE_MESSAGES)
def test_hits_are_sorted_disjoint_and_point_into_the_text(message: str) -> None:
    hits = find_red_flags(message)
    for hit in hits:
        assert message[hit.start : hit.end] == hit.matched
        assert RULES_BY_ID[hit.rule_id].label == hit.label
    for earlier, later in zip(hits, hits[1:]):
        assert earlier.end <= later.start


def _synthetic_rule(rule_id: str, regex: str) -> RedFlagRule:
    return RedFlagRule(rule_id, rule_id.title(), f"{rule_id} reason", re.compile(regex))


@pytest.mark.parametrize(
    ("rules", "message", "expected"),
    [
        # Same start: the longer hit wins even if its rule is listed later.
        (
            [("short", r"bank"), ("long", r"bank details")],
            "your bank details",
            [("long", "bank details")],
        ),
        # Different starts: the earlier hit wins even if it is shorter.
        (
            [("late", r"details please"), ("early", r"bank details")],
            "bank details please",
            [("early", "bank details")],
        ),
        # Same start and length: the rule listed first wins.
        ([("first", r"bank"), ("second", r"bank")], "bank", [("first", "bank")]),
        # Hits that do not overlap are all kept, sorted by start.
        ([("b", r"world"), ("a", r"hello")], "hello world", [("a", "hello"), ("b", "world")]),
    ],
)
def test_overlap_resolution(
    monkeypatch: pytest.MonkeyPatch,
    rules: list[tuple[str, str]],
    message: str,
    expected: list[tuple[str, str]],
) -> None:
    table = tuple(_synthetic_rule(rule_id, regex) for rule_id, regex in rules)
    monkeypatch.setattr(red_flags, "RED_FLAG_RULES", table)
    assert [(hit.rule_id, hit.matched) for hit in find_red_flags(message)] == expected


def test_overlap_keeps_the_longest_hit_at_the_same_start() -> None:
    # "bank" (authority) and "bank details" (credentials) both start at 10.
    hits = find_red_flags("Send your bank details")
    assert [(hit.rule_id, hit.matched) for hit in hits] == [("credentials", "bank details")]


def test_overlap_keeps_the_earliest_hit() -> None:
    # "tax refund" (authority) starts before "refund" (money request) inside it.
    hits = find_red_flags("Claim your tax refund")
    assert [(hit.rule_id, hit.matched) for hit in hits] == [("authority", "tax refund")]


@pytest.mark.parametrize("message", SAMPLE_MESSAGES)
def test_highlight_segments_rebuild_the_text(message: str) -> None:
    segments = highlight_segments(message)
    assert "".join(text for text, _ in segments) == message
    assert all(text for text, _ in segments)
    labels = {label for _, label in segments} - {None}
    assert labels == {hit.label for hit in find_red_flags(message)}
    for (_, first), (_, second) in zip(segments, segments[1:]):
        assert not (first is None and second is None)


def test_highlight_segments_shape() -> None:
    assert highlight_segments("Act now at [LINK]") == [
        ("Act now", "Urgency or threat"),
        (" at ", None),
        ("[LINK]", "Link to click"),
    ]


def test_flagged_rules_are_distinct_and_in_table_order() -> None:
    message = "Click here! You've won. Click here again and pay the fee now."
    assert [rule.id for rule in flagged_rules(message)] == [
        "money_request",
        "link",
        "too_good",
    ]
    assert flagged_rules("Thanks for dinner") == []


def test_markdown_table_lists_every_rule() -> None:
    lines = red_flag_table_markdown().splitlines()
    assert lines[0].count("|") == 3 and set(lines[1]) <= set("|- ")
    assert len(lines) == 2 + len(RED_FLAG_RULES)
    for line, rule in zip(lines[2:], RED_FLAG_RULES):
        assert line == f"| {rule.label} | {rule.reason} |"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # re2 knows only ASCII words; hits must still start and end at whole words as Python counts them.
        ("épay", []),
        ("Zahlung paymenté", []),
        ("see übung.com now", [("link", "übung.com")]),
        ("see bücher.com now", [("link", "bücher.com")]),
        ("visit --foo.com", [("link", "foo.com")]),
        # A no-break space ends a link, as any other space does.
        ("https://x.com\u00a0next", [("link", "https://x.com")]),
    ],
)
def test_hits_respect_unicode_words_and_spaces(message: str, expected: list[tuple[str, str]]) -> None:
    assert [(hit.rule_id, hit.matched) for hit in find_red_flags(message)] == expected


def test_a_lone_surrogate_neither_breaks_nor_shifts_the_hits() -> None:
    message = "pay \ud83d now at [LINK]"  # half an emoji, as a browser can send it
    hits = find_red_flags(message)
    assert [(hit.rule_id, hit.matched) for hit in hits] == [("money_request", "pay"), ("link", "[LINK]")]
    assert all(message[hit.start : hit.end] == hit.matched for hit in hits)
    assert "".join(text for text, _ in highlight_segments(message)) == message
