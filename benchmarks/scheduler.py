"""Generation alone, without the app: N concurrent greedy replies through the scheduler, side by side with the
old path (one `generate` call per reply, in its own thread), in the same run.

    python benchmarks/scheduler.py                                   # 1, 8 and 30 at once, 60 new tokens
    python benchmarks/scheduler.py --concurrency 1 30 --max-new-tokens 60

For each mode and concurrency: the wall time, tokens per second over all replies, and per-reply latency and
time to first text (p50 / p95). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# Openings of a transcript for the model to continue, of different lengths (so a batch needs padding).
PROMPTS = (
    "Scammer: Your parcel is held at the depot. Pay the 1.99 fee today or it goes back.\nVictim:",
    "Victim: Hello? Who is this? I never gave you my number.\nScammer:",
    "Scammer: Microsoft here, your computer has a virus. Install our app now so we can fix it.\nVictim:",
    "Victim: Hi! You seem nice. Where did you say you live?\nScammer:",
    "Scammer: Congratulations, your ticket won a cash prize! Send a small release fee to claim it.\nVictim:",
    "Victim: Is this really the tax office?\nScammer:",
    "Scammer: Hi Mum it's me, I lost my phone, this is my new number. Can you send 200 pounds?\nVictim:",
    "Victim: How much could I really make from this crypto plan?\nScammer:",
)

StreamFn = Callable[[str], Iterator[str]]  # a prompt -> the pieces of its reply


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (`share` in 0..1)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))], 3)


def one_round(stream: StreamFn, tokens_so_far: Callable[[], int], concurrency: int) -> dict:
    """`concurrency` replies started at the same instant; their latency, first text and tokens per second."""
    latency: list[float] = []
    first_text: list[float] = []
    ready = threading.Barrier(concurrency + 1)

    def one(number: int) -> None:
        ready.wait()
        started = time.monotonic()
        first = None
        for _ in stream(PROMPTS[number % len(PROMPTS)]):
            first = first if first is not None else time.monotonic() - started
        latency.append(time.monotonic() - started)
        if first is not None:
            first_text.append(first)

    threads = [threading.Thread(target=one, args=(number,)) for number in range(concurrency)]
    for thread in threads:
        thread.start()
    tokens_before = tokens_so_far()
    ready.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    tokens = tokens_so_far() - tokens_before
    return {
        "concurrency": concurrency, "wall_s": round(wall, 2), "tokens": tokens, "tokens_per_s": round(tokens / wall, 1),
        "reply_p50_s": percentile(latency, 0.5), "reply_p95_s": percentile(latency, 0.95),
        "first_text_p50_s": percentile(first_text, 0.5), "first_text_p95_s": percentile(first_text, 0.95),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 30], help="replies at once (default 1 8 30)")
    parser.add_argument("--max-new-tokens", type=int, default=60, help="reply length cap (default 60)")
    args = parser.parse_args(argv)

    from scamlab.config import load_settings
    from scamlab.engine import Engine
    from scamlab.engine.chat import GenerationParams, LocalChatBackend

    loaded = Engine(load_settings(dotenv_path=None)).chat_backend().loaded
    params = GenerationParams(max_new_tokens=args.max_new_tokens, temperature=0, top_p=1.0)
    results: dict[str, list[dict]] = {}
    for mode, batching in (("one_at_a_time", False), ("scheduler", True)):
        backend = LocalChatBackend(loaded, "transcript", batching=batching)
        stream = lambda prompt: backend.stream(prompt, params)  # noqa: E731 - bound per mode
        results[mode] = [one_round(stream, lambda: backend.tokens_generated, n) for n in args.concurrency]
        for row in results[mode]:
            print(mode, json.dumps(row), flush=True)
    print(json.dumps({"max_new_tokens": args.max_new_tokens, "cpus": os.cpu_count(), **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
