"""A second opinion from the chat model: "Is this message a scam?" read off the answer token's probability.

No text is generated and nothing is parsed: the chat backend reads the next-token distribution after the
chat-templated question (`ChatBackend.answer_probability`: one forward pass locally, a server's top
log-probabilities remotely), and the spam probability is P(yes) / (P(yes) + P(no)), where P(yes) sums the
probabilities of the tokens " Yes", "Yes" and "yes" (likewise for no).

The bundled SmolLM2-135M judge is weak: AUC 0.84 on 200 held-out SMS (100 spam, 100 ham), where the
fine-tuned classifier scores 1.00, and only about 0.6 on modern scams. It also leans towards "No", so its
probabilities sit mostly between 0.2 and 0.4. With int8 weights (`SCAMLAB_DTYPE=int8`) it falls to about 0.55.
That two models can disagree is part of the lesson; a bigger chat model judges better.
"""

from __future__ import annotations

from scamlab.engine.chat import ChatBackend
from scamlab.engine.inputs import prepare_text
from scamlab.personas import Message

# Chosen among five system prompts on held-out SMS and modern scams: for a 135M model, shorter judged better.
JUDGE_SYSTEM_PROMPT = "You detect scam messages."
JUDGE_QUESTION = "Is this message a scam? Answer Yes or No."
YES_ANSWERS = (" Yes", "Yes", "yes")
NO_ANSWERS = (" No", "No", "no")
# A small judge reads the start of a message as well as the whole; a cap keeps one forward pass quick.
JUDGE_MAX_CHARS = 2_000


def judge_messages(text: str) -> list[Message]:
    """The question put to the judge: a short system prompt, the message, then the yes/no question."""
    return [
        {"role": "system", "content": JUDGE_SYSTEM_PROMPT},
        {"role": "user", "content": f'Message:\n"""\n{text}\n"""\n\n{JUDGE_QUESTION}'},
    ]


def judge_spam_probability(backend: ChatBackend, text: str) -> float:
    """The chat model's probability, in (0, 1), that `text` is a scam.

    Raises `ValueError` for empty text, `JudgeUnavailable` (scamlab.engine.chat) when the backend cannot read
    token probabilities, and `EndpointError` when a remote endpoint fails or returns none.
    """
    prepared = prepare_text(text, JUDGE_MAX_CHARS)
    return backend.answer_probability(judge_messages(prepared.text), YES_ANSWERS, NO_ANSWERS)
