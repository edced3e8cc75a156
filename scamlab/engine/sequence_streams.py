"""One sequence's text as the scheduler writes it, and a request's streams together.

The consumer iterates a `SequenceStream` for pieces of text (or a `Ticket`'s `texts()` for all its sequences
at once) and closes it to stop. The scheduler's worker is the only writer: `put_text`, then `end`.
`at_most_every` paces what a consumer passes on.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

_END = object()  # put on a stream's queue after its last piece of text
CLOSE_WAIT_SECONDS = 60.0  # how long closing a stream waits for the worker to drop its row
PIECE_TIMEOUT_SECONDS = 300.0  # a consumer waiting this long for the next piece gives up (a stuck worker)


class SequenceStream:
    """One sequence's text as it is written: iterate for pieces; `close()` stops it and frees its row."""

    def __init__(self, request_stop: threading.Event | None = None, wake: threading.Event | None = None) -> None:
        self._pieces: queue.Queue[object] = queue.Queue()
        self._closed = threading.Event()
        self._request_stop = request_stop or self._closed
        self._wake = wake or threading.Event()  # shared by a request's streams: set on every piece and end
        self._finished = threading.Event()
        self.token_ids: list[int] = []  # written by the worker; complete once the stream has ended
        self.tokens_generated = 0  # sampled tokens, the end-of-text token included
        self.joined_step: int | None = None  # the worker's step count when this sequence was prefilled

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text = self._unwrap(self._pieces.get(timeout=PIECE_TIMEOUT_SECONDS))
        if text is None:
            raise StopIteration
        return text

    def _unwrap(self, piece: object) -> str | None:
        """A queued item as text; None at the end (which stays queued: iterating again ends again); raises
        the worker's error."""
        if piece is _END or isinstance(piece, BaseException):
            self._pieces.put(_END)
            if piece is not _END:
                raise piece  # type: ignore[misc]
            return None
        return piece  # type: ignore[return-value]

    @property
    def stopped(self) -> bool:
        """True once its consumer closed it or set the request's stop event."""
        return self._closed.is_set() or self._request_stop.is_set()

    @property
    def finished(self) -> bool:
        """True once the worker is done with it (no more tokens will be counted)."""
        return self._finished.is_set()

    def close(self, wait: bool = True) -> None:
        """Stop the sequence; with `wait`, return once the worker has dropped its row."""
        self._closed.set()
        if wait:
            self._finished.wait(CLOSE_WAIT_SECONDS)

    def drain(self) -> tuple[str, bool]:
        """The text queued so far without waiting, and whether the stream has ended (raises its error)."""
        text = ""
        while True:
            try:
                piece = self._unwrap(self._pieces.get_nowait())
            except queue.Empty:
                return text, False
            if piece is None:
                return text, True
            text += piece

    def put_text(self, piece: str) -> None:
        """The worker adds a piece of text."""
        if piece:
            self._pieces.put(piece)
            self._wake.set()

    def end(self, error: BaseException | None = None) -> None:
        """The worker is done with this sequence (with `error`, the consumer gets it raised)."""
        if error is not None:
            self._pieces.put(error)
        self._pieces.put(_END)
        self._finished.set()
        self._wake.set()


@dataclass
class Ticket:
    """A submitted request: one stream per sequence. Read each stream on its own, or all through `texts()`."""

    streams: list[SequenceStream]
    wake: threading.Event

    def texts(self) -> Iterator[list[str]]:
        """Every sequence's text so far, yielded each time any of them grows, until all have ended."""
        texts = [""] * len(self.streams)
        ended = [False] * len(self.streams)
        while not all(ended):
            if not self.wake.wait(PIECE_TIMEOUT_SECONDS):
                raise TimeoutError("No text came from the generation scheduler.")
            self.wake.clear()
            grown = False
            for index, stream in enumerate(self.streams):
                piece, ended[index] = stream.drain()
                texts[index] += piece
                grown = grown or bool(piece)
            if grown:
                yield list(texts)

    def cancel(self) -> None:
        """Stop every sequence of the request (those still queued never start)."""
        for stream in self.streams:
            stream.close(wait=False)
        for stream in self.streams:
            stream.close()


def at_most_every(seconds: float, items: Iterable[T]) -> Iterator[T]:
    """`items`, the first at once and then at most one every `seconds` (the latest when it is time), and always
    the last one: a consumer sees the final state without an update per item."""
    shown_at, held, holding = -math.inf, None, False
    for item in items:
        if time.monotonic() - shown_at >= seconds:
            shown_at, holding = time.monotonic(), False
            yield item
        else:
            held, holding = item, True
    if holding:
        yield held
