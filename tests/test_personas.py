"""Persona x style x scenario prompts are built from the data tables."""

import pytest

from scamlab.personas import PERSONAS, STYLES, build_chat_messages, normalize_conversation, styles_for
from scamlab.scenarios import SCENARIOS


@pytest.mark.parametrize("persona_id", list(PERSONAS))
@pytest.mark.parametrize("style_id", list(STYLES))
@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_system_prompt_carries_style_and_scenario(persona_id, style_id, scenario_id):
    messages = build_chat_messages("Hello?", persona_id, style_id, scenario_id)
    system = messages[0]
    assert system["role"] == "system"
    assert STYLES[style_id].instruction in system["content"]
    scenario = SCENARIOS[scenario_id]
    assert scenario.title.lower() in system["content"].lower()
    if persona_id == "scammer":
        assert scenario.scammer_goal in system["content"]
    assert messages[-1] == {"role": "user", "content": "Hello?"}


@pytest.mark.parametrize("persona_id", list(PERSONAS))
def test_roles_alternate_after_the_system_prompt(persona_id):
    for conversation in ([], "Hi", [{"role": "assistant", "content": "Opening"}, {"role": "user", "content": "Who?"}]):
        roles = [m["role"] for m in build_chat_messages(conversation, persona_id, "neutral", "parcel")[1:]]
        assert all(a != b for a, b in zip(roles, roles[1:])), roles
        assert roles[-1] == "user"


def test_persona_roles_map_to_the_ai_point_of_view():
    transcript = [{"role": "scammer", "content": "Pay the fee"}, {"role": "victim", "content": "Why?"}, {"role": "scammer", "content": " "}]
    assert normalize_conversation(transcript, "victim") == [
        {"role": "user", "content": "Pay the fee"},
        {"role": "assistant", "content": "Why?"},
    ]
    assert [m["role"] for m in normalize_conversation(transcript, "scammer")] == ["assistant", "user"]


def test_styles_are_filtered_by_persona():
    assert {s.id for s in styles_for("scammer")} >= {"neutral", "urgent", "friendly", "authoritative", "charming"}
    assert {s.id for s in styles_for("victim")} >= {"neutral", "urgent", "friendly", "confused", "skeptical"}
    assert "charming" not in {s.id for s in styles_for("victim")}


@pytest.mark.parametrize("args", [("Hi", "robot", "neutral", None), ("Hi", "scammer", "angry", None), ("Hi", "scammer", "neutral", "moon")])
def test_unknown_ids_are_clear_errors(args):
    with pytest.raises(ValueError, match="choose one of|valid"):
        build_chat_messages(*args)
