"""Personas and styles for the role-play chat, and the prompt built from them, as data.

The AI plays one persona (`scammer` or `victim`); the person at the keyboard plays the other side.
Both prompt formats start from one scene (scenario, aim, victim, style). Chat-tuned models get it as a
system message plus the persona's instruction; the bundled 135M model gets a plain transcript ending in
its speaker's name, which keeps it in character far better than chat turns did in our trials.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scamlab.scenarios import DEFAULT_SCENARIO_ID, Scenario, get_scenario

Message = dict[str, str]


# The scene both prompt formats start from. It describes the conversation rather than ordering a role:
# in our trials this kept the 135M model chatting in character, where "you are a scammer" made it answer
# as an assistant and a mention of a class made it comment on scams instead of writing messages.
SCENE_TEMPLATE = (
    "Text messages between a scammer and a victim. The scammer is running a {title_lower} scam. "
    "The scammer's aim: {goal_lower} The victim is {profile_lower} The {speaker_lower}'s style: {style_lower}"
)

# When a fallback is needed (every draft was unfit for a class), the AI says one of these.
FALLBACK_LINES = {
    "scammer": ("Are you still there? This is important, please reply.",),
    "victim": ("Sorry, I've lost track. What is it you want me to do?", "Hold on, I need a minute to take this in.",
               "I'm not sure about any of this. Let me think it over."),
}


def fallback_line(persona_id: str, said: Sequence[str]) -> str:
    """The persona's first fallback line not in `said` yet (its last when all were said)."""
    lines = FALLBACK_LINES[persona_id]
    return next((line for line in lines if line not in said), lines[-1])


@dataclass(frozen=True)
class Persona:
    """A side the AI can play."""

    id: str
    label: str
    speaker: str  # the name before each of its lines in a transcript
    other_side: str
    chat_instruction: str  # appended to the scene for chat-tuned models
    opening_request: str  # what the other side "says" when a chat-tuned model must open


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
            speaker="Scammer",
            other_side="victim",
            chat_instruction="You write the scammer's next text message only: one to three short sentences.",
            opening_request="(Write your first text message to this person.)",
        ),
        Persona(
            id="victim",
            label="Victim",
            speaker="Victim",
            other_side="scammer",
            chat_instruction=(
                "You write the victim's next text message only: one or two short sentences. "
                "Never give real codes, passwords, card or bank details."
            ),
            opening_request="(The stranger has not written yet. Say hello.)",
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


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def scene_text(persona: Persona, style: Style, scenario: Scenario) -> str:
    """The role-play scene, filled with the persona, style and scenario."""
    return SCENE_TEMPLATE.format(
        title_lower=scenario.title.lower(),
        goal_lower=_lower_first(scenario.scammer_goal),
        profile_lower=_lower_first(scenario.victim_profile),
        speaker_lower=persona.speaker.lower(),
        style_lower=_lower_first(style.instruction),
    )


def normalize_conversation(conversation: str | Sequence[Message], persona_id: str) -> list[Message]:
    """The conversation as chat messages from the AI's point of view, each named by its speaker.

    Accepts a plain string (one message from the other side) or `{"role", "content"}` messages whose
    role is `user`/`assistant`, or a persona id (`scammer`/`victim`): the AI's own persona becomes
    `assistant`, the other side `user`. Empty and system messages are dropped.
    """
    persona = get_persona(persona_id)
    other = get_persona(persona.other_side)
    if isinstance(conversation, str):
        conversation = [{"role": "user", "content": conversation}]
    messages: list[Message] = []
    for message in conversation:
        role, content = str(message.get("role", "user")), str(message.get("content") or "").strip()
        if not content or role == "system":
            continue
        is_ai = role in ("assistant", persona.id)
        speaker = persona.speaker if is_ai else other.speaker
        messages.append({"role": "assistant" if is_ai else "user", "name": speaker, "content": content})
    return messages


def build_chat_messages(
    conversation: str | Sequence[Message],
    persona_id: str = DEFAULT_PERSONA_ID,
    style_id: str = DEFAULT_STYLE_ID,
    scenario_id: str | None = None,
) -> list[Message]:
    """The prompt for a chat-tuned model: the scene and the persona's instruction, then the conversation.

    With an empty conversation (or one the AI opened) a placeholder line from the other side comes first,
    because chat templates expect the user to speak before the assistant.
    """
    persona, style = get_persona(persona_id), get_style(style_id)
    scenario = get_scenario(scenario_id or DEFAULT_SCENARIO_ID)
    history = normalize_conversation(conversation, persona.id)
    if not history or history[0]["role"] == "assistant":
        history = [{"role": "user", "content": persona.opening_request}, *history]
    system = f"{scene_text(persona, style, scenario)} {persona.chat_instruction}"
    return [{"role": "system", "content": system}, *history]


def build_transcript(
    conversation: str | Sequence[Message],
    persona_id: str = DEFAULT_PERSONA_ID,
    style_id: str = DEFAULT_STYLE_ID,
    scenario_id: str | None = None,
) -> str:
    """The prompt for a small model: the scene, then the conversation as `Speaker: text` lines, ending
    with the AI's speaker name so the model continues the script in character."""
    persona, style = get_persona(persona_id), get_style(style_id)
    scenario = get_scenario(scenario_id or DEFAULT_SCENARIO_ID)
    lines = [f"{m['name']}: {' '.join(m['content'].split())}" for m in normalize_conversation(conversation, persona.id)]
    return "\n".join([scene_text(persona, style, scenario), "", *lines, f"{persona.speaker}:"])
