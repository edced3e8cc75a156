"""A per-session rate limit (the seed allowed 10 requests per 60 seconds), with a friendly message.

`RateLimiter` counts; `rate_limited` puts a Gradio event handler behind it (the one place the limit is wired).
"""

from __future__ import annotations

import functools
import inspect
import threading
import time
import typing
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

F = TypeVar("F", bound=Callable[..., Any])


class RateLimitExceeded(Exception):
    """Too many requests from one session; the message says how long to wait."""


class RateLimiter:
    """At most `limit` requests per `window` seconds for each session key (sliding window)."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Count one request for `key`; raise `RateLimitExceeded` when it is over the limit."""
        now = self._clock()
        with self._lock:
            hits = self._hits[key]
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                wait = max(1, round(self.window - (now - hits[0])))
                raise RateLimitExceeded(
                    f"Slow down a little: this session may send {self.limit} requests per "
                    f"{self.window:.0f} seconds. Try again in {wait} s."
                )
            hits.append(now)


# --- wiring the limit into Gradio events ---------------------------------------------------------------


def session_key(request: gr.Request | None) -> str:
    """Who is asking: the page's (or API client's) Gradio session, else the client's address."""
    if request is None:
        return "no-request"
    if request.session_hash:
        return request.session_hash
    client = getattr(request, "client", None)
    return f"host:{client.host}" if client and getattr(client, "host", None) else "unknown"


def _type_hints(handler: Callable) -> dict[str, Any]:
    """The handler's resolved annotations (gr.api reads them); empty when they cannot be resolved."""
    target = handler.func if isinstance(handler, functools.partial) else handler
    try:
        return typing.get_type_hints(inspect.unwrap(target))
    except Exception:  # noqa: BLE001 - hints only document the API; Gradio copes without them
        return {}


def rate_limited(limiter: RateLimiter, handler: F, bucket: str = "") -> F:
    """`handler` counted against its session's limit before it runs; over the limit, a friendly `gr.Error`.

    The wrapper declares the handler's parameters plus `request: gr.Request`, so Gradio passes the request
    and the API documentation is unchanged. Generators stay generators (streaming works). A `bucket` counts
    separately: the judge runs after every check, so it must not use up the check's allowance.
    """
    signature = inspect.signature(handler)
    if "request" in signature.parameters:
        raise TypeError(f"{handler!r} already takes a request; call RateLimiter.check itself.")
    request_parameter = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=gr.Request)

    def admit(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        request = kwargs.pop("request", None)
        if request is None and args and isinstance(args[-1], gr.Request):
            request, args = args[-1], args[:-1]
        try:
            limiter.check(session_key(request) + bucket)
        except RateLimitExceeded as error:
            raise gr.Error(str(error), title="Too many requests", print_exception=False) from None
        return args, kwargs

    if inspect.isgeneratorfunction(handler):
        def limited(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = admit(args, kwargs)
            yield from handler(*args, **kwargs)
    else:
        def limited(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = admit(args, kwargs)
            return handler(*args, **kwargs)

    functools.update_wrapper(limited, handler)
    limited.__signature__ = signature.replace(parameters=[*signature.parameters.values(), request_parameter])
    hints = _type_hints(handler)
    limited.__annotations__ = {**{k: v for k, v in hints.items() if k in signature.parameters or k == "return"},
                               "request": gr.Request}
    return limited  # type: ignore[return-value]
