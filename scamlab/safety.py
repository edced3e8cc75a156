"""Classroom safety: replace every working contact point with a placeholder.

Scam messages shown in class (generated or pasted in) must never contain a
link, phone number, wallet or account that a student could actually use.
`scrub_contact_points` rewrites them to obvious placeholders such as
``[LINK]`` or ``[PHONE]`` while leaving ordinary text (prices, times, dates,
abbreviations like "e.g.") untouched.

All detection rules live in one table, `CONTACT_PATTERNS`, applied in order:
e-mails before domains (an e-mail contains a domain), and wallets, IBANs,
accounts and cards before phone numbers (they are all long digit runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ContactPattern:
    """One kind of contact point and how to recognise it.

    If `pattern` has a group named ``value``, only that group is replaced
    (so "sort code 12-34-56" keeps its keyword). `min_digits` and
    `max_digits` reject matches whose digit count is implausible; 0 means
    "no limit".
    """

    kind: str
    placeholder: str
    pattern: re.Pattern[str]
    min_digits: int = 0
    max_digits: int = 0


# Dots written plainly or defanged: ".", "[.]", "(.)", "{.}", "[dot]", "(dot)".
_DOT = r"(?:\.|\s?[\[({](?:\.|dot)[\])}]\s?)"
# Dots spelled out with spaces: "example dot com".
_SPOKEN_DOT = r"\s+dot\s+"
_ANY_DOT = rf"(?:{_DOT}|{_SPOKEN_DOT})"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# Bare domains need a known top-level domain, so "e.g." or "a.m." survive.
# English words ("in", "to", "us", "it") are left out on purpose.
_KNOWN_TLDS = (
    "com", "net", "org", "info", "biz", "co", "uk", "io", "ai", "app", "xyz",
    "top", "online", "site", "shop", "store", "live", "club", "vip", "icu",
    "cc", "tk", "ml", "ga", "cf", "gq", "ru", "cn", "de", "fr", "es", "nl",
    "eu", "ly", "gl", "gd", "me", "ca", "au", "nz", "ie", "gov", "edu", "tv",
    "link", "click", "support", "help", "services", "security", "pw", "su",
    "ws", "cloud", "tech", "website", "space", "buzz", "rest", "sbs", "cfd",
    "lol", "win", "bid", "loan", "email", "mobi", "asia", "jp", "kr", "br",
    "za", "ng", "ke", "ph", "pk", "ua", "pl", "ch", "se", "dk", "fi",
)
_TLD = "(?:" + "|".join(sorted(_KNOWN_TLDS, key=len, reverse=True)) + ")"
# A URL path: stops before trailing sentence punctuation.
_PATH = r"(?:/(?:[^\s<>\"]*[^\s<>\".,;:!?)\]'])?)?"
_URL_TAIL = r"[^\s<>\"]*[^\s<>\".,;:!?)\]']"
# A phone number never starts inside a word, price, decimal, date or time.
_PHONE_START = r"(?<![\w£$€¥.,/:+-])"
_PHONE_MIN_DIGITS = 10
_PHONE_MAX_DIGITS = 15

CONTACT_PATTERNS: tuple[ContactPattern, ...] = (
    ContactPattern(
        kind="email",
        placeholder="[EMAIL]",
        pattern=re.compile(
            rf"(?<![\w.+-])[\w.+-]+(?:@|\s?[\[({{]\s?at\s?[\])}}]\s?)"
            rf"{_LABEL}(?:{_ANY_DOT}{_LABEL})*{_ANY_DOT}[a-z]{{2,24}}(?![\w-])",
            re.IGNORECASE,
        ),
    ),
    ContactPattern(
        kind="url",
        placeholder="[LINK]",
        pattern=re.compile(
            rf"\b(?:https?|hxxps?|ftp)(?::|\[:\])//{_URL_TAIL}", re.IGNORECASE
        ),
    ),
    ContactPattern(
        kind="www",
        placeholder="[LINK]",
        pattern=re.compile(rf"\bwww\d{{0,3}}{_DOT}{_URL_TAIL}", re.IGNORECASE),
    ),
    ContactPattern(
        kind="domain",
        placeholder="[LINK]",
        pattern=re.compile(
            # "the dot com bubble" is prose, not a link.
            r"(?!(?:the|a|an|this|that)\s+dot\s)"
            rf"(?<![\w@.-]){_LABEL}(?:{_ANY_DOT}{_LABEL})*{_ANY_DOT}{_TLD}"
            rf"(?![\w-])(?::\d{{2,5}})?{_PATH}",
            re.IGNORECASE,
        ),
    ),
    ContactPattern(
        kind="wallet",
        placeholder="[WALLET]",
        pattern=re.compile(
            r"\b(?:"
            r"(?i:bc1[a-z0-9]{25,87})"  # bitcoin bech32
            # bitcoin legacy: base58, with at least one letter
            r"|[13](?=[1-9A-HJ-NP-Za-km-z]*[A-HJ-NP-Za-km-z])[1-9A-HJ-NP-Za-km-z]{25,34}"
            r"|T[1-9A-HJ-NP-Za-km-z]{33}"  # TRON (USDT)
            r"|0x[0-9a-fA-F]{40}"  # ethereum
            r")\b"
        ),
    ),
    ContactPattern(
        kind="iban",
        placeholder="[IBAN]",
        # Upper case only, so a lower-case word after an IBAN is never eaten.
        pattern=re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
    ),
    ContactPattern(
        kind="sort_code_and_account",
        placeholder="[ACCOUNT]",
        pattern=re.compile(r"(?<![\w-])\d{2}-\d{2}-\d{2},?\s+\d{8}\b"),
    ),
    ContactPattern(
        kind="sort_code",
        placeholder="[ACCOUNT]",
        pattern=re.compile(
            r"\bsort[\s-]?code\s*:?\s*(?P<value>\d{2}[\s.-]?\d{2}[\s.-]?\d{2})\b",
            re.IGNORECASE,
        ),
    ),
    ContactPattern(
        kind="account_number",
        placeholder="[ACCOUNT]",
        pattern=re.compile(
            r"(?:\baccount|\bacct|\bacc|\ba/c)(?:\s*(?:number|num|no\.?|#))?\s*:?\s*"
            r"(?P<value>\d(?:[\s-]?\d){5,17})\b",
            re.IGNORECASE,
        ),
    ),
    ContactPattern(
        kind="card",
        placeholder="[CARD]",
        pattern=re.compile(r"(?<![\w+(])\d(?:[ -]?\d){12,18}(?!\w)"),
    ),
    # Phones are split by separator style so a dotted date next to a time
    # ("12.03.2025 10.30") is not read as one spaced-out number.
    ContactPattern(
        kind="phone",
        placeholder="[PHONE]",
        pattern=re.compile(
            rf"{_PHONE_START}(?:\+\s?)?(?:\(\d{{1,5}}\)|\d)"
            r"(?:[ -]?(?:\(\d{1,5}\)|\d))*(?!\w)"
        ),
        min_digits=_PHONE_MIN_DIGITS,
        max_digits=_PHONE_MAX_DIGITS,
    ),
    ContactPattern(
        kind="dotted_phone",
        placeholder="[PHONE]",
        pattern=re.compile(rf"{_PHONE_START}\+?\d(?:[.-]?\d)*(?!\w)"),
        min_digits=_PHONE_MIN_DIGITS,
        max_digits=_PHONE_MAX_DIGITS,
    ),
    ContactPattern(
        kind="street_address",
        placeholder="[ADDRESS]",
        pattern=re.compile(
            r"\b\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}"
            r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Place|Pl"
            r"|Court|Ct|Crescent|Gardens|Terrace|Boulevard|Blvd|Square|Sq|Grove"
            r"|Row|Mews|Parade|Walk)\b"
        ),
    ),
)

CONTACT_PLACEHOLDERS: tuple[str, ...] = tuple(
    dict.fromkeys(rule.placeholder for rule in CONTACT_PATTERNS)
)


def _digit_count(text: str) -> int:
    return sum(char.isdigit() for char in text)


def _replace_match(rule: ContactPattern, match: re.Match[str]) -> str:
    """The replacement for one regex match, or the match itself if implausible."""
    digits = _digit_count(match.group(0))
    if digits < rule.min_digits or (rule.max_digits and digits > rule.max_digits):
        return match.group(0)
    if "value" not in rule.pattern.groupindex:
        return rule.placeholder
    whole_start = match.start()
    value_start, value_end = match.span("value")
    whole = match.group(0)
    return (
        whole[: value_start - whole_start]
        + rule.placeholder
        + whole[value_end - whole_start :]
    )


def scrub_contact_points(text: str) -> str:
    """Return `text` with every link, e-mail, phone, wallet, IBAN, card,
    account number and street address replaced by its placeholder."""
    for rule in CONTACT_PATTERNS:
        text = rule.pattern.sub(lambda match, rule=rule: _replace_match(rule, match), text)
    return text


def contains_contact_point(text: str) -> bool:
    """True if scrubbing would change `text`, i.e. it holds a usable contact point."""
    return scrub_contact_points(text) != text


# Topics a tiny model sometimes drifts into that have no place in a classroom role-play. Replies that
# touch them are dropped (the engine then writes another or falls back to a written line).
UNSUITABLE_FOR_CLASS = re.compile(
    r"\b(?:sex\w*|nude\w*|naked|porn\w*|rape\w*|suicid\w*|kill(?:ed|ing|s)?|murder\w*|drugs?|cocaine|"
    r"heroin|weapon\w*|gun|guns|bomb\w*|terror\w*|fuck\w*|shit\w*|bitch\w*|cunt)\b",
    re.IGNORECASE,
)


def is_fit_for_class(text: str) -> bool:
    """False for text that touches topics unsuitable for a classroom (sex, violence, drugs, slurs)."""
    return not UNSUITABLE_FOR_CLASS.search(text)
