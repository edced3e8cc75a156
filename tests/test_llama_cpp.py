"""The llama.cpp runtime for GGUF chat models (scamlab.engine.llama_cpp), with the real bundled GGUF file."""

from __future__ import annotations

import threading

import pytest

from scamlab.config import SettingsError, load_settings
from scamlab.engine import Engine, GenerationParams, ReplyRequest
from scamlab.engine.llama_cpp import LlamaCppChatBackend, llama_cpp_installed, use_llama_cpp

HISTORY = [{"role": "scammer", "content": "Hello, this is your bank's fraud team. We saw an unusual payment on your account."}]


def test_which_runtime_runs_a_gguf():
    assert not use_llama_cpp("transformers", "cpu")
    assert use_llama_cpp("llama.cpp", "cuda")  # asked for by name
    assert use_llama_cpp("auto", "cpu") == llama_cpp_installed() and not use_llama_cpp("auto", "cuda")
    assert load_settings({}, dotenv_path=None).chat_runtime == "transformers"
    assert load_settings({"SCAMLAB_CHAT_RUNTIME": "llama.cpp"}, dotenv_path=None).chat_runtime == "llama.cpp"
    with pytest.raises(SettingsError, match="SCAMLAB_CHAT_RUNTIME"):
        load_settings({"SCAMLAB_CHAT_RUNTIME": "vllm"}, dotenv_path=None)


@pytest.fixture(scope="module")
def llama_engine(engine) -> Engine:
    if not llama_cpp_installed():
        pytest.skip("llama-cpp-python is not installed (requirements-bench.txt)")
    engine.classifier()  # built once for the session
    return Engine(load_settings({"SCAMLAB_CHAT_RUNTIME": "llama.cpp"}, dotenv_path=None))


def test_the_bundled_gguf_runs_in_llama_cpp_and_plays_its_role(llama_engine):
    backend = llama_engine.chat_backend()
    assert isinstance(backend, LlamaCppChatBackend) and "via llama.cpp" in backend.describe()
    played = list(llama_engine.stream_roleplay(ReplyRequest(HISTORY, "victim", "skeptical", "bank", GenerationParams(max_new_tokens=40, seed=3))))
    final = played[-1]
    assert final.done and final.text.strip() and final.persona == "victim" and final.candidates == 4
    calls = backend.generate_calls
    again = list(llama_engine.stream_roleplay(ReplyRequest(HISTORY, "victim", "skeptical", "bank", GenerationParams(max_new_tokens=40, seed=3))))
    assert again[-1].text == final.text  # the same seed writes the same reply
    assert backend.generate_calls == calls + 1  # one call per reply, whatever the number of candidates


def test_candidates_differ_and_closing_the_stream_stops_the_model(llama_engine):
    backend = llama_engine.chat_backend()
    prompt = "A bank fraud call.\nScammer: Hello, this is your bank. We saw an unusual payment.\nVictim:"
    texts = list(backend.stream_candidates(prompt, GenerationParams(max_new_tokens=24, seed=11), 4))[-1]
    assert len(texts) == 4 and len(set(texts)) > 1  # sampled with a seed each
    before = backend.tokens_generated
    stream = backend.stream(prompt, GenerationParams(max_new_tokens=400, seed=1))
    next(stream)
    stream.close()
    assert backend.tokens_generated - before <= 2
    stop = threading.Event()
    stop.set()  # Stop pressed before the model starts: nothing more is written
    assert len(list(backend.stream_candidates(prompt, GenerationParams(max_new_tokens=50, seed=1), 4, stop))) <= 1


def test_the_judge_reads_the_same_answer_from_llama_cpp_as_from_transformers(engine, llama_engine):
    from scamlab.engine.chat import LocalChatBackend
    from scamlab.engine.judge import judge_spam_probability

    local, llama = engine.chat_backend(), llama_engine.chat_backend()
    if not isinstance(local, LocalChatBackend):
        pytest.skip("the configured chat model is remote")
    written = llama.tokens_generated
    for text in ("You have won a prize, click [LINK] to claim your 500 pounds now", "See you at 6 for dinner?"):
        # The same bundled GGUF: de-quantized in transformers, run on its 4-bit weights (and 8-bit activations) in
        # llama.cpp, which moves the answer a little (measured: at most 0.05 apart on four messages).
        assert judge_spam_probability(llama, text) == pytest.approx(judge_spam_probability(local, text), abs=0.1)
    assert llama.tokens_generated == written  # the judge writes no reply
