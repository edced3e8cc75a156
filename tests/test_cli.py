"""The command line, run as a user would: `python -m scamlab ...` in a child process."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "scamlab", *args], cwd=REPO_ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("command", ["train-classifier", "classify", "evaluate", "reply", "bench"])
def test_every_command_has_help(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_classify_prints_one_json_object_per_line(engine):
    engine.classifier()  # built once for the whole test session
    result = run_cli("classify", "Congratulations! You won a £1000 gift card, claim now", "Running late, see you at 7")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["classification"] for line in lines] == ["spam", "not_spam"]
    assert set(lines[0]["probabilities"]) == {"spam", "not_spam"}


def test_classify_empty_text_fails_with_a_clear_message(engine):
    result = run_cli("classify", "   ")
    assert result.returncode == 2 and "empty" in result.stderr and "Traceback" not in result.stderr


def test_evaluate_prints_the_figures_as_the_last_line(engine, tmp_path):
    data = tmp_path / "labelled.csv"
    data.write_text(
        "label,text\n"
        "spam,WINNER!! You have been selected for a £900 prize. Call now to claim\n"
        "ham,Are we still on for lunch tomorrow?\n"
        "1,Your account is locked. Verify your card details at http://secure-bank.example/verify\n"
        "0,Thanks for the birthday card mum x\n"
        "not_spam,The meeting moved to 3pm\n"
    )
    result = run_cli("evaluate", "--data", str(data))
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["n"] == 5
    assert set(figures) >= {"accuracy", "precision", "recall", "f1", "n", "confusion"}
    confusion = figures["confusion"]
    assert confusion["tp"] + confusion["fn"] == 2 and confusion["fp"] + confusion["tn"] == 3
    assert figures["accuracy"] == pytest.approx((confusion["tp"] + confusion["tn"]) / 5, abs=1e-3)


def test_evaluate_rejects_a_csv_without_labels(tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("message\nhello\n")
    result = run_cli("evaluate", "--data", str(data))
    assert result.returncode == 2 and "'label' and 'text'" in result.stderr


def test_reply_prints_a_clean_reply():
    result = run_cli("reply", "--persona", "victim", "--style", "skeptical", "--scenario", "parcel", "--seed", "1",
                     "--max-new-tokens", "32", "Your parcel is held, pay the fee at [LINK]")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and not result.stdout.lower().startswith(("victim:", "user:"))
