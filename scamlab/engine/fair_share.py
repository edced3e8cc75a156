"""Who is asking, and how much of the shared chat model each person has had lately.

The generation scheduler decodes every person's reply in one batch, so one person asking non-stop for the
costliest replies slows everyone's steps. `FairShare` keeps each person's recent use (tokens the model read or
wrote for them, halving every `half_life` seconds); a person well over the others' mean waits behind the others
(`GenerationScheduler` decodes their rows in a lane that steps only now and then while others are writing).

The person comes from the caller's context (`REQUESTER`), set by whoever knows who is asking: the UI's
rate-limited handlers (`asking_as`, `run_as` for generators). No person (the CLI, tests, a lone caller) is never
held back.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

REQUESTER: contextvars.ContextVar[str | None] = contextvars.ContextVar("scamlab_requester", default=None)


@contextmanager
def asking_as(person: str | None) -> Iterator[None]:
    """Model calls made inside count as `person`'s."""
    token = REQUESTER.set(person)
    try:
        yield
    finally:
        REQUESTER.reset(token)


def run_as(person: str | None, steps: Iterator[T]) -> Iterator[T]:
    """`steps`, each step run as `person`'s, whichever thread asks for it (Gradio runs each step of a streaming
    handler in a worker thread of its own, with a fresh copy of the context)."""
    context = contextvars.copy_context()
    context.run(REQUESTER.set, person)
    while True:
        try:
            yield context.run(next, steps)
        except StopIteration:
            return


class FairShare:
    """Each person's recent use of the model, in tokens; thread-safe."""

    def __init__(self, half_life: float = 30.0, over_mean: float = 2.0, floor: float = 1_000.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.half_life = half_life
        self.over_mean = over_mean  # a person past this many times the others' mean use is held back...
        # ...and past `floor` tokens (their request included): about two usual replies (a 200-token prompt and
        # 4 candidates of 60 tokens). Without it, a class's first students were held back while the others' use
        # was still near zero.
        self.floor = floor
        self._clock = clock
        self._use: dict[str, float] = {}
        self._updated = clock()
        self._lock = threading.Lock()

    def charge(self, person: str | None, tokens: float) -> None:
        """Add `tokens` to `person`'s use (nothing for no person)."""
        if person is None or tokens <= 0:
            return
        with self._lock:
            self._decay()
            self._use[person] = self._use.get(person, 0.0) + tokens

    def use(self, person: str) -> float:
        """`person`'s recent use, decayed to now."""
        with self._lock:
            self._decay()
            return self._use.get(person, 0.0)

    def over_share(self, person: str | None, asking: float = 0.0) -> bool:
        """True when `person`'s recent use plus what they are `asking` for now (tokens) is more than `floor` and
        than `over_mean` times the mean use of the other people active lately (a person alone is never held
        back). Counting the request itself holds back a costly first request too (5 candidates of 256 tokens),
        not only the next."""
        if person is None:
            return False
        with self._lock:
            self._decay()
            others = [use for someone, use in self._use.items() if someone != person]
            wants = self._use.get(person, 0.0) + asking
            return bool(others) and wants > self.floor and wants > self.over_mean * sum(others) / len(others)

    def _decay(self) -> None:
        """Halve every use each `half_life` seconds; forget people whose use fell under one token."""
        now = self._clock()
        factor = 0.5 ** ((now - self._updated) / self.half_life)
        self._updated = now
        if factor < 1.0:
            self._use = {person: use * factor for person, use in self._use.items() if use * factor >= 1.0}
