"""The checks behind `scamlab.safety.CONTACT_PATTERNS`: is this match a usable contact point, and where does it end?

Each check takes a `Find` (the match in the normalized view) and returns the view span to replace, or None when
the match is ordinary text ("e.g", "done.Now", a date, a price). Words and codes the checks need are tables here.
Every check runs in time linear in its match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers

from scamlab.domains import domain_prefix_length, is_web_host
from scamlab.normalize import Match, TextView

Span = tuple[int, int]

# Regions whose numbers are tried when a number has no "+country" prefix.
PHONE_REGIONS = ("GB", "US", "IN", "AU")
# A number without "+" needs this many digits (shorter ones are PINs, order numbers, dates).
MIN_NATIONAL_DIGITS = 10
MIN_INTERNATIONAL_DIGITS = 8
MAX_PHONE_DIGITS = 15
# A number in two parts ("07700 900 ... then 123") may have this much text between the parts.
MAX_WORDS_BETWEEN_PARTS = 6
MAX_TWO_PART_DIGITS = 13
MIN_BECH32_LENGTH = 28
MAX_BECH32_LENGTH = 90
HEX_WALLET_DIGITS = 40
# Characters that end a sentence rather than a link: "see x.com/pay." keeps its full stop.
TRAILING_PUNCTUATION = ".,;:!?)]'\"*"
# Words before a spoken or spaced "dot" that make it prose: "the dot com bubble".
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "our", "your", "my"})
# Public suffixes that are everyday words: written loosely ("fine . now"), they read as prose.
PROSE_SUFFIXES = frozenset({
    "am", "as", "at", "be", "by", "do", "go", "in", "is", "it", "me", "my", "no", "so", "to", "us", "how", "now",
    "new", "one", "you", "here", "next", "like", "call", "pay", "help", "click", "buy", "see", "save", "live",
    "love", "meet", "open", "read", "run", "show", "talk", "today", "win", "work", "play", "plus", "fun", "bet",
})
# Street types that are also everyday words ("2 more days to close"): only accepted in Title Case.
PLAIN_STREET_TYPES = (
    "Street", "St", "Road", "Rd", "Avenue", "Ave", "Lane", "Ln", "Boulevard", "Blvd", "Crescent", "Terrace",
    "Gardens", "Mews",
)
AMBIGUOUS_STREET_TYPES = (
    "Drive", "Dr", "Close", "Way", "Place", "Pl", "Court", "Ct", "Square", "Sq", "Grove", "Row", "Parade", "Walk",
)
_AMBIGUOUS_STREET_TYPES = frozenset(word.lower() for word in AMBIGUOUS_STREET_TYPES)
# Words that never stand between a house number and a street type ("3 miles down the road").
FUNCTION_WORDS = frozenset({
    "the", "a", "an", "to", "of", "in", "on", "at", "for", "and", "or", "but", "my", "your", "our", "their", "his",
    "her", "its", "this", "that", "these", "those", "down", "up", "across", "along", "by", "from", "into", "onto",
    "with", "more", "less", "is", "are", "was", "were", "be", "i", "you", "we", "they", "he", "she", "it",
    "miles", "km", "metres", "meters", "yards", "blocks", "minutes", "hours", "days", "weeks", "times", "people",
})
UK_POSTCODE_AREAS = (
    "AB", "AL", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF", "CH", "CM", "CO", "CR",
    "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY", "EC", "EH", "EN", "EX", "FK", "FY",
    "GL", "GU", "GY", "HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT",
    "KW", "KY", "LA", "LD", "LE", "LL", "LN", "LS", "LU", "ME", "MK", "ML", "NE", "NG", "NN", "NP", "NR", "NW",
    "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "SA", "SE", "SG", "SK", "SL", "SM", "SN",
    "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "WA", "WC",
    "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE", "B", "E", "G", "L", "M", "N", "S", "W",
)
US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
)

@dataclass(frozen=True)
class Find:
    """A pattern match in the view's `text` (earlier finds already placeholders), and the view for the original."""

    text: str
    view: TextView
    match: Match
    groups: dict[str, int]

    def span(self, name: str = "value") -> Span:
        """Span of a named group (the whole match when the pattern has no such group)."""
        return self.match.span(self.groups.get(name, 0))

    def group(self, name: str = "value") -> str:
        """Text of a named group."""
        start, end = self.span(name)
        return self.text[start:end]

    def followed_by_word(self, end: int) -> bool:
        """True if the character at `end` continues a word, so a match ending there is cut short."""
        return end < len(self.text) and (self.text[end].isalnum() or self.text[end] == "_")


Accept = Callable[[Find], Span | None]


def value_span(find: Find) -> Span | None:
    """The `value` group as it is."""
    return find.span()


def _trimmed(find: Find, start: int, end: int) -> Span:
    """The span without trailing sentence punctuation."""
    return start, start + len(find.text[start:end].rstrip(TRAILING_PUNCTUATION))


def url_span(find: Find) -> Span | None:
    """A URL with a scheme or "www.": up to the first space, less trailing punctuation."""
    start, end = _trimmed(find, *find.span())
    return (start, end) if not find.text[start:end].endswith(("//", "www.")) else None


def email_span(find: Find) -> Span | None:
    """name@host where the host ends in a public suffix, or at least in letters (the "@" is evidence enough)."""
    host = find.group("host")
    length = domain_prefix_length(host) or (len(host) if host.rsplit(".", 1)[-1].isalpha() else 0)
    return (find.span()[0], find.span("host")[0] + length) if length else None


def handle_span(find: Find) -> Span | None:
    """@name, unless a domain follows ("@hinge.example" is a one-time-code binding, not a handle)."""
    start, end = find.span()
    text = find.text
    continues_as_host = end + 1 < len(text) and text[end] == "." and text[end + 1].isalnum()
    return None if continues_as_host or find.followed_by_word(end) else (start, end)


def protocol_relative_span(find: Find) -> Span | None:
    """//host/path where the host is a domain or an IP address."""
    host = find.group("host")
    if not (is_web_host(host) or _is_ipv4(host)):
        return None
    return _trimmed(find, *find.span())


def _is_ipv4(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(part.isdigit() and int(part) <= 255 for part in parts)


def ip_span(find: Find) -> Span | None:
    """A dotted IPv4 address (optionally :port and /path), not part of a longer dotted number."""
    _, ip_end = find.span("ip")
    text = find.text
    longer = ip_end < len(text) and (
        text[ip_end].isdigit() or (text[ip_end] == "." and ip_end + 1 < len(text) and text[ip_end + 1].isdigit())
    )
    if longer or not _is_ipv4(find.group("ip")):
        return None
    return _trimmed(find, *find.span())


def _reads_as_prose(find: Find, start: int, end: int, labels: list[str]) -> bool:
    """True for "done.Now" (a sentence run on) and loosely written "the dot com" or "fine . now"."""
    suffix = labels[-1]
    if len(labels) == 2 and suffix[:1].isupper() and suffix[1:].islower() and not labels[0].isupper():
        return True
    written_loosely = any(char.isspace() for char in find.view.original_text(start, end))
    return written_loosely and (labels[0].lower() in DETERMINERS or suffix.lower() in PROSE_SUFFIXES)


def domain_span(find: Find) -> Span | None:
    """A bare host with a public suffix (plus :port and /path), unless it reads as prose."""
    host_start, host_end = find.span("host")
    length = domain_prefix_length(find.group("host"))
    if not length:
        return None
    rest_start, rest_end = find.span("rest")
    has_rest = length == host_end - host_start and rest_end > rest_start
    labels = find.text[host_start : host_start + length].split(".")
    if not has_rest and _reads_as_prose(find, host_start, host_start + length, labels):
        return None
    return _trimmed(find, host_start, rest_end if has_rest else host_start + length)


def _chunks(find: Find) -> list[Span]:
    """The pieces of a value written in parts ("bc1qar0s rrr7xfkv ..."), as spans in the text, up to the first
    piece that is only the start of a longer word (so "... 221b" does not lend the wallet its "22")."""
    chunks: list[Span] = []
    start = find.span()[0]
    for piece in find.group().replace("-", " ").split(" "):
        if piece:
            if find.followed_by_word(start + len(piece)):
                break
            chunks.append((start, start + len(piece)))
        start += len(piece) + 1
    return chunks


def bech32_span(find: Find) -> Span | None:
    """A bech32 address, possibly split by spaces or dashes: parts after the first must hold a digit."""
    chunks = _chunks(find)
    if not chunks:
        return None
    start, end = chunks[0]
    length = end - start
    for chunk_start, chunk_end in chunks[1:]:
        chunk = find.text[chunk_start:chunk_end]
        if not any(char.isdigit() for char in chunk) or length + len(chunk) > MAX_BECH32_LENGTH:
            break
        end, length = chunk_end, length + len(chunk)
    return (start, end) if length >= MIN_BECH32_LENGTH else None


def hex_wallet_span(find: Find) -> Span | None:
    """An Ethereum-style address: 40 hex digits, with or without "0x", possibly split."""
    chunks = _chunks(find)
    if not chunks:
        return None
    start = chunks[0][0]
    prefixed = find.text[start : start + 2].lower() == "0x"
    hex_digits = ""
    end = start
    for chunk_start, chunk_end in chunks:
        hex_digits += find.text[chunk_start + (2 if prefixed and chunk_start == start else 0) : chunk_end]
        end = chunk_end
        if len(hex_digits) >= HEX_WALLET_DIGITS:
            break
    if len(hex_digits) != HEX_WALLET_DIGITS:
        return None
    if not prefixed and (hex_digits.isdigit() or not any(char.isdigit() for char in hex_digits)):
        return None
    return start, end


def base58_span(find: Find) -> Span | None:
    """A legacy bitcoin or TRON address: base58 with both letters and digits after its first character."""
    body = find.group()[1:]
    return find.span() if any(char.isdigit() for char in body) and any(char.isalpha() for char in body) else None


def card_span(find: Find) -> Span | None:
    """13-19 digits with one kind of separator (dotted cards in groups of at least four)."""
    start, end = find.span()
    value = find.text[start:end]
    separators = {char for char in value if not char.isdigit()}
    if len(separators) > 1 or find.followed_by_word(end):
        return None
    if separators == {"."} and min(len(group) for group in value.split(".")) < 4:
        return None
    return start, end


def _parsed_numbers(candidate: str, regions: tuple[str | None, ...]) -> list[phonenumbers.PhoneNumber]:
    parsed = []
    for region in regions:
        try:
            parsed.append(phonenumbers.parse(candidate, region))
        except phonenumbers.NumberParseException:
            continue
    return parsed


def is_phone_number(candidate: str) -> bool:
    """True for a phone number: "+" and a possible international number, or 10-15 digits; dotted or slashed
    numbers (which dates resemble) must be valid numbers in one of `PHONE_REGIONS`."""
    digits = sum(char.isdigit() for char in candidate)
    if digits > MAX_PHONE_DIGITS:
        return False
    if candidate.startswith("+"):
        return digits >= MIN_INTERNATIONAL_DIGITS and any(
            phonenumbers.is_possible_number(number) for number in _parsed_numbers(candidate, (None,))
        )
    if digits < MIN_NATIONAL_DIGITS:
        return False
    if "." in candidate or "/" in candidate:
        return any(phonenumbers.is_valid_number(number) for number in _parsed_numbers(candidate, PHONE_REGIONS))
    return True


def phone_span(find: Find) -> Span | None:
    """A phone number written in one piece (spaces, dashes, slashes, dots or brackets between digits)."""
    start, end = find.span()
    if find.followed_by_word(end) or not is_phone_number(find.text[start:end].strip()):
        return None
    return start, end


def two_part_phone_span(find: Find) -> Span | None:
    """A number given in two parts with a few words between ("07700 900, then 123"): valid once joined."""
    gap = find.group("gap")
    if any(char in ".!?;:" for char in gap) or len(gap.split()) > MAX_WORDS_BETWEEN_PARTS:
        return None
    digits = "".join(char for char in find.group("first") + find.group("second") if char.isdigit() or char == "+")
    if not MIN_NATIONAL_DIGITS <= len(digits) <= MAX_TWO_PART_DIGITS or find.followed_by_word(find.span()[1]):
        return None
    regions = (None,) if digits.startswith("+") else PHONE_REGIONS
    return find.span() if any(phonenumbers.is_valid_number(n) for n in _parsed_numbers(digits, regions)) else None


def street_address_span(find: Find) -> Span | None:
    """A house number, one to three street-name words and a street type; everyday-word types in Title Case."""
    words = find.group("words").split()
    street_type = find.group("type")
    if any(word.lower() in FUNCTION_WORDS for word in words):
        return None
    if street_type.lower() in _AMBIGUOUS_STREET_TYPES and not all(word[0].isupper() for word in [*words, street_type]):
        return None
    return find.span()
