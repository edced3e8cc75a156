"""Who may do what, and how much: roles, per-person limits charged by cost, and a login that slows down.

No Gradio here. UI handlers pass in who is asking (the login name, the client's address) and get a decision
out: allowed, or a message that says why not and when to try again.

- Roles: the names in `SCAMLAB_TEACHERS` may switch models; with no login, only a loopback app (a teacher's own
  laptop) may. Everyone else sees the Models tab read-only, and its events refuse them when called by hand.
- Limits: keyed on the person (login name, else client address), never on the browser session, which a script
  picks afresh for every call. Each action is charged what it costs (`Cost`): a request, the chat replies the
  model writes and the messages the classifier scores, each against its own allowance per minute. A student's
  allowances are a small share of the machine; a teacher's are `TEACHER_FACTOR` times larger.
- Login: a name that keeps failing is answered more and more slowly (bounded), and so is everyone once many
  attempts fail at once; the right password still works, after the wait.
"""

from __future__ import annotations

import asyncio
import hmac
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, fields

from scamlab.config import Settings

IDLE_SWEEP_AT = 10_000  # accounts kept before those idle for a whole window are dropped
TEACHER_FACTOR = 10  # a teacher's allowances are this many times a student's: a class's triage file, an evaluation
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TEACHERS_ONLY = ("Only a teacher may switch models here. The models are shared by the whole class, so "
                 "ask your teacher if you would like to try another one.")
LOCAL_ONLY = ("Switching models is turned off: the app is open to the network without a login. Set "
              "SCAMLAB_USERS and SCAMLAB_TEACHERS, or run it on 127.0.0.1.")


# --- roles -----------------------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1 or localhost)."""
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def model_switch_refusal(settings: Settings, username: str | None) -> str | None:
    """None when `username` may switch models, endpoints and classifiers; otherwise the reason they may not.

    With a login, only the names in `SCAMLAB_TEACHERS` may. Without one, anyone who can reach the app may,
    but only while it listens on loopback: then everyone is on the teacher's own machine.
    """
    if settings.users:
        return None if username is not None and username in settings.teachers else TEACHERS_ONLY
    return None if is_loopback(settings.host) else LOCAL_ONLY


# --- who is asking ---------------------------------------------------------------------------------------


def person_key(username: str | None, client_host: str | None, forwarded_for: str | None, behind_proxy: bool) -> str:
    """The key one person's limits are counted under: the login name, else the client's address.

    Behind a proxy (a Hugging Face Space) the client's address is the first `X-Forwarded-For` entry; the
    connection itself comes from the proxy. The browser session is never part of the key: a script can
    start a new one for every call.
    """
    if username:
        return f"user:{username}"
    if behind_proxy and forwarded_for and forwarded_for.split(",")[0].strip():
        return f"host:{forwarded_for.split(',')[0].strip()}"
    return f"host:{client_host}" if client_host else "unknown"


# --- limits ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cost:
    """What one action costs: one request, plus the chat replies it writes and the messages it has checked."""

    requests: int = 1
    replies: int = 0
    messages: int = 0

    @property
    def is_long(self) -> bool:
        """A reply or a batch: long enough that one person should not run several at once. One message check
        (about 20 ms, batched with other callers') is not."""
        return self.replies > 0 or self.messages > 1


# How each allowance is named in the message a person sees when it runs out.
ALLOWANCE_WORDS = {
    "requests": "send {limit:,} requests",
    "replies": "have {limit:,} chat replies written",
    "messages": "have {limit:,} messages checked",
}


class RateLimitExceeded(Exception):
    """Over one of the person's allowances; the message says which, and how long to wait (`retry_after`
    seconds; 0 where waiting would not help)."""

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimiter:
    """Per-person allowances over a sliding `window` (seconds): requests, chat replies, messages checked.

    `replies`, `messages` and `running` (long actions one person may have running at once) are unlimited
    when None. Thread-safe: Gradio runs handlers on many threads.
    """

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic, *,
                 replies: int | None = None, messages: int | None = None, running: int | None = None,
                 behind_proxy: bool = False, is_teacher: Callable[[str | None], bool] = lambda username: False) -> None:
        self.behind_proxy = behind_proxy  # the client's address comes from X-Forwarded-For (a Space's proxy)
        self.is_teacher = is_teacher  # login name (None without a login) -> whether the teacher's allowances apply
        self.limits = {"requests": limit, "replies": replies, "messages": messages}
        self.window, self.running_limit, self._clock = window, running, clock
        self._spent: dict[tuple[str, str], deque[tuple[float, int]]] = defaultdict(deque)
        self._running: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        """The allowances the operator configured (see README, Settings)."""
        return cls(settings.rate_limit_per_minute, replies=settings.reply_limit_per_minute,
                   messages=settings.message_limit_per_minute, running=settings.running_limit,
                   behind_proxy=settings.on_space,
                   is_teacher=lambda username: model_switch_refusal(settings, username) is None)

    def check(self, key: str, cost: Cost = Cost(), teacher: bool = False) -> None:
        """Charge `cost` to `key`; raise `RateLimitExceeded` (charging nothing) when any allowance would run out.

        A `teacher`'s allowances are `TEACHER_FACTOR` times a student's."""
        now = self._clock()
        with self._lock:
            if len(self._spent) > IDLE_SWEEP_AT:
                self._forget_idle(now)
            for field in fields(cost):
                limit, amount = self.limits[field.name], getattr(cost, field.name)
                if limit is not None and amount:
                    self._refuse_if_over(key, field.name, limit * TEACHER_FACTOR if teacher else limit, amount, now)
            for field in fields(cost):
                if self.limits[field.name] is not None and getattr(cost, field.name):
                    self._spent[key, field.name].append((now, getattr(cost, field.name)))

    def _forget_idle(self, now: float) -> None:
        """Drop the accounts of everyone who spent nothing within the window (many addresses come and go)."""
        for account in [account for account, spent in self._spent.items() if not spent or now - spent[-1][0] >= self.window]:
            del self._spent[account]

    def _refuse_if_over(self, key: str, allowance: str, limit: int, amount: int, now: float) -> None:
        spent = self._spent[key, allowance]
        while spent and now - spent[0][0] >= self.window:
            spent.popleft()
        allowed = f"each person may {ALLOWANCE_WORDS[allowance].format(limit=limit)} per {self.window:.0f} seconds"
        if amount > limit:
            raise RateLimitExceeded(f"Too big at once: this asks for {amount:,} and {allowed}. Send it in smaller parts.")
        used = sum(spent_amount for _, spent_amount in spent)
        if used + amount <= limit:
            return
        freed, wait = 0, self.window
        for spent_at, spent_amount in spent:  # wait until enough of the earlier spending has left the window
            freed += spent_amount
            if used - freed + amount <= limit:
                wait = self.window - (now - spent_at)
                break
        seconds = max(1, round(wait))
        raise RateLimitExceeded(f"Slow down a little: {allowed}. Try again in {seconds} s.", retry_after=seconds)

    def refusal(self, key: str, teacher: bool = False) -> RateLimitExceeded | None:
        """Why any call from `key` would be refused right now (each one costs a request), or None while one
        more request fits. Charges nothing: a cheap look before the work of admitting a call."""
        if self.limits["requests"] is None:
            return None
        limit = self.limits["requests"] * (TEACHER_FACTOR if teacher else 1)
        with self._lock:
            try:
                self._refuse_if_over(key, "requests", limit, 1, self._clock())
            except RateLimitExceeded as refused:
                return refused
        return None

    def admit(self, key: str, cost: Cost = Cost(), teacher: bool = False) -> Admission:
        """Charge `cost`; for a long action also take one of the person's running slots (release: `with`).

        Raises `RateLimitExceeded` (charging nothing) when over an allowance, or when the person already has
        `running` long actions going: one person cannot hold every worker (or every core) at once.
        """
        holds_slot = cost.is_long and self.running_limit is not None
        if holds_slot:
            with self._lock:
                if self._running[key] >= self.running_limit:
                    raise RateLimitExceeded(
                        f"Wait for your last request to finish: each person may run {self.running_limit} at a time.")
                self._running[key] += 1
        admission = Admission(self, key if holds_slot else None)
        try:
            self.check(key, cost, teacher)
        except RateLimitExceeded:
            admission.release()
            raise
        return admission

    def _release(self, key: str) -> None:
        with self._lock:
            self._running[key] -= 1
            if not self._running[key]:
                del self._running[key]


class Admission:
    """An admitted action; leaving its `with` block (or `release()`) frees the running slot it holds."""

    def __init__(self, limiter: RateLimiter, slot_key: str | None) -> None:
        self._limiter, self._slot_key = limiter, slot_key

    def release(self) -> None:
        """Free the running slot (once; later calls do nothing)."""
        if self._slot_key is not None:
            self._limiter._release(self._slot_key)
            self._slot_key = None

    def __enter__(self) -> Admission:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


# --- login -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginDelays:
    """How a failing login slows down: no wait for the first `free` failures of a name, then `first` seconds,
    doubling up to `longest`. Everyone slows down the same way once `free_overall` attempts have failed
    (any names). Failures older than `forget_after` seconds no longer count."""

    free: int = 3
    free_overall: int = 30
    first: float = 0.5
    longest: float = 4.0
    forget_after: float = 900.0

    def delay(self, failures: int, free: int) -> float:
        """Seconds to wait before answering, after `failures` recent failures with `free` allowed."""
        if failures < free:
            return 0.0
        return min(self.longest, self.first * 2 ** min(failures - free, 16))


class LoginGuard:
    """The classroom login: `check(name, password)` for Gradio's `auth`, slowing down after failures.

    Passwords are compared in constant time (`hmac.compare_digest`). Attempts for one name wait their turn, so
    sending many at once does not skip the delays. Only the configured names get counters of their own (an
    unknown name shares one), so made-up names cannot fill the memory.
    """

    def __init__(self, users: Sequence[tuple[str, str]], delays: LoginDelays = LoginDelays(),
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self._passwords = {name: password.encode() for name, password in users}
        self.delays, self._sleep, self._clock = delays, sleep, clock
        self._failures: dict[str | None, deque[float]] = defaultdict(deque)  # None: every name together
        self._turns: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def check(self, username: str, password: str) -> bool:
        """True for a right name and password, answered only after any wait its recent failures earned."""
        key = username if username in self._passwords else ""
        async with self._turns[key]:
            wait = max(self.delays.delay(self._recent(key), self.delays.free),
                       self.delays.delay(self._recent(None), self.delays.free_overall))
            if wait:
                await self._sleep(wait)
            expected = self._passwords.get(username, b"\0not a password")
            right = hmac.compare_digest(password.encode(), expected) and key != ""
            if right:
                self._failures.pop(key, None)
            else:
                now = self._clock()
                self._failures[key].append(now)
                self._failures[None].append(now)
            return right

    def _recent(self, key: str | None) -> int:
        failures = self._failures[key]
        while failures and self._clock() - failures[0] >= self.delays.forget_after:
            failures.popleft()
        return len(failures)
