"""Many messages at once through the engine: batch triage and labelled-set evaluation, as plain values.

`batch_files` reads the files; this module classifies what they hold. The classifier tab draws the results,
and `python -m scamlab evaluate` uses the same reader and engine call, so the figures agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scamlab.batch_files import BatchItem, cap_batch
from scamlab.engine import Engine
from scamlab.engine.evaluation import LabelledMessage, evaluation_report, read_labelled_csv
from scamlab.verdicts import scam_tags, verdict_for

MAX_EVALUATION_MESSAGES = 5_000
PREVIEW_CHARS = 110
ERROR_VERDICT = "Error"

Progress = Callable[[int, int], None]


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- batch triage --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageResult:
    """The table rows of one batch (most suspicious first), the full texts by source, and plain-text notices."""

    rows: list[dict[str, Any]]
    texts: dict[str, str]
    notices: list[str]


def _error_row(source: str, error: str) -> dict[str, Any]:
    return {"source": source, "preview": error, "verdict": ERROR_VERDICT, "spam probability": None, "tags": ""}


def _verdict_row(item: BatchItem, spam_probability: float) -> dict[str, Any]:
    return {
        "source": item.source,
        "preview": preview(item.text),
        "verdict": verdict_for(spam_probability),
        "spam probability": round(spam_probability, 4),
        "tags": ", ".join(scam_tags(item.text)),
    }


def triage(engine: Engine, items: Sequence[BatchItem], progress: Progress | None = None) -> TriageResult:
    """Classify every message item; error items (and texts the engine refuses) become error rows."""
    items, notice = cap_batch(items)
    notices = [notice] if notice else []
    messages = [item for item in items if not item.is_error]
    rows = [_error_row(item.source, item.error) for item in items if item.is_error]
    results = engine.batch_classify([item.text for item in messages], progress=progress) if messages else []
    texts, cut = {}, 0
    for item, result in zip(messages, results):
        if "error" in result:
            rows.append(_error_row(item.source, f"{item.source}: {result['error']}"))
            continue
        cut += "notice" in result
        texts[item.source] = item.text
        rows.append(_verdict_row(item, result["probabilities"]["spam"]))
    if cut:
        notices.append(f"{cut} message(s) were longer than {engine.settings.max_input_chars:,} characters; only the start was checked.")
    errors = sum(row["verdict"] == ERROR_VERDICT for row in rows)
    if errors:
        notices.append(f"{errors} file(s) or line(s) could not be checked: see the rows marked {ERROR_VERDICT}.")
    rows.sort(key=lambda row: -1.0 if row["spam probability"] is None else row["spam probability"], reverse=True)
    return TriageResult(rows, texts, notices)


# --- evaluation ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationRun:
    """A labelled set and the classifier's spam probabilities: enough to recompute any threshold."""

    messages: list[LabelledMessage]
    probabilities: list[float]

    @property
    def texts(self) -> list[str]:
        return [message.text for message in self.messages]

    @property
    def is_spam(self) -> list[bool]:
        return [message.is_spam for message in self.messages]

    def metrics(self, threshold: float) -> dict:
        """The figures `python -m scamlab evaluate` prints, at `threshold` (ROC AUC, calibration, per source too)."""
        return evaluation_report(self.messages, self.probabilities, threshold)


def evaluate_labelled_csv(engine: Engine, path: str | Path, progress: Progress | None = None) -> EvaluationRun:
    """Classify a `label,text` CSV, as `python -m scamlab evaluate` does (same reader, same engine call)."""
    messages = read_labelled_csv(path)
    if len(messages) > MAX_EVALUATION_MESSAGES:
        raise ValueError(f"The file has {len(messages):,} messages; this tab evaluates at most {MAX_EVALUATION_MESSAGES:,}. "
                         "Use `python -m scamlab evaluate` for bigger files.")
    return EvaluationRun(messages, labelled_probabilities(engine, messages, progress=progress))


def labelled_probabilities(engine: Engine, messages: list[LabelledMessage], batch_size: int = 16,
                           progress: Progress | None = None) -> list[float]:
    """The spam probability of each labelled message; `ValueError` naming the first one the engine cannot read
    (control characters only): a labelled set with a hole in it would give wrong figures."""
    results = engine.batch_classify([m.text for m in messages], batch_size, progress)
    for number, result in enumerate(results, start=1):
        if "error" in result:
            raise ValueError(f"Message {number}: {result['error']}")
    return [result["probabilities"]["spam"] for result in results]
