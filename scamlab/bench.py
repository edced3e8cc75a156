"""`python -m scamlab bench`: speed figures for the engine, measured side by side in one run.

Reported as medians. llama.cpp runs the same GGUF file in the same run when llama-cpp-python is
installed (requirements-bench.txt), so the decode ratio does not depend on how busy the machine is.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import torch

from scamlab.engine import bundled
from scamlab.engine.chat import GenerationParams, LocalChatBackend
from scamlab.engine.classifier import SpamClassifier
from scamlab.engine.core import Engine, ReplyRequest
from scamlab.engine.evaluation import read_labelled_csv
from scamlab.engine.llama_cpp import llama_cpp_installed
from scamlab.engine.loading import cpu_has_bfloat16, linear_weights_to_bfloat16, quantize_linear_int8
from scamlab.engine.training import HELDOUT_FILENAME

BENCH_PROMPT = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Explain in a few sentences how to recognise a parcel delivery scam text message."},
]
QUALITY_TEXT = (
    "Your parcel could not be delivered because of an unpaid fee. Scammers send messages like this to get card "
    "details. A real courier will not ask you to pay through a link in a text message. If you are unsure, check "
    "the tracking number on the courier's own website, and never share a one-time code with anyone who calls you."
)


def _median_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def decode_tokens_per_s(backend: LocalChatBackend, new_tokens: int, repeats: int) -> float:
    """Tokens per second while decoding (greedy), prefill time subtracted."""
    model, inputs = backend.loaded.model, backend.encode(BENCH_PROMPT)
    kwargs = dict(**inputs, do_sample=False, pad_token_id=backend.loaded.tokenizer.eos_token_id)
    with torch.inference_mode():
        model.generate(**kwargs, max_new_tokens=4)  # warm-up
        prefill = _median_time(lambda: model.generate(**kwargs, max_new_tokens=1, min_new_tokens=1), repeats)
        total = _median_time(lambda: model.generate(**kwargs, max_new_tokens=new_tokens, min_new_tokens=new_tokens), repeats)
    return (new_tokens - 1) / max(total - prefill, 1e-9)


def first_token_seconds(backend: LocalChatBackend, repeats: int) -> float:
    """Seconds from asking to the first streamed piece of text."""

    def first_token() -> None:
        stream = backend.stream(BENCH_PROMPT, GenerationParams(max_new_tokens=8, temperature=0))
        next(iter(stream))
        stream.close()

    return _median_time(first_token, repeats)


def llama_cpp_tokens_per_s(new_tokens: int, repeats: int) -> float | None:
    """Decode rate of the same GGUF file in llama.cpp; None when llama-cpp-python is not installed."""
    try:
        from llama_cpp import Llama
    except ImportError:
        return None
    llm = Llama(model_path=str(bundled.chat_gguf_path()), n_ctx=512, n_threads=os.cpu_count(), verbose=False)
    prompt = llm.tokenize(
        "<|im_start|>user\nExplain in a few sentences how to recognise a parcel delivery scam text message."
        "<|im_end|>\n<|im_start|>assistant\n".encode(),
        special=True,
    )

    def generate(count: int) -> None:
        llm.reset()
        for produced, _ in enumerate(llm.generate(prompt, temp=0.0, reset=True), start=1):
            if produced >= count:
                break

    generate(4)
    prefill = _median_time(lambda: generate(1), repeats)
    total = _median_time(lambda: generate(new_tokens), repeats)
    return (new_tokens - 1) / max(total - prefill, 1e-9)


def cpu_weight_figures(engine: Engine, float32_engine: Engine, new_tokens: int, repeats: int) -> dict:
    """The chat model's CPU weight formats side by side: float32, bfloat16 Linear weights (the default where the
    CPU runs bfloat16 natively) and int8 (opt-in): decode speed, perplexity and next-token agreement with float32."""
    import copy

    if engine.chat_backend().loaded.device != "cpu":
        return {"float32_tokens_per_s": None}
    reference = float32_engine.chat_backend()
    ids = reference.loaded.tokenizer(QUALITY_TEXT, return_tensors="pt")["input_ids"]
    formats = {"float32": reference}
    if cpu_has_bfloat16():
        formats["bfloat16_weights"] = _with_model(reference, linear_weights_to_bfloat16(copy.deepcopy(reference.loaded.model)))
    # int8 last: measured right after it, the bfloat16 copy once decoded at 11.9 tokens/s against 17 to 20 alone.
    formats["int8"] = _with_model(reference, quantize_linear_int8(copy.deepcopy(reference.loaded.model)))
    figures: dict = {}
    with torch.inference_mode():
        reference_out = reference.loaded.model(input_ids=ids, labels=ids)
        for name, backend in formats.items():
            out = backend.loaded.model(input_ids=ids, labels=ids)
            figures[f"{name}_tokens_per_s"] = round(decode_tokens_per_s(backend, new_tokens, repeats), 1)
            figures[f"{name}_perplexity"] = round(math.exp(out.loss.item()), 2)
            if name != "float32":
                agreement = (out.logits.argmax(-1) == reference_out.logits.argmax(-1)).float().mean().item()
                figures[f"{name}_next_token_agreement"] = round(agreement, 3)
    return figures


def _with_model(backend: LocalChatBackend, model: torch.nn.Module) -> LocalChatBackend:
    return LocalChatBackend(replace(backend.loaded, model=model))


def classification_figures(engine: Engine, messages: list[str], repeats: int) -> dict:
    """Single-message latency, batched throughput and a transformers `pipeline` loop, all uncached."""
    from transformers import pipeline

    loaded = engine.classifier().loaded
    uncached = SpamClassifier(loaded, cache_size=0)
    single = [_median_time(lambda text=text: uncached.spam_probabilities([text]), 1) for text in messages[:50]]
    batch_seconds = _median_time(lambda: uncached.spam_probabilities(messages, batch_size=32), repeats)
    classify = pipeline("text-classification", model=loaded.model, tokenizer=loaded.tokenizer, device=loaded.model.device)
    loop_seconds = _median_time(lambda: [classify(text, truncation=True) for text in messages], 1)
    return {
        "classify_p50_ms": round(statistics.median(single) * 1000, 2),
        "classify_batch_msgs_per_s": round(len(messages) / batch_seconds, 1),
        "pipeline_loop_msgs_per_s": round(len(messages) / loop_seconds, 1),
    }


def best_of_4_reply_seconds(engine: Engine, repeats: int) -> float:
    """Median seconds for a finished role-play reply written from 4 candidates (one batched call, ranked)."""
    conversation = [{"role": "scammer", "content": "Your parcel is held. Pay the £1.45 redelivery fee at [LINK] today."}]
    params = GenerationParams(candidates=4, seed=1)
    request = ReplyRequest(conversation, "victim", "skeptical", "parcel", params)
    list(engine.stream_roleplay(request))  # warm-up (encoder cache)
    return _median_time(lambda: list(engine.stream_roleplay(request)),
                        max(3, repeats))


def llama_cpp_reply_seconds(engine: Engine, repeats: int) -> float | None:
    """`best_of_4_reply_seconds` with the chat model in llama.cpp (`SCAMLAB_CHAT_RUNTIME=llama.cpp`); None
    when llama-cpp-python is not installed or the chat model is not a GGUF file."""
    if not llama_cpp_installed() or (engine.settings.chat_model or ".gguf")[-5:] != ".gguf":
        return None
    return best_of_4_reply_seconds(Engine(replace(engine.settings, chat_runtime="llama.cpp")), repeats)


def start_seconds(cache_dir: Path) -> float:
    """Seconds for a fresh process to import scamlab and load both models from this cache folder."""
    code = "from scamlab.engine import Engine; e = Engine(); e.chat_backend(); e.classifier()"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SCAMLAB_CACHE_DIR": str(cache_dir)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def run_benchmark(engine: Engine, quick: bool = False) -> dict:
    """All figures as one dict (the CLI prints it as JSON)."""
    repeats, new_tokens = (1, 16) if quick else (3, 64)
    classifier_dir = engine.bundled_classifier_dir()
    engine.classifier()
    messages = [m.text for m in read_labelled_csv(classifier_dir / HELDOUT_FILENAME)][: 64 if quick else 256]
    with tempfile.TemporaryDirectory() as scratch:
        # Cold: the GGUF is converted on this start. The classifier is linked in, not rebuilt (minutes).
        shared = Path(scratch) / classifier_dir.relative_to(engine.settings.cache_dir)
        shared.parent.mkdir(parents=True)
        shared.symlink_to(classifier_dir)
        cold = start_seconds(Path(scratch))
        warm = statistics.median(start_seconds(Path(scratch)) for _ in range(repeats))
    backend = engine.chat_backend()
    float32_engine = Engine(replace(engine.settings, dtype="float32"))  # the reference for the CPU weight formats
    gen_rate = decode_tokens_per_s(backend, new_tokens, repeats)
    llama_rate = llama_cpp_tokens_per_s(new_tokens, repeats)
    figures = {
        "gen_tokens_per_s": round(gen_rate, 1),
        "ttft_s": round(first_token_seconds(backend, repeats), 3),
        "reply_best_of_4_s": round(best_of_4_reply_seconds(engine, repeats), 2),
        "reply_best_of_4_float32_s": round(best_of_4_reply_seconds(float32_engine, repeats), 2),
        "reply_best_of_4_llama_cpp_s": _rounded(llama_cpp_reply_seconds(engine, repeats), 2),
        "llama_cpp_tokens_per_s": round(llama_rate, 1) if llama_rate else None,
        "decode_vs_llama_cpp": round(gen_rate / llama_rate, 3) if llama_rate else None,
        **cpu_weight_figures(engine, float32_engine, new_tokens, repeats),
        **classification_figures(engine, messages, repeats),
        "cold_load_s": round(cold, 2),
        "warm_load_s": round(warm, 2),
        "chat_model": backend.describe(),
        "classifier": engine.classifier().describe(),
        "torch_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
    }
    figures["batch_vs_pipeline_loop"] = round(figures["classify_batch_msgs_per_s"] / figures["pipeline_loop_msgs_per_s"], 2)
    return figures
