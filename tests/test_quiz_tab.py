"""The Quiz tab in the running app: a class of 25 over the API (and across a restart), teacher-only controls even
when called by hand, clear messages for bad input, and a practice round in a real browser."""

from __future__ import annotations

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, start_app, stop_app
from tests.test_security import call_event, find_event

CLASS_SIZE = 25
USERS = {"teacher": "Correct-Horse-1", "student": "battery-staple-2"}
# Screenshots of the views go to test-artifacts/ (copy them to docs/ by hand when the views change).
SHOTS = REPO_ROOT / "test-artifacts"
REVEALED = re.compile(r"It is (SCAM|GENUINE)")  # the line that gives the answer

pytestmark = pytest.mark.slow


def classroom_env(data_dir: Path) -> dict[str, str]:
    return {"SCAMLAB_DATA_DIR": str(data_dir), "SCAMLAB_TEACHERS": "teacher",
            "SCAMLAB_USERS": ",".join(f"{name}:{password}" for name, password in USERS.items())}


def client(app, user: str):
    from gradio_client import Client

    return Client(app.url, auth=(user, USERS[user]), verbose=False)


def votes_in_database(data_dir: Path, code: str) -> dict[tuple[int, str], int]:
    """The votes as the file on disk has them, read by a connection of its own."""
    with sqlite3.connect(data_dir / "classroom.sqlite3") as db:
        rows = db.execute("SELECT position, answer, COUNT(*) FROM votes WHERE room_code = ? GROUP BY position, answer",
                          (code,)).fetchall()
    return {(position, answer): count for position, answer, count in rows}


def test_a_class_of_25_votes_once_each_and_nothing_is_lost_across_a_restart(tmp_path):
    from gradio_client.exceptions import AppError

    app = start_app(classroom_env(tmp_path), name="quiz-class")
    try:
        teacher = client(app, "teacher")
        code = teacher.predict(api_name="/room_start")["code"]
        students = [client(app, "student") for _ in range(CLASS_SIZE)]
        with ThreadPoolExecutor(max_workers=8) as pool:  # bounded: 8 at a time
            tokens = list(pool.map(lambda n: students[n].predict(code, f"pupil {n}", api_name="/room_join")["token"],
                                   range(CLASS_SIZE)))
            list(pool.map(lambda n: students[n].predict(code, tokens[n], "scam" if n % 5 else "genuine",
                                                        api_name="/room_vote"), range(CLASS_SIZE)))
        first = teacher.predict(code, "", api_name="/room_state")
        assert first["tallies"] == {"scam": 20, "genuine": 5} and first["students"] == CLASS_SIZE
        assert votes_in_database(tmp_path, code) == {(0, "scam"): 20, (0, "genuine"): 5}
        teacher.predict(code, api_name="/room_reveal")
        teacher.predict(code, api_name="/room_next")
        for n in range(10):  # part of the class votes on item 2 ...
            students[n].predict(code, tokens[n], "genuine", api_name="/room_vote")
    finally:
        stop_app(app)
    app = start_app(classroom_env(tmp_path), name="quiz-class-restarted")  # ... the app restarts mid-session ...
    try:
        teacher = client(app, "teacher")
        student = client(app, "student")
        for n in range(10, CLASS_SIZE):  # ... and the rest vote after it, with the tokens they had
            student.predict(code, tokens[n], "scam", api_name="/room_vote")
        second = teacher.predict(code, "", api_name="/room_state")
        assert second["position"] == 1 and second["tallies"] == {"scam": 15, "genuine": 10}
        results = teacher.predict(code, api_name="/room_results")
        assert [(r["scam_votes"], r["genuine_votes"]) for r in results[:2]] == [(20, 5), (15, 10)]
        assert sum(votes_in_database(tmp_path, code).values()) == 2 * CLASS_SIZE  # every vote exactly once
        teacher.predict(code, api_name="/room_end")
        with pytest.raises(AppError, match="This class session has ended: votes are closed"):
            student.predict(code, tokens[0], "scam", api_name="/room_vote")
        assert teacher.predict(code, api_name="/room_delete")["deleted_votes"] == 2 * CLASS_SIZE
        assert votes_in_database(tmp_path, code) == {}
    finally:
        stop_app(app)


@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    app = start_app(classroom_env(tmp_path_factory.mktemp("quiz-data")), name="quiz-login")
    yield app
    stop_app(app)


def test_a_student_cannot_reveal_or_end_even_by_calling_the_hidden_event(login_app):
    import httpx
    from gradio_client.exceptions import AppError

    code = client(login_app, "teacher").predict(api_name="/room_start")["code"]
    student_http = httpx.Client(base_url=login_app.url, timeout=120)
    assert student_http.post("login", data={"username": "student", "password": USERS["student"]}).status_code == 200
    for button in ("Reveal the answer", "End the session", "Start a class session"):
        fn_index, trigger = find_event(student_http, button)
        refused = call_event(student_http, fn_index, [code] if button != "Start a class session" else [], trigger)
        assert refused["success"] is False and "Only a teacher may" in refused["output"]["error"], button
    student = client(login_app, "student")
    for api_name in ("/room_reveal", "/room_end", "/room_delete", "/room_results"):
        with pytest.raises(AppError, match="Only a teacher may"):
            student.predict(code, api_name=api_name)
    state = student.predict(code, "", api_name="/room_state")
    assert not state["revealed"] and not state["ended"] and state["right_answer"] is None  # nothing leaked


@pytest.mark.parametrize("code, nickname, message", [
    ("NOPE9", "Ann", "There is no class with room code 'NOPE9': check the code on the board."),
    (None, "x" * 10_000, "That nickname is too long (10,000 characters): use at most 24."),
    (None, "Taken", "The nickname 'Taken' is taken in this room: pick another one."),
])
def test_bad_joins_get_clear_messages(login_app, code, nickname, message):
    from gradio_client.exceptions import AppError

    teacher = client(login_app, "teacher")
    room = teacher.predict(api_name="/room_start")["code"]
    teacher.predict(room, "taken", api_name="/room_join")
    with pytest.raises(AppError, match=re.escape(message)):
        client(login_app, "student").predict(code or room, nickname, api_name="/room_join")


# --- in a real browser ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_app(tmp_path_factory):
    """No login, loopback: the browser on this machine is the teacher's laptop."""
    app = start_app({"SCAMLAB_DATA_DIR": str(tmp_path_factory.mktemp("quiz-local"))}, name="quiz-local")
    yield app
    stop_app(app)


def open_quiz(tab, app, inner: str) -> None:
    tab.page.goto(app.url)
    tab.page.get_by_role("tab", name="Quiz").click()
    tab.page.get_by_role("tab", name=inner).click()


def test_teacher_and_student_views_in_the_browser(local_app, browser, tab):
    teacher = tab.page
    open_quiz(tab, local_app, "Teach a class")
    teacher.locator("#teach-start").click()
    teacher.get_by_text("Room code:").wait_for(timeout=30_000)
    code = re.search(r"Room code: (\w+)", teacher.locator("#teach-code").inner_text()).group(1)
    phone = browser.new_context(viewport={"width": 820, "height": 900}).new_page()
    phone.goto(local_app.url)
    phone.get_by_role("tab", name="Quiz").click()
    phone.get_by_role("tab", name="Join a class").click()
    phone.locator("#room-code textarea, #room-code input").first.fill(code.lower())
    phone.locator("#room-nickname textarea, #room-nickname input").first.fill("Curious Fox <b>")
    phone.locator("#room-join").click()
    phone.get_by_text("Item 1 of 10").wait_for(timeout=30_000)
    phone.locator("#room-vote-scam").click()
    phone.get_by_text("Your vote: scam").wait_for(timeout=30_000)
    phone.screenshot(path=SHOTS / "quiz-student.png", full_page=True)
    teacher.get_by_text("1 of 1 have voted").wait_for(timeout=30_000)  # the teacher's view refreshes by itself
    teacher.locator("#teach-reveal").click()
    teacher.locator("#teach-item").get_by_text(REVEALED).wait_for(timeout=30_000)
    teacher.screenshot(path=SHOTS / "quiz-teacher.png", full_page=False)
    phone.locator("#room-item").get_by_text(REVEALED).wait_for(timeout=30_000)  # the reveal reaches the phone
    assert "Curious Fox" in phone.locator("body").inner_text()
    phone.context.close()
    assert not tab.errors


def test_a_full_practice_round_in_the_browser_counts_false_alarms(engine, local_app, tab):
    engine.classifier()  # built (or read from the cache) before the round: each answer shows its bars
    page = tab.page
    open_quiz(tab, local_app, "Practice round")
    page.locator("#quiz-start").click()
    for number in range(1, 11):
        page.get_by_text(f"Item {number} of 10").wait_for(timeout=30_000)
        page.locator("#quiz-answer").get_by_text("Scam", exact=True).click()  # crying wolf at everything
        page.locator("#quiz-confidence").get_by_text("3: certain").click()
        page.locator("#quiz-submit").click()
        page.locator("#quiz-feedback").get_by_text(REVEALED).wait_for(timeout=60_000)
        if number == 3:
            tab.screenshot("quiz-practice")
            page.screenshot(path=SHOTS / "quiz-practice.png", full_page=False)
        page.locator("#quiz-next").click()
    page.get_by_text("Round finished").wait_for(timeout=30_000)
    score = page.locator("#quiz-score").inner_text()
    assert "scams caught: 5 of 5" in score and "false alarms: 5 (of 5 genuine)" in score
    assert "sure and wrong 5 times" in score
    assert "The classifier" in page.locator("#quiz-item").inner_text()
    tab.screenshot("quiz-practice-end")
    assert not tab.errors
