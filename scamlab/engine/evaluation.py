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
    """One message, whether it is spam, and where it came from (the CSV's optional `source` column)."""

    text: str
    is_spam: bool
    source: str = ""


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
            source = (row[columns["source"]] or "").strip() if "source" in columns else ""
            try:
                messages.append(LabelledMessage(text, parse_label(row[columns["label"]] or ""), source))
            except ValueError as error:
                raise ValueError(f"Line {line_number}: {error}") from None
    if not messages:
        raise ValueError("The CSV has no labelled messages.")
    return messages


def write_labelled_csv(path: Path, messages: Sequence[LabelledMessage]) -> None:
    """Write messages as `label,text` with labels spam/ham (and a `source` column when any message has one)."""
    with_source = any(m.source for m in messages)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["label", "text", "source"] if with_source else ["label", "text"])
        for m in messages:
            writer.writerow(["spam" if m.is_spam else "ham", m.text, m.source] if with_source else ["spam" if m.is_spam else "ham", m.text])


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


def roc_auc(is_spam: Sequence[bool], spam_probability: Sequence[float]) -> float | None:
    """Area under the ROC curve (the chance a random spam outscores a random genuine message; ties count half).

    None when one class is missing.
    """
    ranked = sorted(zip(spam_probability, is_spam))
    positives = sum(is_spam)
    negatives = len(ranked) - positives
    if not positives or not negatives:
        return None
    rank_sum, position = 0.0, 0
    while position < len(ranked):
        end = position
        while end < len(ranked) and ranked[end][0] == ranked[position][0]:
            end += 1
        average_rank = (position + end + 1) / 2  # 1-based ranks of the tied run
        rank_sum += average_rank * sum(label for _, label in ranked[position:end])
        position = end
    return round((rank_sum - positives * (positives + 1) / 2) / (positives * negatives), 4)


def reliability_bins(is_spam: Sequence[bool], spam_probability: Sequence[float], bins: int = 10) -> list[dict]:
    """Per probability bin: how many messages, their mean predicted probability and the share that is spam."""
    table = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [(p, t) for p, t in zip(spam_probability, is_spam) if low <= p < high or (index == bins - 1 and p == 1.0)]
        if members:
            table.append({"low": low, "high": high, "n": len(members),
                          "mean_probability": round(sum(p for p, _ in members) / len(members), 4),
                          "spam_share": round(sum(t for _, t in members) / len(members), 4)})
    return table


def expected_calibration_error(is_spam: Sequence[bool], spam_probability: Sequence[float], bins: int = 10) -> float:
    """The mean gap between predicted probability and observed spam share, weighted by bin size."""
    table = reliability_bins(is_spam, spam_probability, bins)
    total = sum(row["n"] for row in table)
    return round(sum(row["n"] * abs(row["mean_probability"] - row["spam_share"]) for row in table) / total, 4) if total else 0.0


def evaluation_report(messages: Sequence[LabelledMessage], spam_probability: Sequence[float], threshold: float = 0.5) -> dict:
    """`spam_metrics` with ROC AUC and calibration error, plus the same per `source` when the set has sources."""
    is_spam = [m.is_spam for m in messages]
    report = {**spam_metrics(is_spam, spam_probability, threshold), "roc_auc": roc_auc(is_spam, spam_probability),
              "ece": expected_calibration_error(is_spam, spam_probability)}
    sources = sorted({m.source for m in messages if m.source})
    if sources:
        report["by_source"] = {}
        for source in sources:
            rows = [(m.is_spam, p) for m, p in zip(messages, spam_probability) if m.source == source]
            truth, probabilities = [t for t, _ in rows], [p for _, p in rows]
            report["by_source"][source] = {**spam_metrics(truth, probabilities, threshold), "roc_auc": roc_auc(truth, probabilities)}
    return report
