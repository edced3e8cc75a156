"""Every function that reads user, file or model text runs in linear time on adversarial input.

A regex that backtracks holds Python's GIL: one crafted 10,000-character message froze the server for
every user for seconds. `CASES` is the one table: each row pairs a text function with an input built to
make a backtracking pattern (or a rescanning parser) go quadratic. Each must finish at 10k characters
within `BOUND_10K_SECONDS`, and its time at 40k characters must stay within `MAX_GROWTH` times its 10k time
(linear is 4x; quadratic would be 16x).

Timing on a shared machine: times are this thread's CPU time (`time.thread_time`), so waiting for a core
that other processes hold does not count; rounds at 10k and 40k alternate, and each size keeps its fastest
of 3 rounds (noise only ever adds time). A fast call is repeated within a round until the round lasts about
`ROUND_SECONDS`, so a microsecond function is timed as surely as a slow one.
"""

from __future__ import annotations

import contextlib
import gc
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scamlab.batch_files import html_text, parse_pasted, parse_upload
from scamlab.engine.reply_cleaning import clean_partial_reply, clean_reply, cut_at_sentence_end, is_finished_turn
from scamlab.engine.inputs import prepare_text
from scamlab.red_flags import find_red_flags, highlight_segments
from scamlab.safety import scrub_contact_points
from scamlab.transcripts import FORMAT, Turn, from_json, new_transcript, to_markdown
from scamlab.verdicts import scam_tags

SMALL, LARGE = 10_000, 40_000
BOUND_10K_SECONDS = 1.0
# Linear is 4x, quadratic 16x: 8x is halfway on a log scale. (6x failed once on a linear function, 1.9 ms ->
# 11.7 ms, in a full suite run on the 2-core box; quiet, the same function measures 3.4x to 4.0x.)
MAX_GROWTH = 8.0
ROUND_SECONDS = 0.02
SYSTEM_TEXT = "You are a scammer in a classroom simulation. Write only your next text message. Keep it short."


@dataclass(frozen=True)
class Adversary:
    """An input of about `n` characters built to make a text function slow; `label` names it in test ids."""

    label: str
    build: Callable[[int], str]


def repeated(unit: str) -> Adversary:
    """`unit` repeated to `n` characters."""
    return Adversary(f"{unit!r}*n", lambda n: (unit * (n // len(unit) + 1))[:n])


def padded(prefix: str, fill: str = " ", suffix: str = "") -> Adversary:
    """`prefix`, then `fill` repeated, then `suffix`: `n` characters in all."""
    label = f"{prefix!r}+{fill!r}*n" + (f"+{suffix!r}" if suffix else "")
    return Adversary(label, lambda n: prefix + fill * ((n - len(prefix) - len(suffix)) // len(fill)) + suffix)


# --- the functions, each wrapped to take one string -----------------------------------------------------


def _upload(suffix: str, header: str = "") -> Callable[[str], object]:
    """Parse `text` as an uploaded file of that type (written to a fresh temporary folder)."""

    def parse(text: str) -> object:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            path.write_bytes((header + text).encode("utf-8", "surrogatepass"))
            return parse_upload(path, max_bytes=10 * 1024 * 1024)

    parse.__name__ = f"parse_upload_{suffix.lstrip('.')}"
    return parse


EML_HTML_HEADER = "Subject: Prize\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
EML_PLAIN_HEADER = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"


def transcript_json_one_turn(text: str) -> object:
    """Import a transcript whose only message is `text` (refused over the limits, never slow)."""
    data = {"format": FORMAT, "version": 1, "id": "x", "title": "t", "scenario": "bank", "persona": "scammer",
            "style": "neutral", "turns": [{"speaker": "scammer", "text": text}]}
    return _refused_or_read(json.dumps(data))


def transcript_json(text: str) -> object:
    """Import `text` as a transcript file as it is."""
    return _refused_or_read(text)


def _refused_or_read(text: str) -> object:
    try:
        return from_json(text)
    except ValueError as error:
        return error


def markdown_handout(text: str) -> str:
    """The handout of a conversation with `text` as its one message (transcripts made in the app)."""
    return to_markdown(new_transcript("bank", "scammer", "neutral", turns=(Turn("scammer", text),)))


def prepared(text: str) -> object:
    try:
        return prepare_text(text, max_chars=10 * LARGE)
    except ValueError as error:  # all control characters: empty once stripped
        return error


def cleaned_reply(text: str) -> str:
    return clean_reply(text, SYSTEM_TEXT)


def cleaned_partial_reply(text: str) -> str:
    return clean_partial_reply(text, SYSTEM_TEXT)


# --- the table -----------------------------------------------------------------------------------------

# Inputs that trouble patterns built from words, links and numbers: reused for every keyword function.
WORDS_AND_LINKS = (
    repeated("a-"), repeated("a."), repeated("a"), repeated(" "), repeated("www."), repeated("http://"),
    repeated("x.com/"), repeated("a[.]"), repeated("pay "), repeated("1 "), repeated("1,"), repeated("é"),
    repeated("\ud83d"), padded("within 1", " 1"), padded("earn £", "1,"), padded("your ", "a"),
    padded("don", "'"), repeated("hi, "), repeated("Scammer: "), repeated("\n"),
)
# Inputs that trouble the reply cleaning: runs of spaces, line breaks, stars, brackets and quotes.
MODEL_OUTPUT = (
    padded("hi\n"), padded("hi\n", " *"), padded("\n", "\n "), repeated("\n *"), padded("(", "a"),
    repeated("("), repeated("<|"), padded('"', "a"), padded("a\n", "*"), repeated(". "), repeated(".a"),
    repeated("Scammer: "), padded("Victim:", " "), repeated("😀"), repeated("?!"), padded("a", " ", "."),
)
HTML = (
    repeated("<"), repeated("<a "), repeated("<a\n"), repeated("<!--"), repeated("<!-->"), repeated("<a b='"),
    repeated("<a b='<"), repeated("<![CDATA["), repeated("<!["), repeated("</"), repeated("</a "),
    repeated("<?"), repeated("<!x"), repeated("a<b"), repeated("<a b=c "), repeated("<a ='"), repeated("<a/"),
    repeated("<script>"), repeated("<script>a</script>"), repeated("<head>"), repeated("<!doctype x>"),
    repeated("<p>"), repeated("&amp;"), repeated("&#"), padded("<a", " a="), padded("<a", " a'"),
)
LINES = (repeated("\n"), repeated("a\n"), repeated("\r"), repeated('"'), repeated(","), repeated('"a",'))
TURN_JSON = '{"speaker": "victim", "text": "x"}'
TRANSCRIPT_FILES = (
    repeated("["), repeated("{"), repeated('"'),
    Adversary("many turns", lambda n: '{"format": "scamlab-transcript", "version": 1, "turns": ['
              + ",".join([TURN_JSON] * ((n - 58) // (len(TURN_JSON) + 1))) + "]}"),
    Adversary("long id", lambda n: json.dumps({"format": FORMAT, "version": 1, "id": "x/.." * (n // 4),
                                               "title": "t", "scenario": "bank", "persona": "scammer",
                                               "style": "neutral", "turns": []})),
)
CONTACT_POINTS = (
    repeated("b dot "), repeated("b (dot) "), padded("x (at) ", "b dot "), padded("account"), padded("sort code"),
    repeated("1-"), repeated("1 "), repeated("1."), repeated("1 - "), repeated("+4"), repeated("a@"),
    repeated("h t t p s : / / "), repeated("x.co"), repeated("@a"),
)

CASES: list[tuple[Callable[..., object], Adversary]] = [
    *((function, adversary) for function in (find_red_flags, highlight_segments, scam_tags, markdown_handout)
      for adversary in WORDS_AND_LINKS),
    *((prepared, adversary) for adversary in (repeated("\x00"), repeated("\ud83d"), repeated("a \x7f"))),
    *((function, adversary) for function in (cleaned_reply, cleaned_partial_reply, is_finished_turn, cut_at_sentence_end)
      for adversary in MODEL_OUTPUT),
    *((html_text, adversary) for adversary in HTML),
    *((_upload(".eml", EML_HTML_HEADER), adversary) for adversary in HTML),
    (_upload(".eml", EML_PLAIN_HEADER), padded("Subject: ", "=?utf-8?q?a?= ", "\r\n\r\nHi")),
    (_upload(".eml", EML_PLAIN_HEADER), padded("Subject: ", "a\r\n ", "\r\n\r\nHi")),
    *((function, adversary) for function in (_upload(".txt"), _upload(".csv", "text\n"), parse_pasted)
      for adversary in LINES),
    *((transcript_json_one_turn, adversary) for adversary in (repeated("b dot "), repeated("a-"), repeated("\ud83d"))),
    *((transcript_json, adversary) for adversary in TRANSCRIPT_FILES),
    *((scrub_contact_points, adversary) for adversary in CONTACT_POINTS),
]


def _case_id(case: tuple[Callable[..., object], Adversary]) -> str:
    function, adversary = case
    return f"{function.__name__}[{adversary.label}]"


def _cpu_seconds_per_call(function: Callable[[str], object], text: str, calls: int) -> float:
    start = time.thread_time()
    for _ in range(calls):
        function(text)
    return (time.thread_time() - start) / calls


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while timing: in the full suite the process holds the models' many objects,
    and a collection that happened to fall in the larger round made a linear function look 6x slower for 4x."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("function, adversary", CASES, ids=[_case_id(case) for case in CASES])
def test_text_function_runs_in_linear_time(function: Callable[[str], object], adversary: Adversary) -> None:
    small, large = adversary.build(SMALL), adversary.build(LARGE)
    with _collector_paused():
        small_seconds, large_seconds = _timed(function, small, large)
    assert large_seconds <= MAX_GROWTH * small_seconds, (
        f"{len(small):,} → {len(large):,} characters made it {large_seconds / small_seconds:.1f}x slower "
        f"(linear: 4x): {small_seconds * 1000:.2f} ms → {large_seconds * 1000:.2f} ms"
    )


def _timed(function: Callable[[str], object], small: str, large: str) -> tuple[float, float]:
    """The best CPU seconds per call at 10k and at 40k characters (a second set of rounds when the first looks slow)."""
    first_call = _cpu_seconds_per_call(function, small, 1)
    assert first_call < BOUND_10K_SECONDS, f"{first_call:.2f} s at {len(small):,} characters"
    small_calls = max(1, int(ROUND_SECONDS / max(first_call, 1e-6)))
    small_rounds, large_rounds = [], []
    for _ in range(2):  # a second set of rounds only when the first looks too slow
        for _ in range(3):
            small_rounds.append(_cpu_seconds_per_call(function, small, small_calls))
            large_rounds.append(_cpu_seconds_per_call(function, large, max(1, small_calls // 4)))
        small_seconds, large_seconds = min(small_rounds), min(large_rounds)
        if large_seconds <= MAX_GROWTH * small_seconds:
            break
    return small_seconds, large_seconds


def test_the_adversaries_have_the_sizes_they_claim() -> None:
    for _, adversary in CASES:
        assert abs(len(adversary.build(SMALL)) - SMALL) <= 200, adversary.label
