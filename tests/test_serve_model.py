"""`python -m scamlab serve-model`: llama.cpp's OpenAI-compatible server on the bundled GGUF, on loopback."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time

import httpx
import pytest

from scamlab.config import load_settings
from scamlab.engine import Engine
from tests.conftest import ARTIFACTS, REPO_ROOT, free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The command running on a free loopback port with a key; yields (base URL, key)."""
    pytest.importorskip("llama_cpp")
    pytest.importorskip("sse_starlette", reason="llama-cpp-python's server extras: pip install -r requirements-bench.txt")
    port, key = free_port(), "sk-class-" + secrets.token_hex(6)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"serve-model-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "scamlab", "serve-model", "--port", str(port), "--threads", "1",
                                    "--api-key", key], cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "HF_HUB_OFFLINE": "1"})
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log_path.read_text()[-2000:]
            try:
                if httpx.get(f"{url}/models", headers={"Authorization": f"Bearer {key}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()[-2000:]
            time.sleep(0.3)
        yield url, key
    finally:
        process.terminate()
        process.wait(timeout=20)
    # Stopping the command stops the server: nothing answers on the port any more.
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/models", headers={"Authorization": f"Bearer {key}"}, timeout=2)


def test_it_answers_an_openai_compatible_request_and_wants_its_key(served):
    url, key = served
    body = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 8, "temperature": 0}
    answer = httpx.post(f"{url}/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    assert answer.status_code == 200 and answer.json()["choices"][0]["message"]["content"].strip()
    assert httpx.post(f"{url}/chat/completions", json=body, timeout=60).status_code == 401  # no key, no answer


def test_the_app_can_use_it_as_its_chat_endpoint(served, tmp_path):
    url, key = served
    engine = Engine(load_settings({"SCAMLAB_CHAT_ENDPOINT": url, "HF_TOKEN": key, "SCAMLAB_CACHE_DIR": str(tmp_path)},
                                  dotenv_path=None))
    assert engine.chat_backend().prompt_format == "chat"
    reply = engine.generate_reply("Hello, is this the bank?", "victim", "confused", "bank",
                                  max_new_tokens=24, seed=1, candidates=1)
    assert reply.strip()
