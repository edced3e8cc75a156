"""Chat backends and reply cleaning.

A `ChatBackend` streams the text of one reply for a list of chat messages. The local backend runs a
transformers model; the remote backend (scamlab.engine.remote) calls an OpenAI-compatible server.
The UI only ever sees the `ChatBackend` interface.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import torch
from transformers import StoppingCriteriaList, TextIteratorStreamer

from scamlab.engine.loading import LoadedModel
from scamlab.engine.zerogpu import gpu_task
from scamlab.safety import scrub_contact_points

Message = dict[str, str]


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings for one reply; `seed` makes a demo reproducible."""

    max_new_tokens: int = 80
    temperature: float = 0.7
    top_p: float = 0.9
    repetition_penalty: float = 1.15
    seed: int | None = None
    candidates: int = 1  # >1: write several replies and keep the most in-character one (no streaming)

    def __post_init__(self) -> None:
        if not 1 <= self.candidates <= 5:
            raise ValueError("candidates must be between 1 and 5.")
        if not 1 <= self.max_new_tokens <= 1024:
            raise ValueError("max_new_tokens must be between 1 and 1024.")
        if not 0 <= self.temperature <= 2:
            raise ValueError("temperature must be between 0 and 2.")
        if not 0 < self.top_p <= 1:
            raise ValueError("top_p must be above 0 and at most 1.")


Prompt = Sequence[Message] | str
"""Chat messages, or plain text to continue (for backends whose `prompt_format` is "transcript")."""


class ChatBackend(Protocol):
    """Something that writes the next chat message, streaming."""

    prompt_format: str  # "chat": give it messages; "transcript": give it a script to continue

    def stream(self, messages: Prompt, params: GenerationParams, stop: threading.Event | None = None) -> Iterator[str]:
        """Yield the reply's text in pieces; stop producing tokens soon after `stop` is set or on close."""
        ...

    def describe(self) -> str:
        """One line for the UI: which model answers, and where."""
        ...


class _StopOnEvent:
    """A transformers stopping criterion that ends generation when an event is set."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: object) -> torch.Tensor:
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class LocalChatBackend:
    """A transformers causal LM run in this process; generation runs in a worker thread and streams."""

    def __init__(self, loaded: LoadedModel, prompt_format: str = "chat") -> None:
        self.loaded = loaded
        self.prompt_format = prompt_format
        self.tokens_generated = 0  # total over the process; lets tests and benchmarks see a stop take effect

    def describe(self) -> str:
        return self.loaded.describe()

    def encode(self, prompt: Prompt) -> dict[str, torch.Tensor]:
        """Token ids ready for `generate`: the chat template applied to messages, or plain text as it is."""
        if isinstance(prompt, str):
            encoded = self.loaded.tokenizer(prompt, return_tensors="pt")
        else:
            encoded = self.loaded.tokenizer.apply_chat_template(
                list(prompt), add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
        return {key: value.to(self.loaded.model.device) for key, value in encoded.items()}

    def stream(self, messages: Prompt, params: GenerationParams, stop: threading.Event | None = None) -> Iterator[str]:
        yield from self._generate(messages, params, stop or threading.Event())

    @gpu_task
    def _generate(self, messages: Prompt, params: GenerationParams, stop: threading.Event) -> Iterator[str]:
        # One ZeroGPU task from tokens in to text out: the streamer must live where `generate` runs.
        tokenizer = self.loaded.tokenizer
        inputs = self.encode(messages)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=120)
        sampling = params.temperature > 0
        kwargs = dict(
            **inputs,
            max_new_tokens=params.max_new_tokens,
            do_sample=sampling,
            temperature=params.temperature if sampling else None,
            top_p=params.top_p if sampling else None,
            top_k=None,
            repetition_penalty=params.repetition_penalty,
            streamer=streamer,
            stopping_criteria=StoppingCriteriaList([_StopOnEvent(stop)]),
            pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
        )
        prompt_length = inputs["input_ids"].shape[1]

        def run() -> None:
            try:
                with torch.inference_mode():
                    if params.seed is not None:
                        torch.manual_seed(params.seed)
                    output = self.loaded.model.generate(**kwargs)
                self.tokens_generated += int(output.shape[1] - prompt_length)
            finally:
                streamer.end()

        worker = threading.Thread(target=run, name="scamlab-generate", daemon=True)
        worker.start()
        try:
            yield from streamer
        finally:
            # Reached on normal end, on error, and when the consumer closes the generator (Stop).
            stop.set()
            worker.join()


# --- reply cleaning -------------------------------------------------------------------------------------

_TURN_END = re.compile(r"<\|(?:im_end|im_start|eot_id|end|endoftext|user|assistant)\|>|</s>|\[INST\]")
_TEMPLATE_TOKENS = re.compile(r"<\|[^|>]*\|>|</?s>|\[/?INST\]|<<SYS>>|<</SYS>>")
_SPEAKER = r"(?:scammer|victim|user|assistant|ai|system|me|you|bank|agent|customer|target|person)"
# A reply that opens with a quotation is the quotation; what follows is usually commentary.
_LEADING_QUOTATION = re.compile(r'^["“]([^"“”]{2,})["”]')
# A small model likes to add stage directions such as "(implying that she left)"; short ones like "(£5)" stay.
_ASIDE = re.compile(r"\s*\([^()]{12,}\)")
_LEADING_SPEAKER = re.compile(rf"^\s*\**\s*{_SPEAKER}\s*\**\s*:\s*\**\s*", re.IGNORECASE)
_NEXT_SPEAKER = re.compile(rf"\n+\s*\**\s*{_SPEAKER}\s*\**\s*:|\n\s*\n", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…)\]\"'](?=\s|$)|[\U0001F300-\U0001FAFF](?=\s|$)")


def cut_at_sentence_end(text: str) -> str:
    """Drop a trailing half sentence; keep the text whole when it has no sentence end at all."""
    ends = [match.end() for match in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]] if ends else text


def clean_partial_reply(raw: str, system_text: str = "") -> str:
    """Clean text while it streams: no template tokens, no role prefix, no next speaker, no contact points."""
    raw = raw.lstrip()
    text = _TEMPLATE_TOKENS.sub("", _TURN_END.split(raw.lstrip(), maxsplit=1)[0] if raw.strip() else raw)
    while _LEADING_SPEAKER.match(text):
        text = _LEADING_SPEAKER.sub("", text, count=1)
    next_turn = _NEXT_SPEAKER.search(text)
    if next_turn:
        text = text[: next_turn.start()]
    if system_text:
        text = _drop_echo(text, system_text)
    return scrub_contact_points(" ".join(text.split()))


def _drop_echo(text: str, system_text: str) -> str:
    """Remove sentences copied from the system prompt (a small model sometimes repeats its instructions)."""
    instructions = {sentence.strip().lower() for sentence in re.split(r"(?<=[.!?])\s+", system_text) if len(sentence) > 20}
    kept = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip().lower() not in instructions]
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
    stripped = raw.lstrip()
    if single_line and "\n" in stripped:
        return True
    return bool(_TURN_END.search(stripped) or _NEXT_SPEAKER.search(_TEMPLATE_TOKENS.sub("", stripped)))
