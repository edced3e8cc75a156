"""Concurrent single calls gathered into one batch call: many callers, one forward pass, each its own answer.

`/classify` is an ordinary event, so each caller's request reaches the rate limiter; the batching that
Gradio's `batch=True` did (and that hid every caller but the first) happens here instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class MicroBatcher(Generic[Item, Result]):
    """Call with one item; calls arriving within `wait` seconds of each other run as one `run_batch` call.

    The first caller of a round waits `wait` seconds, then runs the batch (up to `max_batch` items, and again
    while more are waiting) on its own thread; the others wait for their own result. When `run_batch` raises,
    every caller of that batch gets the error: check each item before it is sent.
    """

    def __init__(self, run_batch: Callable[[list[Item]], Sequence[Result]], max_batch: int = 16, wait: float = 0.005) -> None:
        self._run_batch, self.max_batch, self.wait = run_batch, max_batch, wait
        self._waiting: list[tuple[Item, Future[Result]]] = []
        self._leading = False
        self._lock = threading.Lock()

    def __call__(self, item: Item) -> Result:
        """`run_batch([item])[0]`, computed together with whatever other calls arrive at the same time."""
        answer: Future[Result] = Future()
        with self._lock:
            self._waiting.append((item, answer))
            leads = not self._leading
            self._leading = True
        if leads:
            time.sleep(self.wait)
            self._run_rounds()
        return answer.result()

    def _run_rounds(self) -> None:
        while True:
            with self._lock:
                batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch:]
                if not batch:
                    self._leading = False
                    return
            try:
                results = self._run_batch([item for item, _ in batch])
            except Exception as error:  # noqa: BLE001 - handed to every caller of this batch
                for _, answer in batch:
                    answer.set_exception(error)
            else:
                for (_, answer), result in zip(batch, results, strict=True):
                    answer.set_result(result)
