"""Reply cleaning: a model's raw continuation made into one clean chat message.

Template tokens, speaker prefixes, stage directions and echoes of the prompt go; the reply is cut at the end of
its turn and of its last whole sentence; contact points become placeholders. Every pattern is RE2 (linear time),
because these run on model output, which a hostile prompt can shape (see scamlab.text_patterns).
"""

from __future__ import annotations

from scamlab.safety import CONTACT_PATTERNS, scrub_contact_points
from scamlab.text_patterns import SPACE_CHARACTERS, compile_pattern, searchable
from scamlab.transcripts import MAX_MESSAGE_CHARS

PLACEHOLDERS = frozenset(rule.placeholder for rule in CONTACT_PATTERNS)
_SPACE = f"[{SPACE_CHARACTERS}]"
_TURN_END = compile_pattern(r"<\|(?:im_end|im_start|eot_id|end|endoftext|user|assistant)\|>|</s>|\[INST\]")
_TEMPLATE_TOKENS = compile_pattern(r"<\|[^|>]*\|>|</?s>|\[/?INST\]|<<SYS>>|<</SYS>>")
_SPEAKER = r"(?:scammer|victim|user|assistant|ai|system|me|you|bank|agent|customer|target|person)"
# A reply that opens with a quotation is the quotation; what follows is usually commentary.
_LEADING_QUOTATION = compile_pattern(r'^["“]([^"“”]{2,})["”]')
# A small model likes to add stage directions such as "(implying that she left)"; short ones like "(£5)" stay.
_ASIDE = compile_pattern(rf"{_SPACE}*\([^()]{{12,}}\)")
# One or more role prefixes ("Scammer: **Victim:** ...") at the very start, removed in one linear match.
_LEADING_SPEAKERS = compile_pattern(
    rf"^(?:{_SPACE}*\**{_SPACE}*{_SPEAKER}{_SPACE}*\**{_SPACE}*:{_SPACE}*\**{_SPACE}*)+", ignore_case=True
)
_NEXT_SPEAKER = compile_pattern(
    rf"\n+{_SPACE}*\**{_SPACE}*{_SPEAKER}{_SPACE}*\**{_SPACE}*:|\n{_SPACE}*\n", ignore_case=True
)
# A sentence ends at one of these characters followed by a space or the end (group 1 is the character).
_SENTENCE_END = compile_pattern(rf"([.!?…)\]\"'\x{{1F300}}-\x{{1FAFF}}])(?:{_SPACE}|$)")
_SENTENCE_BREAK = compile_pattern(rf"[.!?]{_SPACE}+")


def cut_at_sentence_end(text: str) -> str:
    """Drop a trailing half sentence; keep the text whole when it has no sentence end at all."""
    ends = [match.end(1) for match in _SENTENCE_END.finditer(searchable(text))]
    return text[: ends[-1]] if ends else text


def clean_partial_reply(raw: str, system_text: str = "") -> str:
    """Clean text while it streams: no template tokens, no role prefix, no next speaker, no contact points.

    The result is at most `MAX_MESSAGE_CHARS` long, like every message in a conversation.
    """
    raw = searchable(raw).lstrip()
    turn_end = _TURN_END.search(raw)
    text = _TEMPLATE_TOKENS.sub("", raw[: turn_end.start()] if turn_end else raw)
    leading_speakers = _LEADING_SPEAKERS.match(text)
    if leading_speakers:
        text = text[leading_speakers.end() :]
    next_turn = _NEXT_SPEAKER.search(text)
    if next_turn:
        text = text[: next_turn.start()]
    if system_text:
        text = _drop_echo(text, system_text)
    return scrub_contact_points(" ".join(text.split()))[:MAX_MESSAGE_CHARS]


def _sentences(text: str) -> list[str]:
    """`text` split after each `.`, `!` or `?` that a space follows (the spaces dropped)."""
    sentences, start = [], 0
    for sentence_break in _SENTENCE_BREAK.finditer(text):
        sentences.append(text[start : sentence_break.start() + 1])
        start = sentence_break.end()
    return [*sentences, text[start:]]


def _drop_echo(text: str, system_text: str) -> str:
    """Remove sentences copied from the system prompt (a small model sometimes repeats its instructions)."""
    instructions = {sentence.strip().lower() for sentence in _sentences(searchable(system_text)) if len(sentence) > 20}
    kept = [s for s in _sentences(text) if s.strip().lower() not in instructions]
    return " ".join(kept)


def clean_reply(raw: str, system_text: str = "") -> str:
    """The final reply: cleaned as while streaming, without stage directions or commentary after a
    quotation, cut at the last sentence end."""
    text = _ASIDE.sub("", clean_partial_reply(raw, system_text)).strip()
    quotation = _LEADING_QUOTATION.match(text)
    if quotation:
        text = quotation.group(1).strip()
    return cut_at_sentence_end(text).strip()


def is_finished_turn(raw: str, single_line: bool = False) -> bool:
    """True once the model has started writing someone else's turn: generation can stop there.

    In a transcript (`single_line`) each message is one line, so any line break ends the turn.
    """
    stripped = searchable(raw).lstrip()
    if single_line and "\n" in stripped:
        return True
    return bool(_TURN_END.search(stripped) or _NEXT_SPEAKER.search(_TEMPLATE_TOKENS.sub("", stripped)))


def has_invented_placeholder(text: str) -> bool:
    """True when the text holds a [BRACKETED] word that is not one of our placeholders."""
    start = text.find("[")
    while start != -1:
        end = text.find("]", start)
        if end == -1 or text[start : end + 1] not in PLACEHOLDERS:
            return True
        start = text.find("[", end)
    return False


def is_near_copy(reply: str, earlier: str, threshold: float = 0.6) -> bool:
    """True when two messages share most of their words, punctuation aside ("top-up" is "top up"; a small model
    likes to repeat earlier lines)."""
    words, other = _word_set(reply), _word_set(earlier)
    return bool(words and other) and len(words & other) / len(words | other) >= threshold


def _word_set(text: str) -> set[str]:
    return set("".join(c if c.isalnum() or c in "'£" else " " for c in text.lower()).split())


def shares_three_words_in_a_row(text: str, other: str) -> bool:
    """True when both texts say the same three words in a row ("I'm so stressed"), punctuation aside."""
    return bool(_word_triples(text) & _word_triples(other))


def _word_triples(text: str) -> set[tuple[str, ...]]:
    words = ["".join(c for c in word if c.isalnum()) for word in text.lower().split()]
    return set(zip(words, words[1:], words[2:]))
