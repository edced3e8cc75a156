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

ESTIMATE_AFTER = 0.03  # of the work done since the first progress before the time left is guessed


class BackgroundWork:
    """One piece of work running in a daemon thread, with its latest progress."""

    def __init__(self, name: str, work: Callable[[ProgressFn], object]) -> None:
        self.fraction = 0.0
        self.message = f"{name}..."
        self.error: Exception | None = None
        self._pace_start: tuple[float, float] | None = None  # (time, fraction) of the first real progress
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[ProgressFn], object]) -> None:
        try:
            work(self._report)
        except Exception as error:  # kept for the callers who follow the work
            log.exception("%s failed in the background", self._thread.name)
            self.error = error

    def _report(self, fraction: float, message: str) -> None:
        self.fraction, self.message = max(self.fraction, min(fraction, 1.0)), message
        if self._pace_start is None and self.fraction > 0:
            self._pace_start = (time.monotonic(), self.fraction)

    @property
    def running(self) -> bool:
        """Whether the work has not ended yet."""
        return self._thread.is_alive()

    def seconds_left(self) -> float | None:
        """About how long the rest takes at the pace since the first progress (None until there is a pace)."""
        if self._pace_start is None or self.fraction - self._pace_start[1] < ESTIMATE_AFTER:
            return None
        started, first_fraction = self._pace_start
        return (time.monotonic() - started) * (1 - self.fraction) / (self.fraction - first_fraction)

    def describe(self) -> str:
        """The latest progress message, with the time left when it can be guessed."""
        left = self.seconds_left()
        if left is None:
            return self.message
        return f"{self.message} About {max(1, round(left))} s left."

    def follow(self, progress: ProgressFn, poll_seconds: float = 0.5) -> None:
        """Report the progress to `progress` until the work ends; raise its error if it failed."""
        while self.running:
            progress(self.fraction, self.describe())
            self._thread.join(poll_seconds)
        if self.error is not None:
            raise self.error
