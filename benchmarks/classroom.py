"""Classroom load: 30 simulated students vote on one item while a chat reply is being written.

    python benchmarks/classroom.py                      # starts app.py on a free loopback port, offline
    python benchmarks/classroom.py --students 30 --rounds 3 --url http://127.0.0.1:7860/

Each student is one `gradio_client` session that joins the room and votes (`/room_vote`); the teacher polls the
tallies (`/room_state`) once a second, as the projected view does. Meanwhile a chat reply streams (`/reply`, the
bundled model) so the votes compete with the model for the CPU. Every vote must be counted exactly once: the
final tallies must equal the number of students. The last line printed is one JSON object with p50/p95 vote
latency, p50/p95 tally-refresh latency, and whether a reply was being written throughout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import mkdtemp

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def percentile(values: list[float], share: float) -> float | None:
    """The `share` percentile (nearest rank) of `values`, in milliseconds rounded; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def connect(url: str):
    """A `gradio_client` session that waits long enough for an answer on a machine shared by many."""
    from gradio_client import Client

    return Client(url, verbose=False, httpx_kwargs={"timeout": 300})


def keep_a_reply_going(url: str, stop: threading.Event, replies: list[float]) -> None:
    """Ask for chat replies one after another until `stop` (each with many new tokens: a long one)."""
    chat = connect(url)
    while not stop.is_set():
        started = time.perf_counter()
        chat.predict([{"role": "user", "content": "Hello, who is this? I never gave you my number."}],
                     "scammer", "urgent", "bank", 0.7, 0.9, 120, 1, api_name="/reply")
        replies.append(time.perf_counter() - started)


def run_round(url: str, students: int) -> dict:
    """One room: everyone joins, then all vote at once while the teacher polls; latencies in seconds."""
    teacher = connect(url)
    code = teacher.predict(api_name="/room_start")["code"]
    clients = [connect(url) for _ in range(students)]
    with ThreadPoolExecutor(max_workers=students) as pool:
        tokens = list(pool.map(lambda n: clients[n].predict(code, f"student {n}", api_name="/room_join")["token"],
                               range(students)))
        refreshes: list[float] = []
        voting = threading.Event()
        voting.set()

        def poll() -> None:
            while voting.is_set():
                started = time.perf_counter()
                teacher.predict(code, "", api_name="/room_state")
                refreshes.append(time.perf_counter() - started)
                time.sleep(max(0.0, 1.0 - (time.perf_counter() - started)))

        poller = threading.Thread(target=poll)
        poller.start()

        def vote(n: int) -> float:
            started = time.perf_counter()
            clients[n].predict(code, tokens[n], "scam" if n % 2 else "genuine", api_name="/room_vote")
            return time.perf_counter() - started

        votes = list(pool.map(vote, range(students)))
        time.sleep(1.5)  # a refresh or two after the last vote
        voting.clear()
        poller.join()
    tallies = teacher.predict(code, "", api_name="/room_state")["tallies"]
    return {"votes": votes, "refreshes": refreshes, "counted": sum(tallies.values())}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print one JSON line. Exit 1 when a vote was lost or counted twice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--url", help="a running app (default: start app.py on loopback)")
    args = parser.parse_args(argv)
    app = None
    if not args.url:
        from tests.conftest import start_app

        app = start_app({"SCAMLAB_DATA_DIR": mkdtemp(prefix="scamlab-bench-")}, name="bench-classroom")
    url = args.url or app.url
    try:
        stop, replies = threading.Event(), []
        writer = threading.Thread(target=keep_a_reply_going, args=(url, stop, replies), daemon=True)
        writer.start()
        time.sleep(3)  # the first reply is under way
        rounds = [run_round(url, args.students) for _ in range(args.rounds)]
        reply_still_writing = writer.is_alive()
        stop.set()
        writer.join(timeout=120)
    finally:
        if app is not None:
            from tests.conftest import stop_app

            stop_app(app)
    votes = [seconds for result in rounds for seconds in result["votes"]]
    refreshes = [seconds for result in rounds for seconds in result["refreshes"]]
    report = {"students": args.students, "rounds": args.rounds, "cpus": os.cpu_count(),
              "load_average_1min": round(os.getloadavg()[0], 1),
              "vote_ms": {"p50": percentile(votes, 0.5), "p95": percentile(votes, 0.95), "n": len(votes)},
              "tally_refresh_ms": {"p50": percentile(refreshes, 0.5), "p95": percentile(refreshes, 0.95),
                                   "n": len(refreshes)},
              "replies_finished_meanwhile": len(replies), "reply_still_writing_at_end": reply_still_writing,
              "every_vote_counted_once": all(r["counted"] == args.students for r in rounds)}
    print(json.dumps(report))
    return 0 if report["every_vote_counted_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
