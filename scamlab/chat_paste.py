"""A pasted chat turned into messages for the conversation scam meter.

Two formats: lines starting `Them:` / `Me:` (also `Scammer:` / `Victim:`, `Caller:` / `Receiver:`), and a
WhatsApp-style export (`[12/03/2024, 14:05] Name: text` or `12/03/2024, 14:05 - Name: text`), where the first
person to write is taken to be "them" unless `me_name` says who you are. A line without a prefix continues the
message above it. Limits are checked before any parsing work; every error names what to fix.
"""

from __future__ import annotations

import re2

MAX_CHAT_LINES = 2000
MAX_CHAT_CHARS = 200_000
ROLE_PREFIXES = {"them": "them", "scammer": "them", "caller": "them", "me": "me", "victim": "me", "receiver": "me"}
FORMAT_HINT = "paste lines starting with 'Them:' and 'Me:', or a WhatsApp export ('[date, time] Name: text')"

_PREFIXED = re2.compile(r"(?i)^\s*(them|me|scammer|victim|caller|receiver)\s*:\s*(.*)$")
_WHATSAPP = re2.compile(
    r"^\s*\[?\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s?[APap]\.?[Mm]\.?)?\]?"
    r"\s*(?:-\s*)?([^:]{1,60}?):\s(.*)$"
)
_WHATSAPP_SYSTEM = re2.compile(r"^\s*\[?\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}[:.]\d{2}")


def _check_size(text: str) -> list[str]:
    if len(text) > MAX_CHAT_CHARS:
        raise ValueError(f"The chat has {len(text):,} characters; the limit is {MAX_CHAT_CHARS:,}. Paste a shorter part.")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValueError(f"The chat is empty: {FORMAT_HINT}.")
    if len(lines) > MAX_CHAT_LINES:
        raise ValueError(f"The chat has {len(lines):,} lines; the limit is {MAX_CHAT_LINES:,} lines. Paste a shorter part.")
    return lines


def _speakers_and_text(lines: list[str]) -> list[tuple[str, str]]:
    """`(speaker, text)` per message, continuation lines joined to the message above."""
    whatsapp = sum(bool(_WHATSAPP.match(line)) for line in lines) > sum(bool(_PREFIXED.match(line)) for line in lines)
    pattern = _WHATSAPP if whatsapp else _PREFIXED
    messages: list[tuple[str, str]] = []
    for line in lines:
        match = pattern.match(line)
        if match:
            speaker = match.group(1).strip() if whatsapp else ROLE_PREFIXES[match.group(1).lower()]
            messages.append((speaker, match.group(2).strip()))
        elif whatsapp and _WHATSAPP_SYSTEM.match(line):
            continue  # "Messages and calls are end-to-end encrypted" and similar notices
        elif messages:
            messages[-1] = (messages[-1][0], f"{messages[-1][1]} {line.strip()}")
        else:
            raise ValueError(f"The first line has no speaker: {FORMAT_HINT}.")
    return [(speaker, text) for speaker, text in messages if text]


def parse_pasted_chat(text: str, me_name: str | None = None) -> list[dict[str, str]]:
    """`[{"role": "them" | "me", "content"}]` from a pasted chat; `ValueError` with the fix when it can't."""
    messages = _speakers_and_text(_check_size(text or ""))
    speakers = list(dict.fromkeys(speaker for speaker, _ in messages))
    if not messages:
        raise ValueError(f"The chat has no messages: {FORMAT_HINT}.")
    if len(speakers) == 1:
        raise ValueError(f"The chat has only one speaker ({speakers[0]}); the meter needs both sides of the conversation.")
    if len(speakers) > 2:
        raise ValueError(f"The chat has {len(speakers)} people ({', '.join(speakers[:5])}); paste a chat between two.")
    if set(speakers) == {"them", "me"}:
        roles = {"them": "them", "me": "me"}
    else:
        me = me_name if me_name in speakers else speakers[1]
        roles = {speaker: "me" if speaker == me else "them" for speaker in speakers}
    return [{"role": roles[speaker], "content": text} for speaker, text in messages]
