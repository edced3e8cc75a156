"""`python -m scamlab eval-chat`: the grid is played, measured and written as Markdown and JSON."""

from __future__ import annotations

import json

import pytest

from scamlab.chat_eval import report_markdown, run_chat_eval
from scamlab.cli import main


@pytest.mark.slow
def test_the_playbook_baseline_grid_is_measured_and_reported(engine):
    report = run_chat_eval(engine, turns=6, scenarios=("bank",), playbook_only=True)
    measures = report["measures"]
    assert measures["ai_replies"] == 4 * 6 and measures["playbook_share"] == 1.0
    assert measures["repeated_lines"] == 0 and measures["empty_replies"] == 0
    assert measures["near_stage_or_move_share"] >= 0.9
    assert measures["seed_difference"]["cells"] == 4 and measures["seed_difference"]["mean_share_different"] >= 0.5
    handout = report_markdown(report)
    assert "[Hook: Fake fraud alert; playbook]" in handout.replace("_", "")


@pytest.mark.slow
def test_the_command_writes_markdown_and_json(tmp_path, capsys):
    output = tmp_path / "chat-eval.md"
    assert main(["eval-chat", "--playbook-only", "--scenarios", "toll", "--turns", "2", "--output", str(output)]) == 0
    measures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert measures["ai_replies"] == 8
    assert output.read_text().startswith("# Chat role-play evaluation")
    assert json.loads(output.with_suffix(".json").read_text())["conversations"][0]["scenario"] == "toll"
