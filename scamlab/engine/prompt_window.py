"""What of a conversation a role-play prompt shows: the latest messages, each cut short, within a token budget.

Every prompt token costs the whole class: the scheduler reads a prompt in a pass that every running reply waits
for, and a long row pads the other rows' caches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from scamlab.personas import Message


@dataclass(frozen=True)
class PromptWindow:
    """What of the conversation a prompt shows: the last messages, each cut to its last characters, up to an
    estimated number of tokens in all (`estimated_tokens`). The reply answers the latest turns."""

    messages: int
    message_chars: int = 240
    total_tokens: int = 1_000


# The bundled model's transcript: 6 messages, about 200 tokens in all (a conversation of short messages is shown
# whole). Without the total, a 40-message conversation of 1,000-character messages of symbols made a 651-token
# prompt: 1.9 s to read, and 10 replies asked beside it took 34 s instead of 9 s.
PROMPT_WINDOWS = {"transcript": PromptWindow(6, total_tokens=200), "chat": PromptWindow(12)}


def prompt_window(history: Sequence[Message], window: PromptWindow) -> list[Message]:
    """The last `window.messages` of `history`, each cut to about its last `window.message_chars` characters (at
    a word, after "..."), older ones left out once `window.total_tokens` are shown (the last one always is)."""
    shown: list[Message] = []
    budget = window.total_tokens
    for message in reversed(history[-window.messages:]):
        content = message["content"]
        if len(content) > window.message_chars:
            tail = content[-window.message_chars:]
            content = "..." + (tail.split(" ", 1)[1] if " " in tail[:40] else tail)
        cost = estimated_tokens(content)
        if shown and cost > budget:
            break
        budget -= cost
        shown.append({**message, "content": content})
    return shown[::-1]


def estimated_tokens(text: str) -> int:
    """How many tokens `text` takes, without a tokenizer: a token per 4 letters or digits of a word (at least one
    per word), one per other symbol, none for spaces. Close for prose, high for runs of symbols (the bundled
    model's tokenizer: "a-a-a-..." 240 of 240, "b dot b dot ..." 81 of 80, 240 "<" 120 of 240)."""
    total = 0
    for kind, run in groupby(text, key=_character_kind):
        length = sum(1 for _ in run)
        total += (length + 3) // 4 if kind == "word" else length if kind == "symbol" else 0
    return total


def _character_kind(character: str) -> str:
    return "word" if character.isalnum() else "space" if character.isspace() else "symbol"
