"""The classifier tab's handlers and API functions: engine in, values for the components (or JSON) out.

Handlers return plain values keyed by output name, the field names of the tab's views (`OneMessageView`, ...);
`scamlab.ui.classifier_tab` lays out the components and maps the names to them. Tests call these directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gradio as gr
import pandas as pd
from matplotlib.figure import Figure

from scamlab.batch import MAX_EVALUATION_MESSAGES, EvaluationRun, evaluate_labelled_csv, triage
from scamlab.batch_files import MAX_BATCH_MESSAGES, csv_columns
from scamlab.chat_paste import parse_pasted_chat
from scamlab.data import read_text
from scamlab.engine import Engine
from scamlab.engine.errors import ModelLoadError
from scamlab.engine.evaluation import read_labelled_csv
from scamlab.red_flags import highlight_segments
from scamlab.ui.classifier_display import (
    collect_items,
    confusion_figure,
    conversation_verdict_markdown,
    message_flags_table,
    metrics_markdown,
    misclassified_table,
    pasted_transcript,
    reliability_figure,
    triage_table,
    upload_paths,
    verdict_counts,
    verdict_markdown,
    weighed_evidence,
    write_results_csv,
)
from scamlab.ui.common import escape_markdown, user_error
from scamlab.ui.rate_limit import Cost
from scamlab.ui.transcript_display import meter_figure, red_flag_reasons
from scamlab.verdicts import scam_tags

JUDGE_NOTE = read_text("classifier/judge_note.md")


# --- one message ---------------------------------------------------------------------------------------


def check_message(engine: Engine, text: str, progress: gr.Progress = gr.Progress()) -> dict[str, Any]:
    """Notice, classifier bars, verdict card, highlighted red flags and their reasons for one message.

    On a first run the classifier may still be building: the progress bar says how far, and the time left."""
    try:
        engine.classifier(lambda fraction, message: progress(fraction, desc=message))  # a first run may still build it
        result = engine.classify_spam(text)
    except (ValueError, ModelLoadError) as error:
        raise user_error(str(error)) from None
    shown = engine.checked_text(text)
    spam_probability = result["probabilities"]["spam"]
    notice = f"⚠️ {escape_markdown(result['notice'])}" if result.get("notice") else ""
    return {
        "notice": notice,
        "classifier_bars": result["probabilities"],
        "verdict": verdict_markdown(spam_probability, scam_tags(shown), weighed_evidence(result)),
        "flags": highlight_segments(shown),
        "reasons": red_flag_reasons(shown),
    }


def show_in_detail(text: str) -> dict[str, Any]:
    """The triage table's "Check this one in detail": its text in the One message sub-tab, brought to the front."""
    return {"message": text, "views": gr.Tabs(selected="one")}


def second_opinion(engine: Engine, text: str, classifier_bars: dict[str, float] | None) -> dict[str, Any]:
    """The judge's bars, and a note saying whether it agrees with the classifier."""
    try:
        probability = engine.judge(text)
    except Exception as error:  # the judge is optional: say why it is missing, keep the classifier's answer
        return {"judge_bars": None,
                "judge_note": f"{JUDGE_NOTE}\n\n*The judge could not answer:* {escape_markdown(str(error))}"}
    bars = {"spam": round(probability, 6), "not_spam": round(1 - probability, 6)}
    note = JUDGE_NOTE
    if classifier_bars and "spam" in classifier_bars:
        classifier_says = classifier_bars["spam"] >= 0.5
        if classifier_says != (probability >= 0.5):
            note += (f"\n\n**The two models disagree** (classifier {classifier_bars['spam']:.2f}, judge "
                     f"{probability:.2f}). Which one do you believe, and why?")
        else:
            note += "\n\nBoth models agree on this one."
    return {"judge_bars": bars, "judge_note": note}


# --- a pasted conversation ----------------------------------------------------------------------------


def _pasted_messages(text: str, me_name: str | None) -> list[dict[str, str]]:
    """The pasted chat's messages; `ValueError` naming the fix (empty, one speaker, over the limits)."""
    return parse_pasted_chat(text or "", (me_name or "").strip() or None)


def score_pasted_chat(engine: Engine, text: str, me_name: str | None) -> dict[str, Figure | str | pd.DataFrame]:
    """The Conversation sub-tab: the scam meter, the verdict for the whole chat, and each message's red flags."""
    try:
        messages = _pasted_messages(text, me_name)
        scores = engine.score_conversation(messages)
    except ValueError as error:
        raise user_error(str(error)) from None
    return {"meter": meter_figure(pasted_transcript(messages, scores)),
            "verdict": conversation_verdict_markdown(messages, scores), "flags": message_flags_table(messages)}


def pasted_chat_cost(text: str, me_name: str | None, *_: Any, **__: Any) -> Cost:
    """What scoring a pasted chat costs: one request and each of its messages (a chat it cannot read: one)."""
    try:
        return Cost(messages=len(_pasted_messages(text, me_name)))
    except ValueError:
        return Cost(messages=1)


# --- batch triage --------------------------------------------------------------------------------------


def run_triage(engine: Engine, files: Sequence[Any] | None, pasted: str, text_column: str,
               progress: gr.Progress = gr.Progress()) -> dict[str, Any]:
    """The batch button: notice, table, summary chart, download, and the texts for row selection."""
    items = collect_items(upload_paths(files), pasted, text_column)
    if not items:
        raise user_error("Upload .txt, .csv or .eml files, or paste messages (one per line) first.")
    progress(0, desc="Classifying messages...")
    result = triage(engine, items, lambda done, total: progress((done, total), desc="Classifying", unit="messages"))
    table = triage_table(result.rows)
    download = gr.DownloadButton(value=str(write_results_csv(result.rows, result.texts)), visible=True)
    notice = "\n\n".join(f"⚠️ {escape_markdown(notice)}" for notice in result.notices)
    return {"notice": notice, "table": table, "summary": verdict_counts(result.rows), "download": download,
            "texts": result.texts}


def column_choices(files: Sequence[Any] | None) -> gr.Dropdown:
    """The text-column choices: detection, then every column of the uploaded CSV files."""
    columns = dict.fromkeys(column for path in upload_paths(files) if path.lower().endswith(".csv") for column in csv_columns(path))
    return gr.Dropdown(choices=[("Detect automatically", ""), *[(c, c) for c in columns]], value="")


def select_row(texts: dict[str, str] | None, event: gr.SelectData) -> str:
    """The full text of the clicked row (errors have none)."""
    row = event.row_value or []
    return (texts or {}).get(str(row[0]) if row else "", "")


def open_in_chat(chat: Any, text: str) -> dict[str, Any]:
    """Switch to the chat tab (`tabs`) and start a chat where `text` is the scammer's opener (the AI plays the
    victim): the chat tab's values keyed by its `opener` names."""
    if not (text or "").strip():
        raise user_error("Pick or type a message first.")
    # ChatTab.open_with_message answers in the order of `chat.opener`.
    return {"tabs": gr.Tabs(selected=chat.tab_id), **dict(zip(chat.opener, chat.open_with_message(text)))}


# --- evaluation ----------------------------------------------------------------------------------------


def evaluation_view(run: EvaluationRun | None, threshold: float) -> dict[str, Any]:
    """Figures, confusion matrix and mistakes at `threshold`, with no new inference."""
    if run is None:  # the threshold moved before any run: the view stays as it is
        return {name: gr.skip() for name in ("figures", "confusion", "mistakes")}
    metrics = run.metrics(threshold)
    return {"figures": metrics_markdown(metrics), "confusion": confusion_figure(metrics),
            "mistakes": misclassified_table(run, threshold)}


def run_evaluation(engine: Engine, file: Any, threshold: float, progress: gr.Progress = gr.Progress()) -> dict[str, Any]:
    """The evaluate button: classify the file once, keep the probabilities, show the view and the reliability."""
    if not file:
        raise user_error("Upload a CSV with `label` and `text` columns first.")
    progress(0, desc="Classifying messages...")
    try:
        run = evaluate_labelled_csv(engine, upload_paths([file])[0], lambda d, t: progress((d, t), desc="Classifying", unit="messages"))
    except (ValueError, UnicodeDecodeError) as error:
        raise user_error(f"Cannot evaluate this file: {error}") from None
    reliability = reliability_figure(run.is_spam, run.probabilities)  # the same at any threshold
    return {**evaluation_view(run, threshold), "reliability": reliability, "evaluation": run}


# --- API -----------------------------------------------------------------------------------------------


def classify_api(engine: Engine, text: str) -> dict[str, Any]:
    """`classify_spam`'s dict for one text; concurrent callers share one forward pass (the engine batches them).

    A text that cannot be classified (empty) gets `{"error": message}`, as when Gradio batched this event.
    """
    try:
        return engine.classify_spam(text)
    except ValueError as error:
        return {"error": str(error)}


def triage_cost(files: Sequence[Any] | None, pasted: str, text_column: str, *_: Any, **__: Any) -> Cost:
    """What a batch costs: one request and each message it will check (at most a batch's worth)."""
    messages = sum(not item.is_error for item in collect_items(upload_paths(files), pasted, text_column))
    return Cost(messages=min(messages, MAX_BATCH_MESSAGES))


def evaluation_cost(file: Any, *_: Any, **__: Any) -> Cost:
    """What an evaluation costs: one request and each labelled message (a file it cannot read: one)."""
    try:
        messages = len(read_labelled_csv(upload_paths([file])[0])) if file else 0
    except (ValueError, UnicodeDecodeError, OSError):
        messages = 1
    return Cost(messages=min(messages, MAX_EVALUATION_MESSAGES))


def classify_batch_cost(texts: Any) -> Cost:
    """What `/classify_batch` costs: one request and each text (2,000 texts cost 2,000)."""
    return Cost(messages=len(texts) if isinstance(texts, list) else 0)


def classify_batch_api(engine: Engine, texts: list[str]) -> list[dict]:
    """`batch_classify`'s dict for each text, in order (an empty text: `{"error": why}` in its slot); more than
    2,000 texts, or not a list, is an error."""
    if not isinstance(texts, list):
        raise user_error(f"Send a list of texts, not {type(texts).__name__}; use /classify for one text.")
    if len(texts) > MAX_BATCH_MESSAGES:
        raise user_error(f"Send at most {MAX_BATCH_MESSAGES:,} texts per call; this call had {len(texts):,}.")
    return engine.batch_classify(texts)


def score_conversation_api(engine: Engine, messages: list[dict]) -> dict:
    """The conversation meter's dict; a malformed conversation is an error naming the message and the fix."""
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise user_error('Send a list of {"role": "them" | "me", "content": text} messages.')
    try:
        return engine.score_conversation(messages)
    except ValueError as error:
        raise user_error(str(error)) from None
