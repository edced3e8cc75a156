"""Checking text that comes from users before any model sees it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scamlab.text_patterns import searchable

# Control characters other than tab and newline carry no meaning in a message and can upset tokenizers.
# One character class and no quantifier cannot backtrack: the standard library's `re` is linear here.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class PreparedText:
    """User text made safe to process, with a notice when it had to be cut."""

    text: str
    notice: str | None = None


def prepare_text(text: object, max_chars: int) -> PreparedText:
    """Strip control characters, replace lone surrogates and cut text over `max_chars` (with a notice).

    Raises `ValueError` for text that is not a string or is empty once stripped.
    """
    if not isinstance(text, str):
        raise ValueError(f"Expected the message as text, got {type(text).__name__}.")
    cleaned = _CONTROL_CHARACTERS.sub(" ", searchable(text)).strip()
    if not cleaned:
        raise ValueError("The message is empty: type or paste some text first.")
    if len(cleaned) > max_chars:
        notice = f"The message was {len(cleaned):,} characters long; only the first {max_chars:,} were used."
        return PreparedText(cleaned[:max_chars], notice)
    return PreparedText(cleaned)
