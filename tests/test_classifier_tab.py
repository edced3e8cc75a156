"""The classifier tab: evaluation equal to the CLI, batch triage, the two API endpoints through a real client."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import gradio as gr
import pytest

from scamlab import batch
from scamlab.batch_files import BatchItem
from scamlab.engine.evaluation import read_labelled_csv, spam_metrics
from scamlab.safety import scrub_contact_points
from scamlab.ui import classifier_events as handlers
from scamlab.ui import classifier_tab as tab
from scamlab.ui import classifier_display as display

EMPTY_MESSAGE = "The message is empty: type or paste some text first."


def approx_result(result: dict, tolerance: float = 1e-3) -> dict:
    """A result dict with the probabilities compared to `tolerance` (batch padding moves the 6th decimal)."""
    return {**result, "confidence": pytest.approx(result["confidence"], abs=tolerance),
            "probabilities": {k: pytest.approx(v, abs=tolerance) for k, v in result["probabilities"].items()}}


@pytest.fixture(scope="module")
def labelled_csv(engine, tmp_path_factory) -> Path:
    """60 held-out SMS (a mix of spam and ham) plus a few hard modern ones, as `label,text`."""
    heldout = read_labelled_csv(engine.bundled_classifier_dir() / "heldout_sms.csv")
    spam = [m for m in heldout if m.is_spam][:15]
    ham = [m for m in heldout if not m.is_spam][:45]
    path = tmp_path_factory.mktemp("eval") / "labelled.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])  # any column order, as the CLI reads it
        writer.writerows([m.text, "spam" if m.is_spam else "ham"] for m in spam + ham)
        writer.writerow(["Hi Mum, new number, can you send £200 today? x", "spam"])
        writer.writerow(["Your parcel is waiting, pay the £1.99 fee at [LINK]", "1"])
        writer.writerow(["Running late, save me a seat", "0"])
    return path


# --- evaluation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.5, 0.2])
def test_evaluation_figures_equal_what_the_cli_prints(engine, labelled_csv, threshold, capsys):
    from scamlab.cli import main

    assert main(["evaluate", "--data", str(labelled_csv), "--threshold", str(threshold)]) == 0
    cli_metrics = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    run = batch.evaluate_labelled_csv(engine, labelled_csv)
    at_half = run.metrics(0.5)
    # The slider recomputes from the kept probabilities: no new inference, same figures as a fresh CLI run.
    assert run.metrics(threshold) == cli_metrics
    messages = read_labelled_csv(labelled_csv)
    probabilities = [r["probabilities"]["spam"] for r in engine.batch_classify([m.text for m in messages])]
    expected = spam_metrics([m.is_spam for m in messages], probabilities, 0.5)
    assert {key: at_half[key] for key in expected} == expected and at_half["roc_auc"] == cli_metrics["roc_auc"]

    view = handlers.evaluation_view(run, threshold)
    figures, figure, mistakes = view["figures"], view["confusion"], view["mistakes"]
    assert f"| {cli_metrics['precision']:.4f} | {cli_metrics['recall']:.4f} |" in figures
    assert len(mistakes) == cli_metrics["confusion"]["fp"] + cli_metrics["confusion"]["fn"]
    assert all((row["predicted"] == "spam") != (row["label"] == "spam") for _, row in mistakes.iterrows())
    assert figure.axes and "Threshold" in figure.axes[0].get_title()


def test_evaluation_keeps_the_run_and_the_threshold_alone_changes_nothing_before_one(engine, labelled_csv):
    evaluated = handlers.run_evaluation(engine, str(labelled_csv), 0.5, progress=lambda *a, **k: None)
    assert set(evaluated) == {"figures", "confusion", "reliability", "mistakes", "evaluation"}
    assert evaluated["evaluation"].metrics(0.5)["n"] == len(evaluated["evaluation"].texts)
    assert handlers.evaluation_view(None, 0.3) == {name: gr.skip() for name in ("figures", "confusion", "mistakes")}


def test_evaluation_refuses_a_csv_without_labels(engine, tmp_path):
    path = tmp_path / "unlabelled.csv"
    path.write_text("text\nhello\n")
    with pytest.raises(gr.Error, match="label"):
        handlers.run_evaluation(engine, str(path), 0.5, progress=lambda *a, **k: None)


def test_evaluation_names_a_message_the_classifier_cannot_read(engine, tmp_path):
    path = tmp_path / "holes.csv"
    path.write_text("label,text\nham,see you at 6\nspam,\x01\x02\n", encoding="utf-8")
    with pytest.raises(gr.Error, match="Message 2: The message is empty"):
        handlers.run_evaluation(engine, str(path), 0.5, progress=lambda *a, **k: None)


def test_the_evaluation_shows_roc_auc_calibration_sources_and_a_reliability_diagram(engine, tmp_path):
    from scamlab.engine.evaluation import reliability_bins

    path = tmp_path / "sources.csv"
    rows = [("spam", "URGENT: your account is locked, verify at paypa1-secure.top/login now", "smishing"),
            ("ham", "Running late, save me a seat", "friends"), ("spam", "WIN a £500 prize! Txt CLAIM to 80082", "sms 2012"),
            ("ham", "Your code is 482913. Never share it with anyone.", "services"), ("ham", "See you at 6 at the cafe", "friends")]
    path.write_text("label,text,source\n" + "".join(f'{label},"{text}",{source}\n' for label, text, source in rows))
    evaluated = handlers.run_evaluation(engine, str(path), 0.5, progress=lambda *a, **k: None)
    run, figures = evaluated["evaluation"], evaluated["figures"]
    metrics = run.metrics(0.5)
    assert "ROC AUC" in figures and "Calibration error" in figures and f"| {metrics['ece']:.4f} |" in figures
    for source in ("smishing", "friends", "sms 2012", "services"):
        assert f"| {source} | {metrics['by_source'][source]['n']} |" in figures
    bars = evaluated["reliability"].axes[0].patches
    expected = reliability_bins(run.is_spam, run.probabilities)
    assert sorted(round(bar.get_height(), 4) for bar in bars) == sorted(row["spam_share"] for row in expected)


# --- one message ---------------------------------------------------------------------------------------


def test_one_message_view(engine):
    text = "URGENT: your bank account is locked. Verify your details at [LINK] now."
    shown = handlers.check_message(engine, text)
    verdict, segments, reasons = shown["verdict"], shown["flags"], shown["reasons"]
    spam = engine.classify_spam(text)["probabilities"]["spam"]
    assert shown["notice"] == "" and shown["classifier_bars"]["spam"] == pytest.approx(spam)
    assert display.verdict_markdown(spam, []).split("\n")[0] in verdict and "Banking" in verdict
    main = engine.classify_spam(text)["main_evidence"]  # the shipped classifier names its evidence
    assert f"**What weighed most:** {main}" in verdict
    assert "".join(segment for segment, _ in segments) == text
    assert {"Link to click", "Urgency or threat"} <= {label for _, label in segments}
    assert "Link to click" in reasons and "fake login pages" in reasons


def test_over_long_message_is_cut_with_a_notice_and_empty_is_refused(engine):
    limit = engine.settings.max_input_chars
    notice = handlers.check_message(engine, "Claim your prize now! " * (limit // 10))["notice"]
    assert f"only the first {limit:,}" in notice
    with pytest.raises(gr.Error, match="empty"):
        handlers.check_message(engine, "   ")


def test_verdict_markdown_names_the_band():
    assert "Verdict: Scam" in display.verdict_markdown(0.75, ["Delivery"]) and "0.60 to 0.90" in display.verdict_markdown(0.75, [])
    assert "0.90 to 1.00" in display.verdict_markdown(1.0, []) and "0.00 to 0.10" in display.verdict_markdown(0.0, [])


def test_examples_have_no_working_contact_points():
    assert len(tab.EXAMPLES) == 10 and all(name and text for name, text in tab.EXAMPLES)
    for _, text in tab.EXAMPLES:
        reserved = re.sub(r"\S+\.example\S*", "[LINK]", text)  # *.example is reserved (RFC 2606): never real
        assert scrub_contact_points(reserved) == reserved, text


def test_the_api_help_says_what_each_endpoint_answers():
    assert "up to 16 per forward pass" in tab.API_HELP and "up to 2,000 texts" in tab.API_HELP
    assert '`{"error": why}` there' in tab.API_HELP and "fails" not in tab.API_HELP  # an empty text fails alone
    assert "$" not in tab.API_HELP + tab.CONVERSATION_INTRO + tab.TRIAGE_INTRO  # every limit filled in


def test_second_opinion_explains_itself_when_the_judge_cannot_answer():
    class NoJudgeEngine:
        def judge(self, text: str) -> float:
            raise RuntimeError("no local chat model")

    judged = handlers.second_opinion(NoJudgeEngine(), "hello", {"spam": 0.9, "not_spam": 0.1})  # type: ignore[arg-type]
    note = judged["judge_note"]
    assert judged["judge_bars"] is None and "no local chat model" in note and "weak judge" in note

    class AgreeingEngine:
        def judge(self, text: str) -> float:
            return 0.2

    judged = handlers.second_opinion(AgreeingEngine(), "hello", {"spam": 0.9, "not_spam": 0.1})  # type: ignore[arg-type]
    assert judged["judge_bars"] == {"spam": 0.2, "not_spam": 0.8} and "disagree" in judged["judge_note"]


def test_open_in_chat_switches_tab_and_starts_the_chat():
    @dataclass
    class FakeChat:
        tab_id: str = "chat"
        opener: dict = field(default_factory=lambda: dict.fromkeys(("history", "state")))
        opened: list[str] = field(default_factory=list)

        def open_with_message(self, text: str) -> tuple:
            self.opened.append(text)
            return ("history", "state")

    chat = FakeChat()
    opened = handlers.open_in_chat(chat, "Pay the fee at [LINK]")
    assert opened.pop("tabs").selected == "chat" and chat.opened == ["Pay the fee at [LINK]"]
    assert opened == {"history": "history", "state": "state"}
    with pytest.raises(gr.Error):
        handlers.open_in_chat(chat, " ")


def test_open_in_chat_fills_the_real_chat_tab(engine):
    from scamlab.ui.chat_tab import build_chat_tab

    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            chat = build_chat_tab(engine)
            tab.build_classifier_tab(engine, chat, tabs)
    opens = [fn for fn in demo.fns.values() if fn.outputs and fn.outputs[0] is tabs]
    assert len(opens) == 2 and all(fn.outputs == [tabs, *chat.opener.values()] for fn in opens)
    shown = opens[0].fn("Pay the £1.45 redelivery fee at [LINK]")
    assert list(shown) == opens[0].outputs and shown[tabs].selected == chat.tab_id
    assert shown[chat.opener["transcript"]].turns[0].text == "Pay the £1.45 redelivery fee at [LINK]"


# --- batch triage --------------------------------------------------------------------------------------


def test_batch_triage_of_files_and_pasted_lines(engine, tmp_path):
    good = tmp_path / "inbox.txt"
    good.write_text("WINNER! Claim your £500 prize now at [LINK]\nsee you at 6\n")
    broken = tmp_path / "broken.csv"
    broken.write_text("id,amount\n1,2\n")
    shown = handlers.run_triage(
        engine, [str(good), str(broken)], "Hi Mum, new number, send £200 today", "", progress=lambda *a, **k: None
    )
    notice, table, counts, download, texts = (shown[name] for name in ("notice", "table", "summary", "download", "texts"))
    assert list(table.columns) == display.TABLE_COLUMNS and len(table) == 4
    by_source = {row["source"]: row for _, row in table.iterrows()}
    assert by_source["broken.csv"]["verdict"] == batch.ERROR_VERDICT and "no text column" in by_source["broken.csv"]["preview"]
    assert "could not be checked" in notice
    spam = engine.classify_spam("WINNER! Claim your £500 prize now at [LINK]")["probabilities"]["spam"]
    assert by_source["inbox.txt line 1"]["spam probability"] == pytest.approx(spam, abs=1e-3)
    assert by_source["inbox.txt line 1"]["verdict"] == display.verdict_for(spam)
    assert "Prize / lottery" in by_source["inbox.txt line 1"]["tags"]
    assert texts["pasted line 1"] == "Hi Mum, new number, send £200 today"
    probabilities = [p for p in table["spam probability"] if p == p]  # NaN (errors) last
    assert probabilities == sorted(probabilities, reverse=True) and table.iloc[-1]["verdict"] == batch.ERROR_VERDICT
    assert dict(zip(counts["verdict"], counts["messages"]))[batch.ERROR_VERDICT] == 1 and counts["messages"].sum() == 4
    assert download.visible
    with open(download.value["path"], newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 4 and {"WINNER! Claim your £500 prize now at [LINK]", "see you at 6"} <= {r["text_or_error"] for r in rows}


def test_batch_triage_needs_some_input(engine):
    with pytest.raises(gr.Error, match="Upload"):
        handlers.run_triage(engine, [], "  \n", "", progress=lambda *a, **k: None)


def test_control_character_lines_become_error_rows_not_a_failed_batch(engine):
    result = batch.triage(engine, [BatchItem("a", "\x01\x02"), BatchItem("b", "see you at 6")])
    assert [row["verdict"] for row in result.rows][-1] == batch.ERROR_VERDICT and len(result.rows) == 2


# --- API -----------------------------------------------------------------------------------------------


def test_only_the_three_endpoints_are_public(engine):
    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            tab.build_classifier_tab(engine, None, tabs)
    public = {fn.api_name: fn for fn in demo.fns.values() if fn.api_visibility == "public"}
    assert set(public) == {"classify", "classify_batch", "score_conversation"}
    # An ordinary event, so each caller's request reaches the limiter; the engine batches concurrent callers.
    assert not public["classify"].batch and public["classify"].concurrency_limit == tab.API_MAX_BATCH_SIZE == 16


def test_a_limiter_counts_the_batch_endpoint_and_the_check_button_but_not_the_judge(engine):
    from scamlab.ui.rate_limit import RateLimiter

    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            tab.build_classifier_tab(engine, None, tabs, limiter=RateLimiter(1))
    fns = list(demo.fns.values())
    classify_batch = next(fn.fn for fn in fns if fn.api_name == "classify_batch")
    check = next(fn.fn for fn in fns if len(fn.outputs) == 5 and isinstance(fn.outputs[1], gr.Label))
    judge_event = next(fn for fn in fns if len(fn.outputs) == 2 and isinstance(fn.outputs[0], gr.Label))
    assert classify_batch(["see you at 6"])[0]["classification"] == "not_spam"
    for over_the_limit in (lambda: classify_batch(["see you at 6"]), lambda: check("see you at 6")):
        with pytest.raises(gr.Error, match="Slow down"):  # one allowance per session, across the tab
            over_the_limit()
    # The judge follows every check: it counts in its own bucket.
    bars = judge_event.fn("see you at 6", None)[judge_event.outputs[0]]
    assert bars is None or set(bars) == {"spam", "not_spam"}


def test_each_event_answers_its_own_outputs_by_component(engine):
    with gr.Blocks() as demo:
        with gr.Tabs() as tabs:
            tab.build_classifier_tab(engine, None, tabs)
    fns = list(demo.fns.values())
    check = next(fn for fn in fns if len(fn.outputs) == 5 and isinstance(fn.outputs[1], gr.Label))
    shown = check.fn("URGENT: verify your bank account at [LINK]")
    assert list(shown) == check.outputs and shown[check.outputs[1]]["spam"] > 0.5
    detail = next(fn for fn in fns if isinstance(fn.outputs[-1], gr.Tabs))  # "Check this one in detail"
    shown = detail.fn("see you at 6")
    assert shown[detail.outputs[0]] == "see you at 6" and shown[detail.outputs[1]].selected == "one"
    threshold = next(fn for fn in fns if isinstance(fn.inputs[0], gr.State) and isinstance(fn.inputs[-1], gr.Slider))
    assert threshold.fn(None, 0.4) == dict.fromkeys(threshold.outputs, gr.skip())


@pytest.fixture(scope="module")
def client(running_app):
    from gradio_client import Client

    return Client(running_app.url, verbose=False)


def test_classify_endpoints_through_the_client(client, engine):
    text = "Your parcel is held: pay the £1.99 fee at [LINK] within 24 hours"
    assert client.predict(text, api_name="/classify") == approx_result(engine.classify_spam(text))
    texts = ["see you at 6", text]
    assert client.predict(texts, api_name="/classify_batch") == [approx_result(r) for r in engine.batch_classify(texts)]
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert {"/classify", "/classify_batch"} <= set(endpoints)
    assert not any(name.startswith(("/check_message", "/run_triage", "/run_evaluation", "/second_opinion")) for name in endpoints)


def test_eight_concurrent_callers_each_get_their_own_answer(client, engine):
    # Spam probabilities from 0.002 to 0.997, at least 4e-4 apart: a swapped answer cannot pass for the right one.
    texts = [
        "Thanks for dinner", "see you at 6", "Limited offer: 50% off today only", "Your subscription renews soon",
        "Package delivery attempted", "You have a new voicemail, listen here",
        "Your account is locked, verify now at [LINK]", "WINNER!! Claim your £900 prize now",
    ]
    expected = [engine.classify_spam(t) for t in texts]
    spam = sorted(r["probabilities"]["spam"] for r in expected)
    assert min(b - a for a, b in zip(spam, spam[1:])) > 1e-4
    jobs = [client.submit(t, api_name="/classify") for t in texts] + [client.submit("", api_name="/classify")]
    answers = [job.result(timeout=120) for job in jobs]
    assert answers[:-1] == [approx_result(r, tolerance=2e-5) for r in expected]
    assert answers[-1] == {"error": EMPTY_MESSAGE}  # the empty text fails alone, not its batch-mates


def test_empty_text_errors_through_the_client(client):
    from gradio_client.exceptions import AppError

    assert client.predict("   ", api_name="/classify") == {"error": EMPTY_MESSAGE}
    fine, empty = client.predict(["fine", ""], api_name="/classify_batch")
    assert fine["classification"] == "not_spam" and empty == {"error": EMPTY_MESSAGE}  # one bad text fails alone
    with pytest.raises(AppError, match="Send a list of texts"):
        client.predict("fine", api_name="/classify_batch")
