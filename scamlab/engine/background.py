"""Long work started early in a thread (the bundled classifier's first build), which callers can follow.

The app starts the build when it starts, so that a newcomer's first Check waits for what is left, not for the
whole build, and sees how far it has got and about how long remains.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from scamlab.engine.loading import ProgressFn

log = logging.getLogger(__name__)

ESTIMATE_AFTER = 0.05  # of the work done before the time left is guessed (the first steps say little)


class BackgroundWork:
    """One piece of work running in a daemon thread, with its latest progress."""

    def __init__(self, name: str, work: Callable[[ProgressFn], object]) -> None:
        self.fraction = 0.0
        self.message = f"{name}..."
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[ProgressFn], object]) -> None:
        try:
            work(self._report)
        except Exception:  # the next caller runs the work again and meets the error itself
            log.exception("%s failed in the background", self._thread.name)

    def _report(self, fraction: float, message: str) -> None:
        self.fraction, self.message = max(self.fraction, min(fraction, 1.0)), message

    @property
    def running(self) -> bool:
        """Whether the work has not ended yet."""
        return self._thread.is_alive()

    def seconds_left(self) -> float | None:
        """About how long the rest takes at the pace so far (None until there is a pace to go by)."""
        if self.fraction < ESTIMATE_AFTER:
            return None
        elapsed = time.monotonic() - self._started
        return elapsed * (1 - self.fraction) / self.fraction

    def describe(self) -> str:
        """The latest progress message, with the time left when it can be guessed."""
        left = self.seconds_left()
        if left is None:
            return self.message
        return f"{self.message} About {max(1, round(left))} s left."

    def follow(self, progress: ProgressFn, poll_seconds: float = 0.5) -> None:
        """Report the progress to `progress` until the work ends."""
        while self.running:
            progress(self.fraction, self.describe())
            self._thread.join(poll_seconds)
