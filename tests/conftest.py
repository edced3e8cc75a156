"""Shared fixtures: offline mode, one engine per test session, and the real app started as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO_ROOT / "test-artifacts"


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


def start_app(extra_env: dict[str, str] | None = None, name: str = "app", timeout: float = 600) -> RunningApp:
    """Start the app on a free loopback port and wait until it answers."""
    import httpx

    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SCAMLAB_HOST": "127.0.0.1", "SCAMLAB_PORT": str(port),
           "SCAMLAB_RATE_LIMIT": "1000", "GRADIO_ANALYTICS_ENABLED": "False", **(extra_env or {})}
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
