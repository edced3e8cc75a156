"""Chat backends: what writes a reply (the cleaning of what they write is in `reply_cleaning`).

A `ChatBackend` streams the text of one reply for a list of chat messages, and reads how likely a reply starts
with yes rather than no (the AI judge). The local backend runs a transformers model; llama.cpp (engine.llama_cpp)
and OpenAI-compatible servers (engine.remote) answer through the same interface, all the UI ever sees.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

import torch
from transformers import DynamicCache, StoppingCriteriaList, TextIteratorStreamer

from scamlab.engine.loading import LoadedModel
from scamlab.engine.fair_share import REQUESTER
from scamlab.engine.prefix_cache import common_length
from scamlab.engine.scheduler import GenerationScheduler
from scamlab.engine.sequence_streams import Ticket
from scamlab.engine.zerogpu import gpu_task, zerogpu_possible
from scamlab.engine.reply_cleaning import is_finished_turn
from scamlab.personas import Message


DEFAULT_CANDIDATES = 4  # best-of-N: replies written in one batched call, of which the role-play sends one


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings for one reply; `seed` makes a demo reproducible."""

    max_new_tokens: int = 80  # a reply longer than this is cut
    temperature: float = 0.7  # 0: always the likeliest token
    top_p: float = 0.9  # sample from the likeliest tokens that make up this share
    repetition_penalty: float = 1.15  # above 1 discourages repeating earlier tokens
    seed: int | None = None  # None: a different reply each time
    candidates: int = DEFAULT_CANDIDATES  # replies written at once (one batched call); the role-play keeps the best one

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


class JudgeUnavailable(RuntimeError):
    """The chat backend cannot read the answer tokens' probabilities (so the AI judge cannot ask it)."""


class ChatBackend(Protocol):
    """Something that writes the next chat message, streaming."""

    prompt_format: str  # "chat": give it messages; "transcript": give it a script to continue
    tokens_generated: int
    """Tokens written for replies over the process, every candidate's and a stopped reply's up to the stop (the
    judge's `answer_probability` writes none). Tests, benchmarks and the UI read it to see a Stop take effect."""

    def stream(self, messages: Prompt, params: GenerationParams, stop: threading.Event | None = None) -> Iterator[str]:
        """Yield the reply's text in pieces; stop producing tokens soon after `stop` is set or on close."""
        ...

    def stream_candidates(
        self, prompt: Prompt, params: GenerationParams, count: int, stop: threading.Event | None = None
    ) -> Iterator[list[str]]:
        """Write up to `count` replies at once; yield all their texts so far as they grow (the last: final).

        Stops once every reply has finished its turn, or soon after `stop` is set or the iterator is closed.
        """
        ...

    def answer_probability(self, messages: Sequence[Message], yes: Sequence[str], no: Sequence[str]) -> float:
        """P(yes) / (P(yes) + P(no)) for the reply's first token (P(yes) summed over the `yes` spellings); writes
        no reply. Raises `JudgeUnavailable` when this backend cannot read token probabilities."""
        ...

    def describe(self) -> str:
        """One line for the UI: which model answers, and where."""
        ...


def answer_token_ids(encode: Callable[[str], Sequence[int]], yes: Sequence[str],
                     no: Sequence[str]) -> tuple[list[int], list[int]]:
    """The token ids that start a yes and a no answer: the spellings that `encode` makes one token."""
    yes_ids, no_ids = ([ids[0] for ids in map(encode, words) if len(ids) == 1] for words in (yes, no))
    if not yes_ids or not no_ids:
        raise JudgeUnavailable("The chat model's vocabulary has no single token for Yes or No.")
    return sorted(set(yes_ids)), sorted(set(no_ids))


def yes_probability(logits: Sequence[float], yes_ids: Sequence[int], no_ids: Sequence[int]) -> float:
    """P(yes) / (P(yes) + P(no)) from next-token logits over the whole vocabulary."""
    return yes_share([float(logits[i]) for i in yes_ids], [float(logits[i]) for i in no_ids])


def yes_share(log_yes: Sequence[float], log_no: Sequence[float]) -> float:
    """P(yes) / (P(yes) + P(no)) from the log-probabilities (or logits) of each answer's spellings; in log space,
    as both may be far less likely than some other token."""
    log_yes_total, log_no_total = (torch.tensor(values, dtype=torch.float64).logsumexp(0) for values in (log_yes, log_no))
    return float(torch.sigmoid(log_yes_total - log_no_total))


class _StopOnEvent:
    """A transformers stopping criterion that ends generation when an event is set."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: object) -> torch.Tensor:
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class _CandidateWatch:
    """A stopping criterion for a batch of candidates: shares each step's texts and ends each candidate once it
    has finished its turn (or all of them when `stop` is set)."""

    def __init__(self, tokenizer: object, prompt_length: int, single_line: bool, stop: threading.Event,
                 updates: queue.SimpleQueue) -> None:
        self.tokenizer, self.prompt_length, self.single_line = tokenizer, prompt_length, single_line
        self.stop, self.updates = stop, updates

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor, **kwargs: object) -> torch.Tensor:
        texts = self.tokenizer.batch_decode(input_ids[:, self.prompt_length :], skip_special_tokens=True)
        self.updates.put(texts)
        finished = [self.stop.is_set() or is_finished_turn(text, self.single_line) for text in texts]
        return torch.tensor(finished, dtype=torch.bool, device=input_ids.device)


class LocalChatBackend:
    """A transformers causal LM run in this process; replies stream.

    With `batching` (the default; never under ZeroGPU) the replies of every session share one decoding batch
    (`GenerationScheduler`); without it each reply runs its own `generate` call in a worker thread.
    """

    def __init__(self, loaded: LoadedModel, prompt_format: str = "chat", batching: bool = True) -> None:
        self.loaded = loaded
        self.prompt_format = prompt_format
        self.scheduler = GenerationScheduler(loaded.model, loaded.tokenizer) if batching and not zerogpu_possible() else None
        self.tokens_generated = 0  # total over the process; lets tests and benchmarks see a stop take effect
        self.generate_calls = 0  # `generate` calls that wrote candidates (best-of-N must take one call, not N)

    def describe(self) -> str:
        return self.loaded.describe()

    @gpu_task
    def answer_probability(self, messages: Sequence[Message], yes: Sequence[str], no: Sequence[str]) -> float:
        """Read off the logits of one forward pass over the chat-templated messages (no text is generated)."""
        tokenizer = self.loaded.tokenizer
        ids = answer_token_ids(lambda word: tokenizer.encode(word, add_special_tokens=False), yes, no)
        with torch.inference_mode():
            logits = self.loaded.model(**self.encode(messages)).logits[0, -1].float()
        return yes_probability(logits, *ids)

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
        if self.scheduler is None:
            yield from self._generate(messages, params, stop or threading.Event())
            return
        ticket = self._submit(messages, params, 1, stop)
        try:
            yield from ticket.streams[0]
        finally:
            self._finish(ticket)

    def stream_candidates(
        self, prompt: Prompt, params: GenerationParams, count: int, stop: threading.Event | None = None
    ) -> Iterator[list[str]]:
        count = count if params.temperature > 0 else 1  # greedy decoding would write the same reply `count` times
        if self.scheduler is None:
            yield from self._generate_candidates(prompt, params, count, stop or threading.Event())
            return
        self.generate_calls += 1
        ticket = self._submit(prompt, params, count, stop)
        try:
            for texts in ticket.texts():
                for stream, text in zip(ticket.streams, texts):
                    if is_finished_turn(text, single_line=isinstance(prompt, str)):
                        stream.close(wait=False)  # this candidate leaves the batch; the others go on
                yield texts
        finally:
            self._finish(ticket)

    def _submit(self, prompt: Prompt, params: GenerationParams, count: int, stop: threading.Event | None) -> Ticket:
        """`count` sequences of one reply queued in the shared batch (`ClassBusyError` when it is full), charged
        to whoever is asking (`scamlab.engine.fair_share.REQUESTER`)."""
        ids = self.encode(prompt)["input_ids"][0].tolist()
        return self.scheduler.submit(ids, params, count, stop, requester=REQUESTER.get(),
                                     shareable=self.shareable_length(prompt, ids))

    def shareable_length(self, prompt: Prompt, ids: list[int]) -> int:
        """How many of the prompt's first tokens (`ids`) later prompts may repeat: all but the newest message
        (of a transcript, its last two lines: the newest message and the speaker's cue)."""
        tokenizer = self.loaded.tokenizer
        if isinstance(prompt, str):
            earlier = prompt.rsplit("\n", 2)[0] if prompt.count("\n") >= 2 else ""
            head = tokenizer(earlier)["input_ids"] if earlier else []
        else:
            head = tokenizer.apply_chat_template(list(prompt[:-1]), return_dict=True)["input_ids"] if len(prompt) > 1 else []
        return common_length(tuple(head), ids)

    def _finish(self, ticket: Ticket) -> None:
        """Normal end, error, or the consumer closed the generator (Stop): every sequence stops, then counts."""
        ticket.cancel()
        self.tokens_generated += sum(stream.tokens_generated for stream in ticket.streams)

    @gpu_task
    def _generate_candidates(
        self, prompt: Prompt, params: GenerationParams, count: int, stop: threading.Event
    ) -> Iterator[list[str]]:
        # ONE generate call writes every candidate, from one pass over the prompt; the batch rides on the same
        # matrix multiplications as a single reply.
        inputs = self.encode(prompt)
        prompt_length = inputs["input_ids"].shape[1]
        sampling = params.temperature > 0
        updates: queue.SimpleQueue = queue.SimpleQueue()
        watch = _CandidateWatch(self.loaded.tokenizer, prompt_length, isinstance(prompt, str), stop, updates)
        kwargs = self._sampling_kwargs(params, sampling)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                with torch.inference_mode():
                    batch = self._prefilled(inputs, count)
                    if params.seed is not None:
                        torch.manual_seed(params.seed)
                    output = self.loaded.model.generate(**batch, **kwargs, stopping_criteria=StoppingCriteriaList([watch]))
                self.generate_calls += 1
                self.tokens_generated += int(output.shape[1] - prompt_length)
                updates.put(self.loaded.tokenizer.batch_decode(output[:, prompt_length:], skip_special_tokens=True))
            except BaseException as error:  # noqa: BLE001 - handed to the consumer's thread
                failure.append(error)
            finally:
                updates.put(None)

        worker = threading.Thread(target=run, name="scamlab-candidates", daemon=True)
        worker.start()
        try:
            while (texts := updates.get(timeout=600)) is not None:  # a busy CPU can take minutes to prefill
                yield texts
        finally:
            stop.set()  # normal end, error, or the consumer closed the generator (Stop)
            worker.join()
        if failure:
            raise failure[0]

    def _prefilled(self, inputs: dict[str, torch.Tensor], count: int) -> dict[str, object]:
        """`count` copies of the prompt with its key/value cache computed ONCE and repeated: prefill is most of a
        short reply's cost, and `num_return_sequences` would run it `count` times. `generate` then starts at
        the prompt's last token."""
        if count == 1:
            return dict(inputs)
        cache = DynamicCache(config=self.loaded.model.config)
        self.loaded.model(input_ids=inputs["input_ids"][:, :-1], attention_mask=inputs["attention_mask"][:, :-1],
                          past_key_values=cache, use_cache=True)
        cache.batch_repeat_interleave(count)
        return {"input_ids": inputs["input_ids"].repeat(count, 1), "attention_mask": inputs["attention_mask"].repeat(count, 1),
                "past_key_values": cache}

    def _sampling_kwargs(self, params: GenerationParams, sampling: bool) -> dict[str, object]:
        tokenizer = self.loaded.tokenizer
        return dict(
            max_new_tokens=params.max_new_tokens,
            do_sample=sampling,
            temperature=params.temperature if sampling else None,
            top_p=params.top_p if sampling else None,
            top_k=None,
            repetition_penalty=params.repetition_penalty,
            pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
        )

    @gpu_task
    def _generate(self, messages: Prompt, params: GenerationParams, stop: threading.Event) -> Iterator[str]:
        # One ZeroGPU task from tokens in to text out: the streamer must live where `generate` runs.
        tokenizer = self.loaded.tokenizer
        inputs = self.encode(messages)
        streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=120)
        kwargs = dict(
            **inputs,
            **self._sampling_kwargs(params, params.temperature > 0),
            streamer=streamer,
            stopping_criteria=StoppingCriteriaList([_StopOnEvent(stop)]),
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
