"""Simulated students for the load benchmarks: each one a browser-like session over Gradio's HTTP API.

A student's browser keeps one Gradio session (a session hash) and sends events over HTTP; its own work
(rendering, JSON) runs on the student's phone, not on the teacher's laptop. `gradio_client` does much more on
the client side: on the 2-core benchmark box, 30 `Client` objects voting at once spent 2.8 s of CPU in the
benchmark process against 0.3 s in the server, so a benchmark built on them measured its own simulator. This
one sends Gradio's documented `POST /gradio_api/call/<api_name>` with the student's session hash and reads
the event stream (`GET /gradio_api/call/<api_name>/<event_id>`) on one pooled connection: a few milliseconds
of client CPU per call. `--client gradio_client` in the benchmarks still drives `gradio_client`, side by side.
"""

from __future__ import annotations

import functools
import json
import ssl
import uuid
from collections.abc import Iterator
from typing import Any, Protocol


class StudentError(RuntimeError):
    """The app answered a call with an error event (its message is the app's)."""


class Student(Protocol):
    """What a benchmark needs of one simulated student."""

    def stream(self, api_name: str, *data: Any) -> Iterator[Any]:
        """Each output of the call as it arrives (a streamed endpoint sends several; the last is the answer)."""

    def call(self, api_name: str, *data: Any) -> Any:
        """The call's answer."""


def open_page(student: Student) -> None:
    """What opening the page does for a student's session before the first click: the page's load event is the
    session's first Gradio event, which creates its server-side session state (about 40 ms of server CPU per new
    session; 30 new sessions at once take over a second). A quick check stands in for that load event."""
    student.call("classify", "Hello, see you at six.")


@functools.cache
def shared_tls_context() -> ssl.SSLContext:
    """One TLS context for every simulated student, as a browser loads its certificates once: httpx builds a
    new one for each client otherwise (38 ms of CPU each, on this machine's side, even for plain http)."""
    return ssl.create_default_context()


class HttpStudent:
    """One session hash and one pooled HTTP connection, as a student's browser has."""

    def __init__(self, url: str, timeout: float = 300, auth: tuple[str, str] | None = None) -> None:
        import httpx

        self.http = httpx.Client(base_url=url.rstrip("/") + "/gradio_api/call/", timeout=timeout,
                                 verify=shared_tls_context())
        self.session_hash = uuid.uuid4().hex[:11]
        if auth:  # the app's login form: its cookie rides on every later call
            username, password = auth
            self.http.post(url.rstrip("/") + "/login", data={"username": username, "password": password}).raise_for_status()

    def stream(self, api_name: str, *data: Any) -> Iterator[Any]:
        """Each output of the call as it arrives; raises `StudentError` on an error event."""
        api_name = api_name.lstrip("/")
        posted = self.http.post(api_name, json={"data": list(data), "session_hash": self.session_hash})
        posted.raise_for_status()
        event = None
        with self.http.stream("GET", f"{api_name}/{posted.json()['event_id']}") as events:
            for line in events.iter_lines():
                if line.startswith("event:"):
                    event = line.removeprefix("event:").strip()
                elif line.startswith("data:") and event in ("generating", "complete", "error"):
                    payload = json.loads(line.removeprefix("data:"))
                    if event == "error":
                        raise StudentError(payload.get("error") if isinstance(payload, dict) else payload)
                    yield payload[0]
                    if event == "complete":
                        return

    def call(self, api_name: str, *data: Any) -> Any:
        """The call's answer (the last output)."""
        answer = None
        for answer in self.stream(api_name, *data):
            pass
        return answer


class GradioClientStudent:
    """The same calls through `gradio_client` (its own session; defaults filled in from the API info)."""

    def __init__(self, url: str, timeout: float = 300, auth: tuple[str, str] | None = None) -> None:
        from gradio_client import Client

        self.client = Client(url, auth=auth, verbose=False, httpx_kwargs={"timeout": timeout})

    def stream(self, api_name: str, *data: Any) -> Iterator[Any]:
        """Each output as `gradio_client` reports it, then the answer."""
        yield from self.client.submit(*data, api_name="/" + api_name.lstrip("/"))

    def call(self, api_name: str, *data: Any) -> Any:
        """The call's answer."""
        return self.client.predict(*data, api_name="/" + api_name.lstrip("/"))


CLIENTS = {"http": HttpStudent, "gradio_client": GradioClientStudent}
