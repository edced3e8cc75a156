"""What the classifier tab shows, as plain values: verdict text, tables, figures, the results file. No components.

The tab's handlers get results from the engine (`scamlab.batch` for many messages), turn them into these and
hand them to components; tests call them directly.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from scamlab.batch import ERROR_VERDICT, EvaluationRun, preview
from scamlab.batch_files import BatchItem, parse_pasted, parse_upload, unique_sources
from scamlab.engine.evaluation import reliability_bins
from scamlab.personas import DEFAULT_STYLE_ID
from scamlab.red_flags import flagged_rules
from scamlab.scenarios import DEFAULT_SCENARIO_ID
from scamlab.transcripts import Transcript, Turn, new_transcript
from scamlab.ui.common import download_folder, escape_markdown
from scamlab.verdicts import LIKELY_SCAM, VERDICT_BANDS, verdict_for

TABLE_COLUMNS = ["source", "preview", "verdict", "spam probability", "tags"]
FLAG_COLUMNS = ["message", "who", "text", "red flags"]
# A pasted chat's sides as the chat meter draws them, and as the flags table names them.
SPEAKER_OF_ROLE = {"them": "scammer", "me": "victim"}
WHO = {"them": "Them", "me": "You"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- one message ---------------------------------------------------------------------------------------


def verdict_range(spam_probability: float) -> tuple[float, float]:
    """The probability range of the verdict band that `spam_probability` falls in."""
    upper = 1.0
    for band in VERDICT_BANDS:
        if spam_probability >= band.lower_bound:
            return band.lower_bound, upper
        upper = band.lower_bound
    return 0.0, upper


def verdict_markdown(spam_probability: float, tags: Sequence[str], evidence: Sequence[str] = ()) -> str:
    """The verdict, its band and meaning, what weighed most (when the classifier says), and the scam types."""
    label = verdict_for(spam_probability)
    band = next(band for band in VERDICT_BANDS if band.label == label)
    lower, upper = verdict_range(spam_probability)
    kinds = " · ".join(f"`{tag}`" for tag in tags) if tags else "no particular scam type recognised"
    weighed = f"**What weighed most:** {' · '.join(evidence)}\n\n" if evidence else ""
    return (
        f"### Verdict: {label}\n"
        f"Spam probability **{spam_probability:.2f}**, in the band {lower:.2f} to {upper:.2f}. {band.meaning}\n\n"
        f"{weighed}**Looks like:** {kinds}"
    )


def weighed_evidence(result: dict, most: int = 3) -> list[str]:
    """The classifier result's main evidence first, then the next pieces, as the verdict names them."""
    named = [result["main_evidence"]] if result.get("main_evidence") else []
    named += [piece["says"] for piece in result.get("evidence", ()) if piece["says"] not in named]
    return named[:most]


# --- a pasted conversation ----------------------------------------------------------------------------


def pasted_transcript(messages: Sequence[dict[str, str]], scores: dict) -> Transcript:
    """A pasted chat as a transcript the chat meter can draw: "them" as the scammer, "me" as the victim, each
    message with its own score (theirs only) and the conversation score so far (from `score_conversation`)."""
    turns = tuple(
        Turn(SPEAKER_OF_ROLE[message["role"]], message["content"], by_ai=False, spam_probability=own, conversation_score=so_far)
        for message, own, so_far in zip(messages, scores["message_scores"], scores["turn_scores"])
    )
    return new_transcript(DEFAULT_SCENARIO_ID, "victim", DEFAULT_STYLE_ID, title="Pasted conversation", turns=turns)


def conversation_verdict_markdown(messages: Sequence[dict[str, str]], scores: dict) -> str:
    """Whether the meter crossed the "likely scam" line (where, quoting that message literally), and the final score."""
    final = scores["scam_probability"]
    flagged = scores["first_flag_turn"]
    ending = (f"Conversation scam probability at the end: **{final:.2f}** ({verdict_for(final)}), "
              f"over {len(messages):,} messages; the line is {LIKELY_SCAM:.2f}.")
    if flagged is None:
        return f"### Below the line throughout\n{ending} Still: never share a code, a password or money with a caller."
    message = messages[flagged - 1]
    quote = escape_markdown(preview(message["content"]))
    return (f"### Likely scam: the meter crossed the line at message {flagged}\n"
            f"Message {flagged} ({WHO[message['role']]}): “{quote}”\n\n{ending}")


def message_flags_table(messages: Sequence[dict[str, str]]) -> pd.DataFrame:
    """One row per message: its number, who wrote it, its start, and the red flags the rules find in it (or "none")."""
    rows = [(n, WHO[message["role"]], preview(message["content"], 80),
             ", ".join(rule.label for rule in flagged_rules(message["content"])) or "none")
            for n, message in enumerate(messages, start=1)]
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)


# --- batch triage --------------------------------------------------------------------------------------


def upload_paths(files: Sequence[Any] | None) -> list[str]:
    """File paths from a `gr.File(file_count="multiple")` value."""
    return [str(getattr(file, "name", file)) for file in files or []]


def collect_items(paths: Sequence[str], pasted: str | None, text_column: str | None) -> list[BatchItem]:
    """Every uploaded file's items, then the pasted lines, with unique sources."""
    items = [item for path in paths for item in parse_upload(path, text_column or None)]
    return unique_sources(items + parse_pasted(pasted))


def triage_table(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The rows as the results table shows them."""
    return pd.DataFrame(list(rows), columns=TABLE_COLUMNS)


def verdict_counts(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Messages per verdict, in band order (errors last, only when there are some)."""
    labels = [band.label for band in VERDICT_BANDS]
    if any(row["verdict"] == ERROR_VERDICT for row in rows):
        labels.append(ERROR_VERDICT)
    return pd.DataFrame({"verdict": labels, "messages": [sum(row["verdict"] == label for row in rows) for label in labels]})


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: a message starting with =, +, -, @ (or a tab or carriage return) would
    otherwise run as a formula when the teacher opens the file, so it gets a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def write_results_csv(rows: Sequence[dict[str, Any]], texts: dict[str, str]) -> Path:
    """The batch results as a CSV file (full texts included) in a fresh download folder (removed after an hour)."""
    path = download_folder("triage") / "scamlab-triage.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "verdict", "spam_probability", "tags", "text_or_error"])
        for row in rows:
            text = texts.get(row["source"], row["preview"])
            cells = [row["source"], row["verdict"], row["spam probability"], row["tags"], text]
            writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return path


# --- evaluation ----------------------------------------------------------------------------------------


MAX_SOURCE_ROWS = 50  # sources shown in the evaluation's table (a CSV may name one per row)


def _four_places(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def metrics_markdown(metrics: dict) -> str:
    """The figures at the threshold, ROC AUC and calibration error, and a row per `source` when the CSV has one."""
    text = ("| Accuracy | Precision | Recall | F1 | ROC AUC | Calibration error | Messages | Threshold |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
            f"| {metrics['accuracy']:.4f} | {metrics['precision']:.4f} | {metrics['recall']:.4f} | {metrics['f1']:.4f} "
            f"| {_four_places(metrics.get('roc_auc'))} | {_four_places(metrics.get('ece'))} | {metrics['n']:,} | {metrics['threshold']:.2f} |\n\n"
            "Precision: of the messages flagged as spam, how many were. Recall: of the spam, how much was caught. "
            "ROC AUC: how often a spam message scores above a genuine one (any threshold). Calibration error: "
            "the average gap between the probability shown and how often such messages really are spam.")
    sources = list(metrics.get("by_source", {}).items())[:MAX_SOURCE_ROWS]
    if sources:
        text += "\n\n| Source | Messages | Precision | Recall | F1 | ROC AUC |\n| --- | --- | --- | --- | --- | --- |\n"
        text += "\n".join(f"| {escape_markdown(' '.join(name.split()))} | {row['n']:,} | {row['precision']:.4f} | {row['recall']:.4f} "
                          f"| {row['f1']:.4f} | {_four_places(row.get('roc_auc'))} |" for name, row in sources)
    return text


def reliability_figure(is_spam: Sequence[bool], probabilities: Sequence[float]) -> Figure:
    """The reliability diagram: per probability bin, the share that really is spam against the probability shown."""
    bins = reliability_bins(is_spam, probabilities)
    figure = Figure(figsize=(4.2, 3.4), dpi=100)
    axes = figure.subplots()
    axes.plot([0, 1], [0, 1], color="#9ca3af", linestyle="--", linewidth=1, label="perfectly calibrated")
    axes.bar([row["mean_probability"] for row in bins], [row["spam_share"] for row in bins], width=0.07,
             color="#2563eb", alpha=0.8, label="really spam")
    for row in bins:
        axes.annotate(f"{row['n']:,}", (row["mean_probability"], row["spam_share"]), ha="center", va="bottom", fontsize=7)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.08)
    axes.set_xlabel("spam probability shown")
    axes.set_ylabel("share that is spam")
    axes.set_title("Reliability (numbers: messages per bin)", fontsize=10)
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    return figure


def confusion_figure(metrics: dict) -> Figure:
    """A 2x2 confusion matrix (rows: the truth, columns: the prediction)."""
    c = metrics["confusion"]
    counts = [[c["tp"], c["fn"]], [c["fp"], c["tn"]]]
    names = [["caught spam", "missed spam"], ["false alarm", "correct ham"]]
    figure = Figure(figsize=(4.2, 3.4), dpi=100)
    axes = figure.subplots()
    axes.imshow([[1, 0], [0, 1]], cmap="Greens", vmin=-0.6, vmax=1.4)
    for row in range(2):
        for column in range(2):
            axes.text(column, row, f"{counts[row][column]:,}\n{names[row][column]}", ha="center", va="center", fontsize=10)
    axes.set_xticks([0, 1], ["spam", "ham"])
    axes.set_yticks([0, 1], ["spam", "ham"])
    axes.set_xlabel("predicted")
    axes.set_ylabel("actual")
    axes.set_title(f"Threshold {metrics['threshold']:.2f}", fontsize=10)
    figure.tight_layout()
    return figure


def misclassified_table(run: EvaluationRun, threshold: float) -> pd.DataFrame:
    """The messages the classifier got wrong at `threshold`, most confidently wrong first."""
    rows = [
        {"label": "spam" if truth else "ham", "spam probability": round(p, 4), "predicted": "spam" if p >= threshold else "ham", "text": text}
        for text, truth, p in zip(run.texts, run.is_spam, run.probabilities)
        if (p >= threshold) != truth
    ]
    rows.sort(key=lambda row: abs(row["spam probability"] - threshold), reverse=True)
    return pd.DataFrame(rows, columns=["label", "spam probability", "predicted", "text"])
