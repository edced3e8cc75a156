"""Fair share of the chat model: each person's recent use, who is held back, and who is asking."""

from __future__ import annotations

import contextvars
import threading

from scamlab.engine.fair_share import REQUESTER, FairShare, asking_as, run_as


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_person_far_over_the_others_mean_is_held_back_and_nobody_else_is():
    share = FairShare(half_life=30, over_mean=2, clock=Clock())
    for student in ("ana", "ben", "cleo"):
        share.charge(student, 260)
    share.charge("mallory", 2_000)
    assert share.over_share("mallory")
    assert not any(share.over_share(student) for student in ("ana", "ben", "cleo"))
    share.charge("ana", 200)  # a bit more than the others is not "far over"
    assert not share.over_share("ana")


def test_a_costly_request_counts_before_it_is_written():
    """A first request for 5 candidates of 256 tokens is held back at once; a student's usual reply is not."""
    share = FairShare(half_life=30, over_mean=2, clock=Clock())
    for student in ("ana", "ben", "cleo"):
        share.charge(student, 2 * 240)  # two replies each: a 200-token prompt and 40 new tokens
    assert share.over_share("mallory", asking=270 + 5 * 256)
    assert not share.over_share("mallory"), "nothing asked, nothing used"
    assert not share.over_share("dan", asking=240) and not share.over_share("ana", asking=240)


def test_a_classs_first_replies_are_not_held_back_while_the_others_have_used_little():
    share = FairShare(half_life=30, over_mean=2, clock=Clock())
    share.charge("ben", 60)  # ben's reply has just begun
    share.charge("ana", 179)
    assert 179 + 253 > 2 * 60  # far over the others' mean, but not a heavy user
    assert not share.over_share("ana", asking=253)
    assert share.over_share("mallory", asking=270 + 5 * 256)


def test_a_person_alone_no_person_and_a_newcomer_are_never_held_back():
    share = FairShare(clock=Clock())
    share.charge("teacher", 100_000)
    assert not share.over_share("teacher"), "alone: nobody to share with"
    assert not share.over_share("newcomer")
    assert not share.over_share(None)
    share.charge(None, 10)
    assert share.use("teacher") == 100_000


def test_use_halves_every_half_life_so_a_heavy_person_catches_up_after_a_pause():
    clock = Clock()
    share = FairShare(half_life=30, clock=clock)
    share.charge("mallory", 4_000)
    share.charge("ana", 1_000)
    assert share.over_share("mallory")
    clock.now = 30
    assert share.use("mallory") == 2_000
    share.charge("ana", 1_000)  # ana keeps chatting (500 left of her first 1,000), mallory pauses
    assert not share.over_share("mallory")
    clock.now = 30 * 20
    assert share.use("ana") == 0.0, "forgotten once under one token"


def test_run_as_keeps_the_person_across_steps_run_in_other_threads():
    """Gradio runs each step of a streaming handler in a worker thread with a copy of the context."""
    def handler():
        for _ in range(3):
            yield REQUESTER.get()

    steps = run_as("ana", handler())
    seen = []

    def step():
        seen.append(next(steps))

    for _ in range(3):
        thread = threading.Thread(target=contextvars.copy_context().run, args=(step,))
        thread.start()
        thread.join()
    assert seen == ["ana", "ana", "ana"]
    assert REQUESTER.get() is None, "the caller's own context is untouched"
    with asking_as("ben"):
        assert REQUESTER.get() == "ben"
    assert REQUESTER.get() is None
