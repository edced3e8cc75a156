"""How llama.cpp itself batches many sequences on this machine: one context, N sequences decoded together.

    python benchmarks/llama_cpp_batch.py                  # 30 sequences of a 200-token prompt, 40 decode steps
    python benchmarks/llama_cpp_batch.py --rows 8 --threads 2

A class's replies could be batched by llama.cpp instead of the transformers scheduler (`llama-server
--parallel` does it in C++). This measures what that buys with the bundled GGUF through llama-cpp-python's
low-level batch API (`requirements-bench.txt`): the time to read N prompts, a decode step of N rows, and a
decode step of one row, the same tokens each time (the speed does not depend on which tokens). The last line is
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import llama_cpp

from scamlab.engine.bundled import chat_gguf_path

PROMPT_TOKENS = 200
STEPS = 40
PREFILL_ROWS = 8  # prompts read per llama_decode call


class Context:
    """A llama.cpp context holding `rows` sequences, and one batch reused for every call."""

    def __init__(self, rows: int, threads: int) -> None:
        self.model = llama_cpp.Llama(model_path=str(chat_gguf_path()), n_ctx=512, verbose=False)
        params = llama_cpp.llama_context_default_params()
        params.n_ctx, params.n_batch, params.n_seq_max = rows * (PROMPT_TOKENS + STEPS + 8), 2048, rows
        params.n_threads = params.n_threads_batch = threads
        self.ctx = llama_cpp.llama_init_from_model(self.model.model, params)
        self.batch = llama_cpp.llama_batch_init(2048, 0, rows)

    def decode(self, entries: list[tuple[int, int, int, bool]]) -> float:
        """Decode (token, position, sequence, wants logits) entries in one call; returns its seconds."""
        self.batch.n_tokens = len(entries)
        for index, (token, position, sequence, logits) in enumerate(entries):
            self.batch.token[index], self.batch.pos[index] = token, position
            self.batch.n_seq_id[index], self.batch.seq_id[index][0] = 1, sequence
            self.batch.logits[index] = logits
        started = time.perf_counter()
        if llama_cpp.llama_decode(self.ctx, self.batch) != 0:
            raise RuntimeError("llama_decode failed (context too small?)")
        return time.perf_counter() - started

    def read_prompts(self, prompt: list[int], rows: range) -> float:
        """Read `prompt` into each sequence of `rows`, a few sequences per call; returns the seconds."""
        seconds = 0.0
        for start in range(rows.start, rows.stop, PREFILL_ROWS):
            seconds += self.decode([(token, position, sequence, position == len(prompt) - 1)
                                    for sequence in range(start, min(rows.stop, start + PREFILL_ROWS))
                                    for position, token in enumerate(prompt)])
        return seconds

    def step_seconds(self, rows: int) -> float:
        """The median seconds of a decode step of `rows` sequences, after the prompt."""
        return statistics.median(
            self.decode([(100 + step, PROMPT_TOKENS + step, sequence, True) for sequence in range(rows)])
            for step in range(STEPS))

    def clear(self) -> None:
        llama_cpp.llama_memory_clear(llama_cpp.llama_get_memory(self.ctx), True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30, help="sequences decoded together (default 30, a class)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    context = Context(args.rows, args.threads)
    prompt = context.model.tokenize(b"Your bank account is locked, please send the code we texted you now. " * 20)
    prompt = prompt[:PROMPT_TOKENS]
    read = context.read_prompts(prompt, range(args.rows))
    many = context.step_seconds(args.rows)
    context.clear()
    context.read_prompts(prompt, range(1))
    one = context.step_seconds(1)
    print(json.dumps({"rows": args.rows, "threads": args.threads, "prompt_tokens": PROMPT_TOKENS,
                      "read_prompts_s": round(read, 2), "prompt_tokens_per_s": round(args.rows * PROMPT_TOKENS / read),
                      "step_ms": round(many * 1000, 1), "one_row_step_ms": round(one * 1000, 1)}))


if __name__ == "__main__":
    main()
