"""Classroom safety: replace every working contact point with a placeholder.

Scam messages shown in class (generated or pasted in) must never contain a link, phone number, wallet, account,
handle or address that a student could actually use. `scrub_contact_points` rewrites them to obvious placeholders
such as ``[LINK]`` or ``[PHONE]`` while leaving ordinary text (prices, times, dates, "e.g.") untouched.

It does not trust the form of a text: recognition runs on a normalized view (`scamlab.normalize`: NFKC,
look-alike letters, zero-width characters, defanged, spoken and spaced-out forms, numbers in words), and only the
stretch of the original behind each find is replaced. Domains are checked against the public-suffix list
(`scamlab.domains`), phone numbers with Google's libphonenumber (`scamlab.contact_checks`).

All rules live in one table, `CONTACT_PATTERNS`, applied in order; what a rule finds is its placeholder for the
rules after it: links and e-mails first, then wallets, IBANs, accounts and cards (long digit runs) before phones.
Every pattern is a `re2` pattern, so scrubbing a reply takes time linear in its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import re2

from scamlab import contact_checks as checks
from scamlab.contact_checks import Accept
from scamlab.normalize import Pattern, TextView, apply_edits, normalized_view, scan

# A host: labels of letters and digits (any script) with inner hyphens, joined by dots; the last label holds a
# letter (every public suffix does), so numbers like "12.03.2025" are never candidates.
_LABEL = r"[\pL\pN](?:[\pL\pN-]*[\pL\pN])?"
_HOST = rf"{_LABEL}(?:\.{_LABEL})*\.\pN*\pL(?:[\pL\pN-]*[\pL\pN])?"
_IP = r"\d{1,3}(?:\.\d{1,3}){3}"
_PORT_AND_PATH = r"(?::\d{1,5})?(?:/[^\s<>\"]*)?"
_URL_TAIL = r"[^\s<>\"]*"
# A phone number, card or account never starts inside a word, price, decimal, date or time.
_NUMBER_START = r"(?:^|[^\pL\pN_£$€¥.,/:+\-])"
# Longest first, so "Street" wins over "St".
_STREET_TYPES = "|".join(sorted(checks.PLAIN_STREET_TYPES + checks.AMBIGUOUS_STREET_TYPES, key=len, reverse=True))


@dataclass(frozen=True)
class ContactPattern:
    """One kind of contact point: a linear-time pattern and a check that accepts or rejects each match.

    The check returns the view span to replace (by default the group named ``value`` if the pattern has one,
    so "sort code 12-34-56" keeps its keyword, else the whole match) or None for an implausible match.
    """

    kind: str
    placeholder: str
    pattern: Pattern
    accept: Accept = checks.value_span
    groups: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", dict(self.pattern.groupindex))


def _rule(kind: str, placeholder: str, pattern: str, accept: Accept = checks.value_span) -> ContactPattern:
    return ContactPattern(kind, placeholder, re2.compile(pattern), accept)


CONTACT_PATTERNS: tuple[ContactPattern, ...] = (
    # "@" written with a space on one side only is a mention or a code ("9052 @hinge.example"), not an e-mail.
    _rule("email", "[EMAIL]", rf"(?P<value>[\pL\pN_.+\-]+(?:@| @ )(?P<host>{_HOST}))", checks.email_span),
    _rule("url", "[LINK]", rf"(?i)\b(?P<value>(?:https?|hxxps?|ftp|sftp)://{_URL_TAIL})", checks.url_span),
    _rule("www", "[LINK]", rf"(?i)(?:^|[^\pL\pN_.\-])(?P<value>www\d{{0,3}}\.{_URL_TAIL})", checks.url_span),
    _rule(
        "protocol_relative",
        "[LINK]",
        rf"(?:^|[^\pL\pN_:/])(?P<value>//(?P<host>{_HOST}|{_IP}){_PORT_AND_PATH})",
        checks.protocol_relative_span,
    ),
    _rule(
        "ip_address",
        "[LINK]",
        rf"(?:^|[^\pL\pN_.])(?P<value>(?P<ip>{_IP}){_PORT_AND_PATH})",
        checks.ip_span,
    ),
    _rule(
        "domain",
        "[LINK]",
        rf"(?:^|[^\pL\pN_@.\-])(?P<value>(?P<host>{_HOST})(?P<rest>{_PORT_AND_PATH}))",
        checks.domain_span,
    ),
    _rule("handle", "[HANDLE]", r"(?:^|[^\pL\pN_@.])(?P<value>@[A-Za-z][A-Za-z0-9_]{4,})", checks.handle_span),
    _rule(
        "bech32_wallet",
        "[WALLET]",
        r"(?i)\b(?P<value>(?:bc|tb|ltc)1[ac-hj-np-z02-9]{6,}(?:[ \-]{1,3}[ac-hj-np-z02-9]{2,})*)",
        checks.bech32_span,
    ),
    _rule(
        "hex_wallet",
        "[WALLET]",
        # "0x" and 4 hex digits, or 8 without it, then more parts: 40 hex digits in all.
        r"(?i)\b(?P<value>(?:0x[0-9a-f]{4,40}|[0-9a-f]{8,40})(?:[ \-]{1,3}[0-9a-f]{2,40})*)",
        checks.hex_wallet_span,
    ),
    _rule(
        "base58_wallet",
        "[WALLET]",
        # bitcoin legacy, TRON (USDT)
        r"\b(?P<value>[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})\b",
        checks.base58_span,
    ),
    # Upper case only, so a lower-case word after an IBAN is never eaten; any case after the word "IBAN".
    _rule("iban", "[IBAN]", r"\b(?P<value>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b"),
    _rule(
        "named_iban",
        "[IBAN]",
        r"(?i)\biban\s*:?\s*(?P<value>[a-z]{2}\d{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,3})?)\b",
    ),
    _rule(
        "sort_code_and_account",
        "[ACCOUNT]",
        rf"{_NUMBER_START}(?P<value>\d{{2}}-\d{{2}}-\d{{2}},?\s+\d{{8}})\b",
    ),
    _rule(
        "sort_code",
        "[ACCOUNT]",
        r"(?i)\bsort[\s-]?code\s*:?\s*(?P<value>\d{2}[\s.-]?\d{2}[\s.-]?\d{2})\b",
    ),
    _rule(
        "account_number",
        "[ACCOUNT]",
        r"(?i)(?:\baccount|\bacct|\bacc|\ba/c)(?:\s*(?:number|num|no\.?|#))?\s*:?\s*"
        r"(?P<value>\d(?:[\s-]?\d){5,17})\b",
    ),
    _rule("card", "[CARD]", r"(?:^|[^\pL\pN_+(])(?P<value>\d(?:[ .\-]?\d){12,18})", checks.card_span),
    _rule(
        "phone",
        "[PHONE]",
        rf"{_NUMBER_START}(?P<value>(?:\+ ?)?(?:\(\d{{1,5}}\)|\d)(?:(?: {{1,2}}|[/\-])?(?:\(\d{{1,5}}\)|\d)){{6,}})",
        checks.phone_span,
    ),
    # Dotted numbers apart, so a dotted date next to a time ("12.03.2025 10.30") is not one spaced-out number.
    _rule("dotted_phone", "[PHONE]", rf"{_NUMBER_START}(?P<value>\+?\d(?:[.\-]?\d){{7,}})", checks.phone_span),
    _rule(
        "phone_in_two_parts",
        "[PHONE]",
        rf"{_NUMBER_START}(?P<value>(?P<first>[+0][\d \-]{{2,8}}\d)(?P<gap>[^\d\n]{{1,40}}?)"
        r"(?P<second>\d[\d \-]{1,10}\d))",
        checks.two_part_phone_span,
    ),
    _rule(
        "street_address",
        "[ADDRESS]",
        rf"(?i)\b(?P<value>\d{{1,4}}[a-z]?,?\s+(?P<words>(?:[a-z'’]+\s+){{1,3}})(?P<type>{_STREET_TYPES}))\b",
        checks.street_address_span,
    ),
    _rule(
        "uk_postcode",
        "[ADDRESS]",
        # With its space: "RM72XB" is more often a reference than a postcode.
        rf"(?i)\b(?P<value>(?:{'|'.join(checks.UK_POSTCODE_AREAS)})\d[a-z\d]? \d[abd-hjlnp-uw-z]{{2}})\b",
    ),
    _rule("us_zip_code", "[ADDRESS]", rf"\b(?:{'|'.join(checks.US_STATES)})\s+(?P<value>\d{{5}}(?:-\d{{4}})?)\b"),
    _rule("zip_code", "[ADDRESS]", r"(?i)\bzip(?:\s?code)?\s*:?\s*(?P<value>\d{5}(?:-\d{4})?)\b"),
)

CONTACT_PLACEHOLDERS: tuple[str, ...] = tuple(dict.fromkeys(rule.placeholder for rule in CONTACT_PATTERNS))
# Rounds of the table at most (a round that finds nothing ends it; a third is rare, a fourth not seen).
MAX_ROUNDS = 3


def _find_contact_points(view: TextView) -> list[tuple[int, int, str]]:
    """(start, end, placeholder) in the original for every contact point.

    What a rule finds becomes its placeholder in the view the later rules read, so they never match across a find
    and see what a second scrub would see. A find can change what an earlier rule sees next to it ("[PHONE]@name"
    is a handle once the digits before it are gone), so the table runs again while it still finds something.
    """
    found: list[tuple[int, int, str]] = []
    for _ in range(MAX_ROUNDS):
        found_before = len(found)
        for rule in CONTACT_PATTERNS:
            spans = [
                span
                for match in scan(rule.pattern, view.text)
                if (span := rule.accept(checks.Find(view.text, view, match, rule.groups))) is not None
            ]
            if spans:
                found.extend((*view.original_span(start, end), rule.placeholder) for start, end in spans)
                view = apply_edits(view, [(start, end, rule.placeholder) for start, end in spans])
        if len(found) == found_before:
            break
    return found


def _merged(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The finds sorted and without overlaps (a find that covers an earlier one takes it in, first placeholder wins)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, placeholder in sorted(found):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_placeholder = merged[-1]
            merged[-1] = (last_start, max(last_end, end), last_placeholder)
        else:
            merged.append((start, end, placeholder))
    return merged


def scrub_contact_points(text: str) -> str:
    """Return `text` with every link, e-mail, phone, wallet, IBAN, card, account number, messaging handle and
    street address or postcode replaced by its placeholder; everything else stays exactly as written."""
    pieces: list[str] = []
    cursor = 0
    for start, end, placeholder in _merged(_find_contact_points(normalized_view(text))):
        pieces += [text[cursor:start], placeholder]
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def contains_contact_point(text: str) -> bool:
    """True if scrubbing would change `text`, i.e. it holds a usable contact point."""
    return bool(_find_contact_points(normalized_view(text)))


# Topics a tiny model sometimes drifts into that have no place in a classroom role-play. Replies that
# touch them are dropped (the engine then writes another or falls back to a written line).
UNSUITABLE_FOR_CLASS = re2.compile(
    r"(?i)\b(?:sex\w*|nude\w*|naked|porn\w*|rape\w*|suicid\w*|kill(?:ed|ing|s)?|murder\w*|drugs?|cocaine|"
    r"heroin|weapon\w*|gun|guns|bomb\w*|terror\w*|fuck\w*|shit\w*|bitch\w*|cunt)\b"
)


def is_fit_for_class(text: str) -> bool:
    """False for text that touches topics unsuitable for a classroom (sex, violence, drugs, slurs)."""
    # As UTF-8 bytes with lone surrogates replaced: re2 cannot encode half an emoji pair.
    return not UNSUITABLE_FOR_CLASS.search(text.encode("utf-8", "replace"))
