"""Spam checks go ahead of the chat model: the scheduler waits for them, but never long."""

from __future__ import annotations

import threading
import time

from scamlab.engine.foreground import FOREGROUND, Foreground


def hold(foreground: Foreground, seconds: float) -> threading.Thread:
    """A thread running foreground work for `seconds` (started, and running, when this returns)."""
    begun = threading.Event()

    def work() -> None:
        with foreground.running():
            begun.set()
            time.sleep(seconds)

    thread = threading.Thread(target=work)
    thread.start()
    begun.wait()
    return thread


def waited(foreground: Foreground) -> float:
    started = time.monotonic()
    foreground.wait_until_clear()
    return time.monotonic() - started


def test_the_scheduler_side_waits_for_running_work_and_only_then():
    foreground = Foreground(max_wait=5.0)
    assert waited(foreground) < 0.05 and not foreground.busy
    thread = hold(foreground, 0.3)
    assert foreground.busy
    assert 0.2 < waited(foreground) < 2.0, "until the work ended, not its max_wait"
    thread.join()
    assert not foreground.busy


def test_long_work_holds_the_scheduler_back_at_most_max_wait():
    """A first check that loads the classifier takes seconds: the class's replies must not stop for it."""
    foreground = Foreground(max_wait=0.2)
    thread = hold(foreground, 2.0)
    assert waited(foreground) < 1.0
    assert waited(foreground) < 0.05, "work older than max_wait is no longer waited for"
    thread.join()


def test_first_runs_the_work_as_foreground_and_returns_its_answer():
    foreground = Foreground()
    seen = foreground.first(lambda value: (value, foreground.busy))(7)
    assert seen == (7, True) and not foreground.busy


def test_the_engines_spam_checks_run_ahead_of_the_chat_model(engine, monkeypatch):
    classifier = engine.classifier()
    assessments = classifier.assessments
    during: list[bool] = []

    def watched(*args, **kwargs):
        during.append(FOREGROUND.busy)
        return assessments(*args, **kwargs)

    monkeypatch.setattr(classifier, "assessments", watched)
    assert engine.classify_spam("Your parcel is held: pay the fee today")["classification"]
    assert engine.batch_classify(["Hi, see you at six"])[0]["classification"]
    assert during == [True, False], "a single check goes first; a batch (a teacher's triage of 2,000) does not"
