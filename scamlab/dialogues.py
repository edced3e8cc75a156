"""A seeded generator of scam and genuine dialogues from the stage scripts, split into train and validation
by whole script.

`generate_dialogues(count, split=..., seed=...)` fills the scripts of `scamlab.dialogue_scams` and
`scamlab.dialogue_genuine` with the slot values below, adds the other side's replies, and varies the surface
the way real calls and chats vary: beats left out, several beats spoken in one long turn, filler words,
transcripts without capitals or punctuation. Scripts named in `VALIDATION_SCRIPTS` never appear in the
training split, so a validation figure measures conversations built from scripts the model has not seen.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scamlab.dialogue_genuine import GENUINE_SCRIPTS
from scamlab.dialogue_scams import SCAM_SCRIPTS

# Stages whose line shows the scam on its own; the other stages could come from a genuine caller.
TELL_STAGES = frozenset({"hook", "urgency", "ask", "pressure"})
VALIDATION_SCRIPTS = frozenset({
    "tech_popup_callback", "refund_amazon_charge", "reward_loyalty_survey", "ssn_benefits", "tax_refund_pending",
    "bank_card_courier", "grandparent_jail", "bank_real_callback", "courier_address_check", "dentist_reminder",
    "wrong_number_text", "insurer_claim_update", "pharmacy_ready", "vet_reminder", "car_service",
})

SLOT_VALUES: Mapping[str, Sequence[str]] = {
    "caller": ("Sarah", "James", "Priya", "Mark", "Emily", "David", "Aisha", "Tom", "Linda", "Kevin", "Rosa", "Daniel"),
    "me": ("Helen", "Robert", "Maria", "Chris", "Anne", "Paul", "Fatima", "George", "Joyce", "Sam"),
    "amount": ("$499.99", "£249", "$1,200", "£89.50", "$350", "£1,499", "$780", "€620"),
    "big_amount": ("$2,500", "£4,000", "$10,000", "£1,000,000", "$50,000"),
    "small_amount": ("$2.99", "£1.45", "$49", "£19.99", "$150", "£3.20"),
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "tomorrow", "Saturday"),
    "time": ("9:30", "10 am", "11:15", "2 pm", "half past three", "4:45"),
    "date": ("1st of March", "14th", "30th of June", "end of the month"),
    "ref": ("4471", "A-2291", "88310", "TX-5530", "QX7741"),
    "product": ("an iPhone 15", "a gaming laptop", "a pair of headphones", "a smart TV"),
    "shop": ("Amazon", "eBay", "John Lewis", "Walmart"),
}
ORGANISATIONS: Mapping[str, Sequence[str]] = {
    "tech": ("Microsoft", "Windows", "Apple", "Norton", "McAfee", "Dell"),
    "shop": ("Amazon", "eBay", "Walmart", "Best Buy", "PayPal"),
    "isp": ("BT", "Comcast", "Virgin Media", "AT&T", "Sky"),
    "prize": ("Publishers Clearing House", "the National Lottery", "Walmart", "your mobile network", "Amazon"),
    "ssa": ("Social Security Administration", "SSA", "Department of Social Security"),
    "tax": ("the IRS", "HMRC", "the tax office", "the Inland Revenue"),
    "bank": ("Chase", "Barclays", "Wells Fargo", "HSBC", "Bank of America", "Lloyds", "Capital One", "Santander"),
    "parcel": ("FedEx", "UPS", "Royal Mail", "DHL", "DPD", "USPS", "Evri"),
    "romance": ("",), "family": ("",), "friend": ("",), "wrong": ("",), "booking": ("",),
    "job": ("Global Staffing", "Brightway Recruitment", "Northfield Council", "Acme Logistics"),
    "investment": ("Apex Capital", "BlueRiver Trading", "CoinPeak"),
    "utility": ("the electric company", "British Gas", "City Power and Light", "the water board"),
    "surgery": ("Riverside Surgery", "Dr. Patel's office", "Main Street Dental", "the eye clinic", "Boots"),
    "insurer": ("State Farm", "Aviva", "Direct Line", "Allstate", "Geico", "Admiral"),
    "school": ("Oakwood Primary", "Lincoln High School", "St Mary's"),
    "trades": ("",),
}
DEFAULT_REPLIES: Mapping[str, Sequence[str]] = {
    "open": ("Hello?", "Yes, speaking.", "Hi, who is this?", "Yeah, that's me.", "Um, okay, hi.", "Oh hi."),
    "pretext": ("Oh no, really?", "What? I didn't know that.", "Okay...", "What kind of transaction?", "Go on."),
    "hook": ("Really? How did that happen?", "Oh my god.", "I didn't enter anything.", "Are you sure?", "I don't understand."),
    "urgency": ("Okay, okay, what do I need to do?", "That sounds serious.", "Can't I do this later?", "Why is it so urgent?"),
    "ask": ("I'm not comfortable giving that out.", "Okay, hold on, let me get it.", "Why do you need that?",
            "How do I know you're real?", "Um, alright.", "I'd rather not."),
    "pressure": ("I think I'll call the company myself.", "This sounds like a scam.", "Fine, what do I do?", "I'm going to hang up."),
    "verify": ("Sure, it's the 3rd of May, 1968.", "Yes, that's me, 12 Elm Road.", "Okay, it's SW1 4AB.", "Yes, it's 4471."),
    "purpose": ("Okay, great.", "Yes, that's right.", "Oh, thanks for letting me know.", "Ah, okay."),
    "detail": ("Perfect, thank you.", "Okay, that's fine.", "Got it.", "Alright."),
    "safeguard": ("Good to know, thanks.", "Okay, that's reassuring.", "Right, thank you."),
    "close": ("Thanks, bye.", "You too, bye.", "Bye.", "Cheers."),
}
FILLERS = ("um,", "uh,", "so,", "okay so", "you know,", "like,", "right,", "well,", "erm,")
SPEAKER_TAGS = (("them", "me"), ("caller", "receiver"), ("scammer", "victim"))


@dataclass(frozen=True)
class Beat:
    """One step of a script: its stage, the lines the caller may say, and the other side's possible replies."""

    stage: str
    lines: tuple[str, ...]
    replies: tuple[str, ...] = ()

    @property
    def tell(self) -> bool:
        """True when this line alone gives the scam away."""
        return self.stage in TELL_STAGES


@dataclass(frozen=True)
class DialogueScript:
    """A whole conversation template for one pretext."""

    id: str  # stable: the validation scripts are listed by id
    pretext: str  # who the caller claims to be, e.g. "bank fraud team"
    is_scam: bool
    beats: tuple[Beat, ...]  # the turns, in order

    @property
    def split(self) -> str:
        return "validation" if self.id in VALIDATION_SCRIPTS else "train"


@dataclass(frozen=True)
class Turn:
    """One message: who speaks (`them` is the side that may be a scammer) and whether it gives a scam away."""

    speaker: str
    text: str
    tell: bool = False


@dataclass(frozen=True)
class Dialogue:
    """A generated conversation with its label and where it came from."""

    is_scam: bool
    turns: tuple[Turn, ...]
    script_id: str
    split: str

    def as_record(self, tags: tuple[str, str] = ("them", "me")) -> dict:
        """The `evaluate-conversations` line format: `{"label", "turns": [{"speaker", "text"}]}`."""
        names = {"them": tags[0], "me": tags[1]}
        return {"label": "scam" if self.is_scam else "non-scam",
                "turns": [{"speaker": names[t.speaker], "text": t.text} for t in self.turns]}


def _typed(table: Mapping[str, Mapping[str, Any]], is_scam: bool) -> tuple[DialogueScript, ...]:
    """The scripts of one data table (`id -> {"pretext", "beats"}`), typed; a scam script must have a tell."""
    scripts = []
    for script_id, script in table.items():
        beats = tuple(Beat(beat["stage"], tuple(beat["lines"]), tuple(beat.get("replies", ())))
                      for beat in script["beats"])
        if is_scam and not any(beat.tell for beat in beats):
            raise ValueError(f"Scam script {script_id!r} has no stage that gives it away.")
        scripts.append(DialogueScript(script_id, script["pretext"], is_scam, beats))
    return tuple(scripts)


SCRIPTS: tuple[DialogueScript, ...] = _typed(SCAM_SCRIPTS, True) + _typed(GENUINE_SCRIPTS, False)


def fill_slots(line: str, pretext: str, rng: random.Random) -> str:
    """`line` with each `{slot}` replaced by a value drawn from `SLOT_VALUES` (`{org}`: the pretext's)."""
    values = {name: rng.choice(options) for name, options in SLOT_VALUES.items()}
    values["org"] = rng.choice(ORGANISATIONS.get(pretext, ("",)))
    filled = string.Formatter().vformat(line, (), values)
    return re.sub(r"\s{2,}", " ", filled.replace(" from  ", " from ")).strip()


def speechify(text: str, rng: random.Random, transcript: bool) -> str:
    """Make a written line sound spoken: filler words at some sentence starts; as a raw transcript, no
    capitals or punctuation."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    spoken = " ".join(f"{rng.choice(FILLERS)} {s[:1].lower()}{s[1:]}" if rng.random() < 0.35 else s for s in sentences)
    if transcript:
        spoken = re.sub(r"[^\w\s'$£€%-]", "", spoken.lower())
    return spoken


def _beats_for(script: DialogueScript, rng: random.Random) -> list[int]:
    """Which beats one dialogue plays: the opening always, others mostly, at least one tell for a scam."""
    kept = [position for position in range(len(script.beats)) if position == 0 or rng.random() < 0.8]
    if script.is_scam and not any(script.beats[position].tell for position in kept):
        kept.append(next(position for position, beat in enumerate(script.beats) if beat.tell))
    return kept


def build_dialogue(script: DialogueScript, rng: random.Random, varied_surface: bool = True) -> Dialogue:
    """One dialogue from `script`: a line per kept beat, the other side's replies, a spoken surface at times.

    With `varied_surface` False, each line is always filled the same way and never made to sound spoken, so
    a trainer sees few distinct sentences (see `line_text`).
    """
    spoken, transcript = varied_surface and rng.random() < 0.4, varied_surface and rng.random() < 0.15
    turns: list[Turn] = []
    for beat_index in _beats_for(script, rng):
        beat = script.beats[beat_index]
        line_index = rng.randrange(len(beat.lines))
        if varied_surface:
            line = fill_slots(beat.lines[line_index], script.pretext, rng)
        else:
            line = line_text(script, beat_index, line_index)
        if spoken or transcript:
            line = speechify(line, rng, transcript)
        if turns and turns[-1].speaker == "them" and rng.random() < 0.3:
            # A long phone-call turn: the caller goes on without waiting for an answer.
            previous = turns.pop()
            turns.append(Turn("them", f"{previous.text} {line}", previous.tell or beat.tell))
        else:
            turns.append(Turn("them", line, beat.tell))
        if rng.random() < 0.85:
            reply = fill_slots(rng.choice(beat.replies or DEFAULT_REPLIES[beat.stage]), script.pretext, rng)
            turns.append(Turn("me", speechify(reply, rng, transcript) if transcript else reply))
    return Dialogue(script.is_scam, tuple(turns), script.id, script.split)


def line_text(script: DialogueScript, beat_index: int, line_index: int) -> str:
    """One line of a script filled with slot values that depend only on which line it is."""
    beat = script.beats[beat_index]
    return fill_slots(beat.lines[line_index], script.pretext, random.Random(f"{script.id}|{beat_index}|{line_index}"))


def generate_dialogues(
    count: int, split: str = "train", seed: int = 0, scripts: Sequence[DialogueScript] | None = None, varied_surface: bool = True
) -> list[Dialogue]:
    """`count` dialogues from the scripts of one split (or from `scripts`), half scams and half genuine,
    the same for one seed."""
    rng = random.Random(f"{split}:{seed}")
    chosen = [s for s in SCRIPTS if s.split == split] if scripts is None else list(scripts)
    pools = [[s for s in chosen if s.is_scam == scam] for scam in (True, False)]
    return [build_dialogue(rng.choice(pools[index % 2]), rng, varied_surface) for index in range(count)]
