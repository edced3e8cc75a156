"""A normalized *view* of a text for recognisers, with a map back to the original.

Recognisers (the contact-point scrubber, link signals) must not trust the form of a text:
"ｅｘａｍｐｌｅ．ｃｏｍ", "exаmple.com" with a Cyrillic "а", "e x a m p l e . c o m", "example [dot] com" and
"example dot com" are all the same link, and "oh seven seven double oh ..." is a phone number. `normalized_view`
rewrites a text into one plain form and remembers, for every character of the view, the stretch of the original
it came from, so a caller finds a thing in the view and replaces exactly that stretch of the original, leaving the
rest (including legitimate non-Latin text) as written.

The view is built by a few passes, each a list of edits (start, end, replacement) on the previous view:
1. NFKC per character (fullwidth letters, digits and "＠", "．" become ASCII), zero-width characters dropped,
   dashes and slashes folded, lone surrogates replaced;
2. look-alike letters (Cyrillic, Greek, Armenian) folded to Latin inside words that are Latin already or made only
   of look-alikes, so "раypal.com" folds but ordinary Russian or Greek words are left alone;
3. defanged and spoken forms rewritten: "[.]", "(dot)", " dot ", "[at]", "[:]", and numbers spelled out in words;
4. spaced-out writing joined: runs of single characters ("h t t p s") and spaced punctuation ("bit . ly / x").

Every pattern here is a `re2` pattern (linear time), and every pass is linear in the text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import re2

Edit = tuple[int, int, str]  # replace view[start:end] with the string
Pattern = type(re2.compile(""))
Match = type(re2.compile("").search(""))

# Characters that render as nothing and only serve to break up a word ("pay\u200bpal.com").
ZERO_WIDTH = frozenset("\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
# Half an emoji pair cannot be encoded (re2 reads UTF-8): it becomes U+FFFD in the view.
LONE_SURROGATES = frozenset(map(chr, range(0xD800, 0xE000)))
# Punctuation NFKC leaves alone that reads as an ASCII separator.
PUNCTUATION_FOLDS = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2043": "-", "\u2044": "/", "\u2215": "/", "\u29f8": "/",
}
# Letters that look like Latin ones (Unicode's confusables, the ones seen in phishing), and ideographic full
# stops, which read as dots only inside a word that is otherwise Latin.
LOOK_ALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
    "ү": "y", "ѵ": "v", "ɡ": "g", "ı": "i",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Һ": "H", "Ү": "Y", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u",
    "χ": "x", "γ": "y", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g",
    # ideographic full stops (NFKC turns "｡" into "。")
    "。": ".", "︒": ".",
}
_LOOK_ALIKE_TABLE = str.maketrans(LOOK_ALIKES)
_FOLD_TABLE = str.maketrans(
    {**PUNCTUATION_FOLDS, **dict.fromkeys(ZERO_WIDTH, ""), **dict.fromkeys(LONE_SURROGATES, "\ufffd")}
)

# Numbers spelled out digit by digit: "oh seven seven double oh nine ...".
DIGIT_WORDS = {
    "zero": "0", "oh": "0", "nought": "0", "nil": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
REPEAT_WORDS = {"double": 2, "triple": 3}
# Fewer digits than this in a spelled-out run is ordinary counting ("one, two, three").
MIN_SPELLED_DIGITS = 7
# Punctuation tokens up to this long, written between spaces, may join their neighbours ("bit . ly / x").
JOINING_PUNCTUATION = "./:-"
MAX_JOINING_TOKEN = 3
# This many single characters in a row between spaces are one spaced-out word ("h t t p s", "0 7 7 0 0").
MIN_SPACED_RUN = 3

_DIGIT_WORD = "(?:" + "|".join(DIGIT_WORDS) + r"|\d{1,5})"
_REPEAT = "(?:(?:" + "|".join(REPEAT_WORDS) + r")\s+)?"
_SPELLED_NUMBER = re2.compile(
    rf"(?i)\b(?:plus\s+)?{_REPEAT}{_DIGIT_WORD}(?:(?:\s*[,-]\s*|\s+|\s+and\s+){_REPEAT}{_DIGIT_WORD})+\b"
)


@dataclass(frozen=True)
class TextView:
    """`text` is the normalized view of `original`; view character i came from original[starts[i]:ends[i]]."""

    original: str
    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original that the view's text[start:end] came from (end > start)."""
        return self.starts[start], self.ends[end - 1]

    def original_text(self, start: int, end: int) -> str:
        """The original text behind the view's text[start:end]."""
        original_start, original_end = self.original_span(start, end)
        return self.original[original_start:original_end]


def identity_view(text: str) -> TextView:
    """A view that is the text itself."""
    return TextView(text, text, range(len(text)), range(1, len(text) + 1))


def apply_edits(view: TextView, edits: Sequence[Edit]) -> TextView:
    """A new view with sorted, non-overlapping `edits` applied; each replacement maps to what it replaced."""
    if not edits:
        return view
    text, old_starts, old_ends = view.text, view.starts, view.ends
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for start, end, replacement in edits:
        pieces += (text[cursor:start], replacement)
        starts += old_starts[cursor:start]
        ends += old_ends[cursor:start]
        starts += [old_starts[start]] * len(replacement)
        ends += [old_ends[end - 1]] * len(replacement)
        cursor = end
    pieces.append(text[cursor:])
    starts += old_starts[cursor:]
    ends += old_ends[cursor:]
    return TextView(view.original, "".join(pieces), starts, ends)


@lru_cache(maxsize=4096)
def _fold_character(char: str) -> str:
    if char in ZERO_WIDTH:
        return ""
    if char in LONE_SURROGATES:
        return "\ufffd"
    folded = unicodedata.normalize("NFKC", char)
    return "".join(PUNCTUATION_FOLDS.get(part, part) for part in folded)


def _compatibility_edits(text: str) -> list[Edit]:
    """NFKC per character (a combining mark goes with its base), zero-width characters dropped."""
    if text.isascii() or (unicodedata.is_normalized("NFKC", text) and text.translate(_FOLD_TABLE) == text):
        return []
    edits: list[Edit] = []
    for index, char in enumerate(text):
        if char < "\x80":
            continue
        if unicodedata.combining(char) and index > 0:
            base_start = edits.pop()[0] if edits and edits[-1][1] == index else index - 1
            edits.append((base_start, index + 1, unicodedata.normalize("NFKC", text[base_start : index + 1])))
        elif (folded := _fold_character(char)) != char:
            edits.append((index, index + 1, folded))
    return [edit for edit in edits if text[edit[0] : edit[1]] != edit[2]]


def space_separated_tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of characters between spaces, found with `str.split` (linear, no regex)."""
    tokens: list[tuple[int, int]] = []
    position = 0
    for piece in text.split(" "):
        if piece:
            tokens.append((position, position + len(piece)))
        position += len(piece) + 1
    return tokens


def scan(pattern: Pattern, text: str) -> Iterator[Match]:
    """Matches of a re2 `pattern` in `text`; ASCII text goes in as bytes (same positions, a third of the cost)."""
    return pattern.finditer(text.encode("ascii") if text.isascii() else text)


def _look_alike_edits(text: str) -> list[Edit]:
    """Fold look-alike letters inside words that are Latin already or made only of look-alikes."""
    if text.isascii() or text.translate(_LOOK_ALIKE_TABLE) == text:
        return []
    edits: list[Edit] = []
    for start, end in space_separated_tokens(text):
        word = text[start:end]
        if word.isascii() or (folded := word.translate(_LOOK_ALIKE_TABLE)) == word:
            continue
        if not (folded.isascii() or any(char.isascii() and char.isalpha() for char in word)):
            continue
        edits.extend(
            (start + index, start + index + 1, new)
            for index, (old, new) in enumerate(zip(word, folded, strict=True))
            if old != new
        )
    return edits


def _spelled_digits(spoken: str) -> str:
    """Digits for a spelled-out run ("oh seven double oh" -> "0700"); "" when it holds no number word."""
    digits: list[str] = []
    repeat = 1
    has_word = False
    for part in spoken.lower().replace(",", " ").replace("-", " ").split():
        if part == "plus" and not digits:
            digits.append("+")
        elif part in REPEAT_WORDS:
            repeat = REPEAT_WORDS[part]
        elif part in DIGIT_WORDS or part.isdigit():
            has_word = has_word or part in DIGIT_WORDS
            digits.append(DIGIT_WORDS.get(part, part) * repeat)
            repeat = 1
    return "".join(digits) if has_word else ""


def _spelled_number_edits(text: str) -> list[Edit]:
    """Numbers spelled out digit by digit become digits ("oh seven seven double oh nine ..." -> "077009...")."""
    edits: list[Edit] = []
    for match in scan(_SPELLED_NUMBER, text):
        digits = _spelled_digits(text[match.start() : match.end()])
        if sum(char.isdigit() for char in digits) >= MIN_SPELLED_DIGITS:
            edits.append((match.start(), match.end(), digits))
    return edits


def _pattern_edits(pattern: Pattern, replacement: str, needs_word_around: bool = False) -> Callable[[str], list[Edit]]:
    """A pass that replaces every match of `pattern`; optionally only between two letters or digits."""

    def edits(text: str) -> list[Edit]:
        found: list[Edit] = []
        for match in scan(pattern, text):
            start, end = match.span()
            between_words = 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
            if between_words or not needs_word_around:
                found.append((start, end, replacement))
        return found

    return edits


def _joins_neighbours(before: str, punctuation: str, after: str) -> bool:
    """Whether punctuation written between spaces belongs to the characters either side: "bit . ly / x",
    "https : // x", "10.0.0.1 : 8080", "07700 - 900" do; "resolved - all", "Note : call" do not."""
    if not punctuation.strip("./"):
        return after.isalnum() and (before.isalnum() or before in ":/")
    if punctuation == ":":
        return after == "/" or (before.isdigit() and after.isdigit())
    if punctuation == "-":
        return before.isdigit() and after.isdigit()
    return False


def _spacing_edits(text: str) -> list[Edit]:
    """Join spaced-out writing: runs of single characters and spaced URL punctuation lose their spaces."""
    tokens = space_separated_tokens(text)
    gaps = [(tokens[index][1], tokens[index + 1][0]) for index in range(len(tokens) - 1)]
    joined: set[int] = set()  # indices into gaps
    run_start = 0
    for index in range(len(tokens) + 1):
        if index == len(tokens) or tokens[index][1] - tokens[index][0] != 1 or text[tokens[index][0]].isspace():
            if index - run_start >= MIN_SPACED_RUN:
                joined.update(range(run_start, index - 1))
            run_start = index + 1
    for index in range(1, len(tokens) - 1):
        start, end = tokens[index]
        if end - start > MAX_JOINING_TOKEN or text[start] not in JOINING_PUNCTUATION:
            continue
        before, after = text[tokens[index - 1][1] - 1], text[tokens[index + 1][0]]
        if _joins_neighbours(before, text[start:end], after):
            joined.update((index - 1, index))
    return [(*gaps[index], "") for index in sorted(joined)]


# The passes, in order. Defanged forms come before joining so "help [ at ] x . com" becomes "help@x.com".
PASSES: tuple[Callable[[str], list[Edit]], ...] = (
    _compatibility_edits,
    _look_alike_edits,
    _pattern_edits(re2.compile(r"(?i)\s?[\[({<]\s?(?:\.|dot)\s?[\])}>]\s?"), "."),
    _pattern_edits(re2.compile(r"(?i)\s?[\[({<]\s?at\s?[\])}>]\s?"), "@"),
    _pattern_edits(re2.compile(r"\[:\]"), ":"),
    _pattern_edits(re2.compile(r"(?i)\s+dot\s+"), ".", needs_word_around=True),
    _spelled_number_edits,
    _spacing_edits,
)


def normalized_view(text: str) -> TextView:
    """`text` in one plain form for recognisers, with a map back to the original (see the module docstring)."""
    view = identity_view(text)
    for make_edits in PASSES:
        view = apply_edits(view, make_edits(view.text))
    return view
