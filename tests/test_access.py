"""Who may do what and how much (scamlab.access), where the HF token may go, and the engine's micro-batcher."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from scamlab.access import Cost, LoginDelays, LoginGuard, RateLimiter, RateLimitExceeded, model_switch_refusal, person_key
from scamlab.config import SettingsError, load_settings
from scamlab.engine.batching import MicroBatcher
from scamlab.engine.remote import endpoint_is_allowed, may_receive_token

# --- limits charged by cost ----------------------------------------------------------------------------------


def test_a_batch_of_2000_messages_costs_2000():
    now = [0.0]
    limiter = RateLimiter(100, clock=lambda: now[0], messages=2500)
    limiter.check("user:teacher", Cost(messages=2000))
    with pytest.raises(RateLimitExceeded, match="each person may have 2,500 messages checked per 60 seconds"):
        limiter.check("user:teacher", Cost(messages=501))
    limiter.check("user:teacher", Cost(messages=500))  # exactly the allowance
    now[0] = 30.0
    with pytest.raises(RateLimitExceeded, match=r"Try again in 30 s"):  # when the 2,000 leave the window
        limiter.check("user:teacher", Cost(messages=1))
    limiter.check("user:student", Cost(messages=2000))  # another person has their own allowance


def test_a_look_at_the_request_allowance_charges_nothing():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0])
    for _ in range(5):
        assert limiter.refusal("user:kid") is None  # looking spends nothing
    limiter.check("user:kid")
    limiter.check("user:kid")
    refused = limiter.refusal("user:kid")
    assert refused is not None and "Try again in 60 s" in str(refused) and refused.retry_after == 60
    assert limiter.refusal("user:kid", teacher=True) is None  # a teacher's allowance is ten times larger
    now[0] = 60.0
    assert limiter.refusal("user:kid") is None


def test_a_students_allowance_is_a_tenth_of_a_teachers():
    classroom = RateLimiter.from_settings(load_settings(
        {"SCAMLAB_USERS": "ms_a:pw1,kid:pw2", "SCAMLAB_TEACHERS": "ms_a", "SCAMLAB_HOST": "0.0.0.0"}, dotenv_path=None))
    assert classroom.is_teacher("ms_a") and not classroom.is_teacher("kid") and not classroom.is_teacher(None)
    with pytest.raises(RateLimitExceeded, match="Too big at once: this asks for 2,000 and each person may have 500"):
        classroom.check("user:kid", Cost(messages=2000), teacher=False)  # a student: 500 messages a minute
    classroom.check("user:ms_a", Cost(messages=2000), teacher=True)  # the teacher's triage of a class's file
    classroom.check("user:ms_a", Cost(messages=3000), teacher=True)
    with pytest.raises(RateLimitExceeded, match="5,000 messages checked"):
        classroom.check("user:ms_a", Cost(messages=1), teacher=True)
    laptop = RateLimiter.from_settings(load_settings({}, dotenv_path=None))  # no login, on 127.0.0.1
    assert laptop.is_teacher(None)
    open_network = RateLimiter.from_settings(load_settings({"SCAMLAB_HOST": "0.0.0.0"}, dotenv_path=None))
    assert not open_network.is_teacher(None)


def test_a_refused_charge_costs_nothing_and_a_too_big_one_says_so():
    limiter = RateLimiter(2, replies=12)
    with pytest.raises(RateLimitExceeded, match="Too big at once: this asks for 13"):
        limiter.check("p", Cost(replies=13))
    limiter.check("p", Cost(replies=12))  # the refused 13 were not counted, nor its request
    with pytest.raises(RateLimitExceeded, match="12 chat replies written"):
        limiter.check("p", Cost(replies=1))
    limiter.check("p", Cost())  # requests: the second of 2 (the refused calls were not counted)
    with pytest.raises(RateLimitExceeded, match="send 2 requests"):
        limiter.check("p", Cost())


def test_long_actions_hold_a_running_slot_until_released():
    limiter = RateLimiter(100, running=1)
    with limiter.admit("p", Cost(replies=1)):
        with pytest.raises(RateLimitExceeded, match="Wait for your last request to finish"):
            limiter.admit("p", Cost(messages=50))
        limiter.admit("p", Cost(messages=1)).release()  # one quick check is not a long action
        limiter.admit("q", Cost(replies=1)).release()  # another person
    with limiter.admit("p", Cost(replies=1)):
        pass


def test_the_person_key_never_uses_the_session():
    assert person_key("student", "10.0.0.2", None, False) == "user:student"
    assert person_key(None, "10.0.0.2", "198.51.100.4", False) == "host:10.0.0.2"
    assert person_key(None, "10.0.0.2", " 198.51.100.4 , 10.0.0.1", True) == "host:198.51.100.4"
    assert person_key(None, "10.0.0.2", "", True) == "host:10.0.0.2"


# --- roles ------------------------------------------------------------------------------------------------


CLASSROOM = {"SCAMLAB_USERS": "teacher:pw-1,student:pw-2", "SCAMLAB_TEACHERS": "teacher"}


@pytest.mark.parametrize("env, username, allowed", [
    (CLASSROOM, "teacher", True),
    (CLASSROOM, "student", False),
    (CLASSROOM, None, False),
    ({"SCAMLAB_USERS": "teacher:pw-1"}, "teacher", False),  # a login and no teachers: nobody switches
    ({}, None, True),  # no login, loopback: the teacher's own laptop
    ({"SCAMLAB_HOST": "127.0.0.2"}, None, True),
    ({"SCAMLAB_HOST": "0.0.0.0"}, None, False),  # no login, open to the network
    ({"SPACE_ID": "someone/scamlab"}, None, False),
])
def test_who_may_switch_models(env, username, allowed):
    refusal = model_switch_refusal(load_settings(env, dotenv_path=None), username)
    assert (refusal is None) == allowed
    if not allowed:
        assert "teacher" in refusal.lower() or "SCAMLAB_USERS" in refusal


def test_teachers_must_be_login_names():
    with pytest.raises(SettingsError, match="SCAMLAB_TEACHERS.*'mr_x'.*SCAMLAB_USERS"):
        load_settings({"SCAMLAB_USERS": "teacher:pw-1", "SCAMLAB_TEACHERS": "teacher, mr_x"}, dotenv_path=None)
    with pytest.raises(SettingsError, match="SCAMLAB_TEACHERS"):
        load_settings({"SCAMLAB_TEACHERS": "teacher"}, dotenv_path=None)  # no login at all
    assert load_settings(CLASSROOM, dotenv_path=None).teachers == frozenset({"teacher"})


# --- where the token may go, which endpoints a teacher may pick -------------------------------------------------


@pytest.mark.parametrize("url, receives", [
    ("https://router.huggingface.co/v1", True),
    ("https://xyz123.us-east-1.aws.endpoints.huggingface.cloud/v1", False),  # not listed as HF's own here
    ("https://someone-space.hf.space/v1", True),
    ("https://api-inference.huggingface.co/models/x", True),
    ("http://router.huggingface.co/v1", False),  # never in clear text
    ("https://huggingface.co.evil.example/v1", False),
    ("https://evilhuggingface.co/v1", False),
    ("https://user:pw@router.huggingface.co/v1", False),
    ("http://127.0.0.1:8080/v1", False),
    ("http://10.0.0.5:8000/v1/", True),  # the configured endpoint (a final "/" changes nothing)
    ("HTTP://10.0.0.5:8000/v1", True),
    ("http://10.0.0.5:8000/v2", False),
])
def test_the_token_goes_only_to_hugging_face_and_the_configured_endpoint(url, receives):
    assert may_receive_token(url, "http://10.0.0.5:8000/v1") is receives


def test_only_listed_endpoints_are_allowed():
    allowed = ("http://10.0.0.5:8000/v1", None, "https://router.huggingface.co/v1")
    assert endpoint_is_allowed("http://10.0.0.5:8000/v1/", allowed)
    assert endpoint_is_allowed("https://ROUTER.huggingface.co/v1", allowed)
    for refused in ("http://10.0.0.5:8001/v1", "http://10.0.0.5:8000/v1?x=1", "http://a@10.0.0.5:8000/v1",
                    "file:///etc/passwd", "http://127.0.0.1:22/v1", ""):
        assert not endpoint_is_allowed(refused, allowed)
    settings = load_settings({"SCAMLAB_ALLOWED_ENDPOINTS": " http://a:1/v1/ ,https://b/v1"}, dotenv_path=None)
    assert settings.allowed_endpoints == ("http://a:1/v1", "https://b/v1")
    with pytest.raises(SettingsError, match="SCAMLAB_ALLOWED_ENDPOINTS"):
        load_settings({"SCAMLAB_ALLOWED_ENDPOINTS": "a:1/v1"}, dotenv_path=None)


# --- the login slows down ------------------------------------------------------------------------------------


async def timed_attempts(guard: LoginGuard, attempts: list[tuple[str, str]]) -> list[tuple[bool, float]]:
    answers = []
    for name, password in attempts:
        started = time.perf_counter()
        answers.append((await guard.check(name, password), time.perf_counter() - started))
    return answers


def test_twenty_wrong_passwords_take_longer_and_the_right_one_still_works():
    guard = LoginGuard([("teacher", "Correct-Horse-1")], LoginDelays(free=3, first=0.02, longest=0.16))
    answers = asyncio.run(timed_attempts(guard, [("teacher", f"guess-{n}") for n in range(20)] + [("teacher", "Correct-Horse-1")]))
    times = [seconds for _, seconds in answers]
    assert not any(right for right, _ in answers[:20]) and answers[20][0]
    assert max(times[:3]) < 0.01  # the first few typos: no wait
    assert min(times[8:20]) >= 0.15  # then up to the bound
    assert sum(times[:20]) >= 16 * 0.14 and max(times) < 1.0  # slowed down, but never unbounded
    assert asyncio.run(timed_attempts(guard, [("teacher", "Correct-Horse-1")]))[0][1] < 0.01  # success clears it


def test_attempts_sent_at_once_wait_their_turn_and_unknown_names_share_one_counter():
    guard = LoginGuard([("student", "battery-staple-2")], LoginDelays(free=1, first=0.05, longest=0.05))

    async def at_once() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(guard.check("student", "wrong") for _ in range(6)))
        return time.perf_counter() - started

    assert asyncio.run(at_once()) >= 5 * 0.05 * 0.9  # not 0.05: each waited for the one before
    made_up = asyncio.run(timed_attempts(guard, [(f"name-{n}", "x") for n in range(3)]))
    assert made_up[0][1] < 0.01 and made_up[1][1] >= 0.04  # made-up names share one counter (bounded memory)


def test_everyone_slows_down_when_many_attempts_fail():
    users = [(f"pupil{n}", f"pw-{n}") for n in range(10)]
    guard = LoginGuard(users, LoginDelays(free=3, free_overall=5, first=0.05, longest=0.05))
    answers = asyncio.run(timed_attempts(guard, [(f"pupil{n}", "wrong") for n in range(7)]))
    assert max(seconds for _, seconds in answers[:5]) < 0.01 and min(seconds for _, seconds in answers[5:]) >= 0.04


# --- the engine's micro-batcher ------------------------------------------------------------------------------


def test_concurrent_calls_share_a_batch_and_each_gets_its_own_result():
    batches = []

    def run_batch(items: list[int]) -> list[int]:
        batches.append(list(items))
        time.sleep(0.02)
        return [item * 10 for item in items]

    batcher = MicroBatcher(run_batch, max_batch=4, wait=0.05)
    results: dict[int, int] = {}
    threads = [threading.Thread(target=lambda n=n: results.__setitem__(n, batcher(n))) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert results == {n: n * 10 for n in range(10)}
    assert len(batches) < 10 and max(len(batch) for batch in batches) <= 4 and sorted(sum(batches, [])) == list(range(10))


def test_a_failing_batch_fails_its_callers_and_the_next_one_works():
    def run_batch(items: list[str]) -> list[str]:
        if "boom" in items:
            raise RuntimeError("the model fell over")
        return [item.upper() for item in items]

    batcher = MicroBatcher(run_batch, wait=0.0)
    with pytest.raises(RuntimeError, match="fell over"):
        batcher("boom")
    assert batcher("fine") == "FINE"


def test_idle_accounts_are_forgotten_so_many_addresses_cannot_fill_the_memory():
    now = [0.0]
    limiter = RateLimiter(5, clock=lambda: now[0])
    for address in range(10_001):
        limiter.check(f"host:10.0.{address // 256}.{address % 256}")
    now[0] = 61.0
    limiter.check("host:192.0.2.1")
    assert len(limiter._spent) == 1
