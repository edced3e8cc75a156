"""Chat replies from a GGUF file through llama.cpp (`llama-cpp-python`), for CPUs.

transformers de-quantizes a GGUF to float32 and decodes it at a fraction of llama.cpp's speed on a CPU, which
runs the quantized weights directly. `llama-cpp-python` is an optional extra (`requirements-bench.txt`; its
build takes minutes), so this backend is used only when it is installed and `SCAMLAB_CHAT_RUNTIME` allows it
(see `use_llama_cpp`). transformers + accelerate stay the path for GPUs and for Hub models.

One llama.cpp context decodes one sequence at a time: candidates run one after another (each reuses the prompt
that llama.cpp has already read), and sessions take turns between candidates.
"""

from __future__ import annotations

import importlib.util
import os
import random
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from scamlab.engine.chat import GenerationParams, Prompt, answer_token_ids, yes_probability
from scamlab.engine.reply_cleaning import is_finished_turn
from scamlab.personas import Message

CONTEXT_TOKENS = 2048  # prompts are a scene, a few example lines and the last messages: well under this


def llama_cpp_installed() -> bool:
    """Whether the optional `llama-cpp-python` package is importable."""
    return importlib.util.find_spec("llama_cpp") is not None


def use_llama_cpp(runtime: str, device: str) -> bool:
    """Whether a GGUF chat model runs through llama.cpp: `runtime` is the setting ("auto", "llama.cpp" or
    "transformers"); "auto" means on the CPU whenever llama-cpp-python is installed."""
    if runtime == "transformers":
        return False
    if runtime == "llama.cpp":
        return True
    return device == "cpu" and llama_cpp_installed()


class LlamaCppChatBackend:
    """A GGUF model run by llama.cpp in this process; replies stream. Thread-safe (one sequence at a time)."""

    def __init__(self, gguf: Path, name: str, prompt_format: str, threads: int | None = None) -> None:
        from llama_cpp import Llama

        self.threads = threads or max(1, (os.cpu_count() or 2) // 2)
        self.llama = Llama(model_path=str(gguf), n_ctx=CONTEXT_TOKENS, n_threads=self.threads, verbose=False)
        self.name, self.prompt_format = name, prompt_format
        self.tokens_generated = 0  # total over the process, as for the transformers backend
        self.generate_calls = 0  # replies written (each: its candidates one after another)
        self._turn = threading.Lock()

    def describe(self) -> str:
        return f"{self.name} via llama.cpp on cpu ({self.threads} threads)"

    def answer_probability(self, messages: Sequence[Message], yes: Sequence[str], no: Sequence[str]) -> float:
        """Read off the logits llama.cpp computes for the reply's first token (caught by a logits processor:
        its `logprobs` would need `logits_all`, a float per vocabulary entry for every prompt token)."""
        from llama_cpp import LogitsProcessorList

        ids = answer_token_ids(lambda word: self.llama.tokenize(word.encode(), add_bos=False, special=False), yes, no)
        seen: list[np.ndarray] = []

        def catch(input_ids: np.ndarray, logits: np.ndarray) -> np.ndarray:
            seen.append(logits.copy())  # before sampling, in vocabulary order
            return logits

        with self._turn:
            self.llama.create_chat_completion(messages=list(messages), max_tokens=1, temperature=0.0,
                                              logits_processor=LogitsProcessorList([catch]))
        return yes_probability(seen[0], *ids)

    def stream(self, messages: Prompt, params: GenerationParams, stop: threading.Event | None = None) -> Iterator[str]:
        yield from self._pieces(messages, params, params.seed, stop or threading.Event())

    def stream_candidates(
        self, prompt: Prompt, params: GenerationParams, count: int, stop: threading.Event | None = None
    ) -> Iterator[list[str]]:
        """Each candidate is written whole, then yielded with those before it: the model is held only while it
        writes, never while a caller handles a piece (other sessions' candidates go in between)."""
        count = count if params.temperature > 0 else 1  # greedy decoding would write the same reply `count` times
        stop = stop or threading.Event()
        self.generate_calls += 1
        texts: list[str] = []
        for number in range(count):
            seed = None if params.seed is None else params.seed + number
            texts.append(self._complete(prompt, params, seed, stop))
            yield list(texts)
            if stop.is_set():
                return

    def _complete(self, prompt: Prompt, params: GenerationParams, seed: int | None, stop: threading.Event) -> str:
        """One candidate, written until its turn ends (or `stop` is set)."""
        text = ""
        pieces = self._pieces(prompt, params, seed, stop)
        try:
            for piece in pieces:
                text += piece
                if is_finished_turn(text, single_line=isinstance(prompt, str)):
                    break
        finally:
            pieces.close()
        return text

    def _pieces(self, prompt: Prompt, params: GenerationParams, seed: int | None, stop: threading.Event) -> Iterator[str]:
        """One reply's text pieces; holds the model until it ends, `stop` is set or the iterator is closed."""
        options = dict(
            max_tokens=params.max_new_tokens, temperature=params.temperature, top_p=params.top_p, top_k=0, min_p=0.0,
            repeat_penalty=params.repetition_penalty, seed=random.randrange(2**31) if seed is None else seed, stream=True,
        )
        with self._turn:
            if isinstance(prompt, str):
                chunks = self.llama.create_completion(prompt, **options)
            else:
                chunks = self.llama.create_chat_completion(messages=list(prompt), **options)
            try:
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    piece = choice["text"] if "text" in choice else choice["delta"].get("content") or ""
                    if piece:
                        self.tokens_generated += 1
                        yield piece
                    if stop.is_set():
                        return
            finally:
                chunks.close()
