"""A second opinion from the chat model: "Is this message a scam?" read off the answer token's probability.

No text is generated and nothing is parsed: one forward pass over the chat-templated question gives the
next-token distribution, and the spam probability is P(yes) / (P(yes) + P(no)), where P(yes) sums the
probabilities of the tokens " Yes", "Yes" and "yes" (likewise for no). Split like a pipeline:
`judge_messages` (text -> chat messages), `answer_logits` (messages -> next-token logits),
`yes_probability` (logits -> probability).

The bundled SmolLM2-135M judge is weak: AUC 0.84 on 200 held-out SMS (100 spam, 100 ham), where the
fine-tuned classifier scores 1.00, and only about 0.6 on modern scams. It also leans towards "No", so its
probabilities sit mostly between 0.2 and 0.4. With int8 weights (`SCAMLAB_DTYPE=int8`) it falls to about 0.55.
That two models can disagree is part of the lesson; a bigger chat model judges better.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import torch

from scamlab.engine.chat import ChatBackend, LocalChatBackend, Message
from scamlab.engine.inputs import prepare_text

# Chosen among five system prompts on held-out SMS and modern scams: for a 135M model, shorter judged better.
JUDGE_SYSTEM_PROMPT = "You detect scam messages."
JUDGE_QUESTION = "Is this message a scam? Answer Yes or No."
YES_ANSWERS = (" Yes", "Yes", "yes")
NO_ANSWERS = (" No", "No", "no")
# A small judge reads the start of a message as well as the whole; a cap keeps one forward pass quick.
JUDGE_MAX_CHARS = 2_000


class JudgeUnavailable(RuntimeError):
    """The chat backend cannot be asked for token probabilities (e.g. a remote endpoint)."""


def judge_messages(text: str) -> list[Message]:
    """The question put to the judge: a short system prompt, the message, then the yes/no question."""
    return [
        {"role": "system", "content": JUDGE_SYSTEM_PROMPT},
        {"role": "user", "content": f'Message:\n"""\n{text}\n"""\n\n{JUDGE_QUESTION}'},
    ]


def _single_token_ids(tokenizer: object, words: Sequence[str]) -> tuple[int, ...]:
    ids = set()
    for word in words:
        encoded = tokenizer.encode(word, add_special_tokens=False)  # type: ignore[attr-defined]
        if len(encoded) == 1:
            ids.add(encoded[0])
    return tuple(sorted(ids))


@lru_cache(maxsize=8)
def answer_token_ids(tokenizer: object) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The token ids that start a yes and a no answer (spellings that are one token in this vocabulary)."""
    yes, no = _single_token_ids(tokenizer, YES_ANSWERS), _single_token_ids(tokenizer, NO_ANSWERS)
    if not yes or not no:
        raise JudgeUnavailable("The chat model's vocabulary has no single token for Yes or No.")
    return yes, no


def answer_logits(backend: LocalChatBackend, messages: Sequence[Message]) -> torch.Tensor:
    """Logits of the token that would come right after the assistant turn starts (one forward pass)."""
    inputs = backend.encode(messages)
    with torch.inference_mode():
        return backend.loaded.model(**inputs).logits[0, -1].float()


def yes_probability(logits: torch.Tensor, yes_ids: Sequence[int], no_ids: Sequence[int]) -> float:
    """P(yes) / (P(yes) + P(no)) from next-token logits (in log space: both may be tiny)."""
    log_yes = torch.logsumexp(logits[list(yes_ids)], dim=0)
    log_no = torch.logsumexp(logits[list(no_ids)], dim=0)
    return float(torch.sigmoid(log_yes - log_no))


def judge_spam_probability(backend: ChatBackend, text: str) -> float:
    """The chat model's probability, in (0, 1), that `text` is a scam.

    A local model is scored on its next-token logits; a remote endpoint through its `logprobs`
    (`answer_probability`). Raises `ValueError` for empty text and `JudgeUnavailable` for a backend
    that offers neither.
    """
    prepared = prepare_text(text, JUDGE_MAX_CHARS)
    if not isinstance(backend, LocalChatBackend):
        ask_remote = getattr(backend, "answer_probability", None)
        if ask_remote is None:
            raise JudgeUnavailable("The AI judge needs token probabilities, which this chat backend does not give.")
        return ask_remote(judge_messages(prepared.text), YES_ANSWERS, NO_ANSWERS)
    yes_ids, no_ids = answer_token_ids(backend.loaded.tokenizer)
    return yes_probability(answer_logits(backend, judge_messages(prepared.text)), yes_ids, no_ids)
