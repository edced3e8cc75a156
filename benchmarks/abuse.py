"""Abuse benchmark: does one hostile student slow the class down?

    python benchmarks/abuse.py                  # starts app.py on a free loopback port, offline, with logins
    python benchmarks/abuse.py --seconds 45 --sessions 10

The app runs with a classroom login (one name per student, the default rate limit). After a warm-up
(`--warmup` seconds of the calm phase, not measured: the first replies of each scenario fill caches), three
phases of the same length, in one run, against the same server:

1. calm: `--sessions` normal students chat (`/reply`, a short reply) and check messages (`/classify`) at a
   normal pace, on a timetable: student n asks first at n / sessions of `--interval` into the phase, then every
   `--interval` seconds (12 by default: a reply, then reading it), or as soon as the previous answer is in when
   that comes later (`--together` starts them all at the same instant, the worst case);
2. hostile: the same students do the same, while one more student (`mallory`) sends the worst inputs we know,
   as fast as the server answers, each call from a fresh Gradio session (a new login, session hash and connection):
   10,000-character texts built to make backtracking regexes take quadratic time, a 2,000-message batch, and,
   every other call, a reply to a full 40-message conversation of such text with 5 candidates of 256 tokens;
   the hostile loop runs in a process of its own (a real one runs elsewhere; here it at least does not hold
   the normal students' interpreter), and its CPU seconds are reported (`hostile.cpu_s`);
3. calm again, as 1.

Students are browser-like sessions (`benchmarks/students.py`); `--client gradio_client` drives `gradio_client`
instead. It reports the normal students' latency (p50, p95, max) in each phase, the ratio of the p95s, and what
the hostile client got (answered, refused by a limit, other errors). Goal: the normal p95 no more than doubles.

"Added wait": each normal student sends the same requests in the same order in every phase, so the k-th request
of student n is paired across phases, and its latency with the hostile student minus its latency in the calm
phase is what the hostile one added (`added_wait_s`; `added_wait_after_s` against the calm phase after it). The
calm phases, paired the same way, show how much two calm runs differ without a hostile student (the noise
floor). Goal: no request waits more than 2 s more.
Loopback only; every loop is bounded by the phase length. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from benchmarks.students import CLIENTS, Student  # noqa: E402 - after the path set-up
from load import CHATS, CLASSIFY_TEMPLATES, WORDS, summary  # noqa: E402
from scamlab.engine.chat import DEFAULT_CANDIDATES  # noqa: E402

PASSWORD = "class-password"
HOSTILE = "mallory"
# Inputs that took seconds before the text handling was made linear-time (issue 10), at the 10k-character cap.
ADVERSARIAL = (
    ("b dot " * 1700)[:10_000],
    ("b (dot) " * 1300)[:10_000],
    ("x (at) b dot " * 800)[:10_000],
    "account" + " " * 9_990,
    "sort code" + " " * 9_990,
    ("a-" * 5_000)[:10_000],
    "hi\n" + " " * 9_996,
    "<" * 10_000,
)
# A normal student asks on a timetable, so the k-th request of student n starts at the same moment of every
# phase and the phases compare like with like. (Pausing a fixed time after each answer instead, a request that
# ended later shifted all of that student's later ones, the class's waves then met differently, and the paired
# differences measured the reshuffle as much as the hostile student.)
INTERVAL_SECONDS = 12.0


def normal_student(new_student: Callable[..., Student], name: str, number: int, start_after: float, interval: float,
                   until: float, latencies: dict[tuple[int, int], float], errors: list[str]) -> None:
    """Alternate a short chat reply and a spam check, request `step` at `start_after + step * interval` seconds
    (or when the previous one is answered, if later), until `until`; its latency is recorded under
    `(number, step)`."""
    student = new_student(auth=(name, PASSWORD))
    began = time.monotonic()
    step = 0
    while (due := began + start_after + step * interval) < until:
        time.sleep(max(0.0, due - time.monotonic()))
        started = time.monotonic()
        try:
            if step % 2 == 0:
                persona, style, scenario, text = CHATS[(number + step) % len(CHATS)]
                other = "scammer" if persona == "victim" else "victim"
                messages = [{"role": other, "content": text.format(w=WORDS[number % len(WORDS)])}]
                student.call("reply", messages, persona, style, scenario, 0.7, 0.9, 16, 0, DEFAULT_CANDIDATES)
            else:
                text = CLASSIFY_TEMPLATES[(number + step) % len(CLASSIFY_TEMPLATES)].format(w=f"{name}{step}")
                student.call("classify", text)
            latencies[number, step] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - recorded; the student goes on
            errors.append(f"{type(error).__name__}: {error}"[:200])
        step += 1


def hostile_student(new_student: Callable[..., Student], until: float, outcome: dict[str, int]) -> None:
    """The worst inputs, as fast as they are answered, each call from a brand-new session."""
    heavy_reply = ("reply", ([{"role": "scammer" if i % 2 else "victim", "content": ADVERSARIAL[i % 8][:1_000]}
                               for i in range(40)], "victim", "neutral", "bank", 0.7, 0.9, 256, 0, 5))
    batch = ("classify_batch", ([ADVERSARIAL[i % len(ADVERSARIAL)][:500] for i in range(2_000)],))
    # Every other call is the costliest reply there is (40 adversarial messages, 5 candidates, 256 tokens).
    attacks = [call for text in ADVERSARIAL for call in (heavy_reply, ("classify", (text,)))] + [heavy_reply, batch]
    count = 0
    while time.monotonic() < until:
        api_name, args = attacks[count % len(attacks)]
        count += 1
        try:
            new_student(auth=(HOSTILE, PASSWORD)).call(api_name, *args)
            outcome["answered"] += 1
        except Exception as error:  # noqa: BLE001 - a refusal is the expected answer to most of these
            refused = any(word in str(error).lower() for word in ("slow down", "too big", "too many", "wait for your last"))
            outcome["refused" if refused else "other_errors"] += 1


def hostile_process(new_student: Callable[..., Student], until: float, results: multiprocessing.Queue) -> None:
    """`hostile_student` in a process of its own (a real one runs on another machine: here it at least does
    not hold the normal students' interpreter); puts its outcome and its own CPU seconds on `results`."""
    outcome = {"answered": 0, "refused": 0, "other_errors": 0}
    hostile_student(new_student, until, outcome)
    results.put({**outcome, "cpu_s": round(time.process_time(), 1)})


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) process `pid` has used so far; None where /proc cannot tell (not Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def phase(new_student: Callable[..., Student], sessions: int, seconds: float, hostile: bool, stagger: bool,
          interval: float = INTERVAL_SECONDS, server_pid: int | None = None) -> dict:
    """One phase: `sessions` normal students (and maybe the hostile one) for `seconds`; with `stagger`, student
    n starts n / sessions of an interval after the first, as a class does (else all press at once). Also the
    CPU seconds the server (`server_pid`) and this benchmark's own clients used: both share the machine, and
    a real hostile student's client would run on their own (`hostile.cpu_s`: its process's)."""
    latencies: dict[tuple[int, int], float] = {}
    errors: list[str] = []
    server_before, clients_before = cpu_seconds(server_pid) if server_pid else None, time.process_time()
    until = time.monotonic() + seconds
    if hostile:  # forked before this phase's threads start
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        attacker = context.Process(target=hostile_process, args=(new_student, until, results), daemon=True)
        attacker.start()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        futures = [pool.submit(normal_student, new_student, f"student{n}", n, n * interval / sessions if stagger else 0.0,
                               interval, until, latencies, errors) for n in range(sessions)]
        for future in futures:
            future.result()
    server_after = cpu_seconds(server_pid) if server_pid else None
    result = {"normal_requests": len(latencies), "normal_errors": errors[:5],
              "normal_latency_s": summary(list(latencies.values())), "latencies": latencies,
              "server_cpu_s": round(server_after - server_before, 1) if server_before is not None and server_after is not None else None,
              "clients_cpu_s": round(time.process_time() - clients_before, 1)}
    if not hostile:
        return result
    outcome = results.get(timeout=seconds + 600)  # its last call may still be answering at the phase's end
    attacker.join()
    return {**result, "hostile": outcome}


def added_wait(calm: dict, other: dict) -> dict[str, float | int | None]:
    """Each normal request's latency in `other` minus the same request's in `calm` (pairs both phases have)."""
    pairs = calm["latencies"].keys() & other["latencies"].keys()
    added = [other["latencies"][key] - calm["latencies"][key] for key in pairs]
    return {"pairs": len(pairs), **summary(added), "over_2s": sum(1 for seconds in added if seconds > 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10, help="normal students (default 10)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase (default 60)")
    parser.add_argument("--warmup", type=float, default=20, help="seconds of calm use before the phases (default 20)")
    parser.add_argument("--together", action="store_true",
                        help="every student starts each phase at the same instant (default: spread over an interval)")
    parser.add_argument("--interval", type=float, default=INTERVAL_SECONDS,
                        help=f"seconds between a student's requests (default {INTERVAL_SECONDS:g})")
    parser.add_argument("--client", choices=sorted(CLIENTS), default="http",
                        help="how students are simulated (default: http, browser-like sessions)")
    args = parser.parse_args(argv)

    from tests.conftest import start_app, stop_app

    users = ",".join(f"student{n}:{PASSWORD}" for n in range(args.sessions)) + f",{HOSTILE}:{PASSWORD}"
    app = start_app({"SCAMLAB_USERS": users, "SCAMLAB_RATE_LIMIT": "10"}, name="abuse")
    try:
        new_student = partial(CLIENTS[args.client], app.url)
        run_phase = partial(phase, new_student, args.sessions, stagger=not args.together, interval=args.interval,
                            server_pid=app.process.pid)
        run_phase(args.warmup, hostile=False)
        calm = run_phase(args.seconds, hostile=False)
        under_attack = run_phase(args.seconds, hostile=True)
        calm_again = run_phase(args.seconds, hostile=False)
    finally:
        stop_app(app)
    calm_p95, attacked_p95 = calm["normal_latency_s"]["p95"], under_attack["normal_latency_s"]["p95"]
    result = {
        "sessions": args.sessions, "client": args.client, "together": args.together, "interval_s": args.interval, "phase_seconds": args.seconds,
        "cpus": os.cpu_count(),
        "added_wait_s": added_wait(calm, under_attack), "added_wait_after_s": added_wait(calm_again, under_attack),
        "calm_again_added_wait_s": added_wait(calm, calm_again),
        **{name: {key: value for key, value in result.items() if key != "latencies"}
           for name, result in (("calm", calm), ("hostile", under_attack), ("calm_again", calm_again))},
        "p95_ratio": round(attacked_p95 / calm_p95, 2) if calm_p95 and attacked_p95 else None,
    }
    print(json.dumps(result))
    return 0 if not any(result["normal_errors"] for result in (calm, under_attack, calm_again)) else 1


if __name__ == "__main__":
    sys.exit(main())
