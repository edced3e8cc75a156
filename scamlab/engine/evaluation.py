"""Labelled message sets and the figures computed on them (shared by the CLI, the trainer and the UI)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SPAM_LABELS = {"spam", "1", "scam", "true"}
NOT_SPAM_LABELS = {"ham", "not_spam", "0", "safe", "false", "not spam"}


@dataclass(frozen=True)
class LabelledMessage:
    """One message and whether it is spam."""

    text: str
    is_spam: bool


def parse_label(raw: str) -> bool:
    """`True` for spam; accepts spam/ham, spam/not_spam and 1/0 (any case)."""
    label = raw.strip().lower()
    if label in SPAM_LABELS:
        return True
    if label in NOT_SPAM_LABELS:
        return False
    raise ValueError(f"Unknown label {raw!r}: use spam/ham, spam/not_spam or 1/0.")


def read_labelled_csv(source: str | Path | io.TextIOBase) -> list[LabelledMessage]:
    """Messages from a CSV with `label` and `text` columns (header required, any column order)."""
    handle = open(source, newline="", encoding="utf-8") if isinstance(source, (str, Path)) else source
    with handle:
        reader = csv.DictReader(handle)
        columns = {name.strip().lower(): name for name in reader.fieldnames or []}
        if "label" not in columns or "text" not in columns:
            raise ValueError(f"The CSV needs 'label' and 'text' columns; it has: {', '.join(columns) or 'none'}.")
        messages = []
        for line_number, row in enumerate(reader, start=2):
            text = (row[columns["text"]] or "").strip()
            if not text:
                continue
            try:
                messages.append(LabelledMessage(text, parse_label(row[columns["label"]] or "")))
            except ValueError as error:
                raise ValueError(f"Line {line_number}: {error}") from None
    if not messages:
        raise ValueError("The CSV has no labelled messages.")
    return messages


def write_labelled_csv(path: Path, messages: Sequence[LabelledMessage]) -> None:
    """Write messages as `label,text` with labels spam/ham."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["label", "text"])
        writer.writerows(["spam" if m.is_spam else "ham", m.text] for m in messages)


def spam_metrics(is_spam: Sequence[bool], spam_probability: Sequence[float], threshold: float = 0.5) -> dict:
    """Accuracy, and precision / recall / F1 for the spam class, with the confusion counts."""
    predicted = [p >= threshold for p in spam_probability]
    tp = sum(t and p for t, p in zip(is_spam, predicted))
    tn = sum(not t and not p for t, p in zip(is_spam, predicted))
    fp = sum(not t and p for t, p in zip(is_spam, predicted))
    fn = sum(t and not p for t, p in zip(is_spam, predicted))
    n = len(predicted)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": round((tp + tn) / n, 4) if n else 0.0,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "n": n,
        "threshold": threshold,
        "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn},
    }
