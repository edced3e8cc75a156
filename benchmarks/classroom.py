"""Classroom load: 30 simulated students vote on one item while a chat reply is being written.

    python benchmarks/classroom.py                      # starts app.py on a free loopback port, offline
    python benchmarks/classroom.py --students 30 --rounds 3 --url http://127.0.0.1:7860/

Each student is one browser-like session (`benchmarks/students.py`) that joins the room and votes
(`/room_vote`); the teacher polls the tallies (`/room_state`) once a second, as the projected view does.
Meanwhile a chat reply streams (`/reply`, the bundled model) so the votes compete with the model for the CPU.
Every vote must be counted exactly once: the final tallies must equal the number of students. By default the
same rounds run twice, side by side: with browser-like students and with `gradio_client` students. One JSON
line per simulator: p50/p95 vote latency, p50/p95 tally-refresh latency, whether a reply was being written
throughout, and the CPU seconds the simulated students themselves spent (they share the 2 cores with the app).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from tempfile import mkdtemp

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from benchmarks.students import CLIENTS, Student  # noqa: E402 - after the path and the offline switch
from scamlab.engine.chat import DEFAULT_CANDIDATES  # noqa: E402


def percentile(values: list[float], share: float) -> float | None:
    """The `share` percentile (nearest rank) of `values`, in milliseconds rounded; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def keep_a_reply_going(student: Student, stop: threading.Event, replies: list[float]) -> None:
    """Ask for chat replies one after another until `stop` (each with many new tokens: a long one)."""
    while not stop.is_set():
        started = time.perf_counter()
        student.call("reply", [{"role": "user", "content": "Hello, who is this? I never gave you my number."}],
                     "scammer", "urgent", "bank", 0.7, 0.9, 120, 1, DEFAULT_CANDIDATES)
        replies.append(time.perf_counter() - started)


def run_round(new_student: Callable[[], Student], students: int) -> dict:
    """One room: everyone joins, then all vote at once while the teacher polls; latencies in seconds."""
    teacher = new_student()
    code = teacher.call("room_start")["code"]
    clients = [new_student() for _ in range(students)]
    with ThreadPoolExecutor(max_workers=students) as pool:
        tokens = list(pool.map(lambda n: clients[n].call("room_join", code, f"student {n}")["token"], range(students)))
        refreshes: list[float] = []
        voting = threading.Event()
        voting.set()

        def poll() -> None:
            while voting.is_set():
                started = time.perf_counter()
                teacher.call("room_state", code, "")
                refreshes.append(time.perf_counter() - started)
                time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))

        poller = threading.Thread(target=poll)
        poller.start()

        def vote(n: int) -> float:
            started = time.perf_counter()
            clients[n].call("room_vote", code, tokens[n], "scam" if n % 2 else "genuine")
            return time.perf_counter() - started

        simulator_cpu = time.process_time()
        votes = list(pool.map(vote, range(students)))
        simulator_cpu = time.process_time() - simulator_cpu
        time.sleep(1.5)  # a refresh or two after the last vote
        voting.clear()
        poller.join()
    tallies = teacher.call("room_state", code, "")["tallies"]
    return {"votes": votes, "refreshes": refreshes, "counted": sum(tallies.values()), "simulator_cpu": simulator_cpu}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one JSON line. Exit 1 when a vote was lost or counted twice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", help="a running app (default: start app.py on loopback)")
    parser.add_argument("--client", choices=[*sorted(CLIENTS), "both"], default="both",
                        help="how students are simulated: http (browser-like sessions), gradio_client, or both side "
                             "by side in one run (default)")
    args = parser.parse_args(argv)
    app = None
    if not args.url:
        from tests.conftest import start_app

        app = start_app({"SCAMLAB_DATA_DIR": mkdtemp(prefix="scamlab-bench-")}, name="bench-classroom")
    url = args.url or app.url
    try:
        reports = [measure(partial(CLIENTS[client], url), args.students, args.rounds) | {"client": client}
                   for client in (sorted(CLIENTS) if args.client == "both" else [args.client])]
    finally:
        if app is not None:
            from tests.conftest import stop_app

            stop_app(app)
    for report in reports:
        print(json.dumps(report))
    return 0 if all(report["every_vote_counted_once"] for report in reports) else 1


def measure(new_student: Callable[[], Student], students: int, rounds: int) -> dict:
    """`rounds` rooms of `students` voting while a chat reply is written; the figures as one dict."""
    stop, replies = threading.Event(), []
    writer = threading.Thread(target=keep_a_reply_going, args=(new_student(), stop, replies), daemon=True)
    writer.start()
    time.sleep(3)  # the first reply is under way
    results = [run_round(new_student, students) for _ in range(rounds)]
    reply_still_writing = writer.is_alive()
    stop.set()
    writer.join(timeout=120)
    votes = [seconds for result in results for seconds in result["votes"]]
    refreshes = [seconds for result in results for seconds in result["refreshes"]]
    return {"students": students, "rounds": rounds, "cpus": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "vote_ms": {"p50": percentile(votes, 0.5), "p95": percentile(votes, 0.95), "n": len(votes)},
            "tally_refresh_ms": {"p50": percentile(refreshes, 0.5), "p95": percentile(refreshes, 0.95),
                                 "n": len(refreshes)},
            "simulator_cpu_s_per_vote_burst": round(max(r["simulator_cpu"] for r in results), 2),
            "replies_finished_meanwhile": len(replies), "reply_still_writing_at_end": reply_still_writing,
            "every_vote_counted_once": all(r["counted"] == students for r in results)}

if __name__ == "__main__":
    sys.exit(main())
