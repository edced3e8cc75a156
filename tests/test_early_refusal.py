"""The door (`scamlab.ui.early_refusal`): a spent person's call from a new session is refused before Gradio
builds a session for it; calls from known sessions, unlimited events and other people go through."""

from __future__ import annotations

import secrets
import time

import gradio as gr
import httpx
import pytest

from scamlab.access import RateLimiter
from scamlab.config import load_settings
from scamlab.ui import launch_options
from scamlab.ui.early_refusal import REFUSAL_PACE
from scamlab.ui.rate_limit import rate_limited
from tests.conftest import free_port

LIMIT = 2


def shout(text: str) -> str:
    """Upper-case `text` (a stand-in handler: the door does not care what the handler does)."""
    return text.upper()


@pytest.fixture
def door_app():
    limiter = RateLimiter(LIMIT)
    with gr.Blocks() as demo:
        gr.api(rate_limited(limiter, shout, name="shout"), api_name="shout")
        gr.api(shout, api_name="free")  # not limited: never refused at the door
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        app_kwargs=launch_options(load_settings({}, dotenv_path=None), limiter)["app_kwargs"])
    yield demo, httpx.Client(base_url=f"http://127.0.0.1:{port}/gradio_api/", timeout=60)
    demo.close()


def answer(http: httpx.Client, api_name: str, session: str) -> str:
    """Call `api_name` from `session` and return the last SSE event's type and data."""
    posted = http.post(f"call/{api_name}", json={"data": ["hi"], "session_hash": session})
    assert posted.status_code == 200, posted.text
    lines = http.get(f"call/{api_name}/{posted.json()['event_id']}").text.strip().splitlines()
    return lines[-2] + " " + lines[-1]


def test_a_spent_person_is_refused_at_the_door_and_no_session_is_built(door_app):
    demo, http = door_app
    sessions = [secrets.token_hex(8) for _ in range(LIMIT)]
    assert all("HI" in answer(http, "shout", session) for session in sessions)
    built = len(demo.state_holder.session_data)
    answered_at = []
    for call in ({"data": ["hi"], "session_hash": secrets.token_hex(8)}, {"data": ["hi"]}):  # new, or none given
        refused = http.post("call/shout", json=call)
        answered_at.append(time.monotonic())
        assert refused.status_code == 429
        assert refused.json()["detail"].startswith(f"Slow down a little: each person may send {LIMIT} requests")
        assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert answered_at[1] - answered_at[0] >= 0.9 * REFUSAL_PACE  # one person's refusals are paced
    # The page's way in (the queue, by function index) is refused the same way.
    index = next(index for index, fn in demo.fns.items() if fn.api_name == "shout")
    joined = http.post("queue/join", json={"data": ["hi"], "fn_index": index, "session_hash": secrets.token_hex(8)})
    assert joined.status_code == 429
    assert len(demo.state_holder.session_data) == built  # the refused calls built no session
    # A known session gets the handler's own refusal (a browser tab's friendly message); an unlimited event
    # from a new session goes through.
    assert answer(http, "shout", sessions[0]).startswith("event: error")
    assert "HI" in answer(http, "free", secrets.token_hex(8))


def test_the_door_lets_a_person_with_allowance_left_in(door_app):
    demo, http = door_app
    assert "HI" in answer(http, "shout", secrets.token_hex(8))
    assert len(demo.state_holder.session_data) == 1
