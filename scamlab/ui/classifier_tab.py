"""Classifier tab: check one message, triage many, evaluate on a labelled file, and the classify API.

Plain functions first (engine in, values for the components out), then `build_classifier_tab`, which
lays out the components and wires the events. Every UI event is private; the API is `/classify`
(one text, batched by Gradio's queue) and `/classify_batch` (a list of texts).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import gradio as gr

from scamlab.batch_files import MAX_BATCH_MESSAGES, MAX_FILE_BYTES, csv_columns
from scamlab.engine import Engine
from scamlab.engine.evaluation import read_labelled_csv
from scamlab.engine.inputs import prepare_text
from scamlab.red_flags import highlight_segments, red_flag_table_markdown
from scamlab.ui.classifier_views import (
    ERROR_VERDICT,
    MAX_EVALUATION_MESSAGES,
    TABLE_COLUMNS,
    EvaluationRun,
    collect_items,
    confusion_figure,
    evaluate_labelled_csv,
    evaluation_metrics,
    metrics_markdown,
    misclassified_table,
    triage,
    triage_table,
    upload_paths,
    verdict_counts,
    verdict_markdown,
    write_results_csv,
)
from scamlab.ui.common import PRIVATE, RED_FLAG_COLORS, escape_markdown, user_error
from scamlab.ui.rate_limit import Cost, RateLimiter, rate_limited
from scamlab.ui.widgets import red_flag_reasons
from scamlab.verdicts import scam_tags, verdict_bands_markdown

API_MAX_BATCH_SIZE = 16

EXAMPLES: tuple[tuple[str, str], ...] = (
    ("Classic: prize", "WINNER!! As a valued network customer you have been selected to receive a £900 prize reward! "
     "To claim call [PHONE]. Claim code KL341. Valid 12 hours only."),
    ("Classic: bank", "Dear customer, your bank account has been suspended due to unusual activity. Verify your "
     "identity within 24 hours at http://secure-bank.example/login or it will be closed."),
    ("Parcel fee", "Royal Mail: your parcel is held at our depot due to an unpaid £1.99 customs fee. "
     "Pay now to arrange redelivery: [LINK]"),
    ("Hi Mum", "Hi Mum, I dropped my phone in the bath, this is my new number. Can you transfer £350 for a bill "
     "today? I'll pay you back Friday, don't tell Dad x"),
    ("Job / task", "Hello! I'm a recruiter for a digital agency. Part-time remote job, earn £300 a day rating apps. "
     "Contact me on WhatsApp for details."),
    ("Crypto", "My mentor showed me a crypto trading platform with guaranteed 30% returns a week. Deposit USDT at "
     "invest-pro.example and double your money!"),
    ("Toll fine", "E-ZPass final notice: you have an unpaid toll of $4.85. Pay within 12 hours to avoid a "
     "penalty: [LINK]"),
    ("Ordinary: plans", "See you at 6 by the cinema, I'll grab the tickets."),
    ("Ordinary: shopping", "Can you pick up milk and bread on your way home? Thanks!"),
    ("Ordinary: work", "Great meeting today. I'll send the slides tomorrow morning."),
)

VERDICT_COLOUR_MAP = {
    "Most Certainly Scam": "#b91c1c", "Scam": "#f97316", "Unknown": "#a3a3a3", "Safe": "#65a30d",
    "Most Certainly Safe": "#15803d", ERROR_VERDICT: "#6b7280",
}

JUDGE_NOTE = (
    "**Second opinion: the chat model as judge.** It is asked *\"Is this message a scam? Answer Yes or No.\"* and "
    "its bars compare how likely it was to answer Yes or No. The bundled 135M chat model is a weak judge: it "
    "ranks held-out SMS spam above ordinary messages 84% of the time (the classifier: 100%), does worse on modern "
    "scams, and leans towards No. So the two often disagree: two models can read the same message differently. "
    "A bigger chat model judges much better."
)


# --- one message ---------------------------------------------------------------------------------------


def check_message(engine: Engine, text: str) -> tuple[str, dict[str, float], str, list, str]:
    """Notice, classifier bars, verdict card, highlighted red flags and their reasons for one message."""
    try:
        result = engine.classify_spam(text)
    except ValueError as error:
        raise user_error(str(error)) from None
    shown = prepare_text(text, engine.settings.max_input_chars).text
    spam_probability = result["probabilities"]["spam"]
    notice = f"⚠️ {escape_markdown(result['notice'])}" if result.get("notice") else ""
    return (
        notice,
        result["probabilities"],
        verdict_markdown(spam_probability, scam_tags(shown)),
        highlight_segments(shown),
        red_flag_reasons(shown),
    )


def second_opinion(engine: Engine, text: str, classifier_bars: dict[str, float] | None) -> tuple[Any, str]:
    """The judge's bars, and a note saying whether it agrees with the classifier."""
    try:
        probability = engine.judge(text)
    except Exception as error:  # the judge is optional: say why it is missing, keep the classifier's answer
        return None, f"{JUDGE_NOTE}\n\n*The judge could not answer:* {escape_markdown(str(error))}"
    bars = {"spam": round(probability, 6), "not_spam": round(1 - probability, 6)}
    note = JUDGE_NOTE
    if classifier_bars and "spam" in classifier_bars:
        classifier_says = classifier_bars["spam"] >= 0.5
        if classifier_says != (probability >= 0.5):
            note += (f"\n\n**The two models disagree** (classifier {classifier_bars['spam']:.2f}, judge "
                     f"{probability:.2f}). Which one do you believe, and why?")
        else:
            note += "\n\nBoth models agree on this one."
    return bars, note


# --- batch triage --------------------------------------------------------------------------------------


def run_triage(engine: Engine, files: Sequence[Any] | None, pasted: str, text_column: str, progress=gr.Progress()):
    """The batch button: notice, table, summary chart, download, and the texts for row selection."""
    items = collect_items(upload_paths(files), pasted, text_column)
    if not items:
        raise user_error("Upload .txt, .csv or .eml files, or paste messages (one per line) first.")
    progress(0, desc="Classifying messages...")
    result = triage(engine, items, lambda done, total: progress((done, total), desc="Classifying", unit="messages"))
    table = triage_table(result.rows)
    download = gr.DownloadButton(value=str(write_results_csv(result.rows, result.texts)), visible=True)
    return result.notice, table, verdict_counts(result.rows), download, result.texts


def column_choices(files: Sequence[Any] | None) -> gr.Dropdown:
    """The text-column choices: detection, then every column of the uploaded CSV files."""
    columns = dict.fromkeys(column for path in upload_paths(files) if path.lower().endswith(".csv") for column in csv_columns(path))
    return gr.Dropdown(choices=[("Detect automatically", ""), *[(c, c) for c in columns]], value="")


def select_row(texts: dict[str, str] | None, event: gr.SelectData) -> str:
    """The full text of the clicked row (errors have none)."""
    row = event.row_value or []
    return (texts or {}).get(str(row[0]) if row else "", "")


def open_in_chat(chat: Any, text: str) -> tuple:
    """Switch to the chat tab and start a chat where `text` is the scammer's opener (the AI plays the victim)."""
    if not (text or "").strip():
        raise user_error("Pick or type a message first.")
    return (gr.Tabs(selected=chat.tab_id), *chat.open_with_message(text))


# --- evaluation ----------------------------------------------------------------------------------------


def evaluation_view(run: EvaluationRun | None, threshold: float):
    """Figures, confusion matrix and mistakes at `threshold`, with no new inference."""
    if run is None:
        return gr.skip(), gr.skip(), gr.skip()
    metrics = evaluation_metrics(run, threshold)
    return metrics_markdown(metrics), confusion_figure(metrics), misclassified_table(run, threshold)


def run_evaluation(engine: Engine, file: Any, threshold: float, progress=gr.Progress()):
    """The evaluate button: classify the file once, keep the probabilities, show the view."""
    if not file:
        raise user_error("Upload a CSV with `label` and `text` columns first.")
    progress(0, desc="Classifying messages...")
    try:
        run = evaluate_labelled_csv(engine, upload_paths([file])[0], lambda d, t: progress((d, t), desc="Classifying", unit="messages"))
    except (ValueError, UnicodeDecodeError) as error:
        raise user_error(f"Cannot evaluate this file: {error}") from None
    return (*evaluation_view(run, threshold), run)


# --- API -----------------------------------------------------------------------------------------------


def classify_api(engine: Engine, text: str) -> dict[str, Any]:
    """The seed's dict for one text; concurrent callers share one forward pass (the engine batches them).

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
    """The seed's dict for each text, in order; an empty text or more than 2,000 texts is an error."""
    if not isinstance(texts, list):
        raise user_error(f"Send a list of texts, not {type(texts).__name__}; use /classify for one text.")
    if len(texts) > MAX_BATCH_MESSAGES:
        raise user_error(f"Send at most {MAX_BATCH_MESSAGES:,} texts per call; this call had {len(texts):,}.")
    try:
        return engine.batch_classify(texts)
    except ValueError as error:
        raise user_error(str(error)) from None


def score_conversation_api(engine: Engine, messages: list[dict]) -> dict:
    """The conversation meter's dict; a malformed conversation is an error naming the message and the fix."""
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise user_error('Send a list of {"role": "them" | "me", "content": text} messages.')
    try:
        return engine.score_conversation(messages)
    except ValueError as error:
        raise user_error(str(error)) from None


API_HELP = """
```python
from gradio_client import Client
client = Client("http://127.0.0.1:7860/")
client.predict("Your parcel is held, pay the fee: [LINK]", api_name="/classify")
# {'classification': 'spam', 'confidence': 0.98, 'probabilities': {'spam': 0.98, 'not_spam': 0.02}}
client.predict(["See you at 6", "You won a prize!"], api_name="/classify_batch")  # a list of those dicts
client.predict([{"role": "them", "content": "Your parcel is held."}, {"role": "me", "content": "OK?"}],
               api_name="/score_conversation")  # {'turn_scores': [...], 'scam_probability': ..., 'first_flag_turn': ...}
```
`/classify` takes one text; concurrent callers are batched together (up to 16 per forward pass). An empty text
gets `{"error": "The message is empty: ..."}` instead of a result (an exception would fail the whole batch).
`/classify_batch` takes up to 2,000 texts and fails with the message naming the first empty one.
A text over the character limit is cut, and its result gets a `notice`.
"""


# --- layout --------------------------------------------------------------------------------------------


def build_classifier_tab(engine: Engine, chat: Any, tabs: gr.Tabs, limiter: RateLimiter | None = None) -> None:
    """The classifier tab; `chat` (the chat tab's handle, or None) enables "Open in chat".

    With a `limiter`, every event that runs a model is charged to the person's allowances (the judge in its
    own bucket), and so are `/classify` and `/classify_batch`: a batch costs each of its messages. `/classify`
    is an ordinary event (each caller's request is seen); the engine batches concurrent callers instead.
    """
    private = PRIVATE

    def limited(handler: Any, bucket: str = "", cost: Any = None) -> Any:
        return rate_limited(limiter, handler, bucket, cost=cost) if limiter else handler

    batches = {"concurrency_id": "classifier-batch", "concurrency_limit": 1}  # one batch at a time: the other core stays free
    with gr.Tab("Spam classifier", id="classifier"):
        with gr.Tabs() as views:
            with gr.Tab("One message", id="one"):
                with gr.Row():
                    with gr.Column(scale=3):
                        message = gr.Textbox(label="Message", lines=5, placeholder="Paste a text, e-mail or DM...",
                                             elem_id="classifier-message")
                        with gr.Row():
                            check = gr.Button("Check", variant="primary", elem_id="classifier-check")
                            open_one = gr.Button("Open in chat (AI plays the victim)", visible=chat is not None)
                        gr.Examples([[text] for _, text in EXAMPLES], [message], example_labels=[name for name, _ in EXAMPLES],
                                    label="Examples: classic and modern scams, and ordinary messages", **private)
                    with gr.Column(scale=2):
                        notice = gr.Markdown()
                        verdict = gr.Markdown("### Verdict\nType or pick a message and press **Check**.")
                        with gr.Row():
                            classifier_bars = gr.Label(label="Classifier (MiniLM, fine-tuned)", num_top_classes=2)
                            judge_bars = gr.Label(label="Second opinion (chat model as judge)", num_top_classes=2)
                flags = gr.HighlightedText(label="Red flags in the text", color_map=RED_FLAG_COLORS, show_legend=False,
                                           show_inline_category=True, combine_adjacent=True)
                reasons = gr.Markdown()
                judge_note = gr.Markdown(JUDGE_NOTE)
            with gr.Tab("Batch triage"):
                gr.Markdown(f"Upload `.txt` (one message per line), `.csv` or `.eml` files (up to "
                            f"{MAX_FILE_BYTES // 1024 // 1024} MB each), or paste messages one per line. "
                            f"At most {MAX_BATCH_MESSAGES:,} messages per batch.")
                with gr.Row():
                    files = gr.File(label="Files", file_count="multiple", file_types=[".txt", ".csv", ".eml"], scale=2,
                                    elem_id="triage-files")
                    with gr.Column(scale=3):
                        pasted = gr.Textbox(label="Or paste messages (one per line)", lines=5, elem_id="triage-pasted")
                        text_column = gr.Dropdown([("Detect automatically", "")], value="", label="CSV text column")
                triage_button = gr.Button("Check all", variant="primary", elem_id="triage-run")
                triage_notice = gr.Markdown()
                with gr.Row():
                    table = gr.Dataframe(headers=TABLE_COLUMNS, datatype=["str", "str", "str", "number", "str"],
                                         interactive=False, wrap=True, show_search="search", max_height=420,
                                         column_widths=["13%", "36%", "16%", "14%", "21%"], label="Results (click a row)",
                                         scale=3)
                    with gr.Column(scale=1, min_width=260):
                        summary = gr.BarPlot(x="verdict", y="messages", color="verdict", color_map=VERDICT_COLOUR_MAP,
                                             sort=list(VERDICT_COLOUR_MAP), label="Messages per verdict", x_label_angle=-30, x_title=" ",
                                             height=300)
                        download = gr.DownloadButton("Download results (CSV)", visible=False)
                selected = gr.Textbox(label="Selected message", lines=3, interactive=False)
                with gr.Row():
                    check_selected = gr.Button("Check this one in detail")
                    open_selected = gr.Button("Open in chat (AI plays the victim)", visible=chat is not None)
                batch_texts = gr.State({})
            with gr.Tab("Evaluate"):
                gr.Markdown("Upload a labelled CSV with `label` (spam/ham, spam/not_spam or 1/0) and `text` columns. "
                            "The figures are those `python -m scamlab evaluate` prints; move the threshold to trade "
                            "false alarms against missed scams (no re-run needed).")
                with gr.Row():
                    labelled_file = gr.File(label="Labelled CSV", file_types=[".csv"], elem_id="evaluate-file")
                    with gr.Column():
                        threshold = gr.Slider(0.01, 0.99, value=0.5, step=0.01, label="Spam threshold")
                        evaluate = gr.Button("Evaluate", variant="primary", elem_id="evaluate-run")
                with gr.Row():
                    figures = gr.Markdown()
                    confusion = gr.Plot(label="Confusion matrix", format="png")
                mistakes = gr.Dataframe(label="Misclassified messages", interactive=False, wrap=True, max_height=360,
                                        column_widths=["9%", "13%", "11%", "67%"])
                evaluation = gr.State(None)
            with gr.Tab("How it works"):
                gr.Markdown("### Verdicts\n" + verdict_bands_markdown())
                gr.Markdown("### Red flags\n" + red_flag_table_markdown())
                gr.Markdown("### API\n" + API_HELP)

        # The API: hidden components give `/classify` a documented `text: str` parameter and a JSON result.
        api_text = gr.Textbox(label="text", visible=False)
        api_result = gr.JSON(label="result", visible=False)
        gr.Button(visible=False).click(
            limited(partial(classify_api, engine), cost=Cost(messages=1)), api_text, api_result,
            api_name="classify", concurrency_id="classify", concurrency_limit=API_MAX_BATCH_SIZE,
            api_description="Spam check of one message: the seed's result dict, or {'error': message} for an empty text.",
        )

        def classify_batch(texts: list[str]) -> list[dict]:
            """Spam check of a list of texts: one result dict per text, in order."""
            return classify_batch_api(engine, texts)

        gr.api(limited(classify_batch, cost=classify_batch_cost), api_name="classify_batch", **batches)

        def score_conversation(messages: list[dict]) -> dict:
            """P(scam | the conversation so far) after each `{"role": "them" | "me", "content"}` message:
            turn_scores, scam_probability, first_flag_turn (1-based or None), message_scores."""
            return score_conversation_api(engine, messages)

        gr.api(limited(score_conversation, cost=classify_batch_cost), api_name="score_conversation", **batches)

    # --- wiring (all private: only the endpoints above form the API) ---
    check_outputs = [notice, classifier_bars, verdict, flags, reasons]
    check_one = limited(partial(check_message, engine), cost=Cost(messages=1))
    checked = check.click(check_one, message, check_outputs, **private)
    checked_selected = check_selected.click(lambda text: (text, gr.Tabs(selected="one")), selected, [message, views], **private
                                            ).success(check_one, message, check_outputs, **private)
    for event in (checked, checked_selected):  # the classifier answers first (fast), then the judge
        event.success(limited(partial(second_opinion, engine), ":judge", Cost(replies=1)), [message, classifier_bars], [judge_bars, judge_note],
                      **private)
    files.change(column_choices, files, text_column, **private)
    triage_button.click(limited(partial(run_triage, engine), cost=triage_cost), [files, pasted, text_column],
                        [triage_notice, table, summary, download, batch_texts], **batches, **private)
    table.select(select_row, batch_texts, selected, **private)
    evaluate.click(limited(partial(run_evaluation, engine), cost=evaluation_cost), [labelled_file, threshold],
                   [figures, confusion, mistakes, evaluation], **batches, **private)
    threshold.change(evaluation_view, [evaluation, threshold], [figures, confusion, mistakes], **private)
    if chat is not None:
        for button, source in ((open_one, message), (open_selected, selected)):
            button.click(partial(open_in_chat, chat), source, [tabs, *chat.opener_outputs], **private)
