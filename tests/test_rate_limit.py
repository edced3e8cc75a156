"""The per-session rate limit, and how it is put in front of Gradio event handlers."""

import inspect
import typing
from types import SimpleNamespace

import gradio as gr
import pytest

from scamlab.ui.rate_limit import RateLimiter, RateLimitExceeded, rate_limited, session_key


def test_limit_per_session_and_sliding_window():
    now = [0.0]
    limiter = RateLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("alice")
    with pytest.raises(RateLimitExceeded, match="3 requests per 60 seconds. Try again in 60 s"):
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

    def __init__(self, session_hash: str | None, host: str | None = None) -> None:
        super().__init__(session_hash=session_hash)
        self.client = SimpleNamespace(host=host) if host else None


def test_session_key_is_the_session_else_the_client_address():
    assert session_key(FakeRequest("abc123", "10.0.0.5")) == "abc123"
    assert session_key(FakeRequest(None, "10.0.0.5")) == "host:10.0.0.5"
    assert session_key(FakeRequest(None)) == "unknown" and session_key(None) == "no-request"


def test_rate_limited_handler_counts_per_session_and_says_why():
    calls = []

    def classify(text: str, count: int = 1) -> str:
        """Doc kept."""
        calls.append(text)
        return text * count

    limited = rate_limited(RateLimiter(2), classify)
    alice, bob = FakeRequest("alice"), FakeRequest("bob")
    assert limited("a", 2, alice) == "aa" and limited("b", request=alice) == "b"
    with pytest.raises(gr.Error) as refused:
        limited("c", 1, alice)
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
