"""Tests for scamlab.transcripts: the Markdown handout, the JSON round trip, and clear errors on bad files."""

import json
import re

import pytest

from scamlab.transcripts import (
    FORMAT,
    MAX_ID_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_MESSAGES,
    MAX_TITLE_CHARS,
    MAX_TRANSCRIPT_BYTES,
    Transcript,
    TranscriptError,
    Turn,
    from_dict,
    from_file,
    from_json,
    new_transcript,
    to_dict,
    to_json,
    to_markdown,
)


@pytest.fixture
def transcript() -> Transcript:
    return new_transcript(
        "bank",
        "scammer",
        "urgent",
        title="Fraud team call",
        turns=(
            Turn("scammer", "Bank Security: your account is locked. Act now and read me the code.", True, 0.87),
            Turn("victim", "Why do you need my code?\nI'm at work.", False, 0.04),
            Turn("scammer", "Just say the 6 digits, it's urgent. Café owner Zoë approved it.", True, None),
        ),
    )


def test_handout_has_scenario_persona_and_every_turn_with_score_and_flags(transcript):
    handout = to_markdown(transcript)
    assert "Fraud team call" in handout
    assert "Bank account / one-time code" in handout  # the scenario's title
    assert "A fake bank fraud team says" in handout  # ... and its description
    assert "**The AI played:** Scammer (style: Urgent)" in handout
    assert "SIMULATION" in handout
    for number, turn in enumerate(transcript.turns, start=1):
        assert f"### {number}. " in handout
        for line in turn.text.splitlines():
            assert f"> {line}" in handout
    assert "### 1. Scammer (AI): scam meter 87% (Scam)" in handout
    assert "### 2. Victim (person): scam meter 4% (Most Certainly Safe)" in handout
    assert "### 3. Scammer (AI): not scored" in handout
    assert '**Urgency or threat** (“account is locked”, “Act now”)' in handout
    assert "Scammers rush or scare you" in handout  # the flag's reason
    # Red flags are listed under the turn that has them: the victim's question has none.
    victim_part = handout.split("### 2.")[1].split("### 3.")[0]
    assert "Red flags: none found" in victim_part
    assert "## Red flags to remember" in handout and "| Urgency or threat |" in handout


def test_handout_of_a_harmless_conversation_says_no_flags():
    quiet = new_transcript("romance", "victim", "neutral", turns=(Turn("scammer", "Hello there.", False, 0.1),))
    handout = to_markdown(quiet)
    assert "The rules found no red flags" in handout
    assert "**The AI played:** Victim" in handout


def test_json_round_trip_gives_the_same_conversation(transcript):
    text = to_json(transcript)
    assert json.loads(text)["format"] == FORMAT
    assert from_json(text) == transcript
    assert from_json(text.encode("utf-8")) == transcript
    assert from_dict(to_dict(transcript)) == transcript
    empty = new_transcript("job", "victim", "skeptical")
    assert from_json(to_json(empty)) == empty


def test_messages_use_persona_roles_and_skip_empty_turns(transcript):
    streaming = transcript.with_turn(Turn("victim", "", True))
    assert [m["role"] for m in streaming.messages()] == ["scammer", "victim", "scammer"]


def _broken(**changes):
    data = to_dict(new_transcript("bank", "scammer", "neutral", turns=(Turn("scammer", "Hi", True, 0.5),)))
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ("", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        ("[1, 2]", "Not a scamlab transcript"),
        (json.dumps({"turns": []}), "Not a scamlab transcript"),
        (_broken(version=99), "Unsupported transcript version 99"),
        (_broken(scenario="lottery"), "unknown scenario 'lottery'; use one of: bank, parcel"),
        (_broken(persona="pirate"), "unknown persona 'pirate'"),
        (_broken(style="shouty"), "unknown style 'shouty'"),
        (_broken(turns="hello"), "needs 'turns' as list"),
        (_broken(turns=[{"speaker": "narrator", "text": "x"}]), "message 1 has speaker 'narrator'"),
        (_broken(turns=[{"speaker": "victim"}]), "message 1 needs 'text' as str"),
        (_broken(turns=[{"speaker": "victim", "text": "x", "spam_probability": 7}]), "spam_probability 7"),
        (_broken(turns=[{"speaker": "victim", "text": "x", "by_ai": "yes"}]), "by_ai 'yes'"),
        (_broken(title=None), "needs 'title' as str"),
    ],
)
def test_broken_files_raise_a_clear_value_error(text, expected):
    with pytest.raises(ValueError) as caught:
        from_json(text)
    assert isinstance(caught.value, TranscriptError)
    assert expected in str(caught.value)


def _with_turns(turns, **changes):
    data = to_dict(new_transcript("bank", "scammer", "neutral"))
    data.update(turns=turns, **changes)
    return data


def test_limits_are_the_chats_and_are_checked_before_the_messages():
    at_limit = [{"speaker": "victim", "text": "x" * MAX_MESSAGE_CHARS}] * MAX_MESSAGES
    assert len(from_dict(_with_turns(at_limit)).turns) == MAX_MESSAGES
    # One message too many is refused even though every message is broken: the count comes first.
    too_many = f"has {MAX_MESSAGES + 1} messages; a conversation holds at most {MAX_MESSAGES}"
    with pytest.raises(TranscriptError, match=too_many):
        from_dict(_with_turns(["not a message"] * (MAX_MESSAGES + 1)))
    with pytest.raises(TranscriptError, match=f"message 2 has 1,001 characters; the limit is {MAX_MESSAGE_CHARS:,}"):
        from_dict(_with_turns([{"speaker": "victim", "text": "ok"}, {"speaker": "victim", "text": "x" * 1_001}]))


def test_a_file_over_the_byte_limit_is_refused_before_it_is_parsed(tmp_path):
    oversized = "{" + " " * MAX_TRANSCRIPT_BYTES  # not even valid JSON: the size is what is reported
    for attempt in (lambda: from_json(oversized), lambda: from_json(oversized.encode())):
        with pytest.raises(TranscriptError, match="KB; the limit is 256 KB"):
            attempt()
    path = tmp_path / "big.json"
    path.write_text(oversized)
    with pytest.raises(TranscriptError, match="The file is 256 KB; the limit is 256 KB per transcript"):
        from_file(path)


def test_deeply_nested_json_is_a_clear_error():
    with pytest.raises(TranscriptError, match="nested too deeply"):
        from_json("[" * 100_000)


@pytest.mark.parametrize(
    "raw_id, expected",
    [("x/../../..", "x"), ("Class_7B Monday", "class-7b-monday"), ("a" * 100, "a" * MAX_ID_CHARS), ("abc123", "abc123")],
)
def test_ids_are_safe_in_file_names(raw_id, expected):
    assert from_dict(_with_turns([], id=raw_id)).id == expected


@pytest.mark.parametrize("raw_id", ["../..", "", "///", "ÄÖÜ"])
def test_an_id_with_nothing_usable_gets_a_fresh_one(raw_id):
    new = from_dict(_with_turns([], id=raw_id)).id
    assert re.fullmatch("[0-9a-f]{12}", new)


def test_lone_surrogates_are_replaced_so_the_transcript_saves_again():
    text = '{"speaker": "victim", "text": "half an emoji: \\ud83d!"}'
    data = json.loads(f'{{"turns": [{text}]}}')["turns"]
    transcript = from_dict(_with_turns(data, title="Title \udc00"))
    assert transcript.turns[0].text == "half an emoji: \ufffd!" and transcript.title == "Title \ufffd"
    assert from_json(to_json(transcript).encode("utf-8")) == transcript


def test_long_titles_are_cut():
    assert from_dict(_with_turns([], title="t" * 500)).title == "t" * MAX_TITLE_CHARS
