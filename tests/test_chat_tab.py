"""Tests for the chat tab: its plain functions and handlers (with a fake engine), then the real app's `/reply`."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import gradio as gr
import pytest
from matplotlib.figure import Figure

from scamlab.config import load_settings
from scamlab.engine import Engine, GenerationParams, ReplyRequest
from scamlab.safety import contains_contact_point
from scamlab.transcripts import Transcript, Turn, checked_messages, from_json, new_transcript
from scamlab.ui import chat_state
from scamlab.ui import chat_edits, chat_events
from scamlab.ui.chat_events import ChatEvents
from scamlab.ui.chat_tab import ChatTab, build_chat_tab
from scamlab.ui.transcript_display import meter_frame
from tests.conftest import free_port

ROLE_PREFIX = re.compile(r"^\s*\**\s*(scammer|victim|user|assistant|ai|system)\s*\**\s*:", re.IGNORECASE)


# --- a fake engine: the same interface, no model -----------------------------------------------------------


class FakeBackend:
    def __init__(self) -> None:
        self.tokens_generated = 0

    def describe(self) -> str:
        return "fake chat model on cpu"


FAKE_STAGES = {"scammer": "Urgency: Threatening to close the account", "victim": "Asks who is calling"}


class FakeEngine:
    """Streams a fixed reply word by word and scores text with 'pay' in it as spam."""

    def __init__(self, cache_dir: Path, reply: str = "Please pay the fee today at [LINK] now.", delay: float = 0) -> None:
        self.settings = load_settings(env={"SCAMLAB_CACHE_DIR": str(cache_dir)}, dotenv_path=None)
        self.reply, self.delay = reply, delay
        self.backend = FakeBackend()
        self.warnings: list[str] = []
        self.calls: list[tuple[list[dict[str, str]], str, str, str | None]] = []
        self.closed = 0

    def chat_backend(self, progress=None) -> FakeBackend:
        return self.backend

    def classifier(self, progress=None) -> FakeBackend:
        return self.backend

    checked_text = Engine.checked_text  # the real input limit and clean-up; they use only the settings
    status = Engine.status
    tokens_generated = Engine.tokens_generated

    def stream_staged_reply(self, request, stop=None):
        persona = request.persona
        self.calls.append((list(request.conversation), persona, request.style, request.scenario))
        words = self.reply.split()
        stage = FAKE_STAGES[persona]
        try:
            yield "", None  # while the candidates are written
            for count in range(1, len(words) + 1):
                time.sleep(self.delay)
                self.backend.tokens_generated += 1
                yield " ".join(words[:count]), stage
        finally:
            self.closed += 1

    def batch_classify(self, texts, batch_size=16, progress=None):
        return [{"probabilities": {"spam": 0.9 if "pay" in text.lower() else 0.1}} for text in texts]

    def score_conversation(self, messages):
        """The conversation so far is as scam-like as the most scam-like scammer message in it."""
        scores, highest = [], 0.05
        for message in messages:
            if message["role"] == "scammer":
                highest = max(highest, 0.8 if "pay" in message["content"].lower() else 0.2)
            scores.append(highest)
        return {"turn_scores": scores}

    def classify_spam(self, text):
        return self.batch_classify([text])[0]


@pytest.fixture
def fake(tmp_path) -> FakeEngine:
    return FakeEngine(tmp_path)


def conversation(*speakers: str) -> Transcript:
    """A conversation where the AI scammer talks with a person (the victim)."""
    turns = tuple(Turn(s, f"message {i} from the {s}", by_ai=(s == "scammer")) for i, s in enumerate(speakers))
    return new_transcript("bank", "scammer", "neutral", turns=turns)


GENERATION = ("scammer", "urgent", "bank", 0.7, 0.9, 80, 0)


def transcripts(outputs) -> list[Transcript]:
    """The transcript of each update a handler yielded."""
    return [values["transcript"] for values in outputs]


def unchanged(values) -> bool:
    """Whether a handler's update leaves every output as it was."""
    return bool(values) and all(value == gr.skip() for value in values.values())


# --- limits and editing ------------------------------------------------------------------------------------


def test_message_limit_keeps_the_text_and_says_why():
    assert chat_state.check_message("  hello  ") == "hello"
    assert chat_state.check_message("x" * chat_state.MAX_MESSAGE_CHARS) == "x" * chat_state.MAX_MESSAGE_CHARS
    with pytest.raises(chat_state.ChatLimitError, match="Type a message first"):
        chat_state.check_message("   ")
    with pytest.raises(chat_state.ChatLimitError, match=r"1,001 characters; the limit is 1,000.*still in the box"):
        chat_state.check_message("x" * 1001)
    # The send handler: a toast says why, and nothing changes (the box keeps the text, no message is added).
    with pytest.warns(UserWarning, match="the limit is 1,000"):
        assert unchanged(chat_edits.send("x" * 1001, conversation(), "scammer"))


def test_sending_puts_the_message_on_the_other_side_scrubbed():
    sent = chat_edits.send("Call me on 07700 900123 or see www.example.com", conversation(), "victim")
    assert sent["message"] == ""
    last, bubbles = sent["transcript"].turns[-1], sent["chatbot"]
    assert (last.speaker, last.by_ai) == ("scammer", False)  # the AI plays the victim, so the person is the scammer
    assert "[PHONE]" in last.text and "[LINK]" in last.text and not contains_contact_point(last.text)
    assert bubbles[-1]["role"] == "assistant" and "[PHONE]" in bubbles[-1]["content"]  # scammers sit on the left


def test_turn_cap_stops_a_full_conversation():
    almost_full = conversation(*(["scammer", "victim"] * 19))  # 38 messages: one exchange left
    assert len(chat_state.add_person_message(almost_full, "ok", "scammer").turns) == 39
    full = almost_full.with_turn(Turn("scammer", "one more"))
    with pytest.raises(chat_state.ChatLimitError, match="classroom limit is 40"):
        chat_state.add_person_message(full, "ok", "scammer")
    with pytest.warns(UserWarning, match="classroom limit is 40"):
        assert unchanged(chat_edits.send("ok", full, "scammer"))


def test_undo_removes_the_persons_last_message_and_the_answers_after_it():
    transcript = conversation("scammer", "victim", "scammer")
    shorter, text = chat_state.undo(transcript)
    assert [t.speaker for t in shorter.turns] == ["scammer"]
    assert text == "message 1 from the victim"  # back in the box for editing
    ai_only, text = chat_state.undo(new_transcript("bank", "scammer", "neutral", turns=(Turn("scammer", "a"), Turn("victim", "b"))))
    assert [t.text for t in ai_only.turns] == ["a"] and text == ""
    with pytest.raises(chat_state.ChatLimitError, match="Nothing to undo"):
        chat_state.undo(conversation())


def test_retry_rewrites_the_ais_last_message_or_answers_the_person():
    transcript = conversation("scammer", "victim", "scammer")
    again, speaker = chat_state.retry_point(transcript, "scammer")
    assert len(again.turns) == 2 and speaker == "scammer"
    answered, speaker = chat_state.retry_point(conversation("scammer", "victim"), "scammer")
    assert len(answered.turns) == 2 and speaker == "scammer"
    with pytest.raises(chat_state.ChatLimitError, match="Nothing to retry"):
        chat_state.retry_point(conversation(), "scammer")


def test_clear_keeps_the_conversation_but_drops_its_messages():
    transcript = conversation("scammer", "victim")
    cleared = chat_state.clear(transcript)
    assert cleared.turns == () and (cleared.id, cleared.title) == (transcript.id, transcript.title)


def test_open_with_message_starts_a_new_conversation_for_the_ai_victim(tmp_path):
    with gr.Blocks():
        with gr.Tabs():
            tab = build_chat_tab(FakeEngine(tmp_path))
    assert isinstance(tab, ChatTab) and tab.tab_id == "chat"
    values = tab.open_with_message("Royal Mail: pay the £1.45 redelivery fee at http://pay.example.com")
    assert len(values) == len(tab.opener_outputs) == len(set(tab.opener_outputs))
    opened = dict(zip(tab.opener, values))  # the values come in the order of the outputs
    transcript = opened["transcript"]
    assert (opened["persona"], opened["scenario"]) == ("victim", "parcel") == (transcript.persona, transcript.scenario)
    assert [(t.speaker, t.by_ai) for t in transcript.turns] == [("scammer", False)]
    assert "[LINK]" in transcript.turns[0].text and "[LINK]" in opened["chatbot"][0]["content"]
    assert opened["open_signal"] == transcript.id  # the signal that starts the AI's answer
    assert dict(zip(tab.opener, tab.open_with_message("another message")))["transcript"].id != transcript.id
    with pytest.raises(gr.Error, match="no message"):
        tab.open_with_message("  ")


def test_library_saves_switches_and_deletes():
    first, second = conversation("scammer"), conversation("scammer", "victim")
    library = chat_state.stored(chat_state.stored(chat_state.empty_library(), first), second)
    assert library["active"] == second.id
    assert [choice[1] for choice in chat_state.conversation_choices(library)] == [second.id, first.id]
    assert chat_state.saved(library, first.id) == first
    renamed = chat_state.renamed(first, "  Lesson   one ")
    library = chat_state.stored(library, renamed)
    assert chat_state.saved(library).title == "Lesson one" and len(library["conversations"]) == 2
    library = chat_state.removed(library, renamed.id)
    assert library["active"] == second.id and chat_state.saved(library, renamed.id) is None
    fresh, newer = new_transcript("job", "victim", "neutral"), new_transcript("job", "victim", "neutral")
    library = chat_state.stored(chat_state.stored(library, fresh), newer)  # an empty conversation is not kept once left
    assert [entry["id"] for entry in library["conversations"]] == [newer.id, second.id]


def test_an_imported_transcript_is_scrubbed_and_gets_a_new_id_when_taken():
    transcript = new_transcript("bank", "scammer", "neutral", turns=(Turn("scammer", "Text 07700 900123"),))
    library = chat_state.stored(chat_state.empty_library(), transcript)
    copy = chat_state.imported(transcript, library)
    assert copy.id != transcript.id and copy.turns[0].text == "Text [PHONE]"
    assert chat_state.imported(transcript, chat_state.empty_library()).id == transcript.id


@pytest.mark.parametrize(
    "messages, persona, style, scenario, expected",
    [
        ([], "scammer", "neutral", "bank", "messages is empty"),
        ("", "scammer", "neutral", "bank", "messages is empty"),
        ("[{", "scammer", "neutral", "bank", "not valid JSON"),
        ([{"role": "narrator", "content": "hi"}], "scammer", "neutral", "bank", "Message 1 needs a role"),
        ([{"role": "user", "content": "x" * 1001}], "scammer", "neutral", "bank", "the limit is 1,000"),
        ([{"role": "user", "content": "hi"}], "pirate", "neutral", "bank", "Unknown persona 'pirate'"),
        ([{"role": "user", "content": "hi"}], "scammer", "shouty", "bank", "Unknown style 'shouty'"),
        ([{"role": "user", "content": "hi"}], "scammer", "neutral", "lottery", "Unknown scenario id 'lottery'"),
    ],
)
def test_api_request_rejects_bad_input_clearly(tmp_path, messages, persona, style, scenario, expected):
    events = ChatEvents(FakeEngine(tmp_path))  # type: ignore[arg-type]
    with pytest.raises(gr.Error, match=re.escape(expected)):
        next(events.api_reply(messages, persona, style, scenario))
    assert events.engine.calls == []  # refused before the model is asked


def test_api_request_accepts_json_text():
    assert checked_messages('[{"role": "victim", "content": "Hi"}]') == [{"role": "victim", "content": "Hi"}]


# --- handlers around the engine (fake engine: fast) -----------------------------------------------------------


def test_reply_streams_then_scores(fake):
    start = conversation("scammer", "victim")
    outputs = list(ChatEvents(fake).reply(start, *GENERATION))
    texts = [t.turns[-1].text for t in transcripts(outputs)]
    assert "Please pay" in texts and texts[-1] == fake.reply  # grew word by word
    final = transcripts(outputs)[-1]
    assert final.turns[-1].speaker == "scammer" and final.turns[-1].by_ai
    assert [t.spam_probability for t in final.turns] == [0.1, 0.1, 0.9]
    history, persona, style, scenario = fake.calls[0]
    assert [m["role"] for m in history] == ["scammer", "victim"] and (persona, style, scenario) == ("scammer", "urgent", "bank")
    assert isinstance(outputs[-1]["meter"], Figure)
    assert list(meter_frame(final)["scam meter (%)"]) == [10.0, 10.0, 90.0]
    flags, reasons = outputs[-1]["flags"], outputs[-1]["flag_reasons"]
    assert ("[LINK]", "Link to click") in flags and "**Link to click**" in reasons
    assert [t.conversation_score for t in final.turns] == [0.2, 0.2, 0.8]  # the conversation meter, per message
    assert final.first_flag_turn == 3
    assert "flagged at message 3" in [text.get_text() for text in outputs[-1]["meter"].axes[0].texts][-1]
    assert final.turns[-1].stage == FAKE_STAGES["scammer"]  # the stage the reply played, kept in the transcript
    strip = outputs[-1]["timeline"]
    assert 'class="stage-step reached" data-stage="urgency"' in strip and strip.count("stage-step reached") == 1
    assert 'class="stage-step" data-stage="hook"' in strip  # a stage not played stays dim


def test_after_a_refused_message_the_ai_does_not_answer_again(fake):
    events = ChatEvents(fake)
    assert list(events.answer(conversation("scammer", "victim", "scammer"), *GENERATION)) == []
    assert fake.calls == []
    assert transcripts(events.answer(conversation("scammer", "victim"), *GENERATION))[-1].turns[-1].by_ai


def test_a_handler_with_nothing_to_do_leaves_every_output_alone(fake):
    """Gradio empties the outputs of a generator that never yields (the message box would lose its text)."""
    answer = chat_events.locking(ChatEvents(fake).answer)
    [nothing] = answer(conversation("scammer"), *GENERATION)
    assert unchanged(nothing)
    first, second, *_ = chat_events.locking(ChatEvents(fake).reply)(conversation("scammer", "victim"), *GENERATION)
    assert all(first[name] == gr.update(interactive=False) for name in chat_events.LOCKED)  # the actions wait
    assert not set(chat_events.LOCKED) & set(second)  # ... and stay locked until finalize
    assert second["transcript"].turns[-1].by_ai


def test_closing_the_handler_closes_the_engine_stream(fake):
    """What Stop does: Gradio closes the handler's generator; the engine's stream must close with it."""
    handler = ChatEvents(fake).reply(conversation("scammer", "victim"), *GENERATION)
    for values in handler:
        if len(values["transcript"].turns) == 3 and values["transcript"].turns[-1].text:  # the reply's first word
            break
    handler.close()
    assert fake.closed == 1 and fake.backend.tokens_generated == 1


def test_autoplay_alternates_sides_and_stops_at_the_cap(fake):
    outputs = list(ChatEvents(fake).autoplay(4, conversation("scammer"), *GENERATION))
    assert [t.speaker for t in transcripts(outputs)[-1].turns] == ["scammer", "victim", "scammer", "victim", "scammer"]
    assert [call[1] for call in fake.calls] == ["victim", "scammer", "victim", "scammer"]
    assert [call[2] for call in fake.calls] == ["neutral", "urgent", "neutral", "urgent"]  # the style is the AI persona's
    nearly_full = conversation(*(["scammer", "victim"] * 19))
    with pytest.warns(UserWarning, match="classroom limit"):
        outputs = list(ChatEvents(fake).autoplay(6, nearly_full, *GENERATION))
    assert len(transcripts(outputs)[-1].turns) == chat_state.MAX_MESSAGES


def test_finalize_scores_saves_and_offers_downloads(fake):
    stopped = conversation("scammer", "victim").with_turn(Turn("scammer", "", True))  # stopped before a word
    values = ChatEvents(fake).finalize(stopped, chat_state.empty_library())
    transcript, library = values["transcript"], values["library"]
    assert len(transcript.turns) == 2 and all(t.spam_probability == 0.1 for t in transcript.turns)
    assert chat_state.saved(library) == transcript and values["title"] == transcript.title
    assert values["picker"]["choices"] == chat_state.conversation_choices(library)
    assert all(values[name]["interactive"] for name in chat_events.LOCKED)  # the actions are back
    markdown, data = values["download_markdown"]["value"], values["download_json"]["value"]
    assert "## Conversation" in Path(markdown).read_text() and from_json(Path(data).read_text()) == transcript
    assert transcript.turns[0].conversation_score == 0.2  # the conversation meter is saved with the turns
    assert "first flagged the conversation at:** never" in Path(markdown).read_text()


def test_chat_tab_in_a_browser(tmp_path):
    """Send refuses a long message but keeps it; Stop ends the engine's stream; a reload restores the chat."""
    sync_api = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("Debian's chromium is not installed")
    slow = FakeEngine(tmp_path, reply=" ".join(["Pay now."] * 200), delay=0.05)
    with gr.Blocks() as demo:
        with gr.Tabs():
            build_chat_tab(slow)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            bubbles = page.locator("[data-testid='bot'], [data-testid='user']")
            retry = page.get_by_role("button", name="Retry")
            sync_api.expect(page.get_by_label("Name")).not_to_have_value("", timeout=60_000)  # the load events ran

            page.get_by_label("Your message").fill("x" * 1001)
            page.get_by_role("button", name="Send", exact=True).click()
            page.get_by_text("the limit is 1,000").first.wait_for()
            page.wait_for_timeout(500)
            assert page.get_by_label("Your message").input_value() == "x" * 1001 and bubbles.count() == 0

            page.get_by_role("button", name="AI opens").click()
            page.get_by_text("Pay now. Pay now.").first.wait_for(timeout=30_000)
            # The tactic timeline lights the stage up as the reply arrives, and the message carries its chip.
            page.locator("#stage-strip .stage-step.reached[data-stage='urgency']").wait_for(timeout=10_000)
            assert page.locator("#stage-strip .stage-step.reached").count() == 1
            assert page.locator(".stage-chip").first.inner_text() == FAKE_STAGES["scammer"]
            assert not retry.is_enabled()  # actions wait while the AI writes
            page.get_by_role("button", name="Stop").click()
            page.get_by_text("writing...").wait_for(state="detached", timeout=10_000)
            sync_api.expect(retry).to_be_enabled(timeout=10_000)
            assert slow.closed == 1 and slow.backend.tokens_generated < 300  # the stream ended long before its 400 words
            page.get_by_text("scam meter 90%").wait_for()  # the stopped message is kept and scored
            assert bubbles.count() == 1

            page.reload()
            page.get_by_text("scam meter 90%").wait_for(timeout=30_000)  # restored from the browser's storage
            assert bubbles.count() == 1
            browser.close()
    finally:
        demo.close()


# --- the real app and model ---------------------------------------------------------------------------------


def test_closing_the_engine_stream_stops_the_model(engine):
    """Closing `stream_reply` after the first chunk stops generation: far fewer tokens than a full reply."""
    backend = engine.chat_backend()
    # Four sampled candidates in one call: generation runs until the longest has finished its line.
    params = GenerationParams(max_new_tokens=48, seed=1, candidates=4)
    history = [{"role": "scammer", "content": "Your computer has a virus. Install the app now."}]
    before = backend.tokens_generated
    for _ in engine.stream_reply(ReplyRequest(history, "victim", "confused", "tech_support", params)):
        pass
    full = backend.tokens_generated - before
    assert full > 16, "precondition: without a stop the reply runs long enough to tell"
    before = backend.tokens_generated
    stream = engine.stream_reply(ReplyRequest(history, "victim", "confused", "tech_support", params))
    next(stream)
    stream.close()
    stopped = backend.tokens_generated - before
    assert stopped <= 8 < full


@pytest.fixture(scope="module")
def client(running_app):
    from gradio_client import Client

    return Client(running_app.url, verbose=False)


def test_reply_api_returns_clean_text(client):
    reply = client.predict(
        [{"role": "scammer", "content": "Your parcel is held. Pay the fee at www.parcel-fee.com or call 07700 900123."}],
        "victim", "skeptical", "parcel", 0.7, 0.9, 32, 7, api_name="/reply",
    )
    assert isinstance(reply, str) and reply.strip()
    assert not ROLE_PREFIX.match(reply) and "<|" not in reply
    assert not contains_contact_point(reply)


def test_reply_api_rejects_bad_input(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="Unknown persona 'pirate'"):
        client.predict([{"role": "user", "content": "hi"}], "pirate", api_name="/reply")
    with pytest.raises(AppError, match="messages is empty"):
        client.predict([], api_name="/reply")


def test_api_page_lists_reply_but_not_the_ui_events(client):
    api = client.view_api(print_info=False, return_format="dict")
    assert "/reply" in api["named_endpoints"]
    assert not [name for name in api["named_endpoints"] if re.match(r"/(reply_|send|finalize|retry|autoplay|undo|restore)", name)]
    assert not api["unnamed_endpoints"]


def test_cancelling_a_streamed_reply_stops_the_model(client, running_app):
    job = client.submit(
        [{"role": "victim", "content": "Who is this? Explain everything in detail."}],
        "scammer", "friendly", "bank", 1.0, 0.95, 200, 11, api_name="/reply",
    )
    deadline = time.monotonic() + 120
    while not job.outputs() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.outputs(), "no first chunk within 120 s"
    job.cancel()
    pattern = re.compile(r"Reply stopped early after (\d+) new tokens \(limit 200\)")
    deadline = time.monotonic() + 30
    while not (found := pattern.findall(running_app.log())) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found, "the app never logged the stop"
    assert int(found[-1]) < 50
