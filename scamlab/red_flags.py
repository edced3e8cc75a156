"""Red-flag rules, and how their findings are written: one home for the chat, the classifier and the handout.

Each rule is one row of `RED_FLAG_RULES`: a short label, a one-line reason a
student can understand, and a case-insensitive regex. `find_red_flags`
returns non-overlapping hits; `highlight_segments` turns them into the
``[(text, label_or_None), ...]`` shape that ``gr.HighlightedText`` accepts.
Patterns use RE2 syntax (linear time on any text, see `scamlab.text_patterns`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scamlab.text_patterns import (
    SPACE_CHARACTERS,
    WORD_CHARACTERS,
    Pattern,
    compile_pattern,
    searchable,
    whole_word_matches,
)


@dataclass(frozen=True)
class RedFlagRule:
    """One warning sign: what it is called, why it matters, how to spot it."""

    id: str
    label: str
    reason: str
    pattern: Pattern


@dataclass(frozen=True)
class RedFlagHit:
    """One place in a message where a rule matched (`text[start:end] == matched`)."""

    rule_id: str
    label: str
    reason: str
    start: int
    end: int
    matched: str


def _rule(rule_id: str, label: str, reason: str, regex: str) -> RedFlagRule:
    """Build a rule, compiling `regex` (RE2 syntax) case-insensitively."""
    return RedFlagRule(rule_id, label, reason, compile_pattern(regex, ignore_case=True))


_APOSTROPHE = "['’]?"
_WORD = f"[{WORD_CHARACTERS}]"
_NOT_SPACE = f"[^{SPACE_CHARACTERS}]"

RED_FLAG_RULES: tuple[RedFlagRule, ...] = (
    _rule(
        "urgency",
        "Urgency or threat",
        "Scammers rush or scare you so you act before you think.",
        r"\b(?:act (?:now|fast|immediately)|(?:call|reply|respond|click) (?:now|today)|immediately"
        r"|urgent(?:ly)?|right now|asap|at risk"
        r"|within \d+ ?(?:hours?|hrs?|minutes?|mins?|days?)|in the next \d+ ?(?:hours?|minutes?)"
        r"|(?:account|card|access)(?: has been| will be| is)? (?:suspended|locked|closed|frozen"
        r"|blocked|restricted|disabled|deactivated)"
        r"|final (?:notice|warning|reminder)|last chance|expires? (?:today|tonight|soon)"
        r"|arrest(?:ed)?|warrant|legal action|court (?:action|case|summons)"
        rf"|don{_APOSTROPHE}t hang up|before it{_APOSTROPHE}s too late)\b",
    ),
    _rule(
        "money_request",
        "Asks for money",
        "A stranger asking you to pay or send money is the classic scam move.",
        r"\b(?:pay(?:ment|ing)?|fees?|transfer(?:red|ring)?|wire|send (?:me )?(?:the |some )?money"
        r"|deposit|outstanding balance|owe|refund)\b",
    ),
    _rule(
        "unusual_payment",
        "Gift cards or crypto",
        "Real companies never ask to be paid in gift cards or crypto: "
        "it can't be traced or refunded.",
        r"\b(?:gift ?cards?|itunes(?: cards?)?|steam (?:cards?|wallet)"
        r"|google play (?:cards?|codes?)|apple (?:gift )?cards?|vouchers?"
        r"|bitcoin|btc|usdt|tether|ethereum|crypto(?:currency)?"
        r"|(?:crypto |bitcoin )?wallet|western union|moneygram)\b",
    ),
    _rule(
        "credentials",
        "Asks for codes or personal data",
        "Nobody genuine asks for your password, PIN or one-time code: "
        "whoever has it controls your account.",
        r"\b(?:pin(?: number| code)?|otp|one[- ]?time (?:pass)?code"
        r"|(?:verification|security|login|access) code|passwords?|passcode|log ?in details"
        r"|(?:send|read|tell|give|forward)(?: me| us)? (?:the|that|this|your) code"
        r"|(?:verify|confirm|update) your (?:account|identity|details|information)"
        r"|date of birth|dob|card (?:details|number)"
        r"|cvv|cvc|expiry date|social security(?: number)?|ssn|national insurance(?: number)?"
        rf"|mother{_APOSTROPHE}s maiden name|bank details|account (?:details|number)|sort code)\b",
    ),
    _rule(
        "link",
        "Link to click",
        "Links in unexpected messages often lead to fake login pages or malware.",
        rf"(?:\b(?:https?|hxxps?)://{_NOT_SPACE}+|\bwww\.{_NOT_SPACE}+|\[LINK\]"
        # A domain starts at its first word character: no \b, which re2 knows only for ASCII letters.
        rf"|{_WORD}[{WORD_CHARACTERS}-]*(?:\.|\[\.\])"
        rf"(?:com|net|org|co|uk|info|xyz|top|ly|io|me|app|online|site|shop)\b(?:/{_NOT_SPACE}*)?"
        r"|\b(?:click|tap|press|follow|open|use) (?:here|below|(?:the|this|my) link)\b)",
    ),
    _rule(
        "secrecy",
        "Secrecy",
        "Being told to keep it secret stops friends or family from warning you.",
        rf"\b(?:(?:don{_APOSTROPHE}t|do not|never) tell "
        rf"(?:anyone|anybody|mum|mom|dad|your {_WORD}+|the (?:bank|police))"
        r"|keep (?:this|it) (?:between us|(?:a )?secret|quiet|to yourself)"
        r"|between (?:you and me|us)|(?:our|a) little secret|confidential)\b",
    ),
    _rule(
        "authority",
        "Pretends to be an authority",
        "Scammers pose as banks, police, tax offices or big brands because people trust them.",
        r"\b(?:bank(?:ing)?|police|hmrc|irs|tax (?:office|refund|rebate)|amazon|microsoft"
        r"|apple (?:support|id|store)|paypal|netflix|tech(?:nical)? support"
        r"|post office|royal mail|dhl|dpd|fedex|(?-i:UPS)|usps|evri|hermes|courier|customs"
        r"|dvla|nhs|government|(?:fraud|security) (?:team|department))\b",
    ),
    _rule(
        "too_good",
        "Too good to be true",
        "Prizes you never entered for and guaranteed profits are bait.",
        rf"\b(?:you{_APOSTROPHE}(?:ve|ve been)? (?:won|selected)"
        r"|you have (?:won|been selected)|winner"
        r"|prizes?|free|guaranteed (?:returns?|profits?|income)|double your money|risk[- ]free"
        r"|lottery|jackpot|congratulations|cash reward|\d+ ?% (?:returns?|profit)|easy money"
        r"|earn (?:up to )?[£$€]?\d[\d,]* (?:a|per) (?:day|hour|week|task))\b",
    ),
    _rule(
        "app_switch",
        "Move to another app",
        "Moving you to a private chat app takes you away from the platform's safety checks.",
        r"\b(?:whatsapp|telegram|signal|wechat|viber"
        r"|(?:text|message|add|contact|call|chat with) me on|switch to)\b",
    ),
    _rule(
        "unexpected_contact",
        "Unexpected contact",
        "A surprise message from a 'new number' or a stranger is how many scams begin.",
        r"\b(?:hi,? (?:mum|mom|dad|mummy|daddy)|(?:my )?new (?:phone )?number"
        r"|(?:lost|broke|dropped|smashed) my phone|changed my number|wrong number"
        rf"|sorry to bother you|you don{_APOSTROPHE}t know me|got your number from"
        r"|saw your (?:profile|cv|photos?))\b",
    ),
)


def find_red_flags(text: str) -> list[RedFlagHit]:
    """All red-flag hits in `text`, sorted by start, without overlaps.

    Where hits overlap, the earliest wins; among hits starting together, the
    longest wins, then the rule listed first in `RED_FLAG_RULES`.
    """
    searchable_text = searchable(text)
    candidates = sorted(
        (
            (match.start(), -(match.end() - match.start()), rule_index, match.end())
            for rule_index, rule in enumerate(RED_FLAG_RULES)
            for match in whole_word_matches(rule.pattern, searchable_text)
            if match.end() > match.start()
        ),
        key=lambda candidate: candidate[:3],
    )
    hits: list[RedFlagHit] = []
    covered_until = 0
    for start, _, rule_index, end in candidates:
        if start < covered_until:
            continue
        rule = RED_FLAG_RULES[rule_index]
        hits.append(RedFlagHit(rule.id, rule.label, rule.reason, start, end, text[start:end]))
        covered_until = end
    return hits


def highlight_segments(text: str) -> list[tuple[str, str | None]]:
    """`text` cut into consecutive (segment, rule label or None) pairs.

    Joining the segment texts gives back `text` exactly; this is the value
    format of ``gr.HighlightedText``.
    """
    segments: list[tuple[str, str | None]] = []
    position = 0
    for hit in find_red_flags(text):
        if hit.start > position:
            segments.append((text[position : hit.start], None))
        segments.append((hit.matched, hit.label))
        position = hit.end
    if position < len(text):
        segments.append((text[position:], None))
    return segments


def flagged_rules(text: str) -> list[RedFlagRule]:
    """The distinct rules that `text` triggers, in `RED_FLAG_RULES` order."""
    hit_ids = {hit.rule_id for hit in find_red_flags(text)}
    return [rule for rule in RED_FLAG_RULES if rule.id in hit_ids]


def red_flag_reason_lines(text: str, show: Callable[[str], str] = str) -> list[str]:
    """One Markdown bullet per red flag in `text`: its name, the words that tripped it, and why it matters.

    `show` renders the tripping words, which come from the message (the UI passes its Markdown escaper).
    """
    words: dict[str, list[str]] = {}
    reasons: dict[str, str] = {}
    for hit in find_red_flags(text):
        words.setdefault(hit.label, []).append(hit.matched)
        reasons[hit.label] = hit.reason
    return [f"- **{label}** ({', '.join(f'“{show(word)}”' for word in dict.fromkeys(found))}): {reasons[label]}"
            for label, found in words.items()]


def red_flag_table_markdown(rules: Sequence[RedFlagRule] = RED_FLAG_RULES) -> str:
    """A Markdown table (red flag | why it matters) of `rules` (every rule by default)."""
    lines = ["| Red flag | Why it matters |", "| --- | --- |"]
    lines.extend(f"| {rule.label} | {rule.reason} |" for rule in rules)
    return "\n".join(lines)
