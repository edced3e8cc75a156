"""Persona x style x scenario prompts are built from the data tables."""

import pytest

from scamlab.personas import PERSONAS, STYLES, build_chat_messages, build_transcript, normalize_conversation, styles_for
from scamlab.scenarios import SCENARIOS


def lower_first(text):
    return text[:1].lower() + text[1:]


@pytest.mark.parametrize("persona_id", list(PERSONAS))
@pytest.mark.parametrize("style_id", list(STYLES))
@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_both_prompt_formats_carry_persona_style_and_scenario(persona_id, style_id, scenario_id):
    scenario, style, persona = SCENARIOS[scenario_id], STYLES[style_id], PERSONAS[persona_id]
    messages = build_chat_messages("Hello?", persona_id, style_id, scenario_id)
    transcript = build_transcript("Hello?", persona_id, style_id, scenario_id)
    system = messages[0]
    assert system["role"] == "system" and persona.chat_instruction in system["content"]
    for prompt in (system["content"], transcript):
        assert lower_first(style.instruction) in prompt
        assert scenario.title.lower() in prompt
        assert lower_first(scenario.scammer_goal) in prompt
        assert f"The {persona.speaker.lower()}'s style" in prompt
    assert messages[-1]["content"] == "Hello?" and messages[-1]["role"] == "user"
    other = PERSONAS[persona.other_side].speaker
    assert transcript.endswith(f"\n{other}: Hello?\n{persona.speaker}:")


def test_transcript_names_each_speaker_and_flattens_line_breaks():
    conversation = [{"role": "scammer", "content": "Pay the fee\nat [LINK]"}, {"role": "victim", "content": "Why?"}]
    lines = build_transcript(conversation, "scammer", "urgent", "parcel").split("\n")
    assert lines[-3:] == ["Scammer: Pay the fee at [LINK]", "Victim: Why?", "Scammer:"]


@pytest.mark.parametrize("persona_id", list(PERSONAS))
def test_roles_alternate_after_the_system_prompt(persona_id):
    for conversation in ([], "Hi", [{"role": "assistant", "content": "Opening"}, {"role": "user", "content": "Who?"}]):
        roles = [m["role"] for m in build_chat_messages(conversation, persona_id, "neutral", "parcel")[1:]]
        assert all(a != b for a, b in zip(roles, roles[1:])), roles
        assert roles[-1] == "user"


def test_persona_roles_map_to_the_ai_point_of_view():
    transcript = [{"role": "scammer", "content": "Pay the fee"}, {"role": "victim", "content": "Why?"}, {"role": "scammer", "content": " "}]
    assert normalize_conversation(transcript, "victim") == [
        {"role": "user", "name": "Scammer", "content": "Pay the fee"},
        {"role": "assistant", "name": "Victim", "content": "Why?"},
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
