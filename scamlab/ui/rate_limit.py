"""The Gradio side of `scamlab.access`: who is asking (from `gr.Request`), and handlers behind the limits.

`rate_limited` puts a Gradio event handler behind the person's allowances (the one place the limits are
wired); `person` and `username` read a request for the handlers that check roles themselves.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from scamlab.access import Cost, RateLimiter, RateLimitExceeded, person_key
from scamlab.engine.fair_share import asking_as, run_as

__all__ = ["Cost", "RateLimitExceeded", "RateLimiter", "person", "rate_limited", "username"]

F = TypeVar("F", bound=Callable[..., Any])


def username(request: gr.Request | None) -> str | None:
    """The login name of whoever sent `request` (None without a login)."""
    return getattr(request, "username", None) if request is not None else None


def person(request: gr.Request | None, behind_proxy: bool = False) -> str:
    """Whose allowance a request spends: the login name, else the client's address (never the session)."""
    if request is None:
        return "no-request"
    headers = getattr(request, "headers", None) or {}
    client = getattr(request, "client", None)
    return person_key(username(request), getattr(client, "host", None), headers.get("x-forwarded-for"), behind_proxy)


def _type_hints(handler: Callable) -> dict[str, Any]:
    """The handler's resolved annotations (gr.api reads them); empty when they cannot be resolved."""
    target = handler.func if isinstance(handler, functools.partial) else handler
    try:
        return typing.get_type_hints(inspect.unwrap(target))
    except Exception:  # noqa: BLE001 - hints only document the API; Gradio copes without them
        return {}


def rate_limited(limiter: RateLimiter, handler: F, bucket: str = "", warn: bool = False,
                 cost: Cost | Callable[..., Cost] = Cost(), name: str | None = None) -> F:
    """`handler` charged to its person's allowances before it runs; over a limit it does not run.

    `cost` says what a call costs, or computes it from the handler's own arguments: a batch costs its messages,
    auto-play its replies; the default is one request. Refused, it raises a friendly `gr.Error` (API callers need an error), or
    with `warn` shows the message as a warning toast and leaves every output as it was (a tab that keeps
    error badges off its outputs). The wrapper declares the handler's parameters plus `request: gr.Request`,
    so Gradio passes the request and the API documentation is unchanged. Generators stay generators
    (streaming works) and hold the person's running slot until they finish. The handler's model calls count as
    the person's (`scamlab.engine.fair_share`: the chat model's batch shares its steps fairly between people). A `bucket` counts separately:
    the judge runs after every check, so it must not use up the check's allowance. `name` renames the wrapper
    (an MCP client sees an API function's name as its tool name).
    """
    signature = inspect.signature(handler)
    if "request" in signature.parameters:
        raise TypeError(f"{handler!r} already takes a request; call RateLimiter.admit itself.")
    request_parameter = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=gr.Request)

    def admitted(args: tuple, kwargs: dict) -> tuple[Any, str, tuple, dict] | None:
        """The admission, the person and the handler's own arguments; None when refused with a warning."""
        request = kwargs.pop("request", None)
        if request is None and args and isinstance(args[-1], gr.Request):
            request, args = args[-1], args[:-1]
        asking = person(request, limiter.behind_proxy)
        try:
            admission = limiter.admit(asking + bucket,
                                      cost(*args, **kwargs) if callable(cost) else cost,
                                      teacher=limiter.is_teacher(username(request)))
        except RateLimitExceeded as error:
            if not warn:
                raise gr.Error(str(error), title="Too many requests", print_exception=False) from None
            gr.Warning(str(error), title="Too many requests")
            return None
        return admission, asking, args, kwargs

    if inspect.isgeneratorfunction(handler):
        def limited(*args: Any, **kwargs: Any) -> Any:
            call = admitted(args, kwargs)
            if call is None:
                yield gr.skip()  # one skip leaves every output alone
                return
            with call[0]:
                yield from run_as(call[1], handler(*call[2], **call[3]))
    else:
        def limited(*args: Any, **kwargs: Any) -> Any:
            call = admitted(args, kwargs)
            if call is None:
                return gr.skip()
            with call[0], asking_as(call[1]):
                return handler(*call[2], **call[3])

    functools.update_wrapper(limited, handler)
    limited.allowance_bucket = bucket  # type: ignore[attr-defined] - read by `early_refusal.RefuseAtTheDoor`
    limited.__name__ = name or limited.__name__
    limited.__signature__ = signature.replace(parameters=[*signature.parameters.values(), request_parameter])
    hints = _type_hints(handler)
    limited.__annotations__ = {**{k: v for k, v in hints.items() if k in signature.parameters or k == "return"},
                               "request": gr.Request}
    return limited  # type: ignore[return-value]
