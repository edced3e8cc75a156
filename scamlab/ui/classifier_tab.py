"""Classifier tab: check one message or a pasted chat, spot the turn, triage many, evaluate on a labelled file, and the classify API.

Layout and wiring only: one function lays out each sub-tab, then `build_classifier_tab` registers the API and
wires the events to the handlers in `scamlab.ui.classifier_events`, whose values, keyed by the views' field
names, reach the components through `keyed`. The examples, notes and API help are content in
`scamlab/data/classifier/`. Every UI event is private; the API is `/classify` (one text, batched by the engine),
`/classify_batch` (a list of texts) and `/score_conversation`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from string import Template
from typing import Any

import gradio as gr

from scamlab.batch_files import MAX_BATCH_MESSAGES, MAX_FILE_BYTES
from scamlab.chat_paste import MAX_CHAT_LINES
from scamlab.data import read_json, read_text
from scamlab.engine import Engine
from scamlab.red_flags import red_flag_table_markdown
from scamlab.ui.classifier_events import (
    JUDGE_NOTE,
    check_message,
    classify_api,
    classify_batch_api,
    classify_batch_cost,
    column_choices,
    evaluation_cost,
    evaluation_view,
    open_in_chat,
    pasted_chat_cost,
    run_evaluation,
    run_triage,
    score_conversation_api,
    score_pasted_chat,
    second_opinion,
    select_row,
    show_in_detail,
    triage_cost,
)
from scamlab.ui.classifier_display import FLAG_COLUMNS, TABLE_COLUMNS
from scamlab.ui.common import PRIVATE, RED_FLAG_COLORS, VERDICT_COLORS, keyed
from scamlab.ui.drill_tab import build_drill_tab
from scamlab.ui.rate_limit import Cost, RateLimiter, rate_limited
from scamlab.verdicts import verdict_bands_markdown

API_MAX_BATCH_SIZE = 16

_EXAMPLES = read_json("classifier/examples.json")
EXAMPLES: tuple[tuple[str, str], ...] = tuple((example["label"], example["text"]) for example in _EXAMPLES["messages"])
# Pasted chats for the Conversation sub-tab, each stored as its lines.
CONVERSATION_EXAMPLES: tuple[tuple[str, str], ...] = tuple(
    (example["label"], "\n".join(example["lines"])) for example in _EXAMPLES["conversations"])
API_HELP = Template(read_text("classifier/api_help.md")).substitute(
    max_batch_size=API_MAX_BATCH_SIZE, max_batch_messages=f"{MAX_BATCH_MESSAGES:,}")
CONVERSATION_INTRO = Template(read_text("classifier/conversation_intro.md")).substitute(
    max_chat_lines=f"{MAX_CHAT_LINES:,}")
TRIAGE_INTRO = Template(read_text("classifier/triage_intro.md")).substitute(
    max_file_mb=MAX_FILE_BYTES // 1024 // 1024, max_batch_messages=f"{MAX_BATCH_MESSAGES:,}")
EVALUATE_INTRO = read_text("classifier/evaluate_intro.md")

# One batch at a time: the other core stays free.
BATCHES: dict[str, Any] = {"concurrency_id": "classifier-batch", "concurrency_limit": 1}


@dataclass(frozen=True)
class OneMessageView:
    """The "One message" sub-tab's components."""

    message: gr.Textbox
    check: gr.Button
    open_in_chat: gr.Button
    notice: gr.Markdown
    verdict: gr.Markdown
    classifier_bars: gr.Label
    judge_bars: gr.Label
    flags: gr.HighlightedText
    reasons: gr.Markdown
    judge_note: gr.Markdown


@dataclass(frozen=True)
class ConversationView:
    """The "Conversation" sub-tab's components."""

    chat: gr.Textbox
    me_name: gr.Textbox
    score: gr.Button
    verdict: gr.Markdown
    meter: gr.Plot
    flags: gr.Dataframe


@dataclass(frozen=True)
class TriageView:
    """The "Batch triage" sub-tab's components."""

    files: gr.File
    pasted: gr.Textbox
    text_column: gr.Dropdown
    run: gr.Button
    notice: gr.Markdown
    table: gr.Dataframe
    summary: gr.BarPlot
    download: gr.DownloadButton
    selected: gr.Textbox
    check_selected: gr.Button
    open_in_chat: gr.Button
    texts: gr.State


@dataclass(frozen=True)
class EvaluateView:
    """The "Evaluate" sub-tab's components."""

    file: gr.File
    threshold: gr.Slider
    run: gr.Button
    figures: gr.Markdown
    confusion: gr.Plot
    reliability: gr.Plot
    mistakes: gr.Dataframe
    evaluation: gr.State


def build_classifier_tab(engine: Engine, chat: Any, tabs: gr.Tabs, limiter: RateLimiter | None = None) -> None:
    """The classifier tab; `chat` (the chat tab's handle, or None) enables "Open in chat".

    With a `limiter`, every event that runs a model is charged to the person's allowances (the judge in its
    own bucket), and so are `/classify` and `/classify_batch`: a batch costs each of its messages. `/classify`
    is an ordinary event (each caller's request is seen); the engine batches concurrent callers instead.
    """
    with gr.Tab("Spam classifier", id="classifier"):
        with gr.Tabs() as views:
            with gr.Tab("One message", id="one"):
                one = _one_message_tab(chat is not None)
            with gr.Tab("Conversation", id="conversation"):
                conversation = _conversation_tab()
            with gr.Tab("Spot the turn", id="drill"):
                build_drill_tab(engine, limiter)
            with gr.Tab("Batch triage"):
                batch = _triage_tab(chat is not None)
            with gr.Tab("Evaluate"):
                evaluation = _evaluate_tab()
            with gr.Tab("How it works"):
                gr.Markdown("### Verdicts\n" + verdict_bands_markdown())
                gr.Markdown("### Red flags\n" + red_flag_table_markdown())
                gr.Markdown("### API\n\n" + API_HELP)
        _register_api(engine, limiter)
    # --- wiring (all private: only the endpoints above form the API) ---
    _wire_checks(engine, limiter, one, batch, views)
    _wire_batches(engine, limiter, batch, evaluation)
    _wire_conversation(engine, limiter, conversation)
    if chat is not None:
        opened = {"tabs": tabs, **chat.opener}
        for button, source in ((one.open_in_chat, one.message), (batch.open_in_chat, batch.selected)):
            button.click(keyed(partial(open_in_chat, chat), opened), source, list(opened.values()), **PRIVATE)


def _by_name(view: Any) -> dict[str, Any]:
    """A view's components keyed by field name: the names its handlers' values use."""
    return {field.name: getattr(view, field.name) for field in fields(view)}


def _limited(limiter: RateLimiter | None, handler: Any, bucket: str = "", cost: Any = None) -> Any:
    """`handler` charged to the person's allowances in `limiter`; without a limiter, `handler` itself."""
    return rate_limited(limiter, handler, bucket, cost=cost) if limiter else handler


# --- layout, one sub-tab each --------------------------------------------------------------------------


def _one_message_tab(can_open: bool) -> OneMessageView:
    """One message: the text, Check, the examples, the verdict, both models' bars and the red flags."""
    with gr.Row():
        with gr.Column(scale=3):
            message = gr.Textbox(label="Message", lines=5, placeholder="Paste a text, e-mail or DM...",
                                 elem_id="classifier-message")
            with gr.Row():
                check = gr.Button("Check", variant="primary", elem_id="classifier-check")
                open_one = gr.Button("Open in chat (AI plays the victim)", visible=can_open)
            gr.Examples([[text] for _, text in EXAMPLES], [message], example_labels=[name for name, _ in EXAMPLES],
                        label="Examples: classic and modern scams, and ordinary messages", **PRIVATE)
        with gr.Column(scale=2):
            notice = gr.Markdown()
            verdict = gr.Markdown("### Verdict\nType or pick a message and press **Check**.")
            with gr.Row():
                classifier_bars = gr.Label(label="Classifier (MiniLM, fine-tuned)", num_top_classes=2)
                judge_bars = gr.Label(label="Second opinion (chat model as judge)", num_top_classes=2)
    flags = gr.HighlightedText(label="Red flags in the text", color_map=RED_FLAG_COLORS, show_legend=False,
                               show_inline_category=True, combine_adjacent=True)
    return OneMessageView(message, check, open_one, notice, verdict, classifier_bars, judge_bars, flags,
                          reasons=gr.Markdown(), judge_note=gr.Markdown(JUDGE_NOTE))


def _conversation_tab() -> ConversationView:
    """Conversation: a pasted chat and your name in it, Score, the examples, the verdict, the meter and the flags."""
    gr.Markdown(CONVERSATION_INTRO)
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Textbox(label="Pasted chat", lines=10, placeholder="Them: Hi, your parcel is held...\nMe: Which parcel?",
                              elem_id="conversation-chat")
            me_name = gr.Textbox(label="Your name in the export (optional)", max_lines=1, elem_id="conversation-me",
                                 placeholder="WhatsApp exports only; otherwise the second person to write is you")
            score = gr.Button("Score the conversation", variant="primary", elem_id="conversation-score")
            gr.Examples([[text, ""] for _, text in CONVERSATION_EXAMPLES], [chat, me_name],
                        example_labels=[name for name, _ in CONVERSATION_EXAMPLES], label="Examples", **PRIVATE)
        with gr.Column(scale=2):
            verdict = gr.Markdown("### Verdict\nPaste a chat or pick an example, and press **Score the conversation**.",
                                  elem_id="conversation-verdict")
            meter = gr.Plot(label="Scam meter", show_label=False, format="png")
    flags = gr.Dataframe(headers=FLAG_COLUMNS, datatype=["number", "str", "str", "str"], interactive=False, wrap=True,
                         column_widths=["9%", "9%", "52%", "30%"], max_height=420, label="Red flags per message",
                         elem_id="conversation-flags")
    return ConversationView(chat, me_name, score, verdict, meter, flags)


def _triage_tab(can_open: bool) -> TriageView:
    """Batch triage: files or pasted lines, the results table and chart, and the selected row."""
    gr.Markdown(TRIAGE_INTRO)
    with gr.Row():
        files = gr.File(label="Files", file_count="multiple", file_types=[".txt", ".csv", ".eml"], scale=2,
                        elem_id="triage-files")
        with gr.Column(scale=3):
            pasted = gr.Textbox(label="Or paste messages (one per line)", lines=5, elem_id="triage-pasted")
            text_column = gr.Dropdown([("Detect automatically", "")], value="", label="CSV text column")
    run = gr.Button("Check all", variant="primary", elem_id="triage-run")
    notice = gr.Markdown()
    with gr.Row():
        table = gr.Dataframe(headers=TABLE_COLUMNS, datatype=["str", "str", "str", "number", "str"],
                             interactive=False, wrap=True, show_search="search", max_height=420,
                             column_widths=["13%", "36%", "16%", "14%", "21%"], label="Results (click a row)",
                             scale=3)
        with gr.Column(scale=1, min_width=260):
            summary = gr.BarPlot(x="verdict", y="messages", color="verdict", color_map=VERDICT_COLORS,
                                 sort=list(VERDICT_COLORS), label="Messages per verdict", x_label_angle=-30, x_title=" ",
                                 height=300)
            download = gr.DownloadButton("Download results (CSV)", visible=False)
    selected = gr.Textbox(label="Selected message", lines=3, interactive=False)
    with gr.Row():
        check_selected = gr.Button("Check this one in detail")
        open_selected = gr.Button("Open in chat (AI plays the victim)", visible=can_open)
    return TriageView(files, pasted, text_column, run, notice, table, summary, download, selected, check_selected,
                      open_selected, texts=gr.State({}))


def _evaluate_tab() -> EvaluateView:
    """Evaluate: a labelled CSV, the threshold, the figures, the confusion matrix, the reliability and the mistakes."""
    gr.Markdown(EVALUATE_INTRO)
    with gr.Row():
        file = gr.File(label="Labelled CSV", file_types=[".csv"], elem_id="evaluate-file")
        with gr.Column():
            threshold = gr.Slider(0.01, 0.99, value=0.5, step=0.01, label="Spam threshold")
            run = gr.Button("Evaluate", variant="primary", elem_id="evaluate-run")
    with gr.Row():
        figures = gr.Markdown()
        confusion = gr.Plot(label="Confusion matrix", format="png")
        reliability = gr.Plot(label="Reliability (calibration)", format="png")
    mistakes = gr.Dataframe(label="Misclassified messages", interactive=False, wrap=True, max_height=360,
                            column_widths=["9%", "13%", "11%", "67%"])
    return EvaluateView(file, threshold, run, figures, confusion, reliability, mistakes, evaluation=gr.State(None))


# --- the API and the wiring ----------------------------------------------------------------------------


def _register_api(engine: Engine, limiter: RateLimiter | None) -> None:
    """`/classify`, `/classify_batch` and `/score_conversation`."""
    # Hidden components give `/classify` a documented `text: str` parameter and a JSON result.
    api_text = gr.Textbox(label="text", visible=False)
    api_result = gr.JSON(label="result", visible=False)

    def classify(text: str) -> dict:
        """Spam check of one message: classification (spam or not_spam), confidence and probabilities, with a
        notice when the text was cut; {"error": message} for an empty text."""
        return classify_api(engine, text)

    gr.Button(visible=False).click(
        _limited(limiter, classify, cost=Cost(messages=1)), api_text, api_result,
        api_name="classify", concurrency_id="classify", concurrency_limit=API_MAX_BATCH_SIZE,
        api_description="Spam check of one message: {classification, confidence, probabilities}, or {'error': message} for an empty text.",
    )

    def classify_batch(texts: list[str]) -> list[dict]:
        """Spam check of a list of texts: one result dict per text, in order."""
        return classify_batch_api(engine, texts)

    gr.api(_limited(limiter, classify_batch, cost=classify_batch_cost), api_name="classify_batch", **BATCHES)

    def score_conversation(messages: list[dict]) -> dict:
        """P(scam | the conversation so far) after each `{"role": "them" | "me", "content"}` message:
        turn_scores, scam_probability, first_flag_turn (1-based or None), message_scores."""
        return score_conversation_api(engine, messages)

    gr.api(_limited(limiter, score_conversation, cost=classify_batch_cost), api_name="score_conversation", **BATCHES)


def _wire_checks(engine: Engine, limiter: RateLimiter | None, one: OneMessageView, batch: TriageView,
                 views: gr.Tabs) -> None:
    """Check (and "Check this one in detail" from the triage table): the classifier first (fast), then the judge."""
    named = {**_by_name(one), "views": views}
    check_outputs = [one.notice, one.classifier_bars, one.verdict, one.flags, one.reasons]
    check_one = _limited(limiter, keyed(partial(check_message, engine), named), cost=Cost(messages=1))
    checked = one.check.click(check_one, one.message, check_outputs, **PRIVATE)
    checked_selected = batch.check_selected.click(
        keyed(show_in_detail, named), batch.selected, [one.message, views], **PRIVATE
    ).success(check_one, one.message, check_outputs, **PRIVATE)
    judge = _limited(limiter, keyed(partial(second_opinion, engine), named), ":judge", Cost(replies=1))
    for event in (checked, checked_selected):
        event.success(judge, [one.message, one.classifier_bars], [one.judge_bars, one.judge_note], **PRIVATE)


def _wire_batches(engine: Engine, limiter: RateLimiter | None, batch: TriageView, evaluation: EvaluateView) -> None:
    """Triage (columns, Check all, row selection) and evaluation (Evaluate, then the threshold with no re-run)."""
    batch.files.change(column_choices, batch.files, batch.text_column, **PRIVATE)
    batch.run.click(_limited(limiter, keyed(partial(run_triage, engine), _by_name(batch)), cost=triage_cost),
                    [batch.files, batch.pasted, batch.text_column],
                    [batch.notice, batch.table, batch.summary, batch.download, batch.texts], **BATCHES, **PRIVATE)
    batch.table.select(select_row, batch.texts, batch.selected, **PRIVATE)
    named = _by_name(evaluation)
    views = [evaluation.figures, evaluation.confusion, evaluation.mistakes]
    evaluation.run.click(_limited(limiter, keyed(partial(run_evaluation, engine), named), cost=evaluation_cost),
                         [evaluation.file, evaluation.threshold], [*views, evaluation.reliability, evaluation.evaluation],
                         **BATCHES, **PRIVATE)
    evaluation.threshold.change(keyed(evaluation_view, named), [evaluation.evaluation, evaluation.threshold], views,
                                **PRIVATE)


def _wire_conversation(engine: Engine, limiter: RateLimiter | None, conversation: ConversationView) -> None:
    """Score the conversation: one pass over the pasted chat, charged a message per message (the paste stays)."""
    score = keyed(partial(score_pasted_chat, engine), _by_name(conversation))
    conversation.score.click(_limited(limiter, score, cost=pasted_chat_cost), [conversation.chat, conversation.me_name],
                             [conversation.meter, conversation.verdict, conversation.flags], **BATCHES, **PRIVATE)
