"""Personas and styles for the role-play chat, and the prompt built from them, as data.

The AI plays one persona (`scammer` or `victim`); the person at the keyboard plays the other side.
A prompt is the persona's system text filled with a style and a scenario, then the scenario's
example turns (few-shot, so a 135M model stays in role), then the conversation so far.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scamlab.scenarios import DEFAULT_SCENARIO_ID, Scenario, get_scenario

Message = dict[str, str]


@dataclass(frozen=True)
class Persona:
    """A side the AI can play."""

    id: str
    label: str
    other_side: str
    system_template: str
    opening_request: str


@dataclass(frozen=True)
class Style:
    """A way of writing, usable by either persona unless `personas` narrows it."""

    id: str
    label: str
    instruction: str
    personas: tuple[str, ...] = ("scammer", "victim")


PERSONAS: dict[str, Persona] = {
    persona.id: persona
    for persona in (
        Persona(
            id="scammer",
            label="Scammer",
            other_side="victim",
            system_template=(
                "You are a scammer sending text messages in a classroom scam-awareness simulation. "
                "Scam: {title}. Your goal: {scammer_goal} You are texting {victim_profile_lower} "
                "Style: {style_instruction} Write only your next text message, one to three short sentences. "
                "Write [LINK] instead of any link and [PHONE] instead of any phone number."
            ),
            opening_request="Write your first text message to this person.",
        ),
        Persona(
            id="victim",
            label="Victim",
            other_side="scammer",
            system_template=(
                "You are {victim_profile_lower} You are texting with a stranger who may be a scammer "
                "({title_lower}). Style: {style_instruction} Write only your next text message, one or two short "
                "sentences. Never give real codes, passwords, card or bank details."
            ),
            opening_request="Say hello.",
        ),
    )
}

STYLES: dict[str, Style] = {
    style.id: style
    for style in (
        Style("neutral", "Neutral", "Plain and calm."),
        Style("urgent", "Urgent", "Hurried and pressing: short deadlines, worry, act now."),
        Style("friendly", "Friendly", "Warm, chatty and polite."),
        Style("authoritative", "Authoritative", "Formal and official, like a bank or government officer.", ("scammer",)),
        Style("charming", "Charming", "Flattering and sweet, full of compliments.", ("scammer",)),
        Style("confused", "Confused", "Unsure and muddled; ask what things mean.", ("victim",)),
        Style("skeptical", "Skeptical", "Doubtful; ask for proof and question every claim.", ("victim",)),
        Style("time_waster", "Time-waster", "Chatty and slow; wander off topic and stall.", ("victim",)),
    )
}

DEFAULT_PERSONA_ID = "scammer"
DEFAULT_STYLE_ID = "neutral"


def get_persona(persona_id: str) -> Persona:
    """The persona with this id; `ValueError` naming the valid ids otherwise."""
    if persona_id not in PERSONAS:
        raise ValueError(f"Unknown persona {persona_id!r}; choose one of: {', '.join(PERSONAS)}.")
    return PERSONAS[persona_id]


def get_style(style_id: str) -> Style:
    """The style with this id; `ValueError` naming the valid ids otherwise."""
    if style_id not in STYLES:
        raise ValueError(f"Unknown style {style_id!r}; choose one of: {', '.join(STYLES)}.")
    return STYLES[style_id]


def styles_for(persona_id: str) -> list[Style]:
    """The styles that suit a persona, in table order."""
    return [style for style in STYLES.values() if persona_id in style.personas]


def system_prompt(persona: Persona, style: Style, scenario: Scenario) -> str:
    """The persona's instructions, filled with the style and the scenario."""
    return persona.system_template.format(
        title=scenario.title,
        title_lower=scenario.title.lower(),
        scammer_goal=scenario.scammer_goal,
        victim_profile_lower=scenario.victim_profile[0].lower() + scenario.victim_profile[1:],
        style_instruction=style.instruction,
    )


def normalize_conversation(conversation: str | Sequence[Message], persona_id: str) -> list[Message]:
    """The conversation as chat messages from the AI's point of view.

    Accepts a plain string (one message from the other side) or `{"role", "content"}` messages whose
    role is `user`/`assistant`, or a persona id (`scammer`/`victim`): the AI's own persona becomes
    `assistant`, the other side `user`. Empty messages are dropped.
    """
    if isinstance(conversation, str):
        conversation = [{"role": "user", "content": conversation}]
    messages: list[Message] = []
    for message in conversation:
        role, content = str(message.get("role", "user")), str(message.get("content") or "").strip()
        if not content or role == "system":
            continue
        is_ai = role == "assistant" or role == persona_id
        messages.append({"role": "assistant" if is_ai else "user", "content": content})
    return messages


def example_turns(persona: Persona, scenario: Scenario) -> list[Message]:
    """The scenario's example exchange as chat turns, the AI's lines as `assistant`."""
    turns: list[Message] = []
    for scammer_line, victim_line in scenario.example_exchange:
        if persona.id == "scammer":
            turns += [{"role": "assistant", "content": scammer_line}, {"role": "user", "content": victim_line}]
        else:
            turns += [{"role": "user", "content": scammer_line}, {"role": "assistant", "content": victim_line}]
    return turns


def build_chat_messages(
    conversation: str | Sequence[Message],
    persona_id: str = DEFAULT_PERSONA_ID,
    style_id: str = DEFAULT_STYLE_ID,
    scenario_id: str | None = None,
) -> list[Message]:
    """The full chat prompt: system text, few-shot example turns, then the conversation.

    With an empty conversation the AI opens: a scammer writes the scenario's first message.
    """
    persona, style = get_persona(persona_id), get_style(style_id)
    scenario = get_scenario(scenario_id or DEFAULT_SCENARIO_ID)
    history = normalize_conversation(conversation, persona.id)
    if not history or history[0]["role"] == "assistant":
        history = [{"role": "user", "content": persona.opening_request}] + history
    examples = example_turns(persona, scenario)
    if examples and examples[0]["role"] == "assistant":
        examples = [{"role": "user", "content": persona.opening_request}] + examples
    # Examples end on the AI's side or the other side; keep roles alternating into the real conversation.
    if examples and examples[-1]["role"] == history[0]["role"]:
        examples = examples[:-1]
    return [{"role": "system", "content": system_prompt(persona, style, scenario)}, *examples, *history]
