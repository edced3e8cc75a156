"""Shared fixtures: offline mode, one engine per test session, and the real app started as a user would."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"
# A made-up Hugging Face token: tests check it never leaves the server.
FAKE_TOKEN = "hf_FAKEtoken1234567890"
UNCACHED_CHAT_MODEL = "org/not-cached"  # a Hub id that cannot load offline
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "slow: starts the real app, a browser or a server (skip with -m 'not slow' for a quick loop)"
    )


@pytest.fixture(scope="session")
def engine():
    """One engine with the bundled models (the classifier is built on first use, then cached)."""
    from scamlab.config import load_settings
    from scamlab.engine import Engine

    return Engine(load_settings(dotenv_path=None))


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningApp:
    """`python app.py` in a child process, with its URL and everything it logged."""

    def __init__(self, process: subprocess.Popen, url: str, log_path: Path) -> None:
        self.process, self.url, self.log_path = process, url, log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


# Every test process on loopback is one person to the limits (keyed on the address): lift them, as the rate
# limit above. Tests of the limits set their own.
UNLIMITED = {"SCAMLAB_REPLY_LIMIT": "100000", "SCAMLAB_MESSAGE_LIMIT": "10000000", "SCAMLAB_RUNNING_LIMIT": "1000"}


def start_app(extra_env: dict[str, str] | None = None, name: str = "app", timeout: float = 600) -> RunningApp:
    """Start the app on a free loopback port and wait until it answers."""
    import httpx

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SCAMLAB_HOST": "127.0.0.1", "SCAMLAB_PORT": str(port),
           "SCAMLAB_RATE_LIMIT": "1000", "GRADIO_ANALYTICS_ENABLED": "False", **UNLIMITED,
           # Class rooms and results go to a folder of this run, never the user's own data folder.
           "SCAMLAB_DATA_DIR": tempfile.mkdtemp(prefix=f"scamlab-{name}-data-"), **(extra_env or {})}
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{name}-{port}.log"
    handle = open(log_path, "w")
    process = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return RunningApp(process, url, log_path)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"app.py did not answer within {timeout}s:\n{log_path.read_text()[-3000:]}")


def stop_app(app: RunningApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.process.kill()


@pytest.fixture(scope="session")
def running_app(engine) -> Iterator[RunningApp]:
    """The real app, shared by the tests of a session (the engine fixture builds the classifier first)."""
    engine.classifier()
    app = start_app()
    yield app
    stop_app(app)


@pytest.fixture(scope="session")
def token_app(engine) -> Iterator[RunningApp]:
    """The app as a teacher might misconfigure it: a Hugging Face token set, a chat model that cannot load
    offline (it answers with the bundled one and warns), and no SCAMLAB_HOST (the default address)."""
    engine.classifier()
    app = start_app({"HF_TOKEN": FAKE_TOKEN, "SCAMLAB_CHAT_MODEL": UNCACHED_CHAT_MODEL, "SCAMLAB_HOST": ""}, name="token")
    yield app
    stop_app(app)


# --- a real browser ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright, one per test module.

    Module scope, not session: the older browser tests start Playwright themselves, and Playwright's sync API
    allows one running instance per thread.
    """
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -r requirements-dev.txt")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed: sudo apt-get install -y chromium (scripts/test.sh does it as root)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        yield launched
        launched.close()


def choose_file(page, path) -> None:
    """Choose `path` in the visible upload area, as a person does (click, then the file chooser)."""
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Click to Upload").filter(visible=True).first.click()
    chooser.value.set_files(path)


def upload_file(page, path, reopen: Callable[[], Any], tries: int = 3) -> None:
    """Open the upload view (`reopen`), choose `path`, and wait until the file box shows its name.

    In suite runs beside other heavy work (2026-12-06, and with two test workers on 2 cores) Gradio's file box
    sometimes never showed a finished upload (perhaps the upload / upload-progress race of gradio#9514); on a
    calm machine it shows within 2 s. Nothing was asked of the app yet, so the page is opened again and the file
    chosen again, up to `tries` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(1, tries + 1):
        reopen()
        choose_file(page, path)
        try:
            page.get_by_text(path.name).filter(visible=True).first.wait_for(timeout=20_000 if attempt < tries else 120_000)
            return
        except PlaywrightTimeout:
            if attempt == tries:
                raise


@dataclass
class BrowserTab:
    """A page, and every console error and uncaught exception it has had so far."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture can tell that its test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def tab(browser, request) -> Iterator[BrowserTab]:
    """A fresh browser context and page (no shared storage), recording console errors and page errors.

    When the test fails, the page is saved to test-artifacts/failed-<test>.png.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = BrowserTab(context.new_page())
    watched.page.on("console", lambda message: watched.errors.append(f"console.{message.type}: {message.text}")
                    if message.type == "error" else None)
    watched.page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
    yield watched
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        watched.screenshot("failed-" + re.sub(r"[^\w.-]+", "-", request.node.name)[:120])
    context.close()


@pytest.fixture(scope="session")
def client(running_app):
    """A `gradio_client` session on the shared app."""
    from gradio_client import Client

    return Client(running_app.url, verbose=False)


# --- a recording OpenAI-compatible endpoint ------------------------------------------------------------------


class RecordingEndpoint:
    """A tiny loopback server that answers `/v1/models` and streams a fixed chat reply, recording every request's
    path and headers: where a token went, and whether a connection was made at all."""

    MODEL_ID = "listener-model"

    def __init__(self, model_id: str = MODEL_ID) -> None:
        import http.server
        import json
        import threading

        seen = self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _record(self) -> None:
                seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers)})

            def do_GET(self) -> None:
                self._record()
                body = json.dumps({"data": [{"id": model_id}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                self._record()
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                event = {"choices": [{"delta": {"content": "Who is this?"}}]}
                body = f"data: {json.dumps(event)}\n\ndata: [DONE]\n\n".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def authorizations(self) -> list[str | None]:
        """The Authorization header of every request so far (None where there was none)."""
        return [next((v for k, v in r["headers"].items() if k.lower() == "authorization"), None) for r in self.requests]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def recording_endpoint() -> Iterator[RecordingEndpoint]:
    """A `RecordingEndpoint` for one test."""
    endpoint = RecordingEndpoint()
    yield endpoint
    endpoint.close()
