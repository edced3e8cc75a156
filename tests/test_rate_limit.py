"""The per-person limits in front of Gradio event handlers: who is asking, what a call costs, running slots."""

import inspect
import typing
from types import SimpleNamespace

import gradio as gr
import pytest

from scamlab.ui.rate_limit import Cost, RateLimiter, RateLimitExceeded, person, rate_limited


def test_limit_per_session_and_sliding_window():
    now = [0.0]
    limiter = RateLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("alice")
    with pytest.raises(RateLimitExceeded, match="each person may send 3 requests per 60 seconds. Try again in 60 s"):
        limiter.check("alice")
    limiter.check("bob")  # another session is not affected
    now[0] = 59.0
    with pytest.raises(RateLimitExceeded, match="Try again in 1 s"):
        limiter.check("alice")
    now[0] = 60.0
    limiter.check("alice")  # the first request left the window


# --- the Gradio wiring ------------------------------------------------------------------------------------


class FakeRequest(gr.Request):
    """A request as Gradio builds it, minus the HTTP connection."""

    def __init__(self, session_hash: str | None, host: str | None = None, username: str | None = None,
                 forwarded_for: str | None = None) -> None:
        super().__init__(session_hash=session_hash, username=username)
        self.client = SimpleNamespace(host=host) if host else None
        self.headers = {"x-forwarded-for": forwarded_for} if forwarded_for else {}


def test_the_person_is_the_login_else_the_client_address_never_the_session():
    assert person(FakeRequest("abc123", "10.0.0.5", username="student")) == "user:student"
    assert person(FakeRequest("abc123", "10.0.0.5")) == person(FakeRequest("fresh-hash", "10.0.0.5")) == "host:10.0.0.5"
    # Behind a Space's proxy the connection comes from the proxy; the first X-Forwarded-For entry is the client.
    proxied = FakeRequest("s", "10.16.3.80", forwarded_for="203.0.113.7, 10.0.0.1")
    assert person(proxied, behind_proxy=True) == "host:203.0.113.7"
    assert person(proxied) == "host:10.16.3.80"  # not behind a proxy: the header is the client's own word
    assert person(FakeRequest(None)) == "unknown" and person(None) == "no-request"


def test_rate_limited_handler_counts_per_person_and_says_why():
    calls = []

    def classify(text: str, count: int = 1) -> str:
        """Doc kept."""
        calls.append(text)
        return text * count

    limited = rate_limited(RateLimiter(2), classify)
    alice, bob = FakeRequest("s1", username="alice"), FakeRequest("s1", username="bob")
    assert limited("a", 2, alice) == "aa" and limited("b", request=FakeRequest("s2", username="alice")) == "b"
    with pytest.raises(gr.Error) as refused:
        limited("c", 1, FakeRequest("a-fresh-session", username="alice"))
    assert refused.value.title == "Too many requests" and "2 requests per 60 seconds" in refused.value.message
    assert limited("d", 1, bob) == "d" and calls == ["a", "b", "d"]  # the refused call never ran
    assert limited.__doc__ == "Doc kept." and limited.__name__ == "classify"


def test_rate_limited_generators_still_stream_and_buckets_count_apart():
    limiter = RateLimiter(1)

    def stream(text: str):
        yield from text

    limited, judge = rate_limited(limiter, stream), rate_limited(limiter, stream, ":judge")
    assert inspect.isgeneratorfunction(limited)
    assert list(limited("ab", FakeRequest("s"))) == ["a", "b"]
    assert list(judge("c", FakeRequest("s"))) == ["c"]  # its own allowance
    with pytest.raises(gr.Error):
        next(limited("x", FakeRequest("s")))


def test_gradio_passes_the_request_and_the_api_is_unchanged():
    def reply(messages: list[dict], persona: str = "scammer", seed: int = 0) -> str:
        """The persona's next message."""
        return persona

    with gr.Blocks() as plain:
        gr.api(reply, api_name="reply")
    with gr.Blocks() as guarded:
        gr.api(rate_limited(RateLimiter(5), reply), api_name="reply")
    assert guarded.get_api_info()["named_endpoints"]["/reply"] == plain.get_api_info()["named_endpoints"]["/reply"]
    signature = inspect.signature(rate_limited(RateLimiter(5), reply))
    assert list(signature.parameters) == ["messages", "persona", "seed", "request"]
    assert typing.get_type_hints(rate_limited(RateLimiter(5), reply))["request"] is gr.Request


def test_refused_with_a_warning_the_handler_leaves_every_output_alone(monkeypatch):
    warnings = []
    monkeypatch.setattr(gr, "Warning", lambda message, title=None: warnings.append((title, message)))
    limiter = RateLimiter(1)

    def stream(text: str):
        yield text

    limited = rate_limited(limiter, stream, warn=True)
    assert list(limited("a", FakeRequest("s"))) == ["a"]
    assert list(limited("b", FakeRequest("s"))) == [gr.skip()] and warnings[0][0] == "Too many requests"
    assert rate_limited(limiter, str.upper, warn=True)("c", FakeRequest("s")) == gr.skip()


def test_a_call_is_charged_what_it_costs_and_a_long_one_holds_a_running_slot():
    limiter = RateLimiter(100, messages=10, running=1)
    started = []

    def batch(texts: list[str]):
        started.append(len(texts))
        yield "working"
        yield "done"

    limited = rate_limited(limiter, batch, cost=lambda texts: Cost(messages=len(texts)))
    someone = FakeRequest("s", "10.0.0.9")
    first = limited(["a"] * 6, someone)
    assert next(first) == "working"  # running: a second long call from the same person waits its turn
    with pytest.raises(gr.Error, match="Wait for your last request to finish"):
        next(limited(["b"] * 2, FakeRequest("another-session", "10.0.0.9")))
    assert list(first) == ["done"]  # finished: the slot is free again
    assert list(limited(["c"] * 4, someone)) == ["working", "done"]  # 6 + 4 = 10 messages: the allowance
    with pytest.raises(gr.Error, match="each person may have 10 messages checked per 60 seconds"):
        next(limited(["d"], someone))
    assert started == [6, 4]


def test_a_limited_handler_model_calls_count_as_its_person():
    """The chat model's fair share charges whoever the limits charged (the bucket aside), in streaming
    handlers too."""
    from scamlab.engine.fair_share import REQUESTER

    limiter = RateLimiter(10)

    def stream(count: int):
        for _ in range(count):
            yield REQUESTER.get()

    streaming, plain = rate_limited(limiter, stream, ":chat"), rate_limited(limiter, lambda: REQUESTER.get())
    assert list(streaming(2, FakeRequest("s", username="ana"))) == ["user:ana", "user:ana"]
    assert plain(FakeRequest("s", "10.0.0.5")) == "host:10.0.0.5"
    assert REQUESTER.get() is None
