"""Scam playbooks as data: the scam's stages and tactics, the victim's moves, and what each side says.

A real scam follows a script: a hook, trust, urgency, the ask, pressure when the target hesitates, then an
exit or a new angle. Each scenario's script (the table `scamlab/data/scam_scripts.json`) gives every stage a
tactic name, a one-line explanation for students and example lines in a plain voice; a scammer style adds its
voice (`STYLE_VOICES`). A script also holds the slot values its lines are filled with and the scammer's answers
when asked who they are, what they want or how much (`identity`, `purpose`, `question`; others override the
defaults).
A victim answers what the scammer just did (its *move*, recognised as `scamlab.turn_moves` says) in the
victim's style. Lines are templates: slots such as ``{brand}``, ``{amount}`` or ``{their_words}`` (a scam term
the other side just used) are filled from the scenario and the conversation; a line that quotes the other
side's last message (`QUOTING_SLOTS`: ``{their_words}``, ``{asked}``) is chosen before the others when it can
be filled. Contact points are always placeholders such as ``[LINK]``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scamlab.corpus_tables import BRANDS
from scamlab.data import read_json
from scamlab.personas import STYLES, styles_for
from scamlab.question_topics import NAMED_DODGES, TOPIC_ANSWERS
from scamlab.scenarios import SCENARIOS
from scamlab.turn_moves import QUOTING_SLOTS

STAGE_ORDER = ("hook", "trust", "urgency", "ask", "pressure", "exit")
STAGE_LABELS = {"hook": "Hook", "trust": "Trust", "urgency": "Urgency", "ask": "Ask", "pressure": "Pressure",
                "exit": "Exit / new angle"}
# After the script's six stages a long conversation goes round these again, with lines not yet used.
REPEAT_STAGES = ("ask", "pressure", "exit")
PAID_MOVES_ON = ("trust", "urgency", "ask", "pressure")  # once the victim says they paid, the new angle instead

# A scammer style's voice: sentences added before or after a plain script line.
STYLE_VOICES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "neutral": ((), ()),
    "urgent": (("This is urgent.", "Please read this now.", "Quickly, please."),
               ("Please reply straight away.", "There is no time to lose.", "Act now, please.")),
    "friendly": (("Thanks for your message!", "Thanks for getting back to me :)", "I'm only trying to help :)"),
                 ("Any questions, just ask.", "Speak soon!", "Thank you for your patience.")),
    "authoritative": (("Please read this carefully.", "This is an official notice.", "Please note the following."),
                      ("Thank you for your cooperation.", "This conversation is recorded.", "Reference 4471.")),
    "charming": (("You seem like such a kind person.", "I can tell you're clever.", "You're lovely to talk to."),
                 ("You're wonderful, thank you.", "I knew I could count on you.", "Thank you, truly.")),
}

# The scammer's first words when the victim asked, doubted, refused or stalled (scenarios may override);
# "identity_again" answers a second "who is this?" once the scammer has given a name.
SCAMMER_ANSWERS: dict[str, tuple[str, ...]] = {
    "proof": ("You're right to be careful, and I respect that.", "I understand the doubt, there are a lot of scams about.",
              "I can't share more details by message, for your security.", "I know it's a lot to take in, but please be quick.",
              "Don't believe everything you read online. We're a fully registered company.",
              "That warning is for strangers. I'm the one trying to protect you."),
    "refusal": ("I understand, but please hear me out.", "That's your choice, but think about what you could lose.",
                "Please don't decide yet.", "OK, but let me explain once more.",
                "That warning is for strangers. I'm the one trying to protect you."),
    "check": ("There's no need to check with anyone, I can sort it out right here.",
              "If you go now, I can't help you any more.", "Checking will take too long, and we don't have that time."),
    "stall": ("Please, this can't wait.", "I'll wait, but not for long.", "Please focus, this is important.",
              "Take a moment, but come straight back to me."),
    "confusion": ("Don't worry, I'll explain it simply.", "Let me make it easy for you.",
                  "It's simple, I'll walk you through it."),
    "compliance": ("Thank you, that's very helpful.", "Great, you're doing the right thing.", "Perfect, we're nearly done."),
    "question": ("I'll give you every detail once this is sorted.",
                 "It's all on our system; what matters now is sorting it quickly.",
                 "I'll explain everything, but first we need to finish this step.",
                 "{echo}? I can't go into that by message, for security reasons.",
                 "{echo}? That's not something I can discuss until this is sorted."),
    "denial": ("That's exactly why I'm contacting you.", "I believe you, and that's why we have to act now.",
               "Then it's a good thing we caught it in time."),
    "report": ("There's no need to involve anyone else, I can sort this out with you now.",
               "Reporting it will only slow things down, and then it's too late.",
               "Go ahead, but by then it will be too late to stop this."),
    "choice": ("It's {choice}.", "It's {choice}, that's the one.", "It's {choice}, yes."),  # "Is it A or B?"
    "identity_again": ("As I said, I'm {alias} from {brand}.", "It's still {alias}, from {brand}."),
    "worry": ("Don't worry, I'm here to help you.", "Stay calm. We can fix this together if we're quick.",
              "It's going to be fine, just do exactly what I say."),
}

# How a scammer line opens when it answers a "no" (`presumes_a_no`).
AFTER_A_NO_OPENERS = ("Fine", "OK", "Forget", "I'll note", "I'll close", "Even half", "No problem", "Let's call",
                      "If the link")

# Victim lines by style, then by the scammer's move (`data/victim_lines.json`). `{their_words}` is a scam term the
# scammer just used.
VICTIM_LINES: dict[str, dict[str, tuple[str, ...]]] = {
    style: {move: tuple(lines) for move, lines in moves.items()} for style, moves in read_json("victim_lines.json").items()
}


@dataclass(frozen=True)
class Stage:
    """One stage of a scam script in one scenario."""

    id: str  # one of STAGE_ORDER: hook, trust, pressure, ask, ...
    tactic: str  # what the scammer does at this stage, in a few words
    explanation: str  # why it works on people, for the class
    lines: tuple[str, ...]  # what the scammer may say here, with {slots}


@dataclass(frozen=True)
class Playbook:
    """A scenario's whole script: slot values, stages in order, and answers to the victim's questions."""

    scenario: str
    slots: Mapping[str, str]
    stages: Mapping[str, Stage]
    answers: Mapping[str, tuple[str, ...]]


def _playbook(scenario_id: str, script: Mapping[str, Any]) -> Playbook:
    """A scenario's entry of `data/scam_scripts.json`, typed: every stage of `STAGE_ORDER`, answers over the defaults."""
    stages = {}
    for stage_id in STAGE_ORDER:
        entry = script["stages"][stage_id]
        stages[stage_id] = Stage(stage_id, entry["tactic"], entry["explanation"], tuple(entry["lines"]))
    answers = {**SCAMMER_ANSWERS, **TOPIC_ANSWERS, **{intent: tuple(lines) for intent, lines in script["answers"].items()}}
    answers = {intent: (*lines, *NAMED_DODGES.get(intent, ())) for intent, lines in answers.items()}
    return Playbook(scenario_id, script["slots"], stages, answers)


PLAYBOOKS: dict[str, Playbook] = {
    scenario_id: _playbook(scenario_id, script) for scenario_id, script in read_json("scam_scripts.json").items()
}
if set(PLAYBOOKS) != set(SCENARIOS):
    raise RuntimeError(f"Playbooks and scenarios differ: {sorted(set(PLAYBOOKS) ^ set(SCENARIOS))}")


def get_playbook(scenario_id: str) -> Playbook:
    """The playbook of a scenario; `ValueError` naming the valid ids otherwise."""
    if scenario_id not in PLAYBOOKS:
        raise ValueError(f"Unknown scenario {scenario_id!r}; choose one of: {', '.join(PLAYBOOKS)}.")
    return PLAYBOOKS[scenario_id]


def template_slots(template: str) -> set[str]:
    """The slot names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def presumes_a_no(line: str) -> bool:
    """True when a scammer line only answers a "no" (it gives in or changes tack: "Fine, ...", "I'll note that
    you refused"), so it may follow only a victim who said one (`turn_moves.SAYING_NO`)."""
    return line.startswith(AFTER_A_NO_OPENERS)


def quotes_other_side(template: str) -> bool:
    """True when the template quotes the other side's last message (uses one of `QUOTING_SLOTS`)."""
    return bool(template_slots(template) & QUOTING_SLOTS)


def fill(template: str, slots: Mapping[str, str]) -> str | None:
    """The template with its slots filled; None when a slot it needs has no value."""
    if not template_slots(template) <= {key for key, value in slots.items() if value}:
        return None
    line = template.format_map(slots)
    return re.sub(r"\b(Mum|Dad)\b", lambda m: {"Mum": "Dad", "Dad": "Mum"}[m[1]], line) if slots.get("parent") else line


def voiced(line: str, style_id: str, variant: int) -> str:
    """A plain script line in a scammer style's voice (variant picks the sentence and where it goes)."""
    openers, closers = STYLE_VOICES.get(style_id, ((), ()))
    if not openers:
        return line
    if variant % 2 == 0:
        return f"{openers[variant // 2 % len(openers)]} {line}"
    return f"{line} {closers[variant // 2 % len(closers)]}"


def stage_lines(scenario_id: str, stage_id: str, style_id: str) -> list[str]:
    """The stage's example lines in the style's voice, as templates (slots still open)."""
    return [styled for _, styled in stage_line_pairs(scenario_id, stage_id, style_id)]


def stage_line_pairs(scenario_id: str, stage_id: str, style_id: str) -> list[tuple[str, str]]:
    """Each of the stage's lines plain and in the style's voice, as templates."""
    stage = get_playbook(scenario_id).stages[stage_id]
    return [(line, voiced(line, style_id, number)) for number, line in enumerate(stage.lines)]


# Other styles' lines a victim borrows once its own are used up, nearest in voice first: a skeptic never sounds
# charmed ("Oh, how nice!", read 50), a confused victim never sounds sure of itself (read 51).
VICTIM_VOICE_FALLBACK = {"skeptical": ("neutral", "urgent", "confused", "friendly"),
                         "confused": ("urgent", "neutral", "friendly", "skeptical")}
VICTIM_VOICE_DEFAULT = ("neutral", "friendly", "skeptical", "urgent", "confused")


# The kind of sender (`data/brands.csv`) a scenario's scammer claims to be: a victim who names their own ("my bank is
# Barclays") hears that name back, as from a real scammer, not the script's made-up one (read 55).
BRAND_KINDS = {"bank": "bank", "parcel": "parcel", "toll": "toll"}  # not tech: "is this a real Apple thing?" (read 51)
BRANDS_THAT_ARE_WORDS = ("Chase", "UPS")  # named only with their capitals: not "I'll chase it up"
# A question about who the scammer is names a sender without making it theirs ("Which courier are you, Evri or DPD?").
ASKS_WHO_THEY_ARE = re.compile(r"(?i)\b(?:are you|are u|r u|is this|is that you|you from|you with|you work for)\b")
# Senders students name that the classifier's corpus (`data/brands.csv`) leaves out.
MORE_BRANDS = {"bank": ("Nationwide", "Halifax", "TSB", "Starling", "Revolut", "Metro Bank", "First Direct",
                        "Co-op Bank", "Virgin Money", "Bank of Scotland", "RBS"),
               "parcel": ("Yodel", "Parcelforce", "Amazon Logistics", "InPost")}


# A parent who says they are Dad ("Hi, this is Dad's phone") is called Dad, and Mum is the one not to tell (read 56).
SAYS_DAD = re.compile(r"(?i)\b(?:dad's phone|dads phone|this is (?:your |ur )?dad|it's (?:your |ur )?dad|its (?:your |ur )?dad"
                      r"|(?:your |ur )?dad here|i'm (?:your|ur) dad|im (?:your|ur) dad|your father)\b")


def heard_slots(messages: Sequence[str], scenario: str, slots: Mapping[str, str]) -> dict[str, str]:
    """The script's slots as the other side's `messages` change them: the sender they named (`named_brand`), and
    `parent` "Dad" in a family scam once they said they are Dad (`fill` then swaps "Mum" and "Dad")."""
    dad = scenario == "family" and any(SAYS_DAD.search(message) for message in messages)
    return {**slots, "brand": named_brand(messages, scenario) or slots["brand"], "parent": "Dad" if dad else ""}


def named_brand(messages: Sequence[str], scenario: str) -> str:
    """The last sender of the scenario's kind that the other side named in `messages` ("my bank is HSBC"), or ""."""
    kind = BRAND_KINDS.get(scenario)
    names = [*(brand.name for brand in BRANDS if brand.kind == kind), *MORE_BRANDS.get(kind or "", ())]
    found = [(match.start(), index, name) for index, message in enumerate(messages) for name in names
             if (match := re.search(rf"\b{re.escape(name)}\b", message,
                                    0 if name in BRANDS_THAT_ARE_WORDS else re.IGNORECASE))
             and not ASKS_WHO_THEY_ARE.search(message)]
    return max(found, key=lambda hit: (hit[1], hit[0]))[2] if found else ""


def victim_voice_order(style_id: str) -> tuple[str, ...]:
    """The styles whose lines a victim of `style_id` uses, its own first, then the nearest voices."""
    return tuple(dict.fromkeys((style_id, *VICTIM_VOICE_FALLBACK.get(style_id, VICTIM_VOICE_DEFAULT))))


def victim_lines(style_id: str, move: str) -> tuple[str, ...]:
    """The victim's lines for a style answering the scammer's move (templates; unknown styles read as neutral)."""
    return VICTIM_LINES.get(style_id, VICTIM_LINES["neutral"])[move]


def scammer_stage(turn_number: int) -> str:
    """The stage of the scammer's turn `turn_number` (0 = the first message): the script, then round again."""
    if turn_number < len(STAGE_ORDER):
        return STAGE_ORDER[turn_number]
    return REPEAT_STAGES[(turn_number - len(STAGE_ORDER)) % len(REPEAT_STAGES)]


def answering_stage(turn_number: int, intent: str, topic: str = "") -> str:
    """`scammer_stage` as the victim's last move changes it: pressure is for a victim who hesitates, so one who goes
    along is asked for more; a flat "no" to an ask already made is met with pressure, not the same ask (read 31);
    "is this going to end with you asking me for money?" is denied, and not followed by an ask (read 32)."""
    step = scammer_stage(turn_number)
    if topic == "want_money":
        return "trust"
    if intent == "compliance" and step == "pressure":
        return "ask"
    if intent == "refusal" and step == "ask" and turn_number > STAGE_ORDER.index("ask"):
        return "pressure"
    return step


def victim_styles() -> list[str]:
    """The styles a victim can be played in."""
    return [style.id for style in styles_for("victim")]


def scammer_styles() -> list[str]:
    """The styles a scammer can be played in."""
    return [style.id for style in styles_for("scammer")]


if set(VICTIM_LINES) != set(victim_styles()) or set(STYLE_VOICES) != set(scammer_styles()) or not set(STYLES):
    raise RuntimeError("Every victim style needs its lines and every scammer style its voice.")
