"""Classroom mode without the app: quiz items, rounds and scores, rooms and votes, the SQLite store, roles."""

from __future__ import annotations

import csv
import io
import random
import sqlite3
import threading

import pytest

from scamlab.classroom import ROUND_SIZE, ClassroomError, Quiz, draw_items, open_store, teacher_refusal
from scamlab.classroom_rooms import NICKNAME_MAX_CHARS, Classroom
from scamlab.classroom_store import MIGRATIONS
from scamlab.config import load_settings
from scamlab.quiz_items import QUIZ_ITEMS, QUIZ_ITEMS_BY_ID
from scamlab.red_flags import find_red_flags


def link_means_spam(text: str) -> float:
    """A stand-in classifier with a known mind: anything with a placeholder link or phone is spam."""
    return 0.95 if "[LINK]" in text or "[PHONE]" in text else 0.1


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path)
    yield opened
    opened.close()


# --- the items --------------------------------------------------------------------------------------------------


def test_items_are_half_scams_with_look_alikes_and_each_says_why():
    scams = [item for item in QUIZ_ITEMS if item.is_scam]
    assert len(QUIZ_ITEMS) >= 20 and abs(len(scams) - len(QUIZ_ITEMS) / 2) <= 1
    assert len(QUIZ_ITEMS_BY_ID) == len(QUIZ_ITEMS)  # ids are unique
    assert any(item.is_conversation for item in scams) and any(item.is_conversation for item in QUIZ_ITEMS if not item.is_scam)
    for item in QUIZ_ITEMS:
        assert item.tactic and item.why.endswith(".") and item.why.count(". ") == 0, item.id  # one sentence
    # Genuine items look like scams at first glance: most trip at least one red-flag rule.
    alarming = [item for item in QUIZ_ITEMS if not item.is_scam and find_red_flags(item.text)]
    assert len(alarming) >= len(QUIZ_ITEMS) // 4


def test_a_round_draws_ten_items_half_scams():
    for seed in range(20):
        drawn = draw_items(random.Random(seed))
        assert len(drawn) == ROUND_SIZE == len(set(drawn))
        assert sum(QUIZ_ITEMS_BY_ID[item_id].is_scam for item_id in drawn) == ROUND_SIZE // 2


# --- a practice round -------------------------------------------------------------------------------------------


def test_a_round_counts_scams_caught_false_alarms_and_sure_but_wrong(store):
    quiz = Quiz(store, link_means_spam)
    round_id = quiz.start_round(seed=7)
    answers = []
    for _ in range(ROUND_SIZE):
        step = quiz.next_item(round_id)
        assert not step["finished"] and "is_scam" not in step["item"] and "why" not in step["item"]
        answers.append(quiz.answer(round_id, "scam", 3))  # cries wolf at everything, and is always certain
    last = answers[-1]
    assert last["finished"] and quiz.next_item(round_id)["finished"]
    score = last["score"]
    assert score["scams_caught"] == score["scams_total"] == 5
    assert score["false_alarms"] == score["genuine_total"] == 5 and score["correct"] == 5
    assert score["sure_and_wrong"] == 5 and "sure and wrong 5 times" in score["calibration_note"]
    drawn = [QUIZ_ITEMS_BY_ID[a["item"]["id"]] for a in answers]
    model_right = sum((link_means_spam(item.text) >= 0.5) == item.is_scam for item in drawn)
    assert score["classifier"]["correct"] == model_right and score["classifier"]["answered"] == ROUND_SIZE
    with pytest.raises(ClassroomError, match="finished"):
        quiz.answer(round_id, "scam", 2)


def test_feedback_gives_the_answer_the_tactic_and_why(store):
    quiz = Quiz(store, link_means_spam)
    round_id = quiz.start_round(seed=3)
    item = QUIZ_ITEMS_BY_ID[quiz.next_item(round_id)["item"]["id"]]
    feedback = quiz.answer(round_id, "Genuine", 1)
    assert feedback["right_answer"] == item.answer and feedback["correct"] == (not item.is_scam)
    assert feedback["tactic"] == item.tactic and feedback["why"] == item.why
    assert feedback["classifier_spam"] == link_means_spam(item.text)
    assert feedback["score"]["false_alarms"] == 0


@pytest.mark.parametrize("answer, confidence, message", [
    ("maybe", 2, "Answer \"scam\" or \"genuine\""),
    ("scam", 4, "Confidence is 1"),
    ("scam", 0, "Confidence is 1"),
])
def test_bad_answers_are_refused_clearly(store, answer, confidence, message):
    quiz = Quiz(store, link_means_spam)
    with pytest.raises(ClassroomError, match=message):
        quiz.answer(quiz.start_round(), answer, confidence)
    with pytest.raises(ClassroomError, match="unknown or has expired"):
        quiz.next_item("no-such-round")


# --- rooms -------------------------------------------------------------------------------------------------------


def test_a_class_votes_once_each_and_the_tallies_match_the_database(store, tmp_path):
    rooms = Classroom(store)
    code = rooms.start(seed=1)
    tokens = [rooms.join(code.lower(), f"student {n}") for n in range(25)]

    def vote(n: int) -> None:
        rooms.vote(code, tokens[n], "genuine")  # a change of mind before the reveal replaces the vote
        rooms.vote(code, tokens[n], "scam" if n % 3 else "genuine")

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    state = rooms.state(code)
    assert state.tallies == {"scam": 16, "genuine": 9} and state.students == 25
    with sqlite3.connect(tmp_path / "classroom.sqlite3") as raw:  # a second reader sees the same, committed
        assert raw.execute("SELECT answer, COUNT(*) FROM votes GROUP BY answer ORDER BY answer").fetchall() == [
            ("genuine", 9), ("scam", 16)]
    assert rooms.state(code, tokens[1]).my_vote == "scam"


def test_reveal_next_end_and_results(store):
    rooms = Classroom(store)
    code = rooms.start(seed=2)
    ann, bob = rooms.join(code, "Ann"), rooms.join(code, "Bob")
    first = rooms.state(code).item
    rooms.vote(code, ann, first.answer)
    rooms.vote(code, bob, "genuine" if first.is_scam else "scam")
    assert rooms.reveal(code).revealed
    with pytest.raises(ClassroomError, match="already shown"):
        rooms.vote(code, ann, "scam")
    second = rooms.advance(code)
    assert second.position == 1 and not second.revealed and second.tallies == {"scam": 0, "genuine": 0}
    rooms.vote(code, ann, "scam")
    assert rooms.end(code).ended
    with pytest.raises(ClassroomError, match="has ended"):
        rooms.vote(code, bob, "scam")
    with pytest.raises(ClassroomError, match="has ended"):
        rooms.join(code, "Late")
    results = rooms.results(code)
    assert [r["scam_votes"] + r["genuine_votes"] for r in results[:3]] == [2, 1, 0]
    assert results[0]["right_share"] == 0.5 and results[2]["right_share"] is None
    exported = list(csv.DictReader(io.StringIO(rooms.results_csv(code))))
    assert len(exported) == 3 and {row["student"] for row in exported} == {"1", "2"}
    assert "Ann" not in rooms.results_csv(code) and "Bob" not in rooms.answer_key_markdown(code)
    key = rooms.answer_key_markdown(code)
    assert key.count("**Answer: ") == ROUND_SIZE and first.why in key


def test_the_last_next_ends_the_session(store):
    rooms = Classroom(store)
    code = rooms.start(size=2, seed=4)
    assert not rooms.advance(code).ended
    assert rooms.advance(code).ended
    with pytest.raises(ClassroomError, match="has ended"):
        rooms.advance(code)


@pytest.mark.parametrize("code, nickname, message", [
    ("NOPE9", "Ann", "There is no class with room code 'NOPE9'"),
    (" - ", "Ann", "Type the room code shown on the board"),
    (None, "x" * 10_000, f"too long \\(10,000 characters\\): use at most {NICKNAME_MAX_CHARS}"),
    (None, "   ", "Type a nickname"),
    (None, "ann", "The nickname 'ann' is taken in this room"),
    (None, "A\u202eB", "nothing invisible"),
])
def test_bad_joins_get_clear_messages(store, code, nickname, message):
    rooms = Classroom(store)
    real = rooms.start()
    rooms.join(real, "Ann")
    with pytest.raises(ClassroomError, match=message):
        rooms.join(real if code is None else code, nickname)


def test_votes_need_a_joined_student(store):
    rooms = Classroom(store)
    code, other = rooms.start(), rooms.start()
    token = rooms.join(other, "Ann")
    with pytest.raises(ClassroomError, match="not joined this room"):
        rooms.vote(code, token, "scam")  # a token from another room
    with pytest.raises(ClassroomError, match="not joined"):
        rooms.vote(code, "made-up", "scam")


def test_deleting_a_session_removes_its_nicknames_and_votes(store, tmp_path):
    rooms = Classroom(store)
    code, kept = rooms.start(), rooms.start()
    rooms.vote(code, rooms.join(code, "Ann"), "scam")
    rooms.vote(kept, rooms.join(kept, "Bob"), "scam")
    assert rooms.delete(code) == 1
    with sqlite3.connect(tmp_path / "classroom.sqlite3") as raw:
        assert raw.execute("SELECT nickname FROM participants").fetchall() == [("Bob",)]
        assert raw.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 1
    with pytest.raises(ClassroomError, match=f"There is no class with room code '{code}'"):
        rooms.state(code)


# --- the store ---------------------------------------------------------------------------------------------------


def test_the_store_is_wal_migrated_once_and_survives_a_reopen(tmp_path):
    first = open_store(tmp_path)
    rooms = Classroom(first)
    code = rooms.start(seed=5)
    token = rooms.join(code, "Ann")
    rooms.vote(code, token, "scam")
    first.close()
    again = open_store(tmp_path)  # a restarted app
    assert again.schema_version == len(MIGRATIONS)
    assert again.query("PRAGMA journal_mode")[0][0] == "wal"
    assert Classroom(again).state(code, token).tallies == {"scam": 1, "genuine": 0}
    again.close()


# --- roles -------------------------------------------------------------------------------------------------------


CLASSROOM = {"SCAMLAB_USERS": "teacher:pw-1,student:pw-2", "SCAMLAB_TEACHERS": "teacher"}


@pytest.mark.parametrize("env, username, host, forwarded, allowed", [
    (CLASSROOM, "teacher", "10.0.0.9", None, True),
    (CLASSROOM, "student", "127.0.0.1", None, False),
    (CLASSROOM, None, "127.0.0.1", None, False),
    ({}, None, "127.0.0.1", None, True),  # no login: the teacher's own laptop
    ({"SCAMLAB_HOST": "0.0.0.0"}, None, "127.0.0.1", None, True),  # students on the LAN, teacher on the laptop
    ({"SCAMLAB_HOST": "0.0.0.0"}, None, "192.168.1.23", None, False),  # a student's phone
    ({"SCAMLAB_HOST": "0.0.0.0"}, None, "127.0.0.1", "192.168.1.23", False),  # through a local proxy
    ({"SPACE_ID": "someone/scamlab"}, None, "127.0.0.1", None, False),
])
def test_who_may_teach(env, username, host, forwarded, allowed):
    refusal = teacher_refusal(load_settings(env, dotenv_path=None), username, host, forwarded)
    assert (refusal is None) == allowed


def test_data_dir_setting(tmp_path):
    assert load_settings({"SCAMLAB_DATA_DIR": str(tmp_path)}, dotenv_path=None).data_dir == tmp_path
    assert load_settings({"HOME": "/home/x"}, dotenv_path=None).data_dir.parts[-3:] == (".local", "share", "scamlab")
