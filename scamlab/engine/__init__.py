"""The model engine: chat replies and spam classification, offline-first. Knows nothing of Gradio.

The public calls work on one shared engine configured from the environment:

    >>> from scamlab.engine import classify_spam, batch_classify, generate_reply
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence

from scamlab.engine.chat import GenerationParams
from scamlab.engine.classifier import ClassifyResult
from scamlab.engine.core import ChatChoice, Engine, EngineStatus, ReplyRequest
from scamlab.engine.errors import ModelLoadError
from scamlab.personas import Message

__all__ = [
    "ChatChoice",
    "Engine",
    "EngineStatus",
    "GenerationParams",
    "ModelLoadError",
    "ReplyRequest",
    "batch_classify",
    "classify_spam",
    "default_engine",
    "generate_reply",
    "stream_reply",
]

_default: Engine | None = None
_default_lock = threading.Lock()


def default_engine() -> Engine:
    """The process-wide engine, created from the environment on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Engine()
        return _default


def classify_spam(text: str) -> ClassifyResult:
    """`{"classification": "spam"|"not_spam", "confidence": float, "probabilities": {"spam", "not_spam"}}`."""
    return default_engine().classify_spam(text)


def batch_classify(texts: Sequence[str], batch_size: int = 16) -> list[ClassifyResult]:
    """`classify_spam` for many texts at once, in input order (length-sorted batches, cached)."""
    return default_engine().batch_classify(texts, batch_size)


def generate_reply(conversation: str | Sequence[Message], persona: str, style: str, **generation_params: object) -> str:
    """The persona's next message; `scenario`, `max_new_tokens`, `temperature`, `top_p`, `seed` accepted."""
    scenario = generation_params.pop("scenario", None)
    return default_engine().generate_reply(conversation, persona, style, scenario, **generation_params)


def stream_reply(
    conversation: str | Sequence[Message],
    persona: str,
    style: str,
    scenario: str | None = None,
    params: GenerationParams | None = None,
    stop: threading.Event | None = None,
) -> Iterator[str]:
    """Stream the reply so far; closing the iterator or setting `stop` stops the model producing tokens."""
    request = ReplyRequest(conversation, persona, style, scenario, params or GenerationParams())
    return default_engine().stream_reply(request, stop)
