"""The "spot the turn" drill: a student marks the message where they first became suspicious, then sees when
the conversation meter crossed its line, who spotted it first, and which red flag gave it away.

Plain values in and out (no Gradio, no model): the messages are `{"role": "them" | "me", "content"}` and the
scores are what `Engine.score_conversation` returns for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scamlab.personas import Message
from scamlab.red_flags import flagged_rules


@dataclass(frozen=True)
class DrillOutcome:
    """How the student's pick compares with the meter's. Message numbers count from 1; None: never."""

    spotted: int | None  # the student's pick (None: "it never turned")
    meter: int | None  # where the meter first crossed the line
    giveaway: int | None  # the first message of theirs with a red flag, up to the later of the two picks
    giveaway_flags: tuple[str, ...]  # the red flags of that message

    @property
    def verdict(self) -> str:
        """One line: who spotted it first, or that both agree it never turned."""
        if self.spotted is None and self.meter is None:
            return "You and the meter agree: this conversation never turned into a scam."
        if self.meter is None:
            return f"You became suspicious at message {self.spotted}; the meter never crossed its line."
        if self.spotted is None:
            return f"You never became suspicious; the meter crossed its line at message {self.meter}."
        if self.spotted < self.meter:
            ahead = self.meter - self.spotted
            return f"You spotted it {ahead} message{'s' if ahead > 1 else ''} before the meter (message {self.spotted} vs {self.meter})."
        if self.spotted > self.meter:
            behind = self.spotted - self.meter
            return f"The meter spotted it {behind} message{'s' if behind > 1 else ''} before you (message {self.meter} vs {self.spotted})."
        return f"You and the meter both spotted it at message {self.spotted}."


def spot_the_turn(messages: Sequence[Message], scores: Mapping[str, object], spotted: int | None) -> DrillOutcome:
    """Compare the student's pick (`spotted`, 1-based, None for "never") with the meter's first flag.

    Raises `ValueError` when `spotted` is not one of the messages.
    """
    if spotted is not None and not 1 <= spotted <= len(messages):
        raise ValueError(f"Pick a message between 1 and {len(messages)}, or say it never turned.")
    meter = scores.get("first_flag_turn")
    last = max((turn for turn in (spotted, meter) if turn is not None), default=len(messages))
    for number, message in enumerate(messages[:last], start=1):
        rules = flagged_rules(message["content"]) if message["role"] == "them" else []
        if rules:
            return DrillOutcome(spotted, meter, number, tuple(rule.label for rule in rules))
    return DrillOutcome(spotted, meter, None, ())
