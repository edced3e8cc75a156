"""Refuse a spent person's call from a new session at the door, before Gradio builds a session for it.

Gradio builds a session's state for every component of the app the first time it sees a session hash: about
40 ms of the server's Python for this app, holding the interpreter while every student's reply waits. A
script that opens a fresh session for every call (issue 10's hostile student) made the server pay that for
each refused call too: in the abuse benchmark, two thirds of the web thread's time. `RefuseAtTheDoor` answers
such a call with HTTP 429 (the limit's message in `detail`, and `Retry-After`) when the person's request
allowance is already spent, so it costs next to nothing. Calls from a session the server knows (a browser tab)
go through and are refused by the handler as before, with the tab's own friendly message.

Refusals are paced: one person's refused calls are answered one `REFUSAL_PACE` apart (waiting costs no CPU).
Answered at once, a script looping on refused calls sent 64 a second, and their logins and connections took
as much of the server as the refusals had saved.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse

from scamlab.access import RateLimiter, RateLimitExceeded, person_key

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Where Gradio takes event calls: the page and gradio_client join the queue with a function index, the
# documented HTTP API and scripts name the endpoint.
EVENT_CALL = re.compile(r"/gradio_api/(?:queue/join|(?:call(?:/v2)?|run|api)/(?P<api_name>[^/]+))/?$")
REFUSAL_PACE = 1.0  # seconds between two refusals of one person at the door
PACED_PEOPLE = 10_000  # people whose pacing is remembered before those long past are forgotten


class RefuseAtTheDoor:
    """ASGI middleware (see the module docstring). Only the limited handlers (`rate_limited` marks them with
    `allowance_bucket`) are refused here; anything it cannot read goes through to Gradio, which checks again."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, pace: float = REFUSAL_PACE) -> None:
        self.app, self.limiter, self.pace = app, limiter, pace
        self._next_refusal: dict[str, float] = {}  # person -> when their next refusal may be answered

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        matched = EVENT_CALL.search(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if matched is None:
            await self.app(scope, receive, send)
            return
        body, receive = await _read_body(receive)
        refused = self._refusal(scope, matched["api_name"], body)
        if refused is not None:
            await asyncio.sleep(self._wait_before_refusing(refused[0]))
            refused = self._refusal(scope, matched["api_name"], body)  # the allowance may be back by now
        if refused is None:
            await self.app(scope, receive, send)
            return
        refusal = refused[1]
        response = JSONResponse({"detail": str(refusal), "error": str(refusal)}, status_code=429,
                                headers={"Retry-After": str(refusal.retry_after)} if refusal.retry_after else None)
        await response(scope, receive, send)

    def _wait_before_refusing(self, person: str) -> float:
        """Seconds until `person`'s next refusal is due (each one `pace` after the one before), booking it."""
        now = time.monotonic()
        if len(self._next_refusal) > PACED_PEOPLE:
            self._next_refusal = {key: due for key, due in self._next_refusal.items() if due > now}
        due = max(now, self._next_refusal.get(person, now))
        self._next_refusal[person] = due + self.pace
        return due - now

    def _refusal(self, scope: Scope, api_name: str | None, body: bytes) -> tuple[str, RateLimitExceeded] | None:
        """The person and the limit's refusal when this call comes from a new session of a spent person."""
        gradio_app = scope.get("app")
        state_holder, tokens = getattr(gradio_app, "state_holder", None), getattr(gradio_app, "tokens", None)
        try:
            call = json.loads(body)
            blocks = gradio_app.get_blocks()  # type: ignore[union-attr]
        except Exception:  # noqa: BLE001 - not something to judge here: Gradio answers it as it would
            return None
        if not isinstance(call, dict) or state_holder is None or tokens is None:
            return None
        session = call.get("session_hash")  # none given: Gradio makes a new session for the call
        if isinstance(session, str) and session in state_holder:
            return None
        bucket = _bucket(blocks.fns, api_name, call.get("fn_index"))
        if bucket is None:
            return None
        connection = HTTPConnection(scope)
        cookie_id = getattr(gradio_app, "cookie_id", "")
        token = connection.cookies.get(f"access-token-{cookie_id}") or connection.cookies.get(f"access-token-unsecure-{cookie_id}")
        username = tokens.get(token) if token else None
        key = person_key(username, connection.client.host if connection.client else None,
                         connection.headers.get("x-forwarded-for"), self.limiter.behind_proxy)
        refusal = self.limiter.refusal(key + bucket, teacher=self.limiter.is_teacher(username))
        return (key, refusal) if refusal is not None else None


def _bucket(fns: dict[int, Any], api_name: str | None, fn_index: Any) -> str | None:
    """The allowance bucket of the event called (by name or index); None when it is not limited or unknown."""
    if api_name is not None:
        found = next((fn for fn in fns.values() if fn.api_name == api_name), None)
    else:
        found = fns.get(fn_index) if isinstance(fn_index, int) else None
    return getattr(getattr(found, "fn", None), "allowance_bucket", None)


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The request's whole body, and a `receive` that hands it on to the app as if unread."""
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return b"", receive  # the client went away; the app will see it too
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body, handed_on = b"".join(chunks), False

    async def replay() -> Message:
        nonlocal handed_on
        if handed_on:
            return await receive()
        handed_on = True
        return {"type": "http.request", "body": body, "more_body": False}

    return body, replay
