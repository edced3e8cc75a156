"""The remote chat backend: a real llama.cpp server on loopback (when llama-cpp-python is installed),
and a scripted stdlib HTTP server for retries, back-off and errors (always)."""

from __future__ import annotations

import json
import math
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from scamlab.config import load_settings
from scamlab.engine import ChatChoice, Engine, GenerationParams, ModelLoadError, ReplyRequest
from scamlab.engine.errors import EndpointError
from scamlab.engine.remote import RemoteChatBackend, RetryPolicy, answer_share, chat_completions_url, parse_retry_after
from tests.conftest import ARTIFACTS, RecordingEndpoint, free_port

QUESTION = [{"role": "user", "content": "Hello"}]
SHORT = GenerationParams(max_new_tokens=16, temperature=0.0, seed=1)


def remote_engine(endpoint: str, token: str | None, cache_dir) -> Engine:
    env = {"SCAMLAB_CHAT_ENDPOINT": endpoint, "SCAMLAB_CACHE_DIR": str(cache_dir), **({"HF_TOKEN": token} if token else {})}
    return Engine(load_settings(env, dotenv_path=None))


def forbid_local_models(engine: Engine, monkeypatch) -> None:
    """Make any attempt to answer from a local model fail the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("a local chat model was loaded although an endpoint is set")

    monkeypatch.setattr(engine, "_load_chat", refuse)


# --- the real server -------------------------------------------------------------------------------------

@dataclass
class LlamaServer:
    url: str
    token: str
    log_path: Path
    process: subprocess.Popen

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def llama_server() -> Iterator[LlamaServer]:
    """llama-cpp-python's OpenAI-compatible server with the bundled GGUF, on a free loopback port, with a key."""
    pytest.importorskip("llama_cpp")
    for module in ("sse_starlette", "starlette_context", "pydantic_settings"):
        pytest.importorskip(module, reason="llama-cpp-python's server extras: pip install -r requirements-bench.txt")
    from scamlab.engine.bundled import chat_gguf_path

    port, token = free_port(), "sk-test-" + secrets.token_hex(8)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"llama-server-{port}.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(chat_gguf_path()), "--host", "127.0.0.1",
               "--port", str(port), "--model_alias", "smollm2", "--n_ctx", "2048", "--n_threads", "1",
               "--verbose", "False", "--api_key", token,
               # One request at a time, not interrupted by the next: lets the stop test see the server stop by itself.
               "--interrupt_requests", "False"]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = LlamaServer(f"http://127.0.0.1:{port}/v1", token, log_path, process)
    deadline = time.monotonic() + 120
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{server.log()[-2000:]}")
            try:
                if httpx.get(f"{server.url}/models", headers={"Authorization": f"Bearer {token}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer within 120s:\n{server.log()[-2000:]}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_engine_streams_a_reply_from_the_server(llama_server, tmp_path, monkeypatch):
    from huggingface_hub import constants

    assert constants.is_offline_mode()  # HF_HUB_OFFLINE=1 keeps Hub downloads off, not the classroom's own server
    engine = remote_engine(llama_server.url, llama_server.token, tmp_path)
    forbid_local_models(engine, monkeypatch)
    requests_before = llama_server.log().count("POST /v1/chat/completions")

    pieces = list(engine.stream_reply(ReplyRequest("Hello, is this the bank?", "victim", "confused", params=SHORT)))
    reply = engine.generate_reply("Your parcel is on hold.", "victim", "skeptical", max_new_tokens=16, temperature=0.0, seed=1)

    assert len(pieces) >= 2 and pieces[-1].strip(), pieces  # it streamed: the text grew in several steps
    assert reply.strip()
    assert llama_server.log().count("POST /v1/chat/completions") == requests_before + 2
    backend = engine.chat_backend()
    assert isinstance(backend, RemoteChatBackend)
    assert backend.describe().startswith("smollm2 at 127.0.0.1:") and llama_server.token not in backend.describe()


def test_switch_chat_model_to_the_server(llama_server, tmp_path, monkeypatch):
    # The operator's configured endpoint: the only one besides the allowed list, and the only one given the token.
    settings = {"SCAMLAB_CACHE_DIR": str(tmp_path), "HF_TOKEN": llama_server.token, "SCAMLAB_CHAT_ENDPOINT": llama_server.url}
    engine = Engine(load_settings(settings, dotenv_path=None))
    forbid_local_models(engine, monkeypatch)
    described = engine.switch_chat_model(ChatChoice(endpoint=llama_server.url))
    assert "smollm2" in described and engine.chat_choice.endpoint == llama_server.url


def test_stop_closes_the_stream_and_the_server_stops_generating(llama_server):
    backend = RemoteChatBackend(llama_server.url, token=llama_server.token)
    long_reply = GenerationParams(max_new_tokens=1024, temperature=0.0, seed=1)
    counting = [{"role": "user", "content": "Count from 1 to 1000, separated by commas."}]
    disconnects_before = llama_server.log().count("disconnected")

    stop = threading.Event()
    stream = backend.stream(counting, long_reply, stop)
    received = [next(stream) for _ in range(3)]
    started = time.monotonic()
    stop.set()
    remaining = list(stream)
    assert time.monotonic() - started < 2 and len(remaining) <= 1, remaining

    # The server notices the closed connection and ends the generation (it prints "disconnected"),
    # well before 1024 tokens; with --interrupt_requests False, a next request would otherwise wait.
    deadline = time.monotonic() + 10
    while llama_server.log().count("disconnected") == disconnects_before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert llama_server.log().count("disconnected") > disconnects_before, llama_server.log()[-2000:]
    started = time.monotonic()
    assert "".join(backend.stream(QUESTION, SHORT)).strip()
    assert time.monotonic() - started < 15
    assert "".join(received).strip()

    # Closing the iterator (what the UI's Stop does through Engine.stream_reply) does the same.
    stream = backend.stream(counting, long_reply)
    next(stream)
    stream.close()
    deadline = time.monotonic() + 10
    while llama_server.log().count("disconnected") < disconnects_before + 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert llama_server.log().count("disconnected") == disconnects_before + 2


def test_wrong_token_is_refused_without_showing_either_token(llama_server):
    with pytest.raises(EndpointError, match="refused the token") as caught:
        RemoteChatBackend(llama_server.url, token="sk-wrong-token")
    message = str(caught.value)
    assert llama_server.url in message and "sk-wrong-token" not in message and llama_server.token not in message


def test_judge_probability_from_the_server_logprobs(llama_server):
    backend = RemoteChatBackend(llama_server.url, token=llama_server.token)
    question = [{"role": "user", "content": 'Is this message a scam? "You won a prize, send your bank code." Answer Yes or No.'}]
    probability = backend.answer_probability(question, yes=(" Yes", "Yes", "yes"), no=(" No", "No", "no"))
    assert 0.0 < probability < 1.0


# --- an endpoint that is down --------------------------------------------------------------------------

def test_an_endpoint_that_is_down_raises_a_named_error_and_never_answers_locally(tmp_path, monkeypatch):
    endpoint = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    engine = remote_engine(endpoint, "hf_secret_token_value", tmp_path)
    forbid_local_models(engine, monkeypatch)
    waits: list[float] = []
    monkeypatch.setattr("scamlab.engine.remote.time.sleep", waits.append)

    with pytest.raises(EndpointError) as caught:
        engine.generate_reply("Hello?", "victim", "neutral")
    message = str(caught.value)
    assert endpoint in message and "cannot be reached" in message and "SCAMLAB_CHAT_ENDPOINT" in message
    assert "hf_secret_token_value" not in message
    assert isinstance(caught.value, ModelLoadError)
    assert waits == [0.5, 1.0, 2.0]  # retried with back-off before giving up
    assert engine.chat_choice.endpoint == endpoint and not engine.warnings  # no silent fallback


def test_switching_to_a_down_endpoint_keeps_the_current_model(tmp_path, monkeypatch):
    endpoint = f"http://127.0.0.1:{free_port()}/v1"
    engine = Engine(load_settings({"SCAMLAB_CACHE_DIR": str(tmp_path), "SCAMLAB_ALLOWED_ENDPOINTS": endpoint}, dotenv_path=None))
    monkeypatch.setattr("scamlab.engine.remote.time.sleep", lambda seconds: None)
    with pytest.raises(EndpointError, match="cannot be reached"):
        engine.switch_chat_model(ChatChoice(endpoint=endpoint))
    assert engine.chat_choice == ChatChoice()


# --- retries and back-off against a scripted server ------------------------------------------------------

@dataclass
class Scripted:
    """A loopback HTTP server that answers POSTs from a script (the last entry repeats) and records them."""

    script: list[tuple[int, dict[str, str], bytes]]
    models: tuple[int, bytes] = (200, json.dumps({"data": [{"id": "tiny-model"}]}).encode())
    posts: list[dict] = field(default_factory=list)
    url: str = ""


def sse(*pieces: str) -> bytes:
    events = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
    events += [{"choices": [{"index": 0, "delta": {"content": piece}}]} for piece in pieces]
    return b"".join(b"data: " + json.dumps(event).encode() + b"\n\n" for event in events) + b"data: [DONE]\n\n"


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    state = Scripted(script=[])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output quiet
            pass

        def reply(self, status: int, headers: dict[str, str], body: bytes, declared_length: int | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/event-stream" if body.startswith(b"data:") else "application/json")
            self.send_header("Content-Length", str(declared_length or len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            self.reply(state.models[0], {}, state.models[1])

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.posts.append({"path": self.path, "body": body, "authorization": self.headers.get("Authorization")})
            status, headers, payload = state.script[min(len(state.posts), len(state.script)) - 1]
            time.sleep(float(headers.get("X-Delay", 0)))  # a server too slow to answer
            if headers.get("X-Cut-Short"):  # promise more than is sent, then hang up mid-stream
                self.reply(status, {}, payload, declared_length=len(payload) + 1000)
                self.close_connection = True
                return
            self.reply(status, headers, payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads, server.block_on_close = True, False  # a slow handler must not hold up the teardown
    server.handle_error = lambda request, address: None  # writing to a client that gave up (the timeout test)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def test_busy_server_is_retried_with_backoff_and_retry_after(scripted):
    error = json.dumps({"error": {"message": "overloaded"}}).encode()
    scripted.script = [(429, {"Retry-After": "2"}, error), (503, {}, error), (200, {}, sse("Hello", " there."))]
    waits: list[float] = []
    backend = RemoteChatBackend(scripted.url, token="tok-123", sleep=waits.append)

    pieces = list(backend.stream(QUESTION, GenerationParams(max_new_tokens=20, temperature=0.3, top_p=0.8, seed=7)))

    assert pieces == ["Hello", " there."]
    assert len(scripted.posts) == 3 and waits == [2.0, 1.0]  # Retry-After first, then the second back-off step
    sent = scripted.posts[-1]
    assert sent["path"] == "/v1/chat/completions" and sent["authorization"] == "Bearer tok-123"
    body = dict(sent["body"])
    assert body.pop("messages") == QUESTION
    assert body == {"model": "tiny-model", "stream": True, "max_tokens": 20, "temperature": 0.3, "top_p": 0.8, "seed": 7}
    assert backend.describe() == f"tiny-model at {urlsplit(scripted.url).netloc} (remote OpenAI-compatible endpoint)"


def test_a_failing_server_is_given_up_after_the_retries(scripted):
    scripted.script = [(500, {}, json.dumps({"error": "boom"}).encode())]
    waits: list[float] = []
    backend = RemoteChatBackend(scripted.url, sleep=waits.append)
    with pytest.raises(EndpointError, match=r"failed \(HTTP 500\), even after 4 attempts. It said: boom") as caught:
        list(backend.stream(QUESTION, SHORT))
    assert len(scripted.posts) == 4 and waits == [0.5, 1.0, 2.0]
    assert scripted.url in str(caught.value) and caught.value.status == 500


def test_client_errors_are_not_retried_and_the_token_is_never_echoed(scripted):
    scripted.script = [(401, {}, json.dumps({"error": {"message": "bad key tok-secret-999"}}).encode())]
    waits: list[float] = []
    backend = RemoteChatBackend(scripted.url, token="tok-secret-999", sleep=waits.append)
    with pytest.raises(EndpointError, match="refused the token") as caught:
        list(backend.stream(QUESTION, SHORT))
    assert len(scripted.posts) == 1 and waits == []
    assert "tok-secret-999" not in str(caught.value) and "[token]" in str(caught.value)


def test_a_server_too_slow_to_answer_times_out_and_is_retried(scripted):
    scripted.script = [(200, {"X-Delay": "3"}, sse("Too late."))]
    waits: list[float] = []
    backend = RemoteChatBackend(scripted.url, timeout=0.5, retry=RetryPolicy(retries=1), sleep=waits.append)
    started = time.monotonic()
    with pytest.raises(EndpointError, match=r"did not answer in time \(2 attempts\)"):
        list(backend.stream(QUESTION, SHORT))
    assert time.monotonic() - started < 2.5 and len(scripted.posts) == 2 and waits == [0.5]


def test_no_retry_once_text_has_streamed(scripted):
    scripted.script = [(200, {"X-Cut-Short": "1"}, sse("Half a").removesuffix(b"data: [DONE]\n\n"))]
    waits: list[float] = []
    backend = RemoteChatBackend(scripted.url, sleep=waits.append)
    received = []
    with pytest.raises(EndpointError, match="stopped answering in the middle of a reply"):
        for piece in backend.stream(QUESTION, SHORT):
            received.append(piece)
    assert received == ["Half a"] and len(scripted.posts) == 1 and waits == []


def test_tokens_are_counted_from_the_servers_usage_or_else_from_the_pieces(scripted):
    usage = b'data: {"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": 5}}\n\n'
    with_usage = sse("Hi", " there.").removesuffix(b"data: [DONE]\n\n") + usage + b"data: [DONE]\n\n"
    scripted.script = [(200, {}, sse("Hi", " there.")), (200, {}, with_usage)]
    backend = RemoteChatBackend(scripted.url)
    assert list(backend.stream(QUESTION, SHORT)) == ["Hi", " there."] and backend.tokens_generated == 2
    assert list(backend.stream(QUESTION, SHORT)) == ["Hi", " there."] and backend.tokens_generated == 2 + 5
    stopped = backend.stream(QUESTION, SHORT)
    next(stopped)
    stopped.close()  # Stop before the usage event: the pieces received so far count
    assert backend.tokens_generated == 2 + 5 + 1


def test_a_server_listing_several_models_asks_which_one(scripted):
    scripted.models = (200, json.dumps({"data": [{"id": "a"}, {"id": "b"}]}).encode())
    with pytest.raises(EndpointError, match=r"serves several models \(a, b\).*SCAMLAB_CHAT_MODEL"):
        RemoteChatBackend(scripted.url, sleep=lambda seconds: None)
    assert RemoteChatBackend(scripted.url, "b").model == "b"


def test_a_server_without_a_model_list_still_answers(scripted):
    scripted.models = (404, b"{}")
    scripted.script = [(200, {}, sse("Hi."))]
    backend = RemoteChatBackend(scripted.url)
    assert backend.model is None and list(backend.stream(QUESTION, SHORT)) == ["Hi."]
    assert "model" not in scripted.posts[-1]["body"]


# --- the retry policy and helpers ------------------------------------------------------------------------

def test_retry_policy_backoff_cap_and_retry_after():
    policy = RetryPolicy()
    assert [policy.delay(attempt) for attempt in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(1, "3") == 3.0 and policy.delay(1, "120") == 8.0 and policy.delay(2, "soon") == 1.0
    now = time.time()
    assert policy.delay(1, formatdate(now + 5, usegmt=True), now=now) == pytest.approx(5.0, abs=1.0)
    assert parse_retry_after(formatdate(now - 60, usegmt=True), now=now) == 0.0
    assert parse_retry_after(None) is None and parse_retry_after("") is None
    assert policy.should_retry(1, 429) and policy.should_retry(3, None) and policy.should_retry(2, 503)
    assert not policy.should_retry(4, 503) and not policy.should_retry(1, 400) and not policy.should_retry(1, 401)


def test_chat_url_is_built_as_inference_client_builds_it():
    assert chat_completions_url("http://h:8080/v1") == "http://h:8080/v1/chat/completions"
    assert chat_completions_url("https://x.endpoints.huggingface.cloud") == "https://x.endpoints.huggingface.cloud/v1/chat/completions"
    assert chat_completions_url("https://router.huggingface.co/v1/") == "https://router.huggingface.co/v1/chat/completions"
    assert chat_completions_url("http://h/v1/chat/completions") == "http://h/v1/chat/completions"


def test_endpoint_in_messages_has_no_credentials(monkeypatch):
    monkeypatch.setattr("scamlab.engine.remote.time.sleep", lambda seconds: None)
    port = free_port()
    with pytest.raises(EndpointError) as caught:
        RemoteChatBackend(f"http://user:pa55word@127.0.0.1:{port}/v1?key=k3y", retry=RetryPolicy(retries=0))
    assert f"http://127.0.0.1:{port}/v1 " in str(caught.value)
    assert "pa55word" not in str(caught.value) and "k3y" not in str(caught.value) and "1 attempt)" in str(caught.value)


def test_an_http_endpoint_is_never_reached_through_a_proxy_from_the_environment(monkeypatch):
    server, proxy = RecordingEndpoint(), RecordingEndpoint()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.url.removesuffix("/v1"))
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        RemoteChatBackend(server.url, token="hf_secret_token_value")
        assert proxy.requests == []  # a proxy for plain HTTP would read the token in clear text
        assert server.authorizations() == ["Bearer hf_secret_token_value"]
    finally:
        server.close()
        proxy.close()


def test_answer_share_reads_yes_and_no_from_top_logprobs():
    top = [{"token": "No", "logprob": math.log(0.5)}, {"token": " Yes", "logprob": math.log(0.2)},
           {"token": "yes", "logprob": math.log(0.05)}, {"token": "The", "logprob": math.log(0.01)}]
    assert answer_share(top, (" Yes", "Yes", "yes"), (" No", "No", "no")) == pytest.approx(0.25 / 0.75)
    only_no = [{"token": "No", "logprob": math.log(0.9)}, {"token": "The", "logprob": math.log(0.1)}]
    assert answer_share(only_no, ("Yes",), ("No",)) == pytest.approx(0.1)  # a missing answer counts as the least likely listed
    with pytest.raises(ValueError):
        answer_share([{"token": "The", "logprob": -0.1}], ("Yes",), ("No",))
