"""A per-session rate limit (the seed allowed 10 requests per 60 seconds), with a friendly message."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


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
