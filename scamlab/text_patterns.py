"""Linear-time patterns for text from users, files and models, and the Unicode details re2 leaves to Python.

A backtracking regex (Python's `re`) can take seconds on a crafted input while it holds the GIL, so every
pattern that sees outside text is compiled with google-re2, which matches in time linear in the text by
construction. Two differences from `re` are handled here rather than in every caller:

- re2 reads text as UTF-8, so a lone surrogate (half an emoji, as a browser can send it) cannot be searched:
  `searchable` replaces each with U+FFFD, keeping every other character at its index.
- re2's `\\b` and `\\w` know only ASCII letters: `whole_word_matches` drops a hit that starts or ends inside a
  word as Python counts words (so "pay" is not found inside "épay", as with `re`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import re2

Pattern = re2._Regexp  # google-re2 exposes no public name for a compiled pattern
Match = re2._Match

# A single character class cannot backtrack, so the standard library is linear here too; re2 cannot be used
# because it cannot encode the very characters this looks for.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"

# For use inside [...] in RE2 patterns: re2's `\w` and `\s` are ASCII-only, Python's are Unicode.
WORD_CHARACTERS = r"\pL\pN_"
SPACE_CHARACTERS = r"\t-\r\x1c-\x20\x85\p{Z}"


def compile_pattern(regex: str, ignore_case: bool = False) -> Pattern:
    """`regex` compiled with re2 (RE2 syntax: no look-around, no back-references; `\\x{1F600}` for code points)."""
    options = re2.Options()
    options.case_sensitive = not ignore_case
    return re2.compile(regex, options)


def searchable(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD: same length, safe to encode, save and search."""
    return _LONE_SURROGATE.sub(REPLACEMENT_CHARACTER, text) if _LONE_SURROGATE.search(text) else text


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _inside_a_word(text: str, position: int) -> bool:
    """True when `position` falls between two word characters (Unicode-aware, as `re`'s `\\b` sees it)."""
    return 0 < position < len(text) and _is_word_character(text[position - 1]) and _is_word_character(text[position])


def whole_word_matches(pattern: Pattern, text: str) -> Iterator[Match]:
    """`pattern`'s matches in `text`, except those that start or end inside a word.

    For patterns written as `\\b(?:...)\\b`, or whose edges are not word characters, this gives the matches
    Python's `re` would give, in linear time. `text` should come from `searchable`.
    """
    for match in pattern.finditer(text):
        if not (_inside_a_word(text, match.start()) or _inside_a_word(text, match.end())):
            yield match
