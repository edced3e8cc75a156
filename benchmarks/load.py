"""Load benchmark: concurrent student sessions against the real app on loopback.

    python benchmarks/load.py                          # starts app.py on a free loopback port, offline
    python benchmarks/load.py --sessions 30 --max-new-tokens 60 --candidates 4   # the issue-16 class
    python benchmarks/load.py --batching off           # only the old one-generate-per-reply path
    python benchmarks/load.py --url http://127.0.0.1:7860/

Started here, the app runs twice by default, in the same run: with the old path (`SCAMLAB_BATCHING=0`: one
`generate` call per reply) and with the generation scheduler (`SCAMLAB_BATCHING=1`), and the figures are
printed side by side. With one candidate replies are greedy, so the scheduler's should also equal the old
path's (`same_as_old`). Each reply is first asked alone, one at a time: its reference answer, and a single
student's reply time (`alone_reply_s`), against which the class's reply p95 is compared; `reply_slowdown` compares
each reply with the same reply asked alone (replies differ in length, so this is the fairer of the two).

Each session is one simulated student (`benchmarks/students.py`: a browser-like Gradio session over HTTP;
`--client gradio_client` for `gradio_client` sessions) sending a few requests one after another, mixing chat
replies (`/reply`, streamed, a few new tokens, `--candidates` written per reply) and spam checks (`/classify`).
Each student opens the page (`open_page`) before the clock starts, as a student has the page open before
clicking. Every request must be answered, and with its own answer:

- each chat names a made-up word no other chat uses and is decoded greedily (temperature 0), so its reply
  should equal the reply the same server gave that conversation alone, before the load (`same_as_alone`). In
  float32 it does; with bfloat16 weights (the default on CPUs that have bfloat16) a near-tie can tip the other
  way inside a batch, so a reply also counts as its own when it is closer (difflib) to its own reference than
  to every other chat's;
- each spam check's text is unique, and its result must equal the engine's, computed in this process
  (so `--url` assumes a server with the bundled classifier).

The last line printed is one JSON object, per mode: counts, p50/p95 latency per kind and overall, time to a
reply's first streamed piece (the "writing..." sign: a role-play reply's text comes whole, once its candidates
are ranked), throughput, the delivered replies' tokens per second (the cleaned text re-tokenized), and the CPU
seconds the simulated students themselves spent (they share the cores with the app).
`distinct_replies` and `distinct_checks` count the expected answers that differ from every other one (an
answer crossed between two identical ones could not show). The exit status is 1 when a request went
unanswered, failed, or got an answer that is not its own.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from benchmarks.students import CLIENTS, Student, open_page  # noqa: E402 - after the path and the offline switch
from scamlab.engine.chat import DEFAULT_CANDIDATES  # noqa: E402

# A spam check's answer is its own when it is this close to the engine's (batching and padding move the
# last digits); two checks are told apart when their expected answers are twice as far apart.
CLASSIFY_TOLERANCE = 1e-5
# Made-up words, one per chat, so no two conversations are the same.
WORDS = (
    "Zorvak", "Plimbet", "Quasser", "Drennow", "Velkrit", "Oxtamber", "Snifflet", "Brontage", "Kelvaro", "Mizzlet",
    "Trovane", "Glimmock", "Hestrun", "Yarbolt", "Ferrisk", "Wumbrel", "Cradlox", "Pinnerac", "Lustrow", "Jembly",
    "Norvash", "Ticklebo", "Sarnoth", "Grevvin", "Ambrulk", "Fizzerin", "Dolmatch", "Ulverine", "Ressbok", "Kwimble",
)
# (persona the AI plays, style, scenario, the other side's message): varied, so greedy replies differ.
CHATS = (
    ("victim", "skeptical", "parcel", "Your parcel {w} is held at the depot. Pay the 1.99 fee today or it goes back."),
    ("scammer", "urgent", "bank", "Hello? Who is this? My name is {w} and I never gave you my number."),
    ("victim", "confused", "tech_support", "Microsoft here, your computer {w} has a virus. Install our app now."),
    ("scammer", "friendly", "romance", "Hi {w}! You seem nice. Where did you say you live?"),
    ("victim", "time_waster", "prize", "Congratulations, ticket {w} won a cash prize! Send a small release fee to claim it."),
    ("scammer", "authoritative", "government", "Is this really the tax office? My reference is {w}."),
    ("victim", "friendly", "family", "Hi Mum it's {w}, I lost my phone, this is my new number. Can you send £200?"),
    ("scammer", "charming", "investment", "I'm {w}. How much could I really make from this crypto plan?"),
    ("victim", "urgent", "job", "Hello {w}, we have a remote job rating apps for £300 a day. Interested?"),
    ("scammer", "neutral", "toll", "I got a text about an unpaid toll for car {w}. What is this about?"),
)
CLASSIFY_TEMPLATES = (
    "URGENT: account {w} is locked. Verify your card details within 24 hours at [LINK]",
    "Hi, it's {w}, see you at the cafe at 6 and I'll bring the book back.",
    "WINNER! Reference {w} has won a £500 voucher, text CLAIM to [PHONE] now",
    "Reminder from {w}: the team meeting moved to Thursday at 10.",
    "Your {w} delivery could not be completed, pay the redelivery fee here: [LINK]",
)


@dataclass
class Request:
    """One request of one session: what to send, what must come back, and what did."""

    kind: str  # "reply" or "classify"
    args: tuple
    expected: object = None
    answer: object = None
    error: str | None = None
    seconds: float | None = None
    alone_seconds: float | None = None  # a reply's time asked alone, before the load
    first_chunk_seconds: float | None = None
    own_answer: bool = False


@dataclass
class Session:
    """One student: its requests, sent one after another."""

    requests: list[Request] = field(default_factory=list)


def chat_request(number: int, max_new_tokens: int, candidates: int) -> Request:
    word = WORDS[number % len(WORDS)] + (str(number // len(WORDS)) if number >= len(WORDS) else "")
    persona, style, scenario, text = CHATS[number % len(CHATS)]
    other_side = "scammer" if persona == "victim" else "victim"
    messages = [{"role": other_side, "content": text.format(w=word)}]
    # Greedy with one candidate; with more, sampled (greedy would write one reply N times) from a fixed seed,
    # so the answer is still the conversation's own and repeatable.
    temperature = 0.0 if candidates == 1 else 0.7
    # persona, style, scenario, temperature, top_p, max_new_tokens, seed, candidates
    return Request("reply", (messages, persona, style, scenario, temperature, 1.0, max_new_tokens, 1, candidates))


def classify_request(number: int) -> Request:
    word = f"{WORDS[number % len(WORDS)]}{number}"
    return Request("classify", (CLASSIFY_TEMPLATES[number % len(CLASSIFY_TEMPLATES)].format(w=word),))


def plan(sessions: int, per_session: int, max_new_tokens: int, candidates: int) -> list[Session]:
    """Sessions alternate which kind they start with, so chats and checks overlap throughout."""
    planned, chats, checks = [], 0, 0
    for number in range(sessions):
        session = Session()
        for step in range(per_session):
            if (number + step) % 2 == 0:
                session.requests.append(chat_request(chats, max_new_tokens, candidates))
                chats += 1
            else:
                session.requests.append(classify_request(checks))
                checks += 1
        planned.append(session)
    return planned


def classify_difference(answer: object, expected: dict) -> float:
    """How far a spam check's answer is from the engine's (infinite when it is not a result at all)."""
    if not isinstance(answer, dict) or answer.get("classification") != expected["classification"]:
        return float("inf")
    return abs(answer["probabilities"]["spam"] - expected["probabilities"]["spam"])


def expectations(student: Student, planned: list[Session]) -> dict[str, Any]:
    """Fill in each request's expected answer; returns a single student's reply time and how many answers are
    told apart from all others."""
    from scamlab.config import load_settings
    from scamlab.engine import Engine

    chats = [r for s in planned for r in s.requests if r.kind == "reply"]
    checks = [r for s in planned for r in s.requests if r.kind == "classify"]
    engine = Engine(load_settings(dotenv_path=None))
    for request, result in zip(checks, engine.batch_classify([r.args[0] for r in checks])):
        request.expected = result
    alone = []
    for request in chats:  # alone, one at a time: the reference each concurrent reply must equal
        started = time.monotonic()
        request.expected = student.call("reply", *request.args)
        request.alone_seconds = time.monotonic() - started
        alone.append(request.alone_seconds)
    replies = [r.expected for r in chats]
    spam = sorted(r.expected["probabilities"]["spam"] for r in checks)
    return {
        "alone_reply_s": summary(alone),
        "distinct_replies": len(set(replies)),
        "distinct_checks": 1 + sum(1 for a, b in zip(spam, spam[1:]) if b - a > 2 * CLASSIFY_TOLERANCE) if spam else 0,
    }


def run_session(new_student: Callable[[], Student], session: Session, ready: threading.Barrier, timeout: float) -> None:
    try:
        student = new_student()
        open_page(student)
    except Exception as error:  # noqa: BLE001 - this session's requests fail; the others still start
        for request in session.requests:
            request.error = f"could not connect: {type(error).__name__}: {error}"[:300]
        ready.wait()
        return
    ready.wait()
    deadline = time.monotonic() + timeout
    for request in session.requests:
        if time.monotonic() >= deadline:
            request.error = "not sent: the overall timeout passed"
            continue
        started = time.monotonic()
        try:
            if request.kind == "reply":
                for request.answer in student.stream("reply", *request.args):
                    if request.first_chunk_seconds is None:  # streamed: "" while the candidates are written
                        request.first_chunk_seconds = time.monotonic() - started
                request.own_answer = request.answer == request.expected
            else:
                request.answer = student.call("classify", *request.args)
                request.own_answer = classify_difference(request.answer, request.expected) <= CLASSIFY_TOLERANCE
            request.seconds = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - recorded and reported, the other sessions go on
            request.error = f"{type(error).__name__}: {error}"[:300]


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (`share` in 0..1)."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))], 3)


def summary(values: list[float]) -> dict[str, float | None]:
    return {"p50": percentile(values, 0.50), "p95": percentile(values, 0.95), "max": percentile(values, 1.0)}


def closest_is_own(answer: str, own: str, references: list[str]) -> bool:
    """True when `answer` is closer to its own reference reply than to every other chat's."""
    def closeness(reference: str) -> float:
        return difflib.SequenceMatcher(None, answer, reference).ratio()

    return all(closeness(own) > closeness(other) for other in references if other != own)


def ratio(value: float | None, reference: float | None) -> float | None:
    return round(value / reference, 2) if value is not None and reference else None


def measure(url: str, args: argparse.Namespace, tokenizer: Any) -> dict:
    new_student = partial(CLIENTS[args.client], url)
    planned = plan(args.sessions, args.requests, args.max_new_tokens, args.candidates)
    distinct = expectations(new_student(), planned)
    ready = threading.Barrier(args.sessions + 1)
    with ThreadPoolExecutor(max_workers=args.sessions) as pool:
        futures = [pool.submit(run_session, new_student, session, ready, args.timeout) for session in planned]
        ready.wait(timeout=120)  # every student has connected: the clock starts
        started, simulator_cpu = time.monotonic(), time.process_time()
        for future in futures:
            future.result()
        wall, simulator_cpu = time.monotonic() - started, time.process_time() - simulator_cpu
    requests = [r for s in planned for r in s.requests]
    answered = [r for r in requests if r.error is None]
    reply_tokens = sum(len(tokenizer(r.answer)["input_ids"]) for r in answered if r.kind == "reply" and isinstance(r.answer, str))
    by_kind = {kind: [r.seconds for r in answered if r.kind == kind] for kind in ("reply", "classify")}
    references = [r.expected for r in requests if r.kind == "reply"]
    same_as_alone = sum(r.own_answer for r in answered if r.kind == "reply")
    for request in answered:
        if request.kind == "reply" and not request.own_answer and isinstance(request.answer, str):
            request.own_answer = closest_is_own(request.answer, request.expected, references)
    return {
        "sessions": args.sessions,
        "client": args.client,
        "candidates": args.candidates,
        "requests": len(requests),
        "answered": len(answered),
        "own_answer": sum(r.own_answer for r in requests),
        "same_as_alone": same_as_alone,
        **distinct,
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(answered) / wall, 2),
        "reply_tokens_per_s": round(reply_tokens / wall, 1),
        "latency_s": summary([r.seconds for r in answered]),
        "reply_latency_s": summary(by_kind["reply"]),
        "reply_p95_over_alone_p50": ratio(summary(by_kind["reply"])["p95"], distinct["alone_reply_s"]["p50"]),
        # each reply against the same reply asked alone (replies differ in length: 5 to 40 tokens)
        "reply_slowdown": summary([r.seconds / r.alone_seconds for r in answered if r.kind == "reply" and r.alone_seconds]),
        "reply_first_chunk_s": summary([r.first_chunk_seconds for r in answered if r.first_chunk_seconds is not None]),
        "classify_latency_s": summary(by_kind["classify"]),
        "classify_max_difference": max((d for r in answered if r.kind == "classify"
                                        if (d := classify_difference(r.answer, r.expected)) != float("inf")), default=None),
        "max_new_tokens": args.max_new_tokens,
        "cpus": os.cpu_count(),
        "simulator_cpu_s": round(simulator_cpu, 1),
        "errors": [r.error for r in requests if r.error][:5],
        "not_own": [{"sent": r.args[0], "got": r.answer, "expected": r.expected} for r in answered if not r.own_answer][:3],
        "replies": [r.expected for r in requests if r.kind == "reply"],
    }


def measure_started_app(batching: bool, args: argparse.Namespace, tokenizer: Any) -> dict:
    """Start `python app.py` with batching on or off, measure it, stop it."""
    from tests.conftest import start_app, stop_app  # `python app.py` as the tests start it: loopback, offline

    app = start_app({"SCAMLAB_BATCHING": "1" if batching else "0"}, name="load-batching" if batching else "load-old")
    try:
        result = measure(app.url, args, tokenizer)
        # The scheduler logs its totals when it runs out of work, at most every 10 s: past that, one more reply.
        time.sleep(11)
        CLIENTS[args.client](app.url).call("reply", *chat_request(0, args.max_new_tokens, 1).args)
        time.sleep(1)
        reports = [line for line in app.log_path.read_text().splitlines() if " Scheduler: " in line]
        return {**result, "scheduler_report": reports[-1].split(" Scheduler: ")[1] if reports else None}
    finally:
        stop_app(app)


def side_by_side(results: dict[str, dict]) -> str:
    """A small text table of the figures the issue asks for, one column per mode."""
    rows = (("a single student's reply p50 / p95 (s)", "alone_reply_s"), ("reply p50 / p95 (s)", "reply_latency_s"), ("first piece p50 / p95 (s)", "reply_first_chunk_s"),
            ("spam check p50 / p95 (s)", "classify_latency_s"))
    lines = ["| | " + " | ".join(results) + " |", "|---" * (len(results) + 1) + "|"]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(f"{r[key]['p50']} / {r[key]['p95']}" for r in results.values()) + " |")
    for label, key in (("reply p95 / single p50", "reply_p95_over_alone_p50"),
                       ("each reply / the same reply alone, p50 / p95", "reply_slowdown"), ("reply tokens/s", "reply_tokens_per_s"), ("requests/s", "throughput_rps"),
                       ("students' own CPU (s)", "simulator_cpu_s"), ("answered / own", None)):
        cells = [f"{r['answered']}/{r['own_answer']} of {r['requests']}" if key is None else
                 f"{r[key]['p50']} / {r[key]['p95']}" if isinstance(r[key], dict) else str(r[key]) for r in results.values()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running app; default: start app.py on a free loopback port")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent client sessions (default 20)")
    parser.add_argument("--requests", type=int, default=3, help="requests per session, one after another (default 3)")
    parser.add_argument("--max-new-tokens", type=int, default=16, help="chat reply length cap (default 16)")
    parser.add_argument("--candidates", type=int, default=DEFAULT_CANDIDATES,
                        help=f"replies written per chat reply, the best one sent (default {DEFAULT_CANDIDATES}, as the chat tab)")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="http",
                        help="how students are simulated (default: http, browser-like sessions)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for each load phase (default 600)")
    parser.add_argument("--batching", choices=("both", "on", "off"), default="both",
                        help="the app started here: old path, scheduler, or both side by side (default both)")
    args = parser.parse_args(argv)

    from scamlab.config import load_settings
    from scamlab.engine import Engine

    tokenizer = Engine(load_settings(dotenv_path=None)).chat_backend().loaded.tokenizer  # counts reply tokens
    if args.url:
        results = {"as_is": measure(args.url, args, tokenizer)}
    else:
        modes = {"both": (False, True), "on": (True,), "off": (False,)}[args.batching]
        results = {("scheduler" if on else "old_path"): measure_started_app(on, args, tokenizer) for on in modes}
    if len(results) == 2:
        old, new = (results[mode]["replies"] for mode in ("old_path", "scheduler"))
        results["scheduler"]["same_as_old"] = sum(a == b for a, b in zip(old, new))
    print(side_by_side(results))
    for result in results.values():
        result.pop("replies")
    print(json.dumps(results))
    complete = all(r["answered"] == r["own_answer"] == r["requests"] for r in results.values())
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
