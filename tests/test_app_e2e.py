"""The real app as its users meet it: `python app.py` on loopback, driven through `gradio_client` and a
real headless Chromium. (tests/test_chat_tab.py and tests/test_classifier_tab.py cover `/reply` and
`/classify` answers themselves; here: streaming, order over many texts, and the three main views in a browser.)
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import start_app, stop_app, upload_file

SCAM = "URGENT: your bank account is locked. Verify your card details within 24 hours at [LINK] or lose access."
SCORE = re.compile(r"scam meter (\d+)%")


def approx(result: dict) -> dict:
    return {**result, "confidence": pytest.approx(result["confidence"], abs=1e-4),
            "probabilities": {k: pytest.approx(v, abs=1e-4) for k, v in result["probabilities"].items()}}


# --- the API ---------------------------------------------------------------------------------------------


def test_reply_streams_growing_text_through_the_client(client):
    job = client.submit(
        [{"role": "scammer", "content": "Hello, this is your bank's fraud team. Please confirm your full name."}],
        "victim", "skeptical", "bank", 0.7, 0.9, 48, 5, api_name="/reply",
    )
    final = job.result(timeout=180)
    pieces = [piece for piece in job.outputs() if piece != ""]  # "": the candidates are still being written
    assert len(pieces) >= 3, f"expected the reply in several pieces, got {pieces!r}"
    assert all(isinstance(piece, str) and piece for piece in pieces) and final == pieces[-1]
    # Each piece is the text so far: it grows. (The last may be cut back to the last full sentence.)
    grown = sum(later.startswith(earlier) for earlier, later in zip(pieces[:-2], pieces[1:-1]))
    assert grown >= len(pieces) - 3, pieces
    assert len(pieces[-2]) > len(pieces[0])


def test_the_benchmarks_browser_like_student_gets_what_gradio_client_gets(client, running_app):
    # benchmarks/students.py stands in for a student's browser in the load figures: the same answers, streamed.
    from benchmarks.students import HttpStudent, StudentError

    student = HttpStudent(running_app.url)
    assert student.call("classify", SCAM) == approx(client.predict(SCAM, api_name="/classify"))
    request = ([{"role": "scammer", "content": "Your parcel is held at the depot. Pay the 1.99 fee today."}],
               "victim", "skeptical", "parcel", 0.0, 1.0, 24, 1, 1)
    pieces = list(student.stream("reply", *request))
    assert pieces[0] == "" and len(pieces) >= 2  # "writing...", then the reply
    assert pieces[-1] == client.predict(*request, api_name="/reply")
    with pytest.raises(StudentError, match="pirate"):
        student.call("reply", request[0], "pirate", *request[2:])


def test_classify_batch_answers_many_texts_in_order(client, engine):
    # More texts than one forward pass (16) holds, of different lengths: the engine sorts them by length inside.
    texts = [f"{'Please ' * (i % 7)}message {i}: " + (SCAM if i % 3 == 0 else "see you at the cafe at 6") for i in range(40)]
    assert client.predict(texts, api_name="/classify_batch") == [approx(r) for r in engine.batch_classify(texts)]
    assert client.predict(texts[3], api_name="/classify") == approx(engine.classify_spam(texts[3]))


# --- in a browser ----------------------------------------------------------------------------------------


def open_app(tab, url: str):
    """The app loaded, with its page-load events done (the conversation name is filled in by them)."""
    from playwright.sync_api import expect

    tab.page.goto(url)
    expect(tab.page.get_by_label("Name")).not_to_have_value("", timeout=90_000)
    return tab.page


def open_classifier_view(tab, url: str, view: str):
    """The app loaded, on the classifier tab's `view` sub-tab."""
    page = open_app(tab, url)
    page.get_by_role("tab", name="Spam classifier").click()
    page.get_by_role("tab", name=view).click()
    return page


RECORD_BOT_TEXTS = """() => {
    window.__botTexts = [];
    new MutationObserver(() => {
        const bubbles = document.querySelectorAll("[data-testid='bot']");
        const text = bubbles.length ? bubbles[bubbles.length - 1].innerText : "";
        if (text && text !== window.__botTexts[window.__botTexts.length - 1]) window.__botTexts.push(text);
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def test_chat_tab_streams_a_reply_and_scores_it(tab, running_app):
    from playwright.sync_api import expect

    page = open_app(tab, running_app.url)
    page.evaluate(RECORD_BOT_TEXTS)
    page.get_by_label("Your message").fill("Hello? Who is this and why are you texting me about my bank?")
    page.get_by_role("button", name="Send", exact=True).click()
    ai = page.locator("[data-testid='bot']").last
    ai.get_by_text(SCORE).wait_for(timeout=120_000)  # the reply is finished and scored

    streamed = [text for text in page.evaluate("window.__botTexts") if "writing..." in text]
    words = {text.split("\n")[0] for text in streamed if not text.startswith("...")}
    assert len(words) >= 2, f"the reply did not arrive in pieces: {streamed!r}"
    final = ai.inner_text()
    assert "writing..." not in final and final.split("\n")[0].strip() not in ("", "...")
    assert 0 <= int(SCORE.search(final).group(1)) <= 100
    person = page.locator("[data-testid='user']").last
    assert SCORE.search(person.inner_text()), "the person's message has a scam meter too"
    expect(page.get_by_role("button", name="Retry")).to_be_enabled(timeout=30_000)  # the actions wait no more
    tab.screenshot("e2e-chat")
    assert tab.errors == []


@pytest.mark.slow
def test_enter_sends_and_shift_enter_starts_a_new_line(tab, running_app):
    from playwright.sync_api import expect

    page = open_app(tab, running_app.url)
    box = page.get_by_label("Your message")
    box.fill("Who is this?")
    box.press("Shift+Enter")
    box.press_sequentially("I did not order anything.")
    assert box.input_value() == "Who is this?\nI did not order anything."  # Shift+Enter: a new line, not sent
    box.press("Enter")
    person = page.locator("[data-testid='user']").last
    expect(person).to_contain_text("I did not order anything.", timeout=30_000)
    expect(box).to_have_value("")
    page.get_by_role("button", name="Stop").click()  # the AI's answer is not what this test is about
    assert tab.errors == []


def bar_text(page, label: str) -> str:
    """The text of the gr.Label block whose label is `label` (class names and percentages)."""
    return page.locator("[data-testid='label']").filter(has=page.get_by_text(label, exact=True)).inner_text()


def test_classifier_tab_shows_classifier_and_judge_bars(tab, running_app, engine):
    page = open_app(tab, running_app.url)
    page.get_by_role("tab", name="Spam classifier").click()
    page.get_by_label("Message", exact=True).fill(SCAM)
    page.get_by_role("button", name="Check", exact=True).click()
    page.get_by_text("Verdict:").first.wait_for(timeout=60_000)

    classifier = page.locator("[data-testid='label']").nth(0)
    judge = page.locator("[data-testid='label']").nth(1)
    for bars in (classifier, judge):
        bars.get_by_text(re.compile(r"^\d+%$")).first.wait_for(timeout=120_000)  # the judge answers second
    expected = round(engine.classify_spam(SCAM)["probabilities"]["spam"] * 100)
    shown = dict(re.findall(r"(not_spam|spam)\n(\d+)%", classifier.inner_text()))
    assert abs(int(shown["spam"]) - expected) <= 1 and int(shown["spam"]) + int(shown["not_spam"]) in (99, 100, 101)
    judged = dict(re.findall(r"(not_spam|spam)\n(\d+)%", judge.inner_text()))
    assert set(judged) == {"spam", "not_spam"}
    page.get_by_text("Most Certainly Scam").first.wait_for()  # the verdict card names its band
    tab.screenshot("e2e-classifier")
    assert tab.errors == []


def test_the_first_check_after_a_cold_start_shows_the_classifier_build_progress(tab, tmp_path):
    # An empty cache folder: a newcomer's first `python app.py`. The build starts with the app; the Check
    # waits for it with a progress bar instead of hanging. (The app is stopped before the build ends.)
    app = start_app({"SCAMLAB_CACHE_DIR": str(tmp_path / "cache")}, name="cold")
    try:
        page = open_app(tab, app.url)
        assert list((tmp_path / "cache" / "spam-classifier").glob("*.lock"))  # the build started with the app
        page.get_by_role("tab", name="Spam classifier").click()
        page.get_by_label("Message", exact=True).fill(SCAM)
        page.get_by_role("button", name="Check", exact=True).click()
        building = re.compile(r"Building the spam classifier|Generating the training messages|Training (step|epoch)")
        page.get_by_text(building).first.wait_for(timeout=60_000)
        assert tab.errors == []
    finally:
        stop_app(app)


def test_batch_triage_of_an_uploaded_csv_shows_the_table(tab, running_app, engine, tmp_path):
    rows = ["See you at 6 by the cinema", SCAM, "Can you pick up milk on the way home?"]
    csv_file = tmp_path / "triage.csv"
    csv_file.write_text("label,text\n" + "".join(f'x,"{row}"\n' for row in rows), encoding="utf-8")
    page = tab.page
    upload_file(page, csv_file, lambda: open_classifier_view(tab, running_app.url, "Batch triage"))
    page.get_by_role("button", name="Check all").click()

    table = page.get_by_role("grid").filter(has_text="spam probability")

    def row(line: int):
        return table.get_by_role("row").filter(has_text=f"triage.csv line {line}").filter(visible=True).first

    row(4).wait_for(timeout=60_000)
    for line, text in zip((2, 3, 4), rows):
        row_text = row(line).inner_text()
        shown = float(re.search(r"\b[01]\.\d{2,}\b", row_text).group())
        assert text[:20] in row_text and shown == pytest.approx(engine.classify_spam(text)["probabilities"]["spam"], abs=1e-3)
    assert "Most Certainly Scam" in row(3).inner_text()
    tab.screenshot("e2e-batch-triage")
    assert tab.errors == []
