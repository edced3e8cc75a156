"""A question that offers a choice, and the option a scammer picks: "Is this Ellie or Jake?" -> "Ellie".

A scammer who meets "Is this Ellie or Jake?" or "Which account, the current account or the ISA?" with "I'll explain
everything later" has not heard the question; one who picks an option ("It's Ellie, Mum!") keeps the story going,
as a real one would (blind read 42). The option that names the speaker (the scenario's alias) wins; else the first
one that does not give the game away ("a bot", "a scam").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scamlab import question_echo, safety

_OPTION = r"(?:[\w'£.-]+ ){0,4}?[\w'£.-]+"
# "Is this A or B?", "Am I talking to A or B?", "..., A or B?" (the options after a comma, as in "which account, A or B?").
_CHOICE = re.compile(rf"(?:\b(?:is (?:this|it|that)|am i (?:talking|speaking) to|was it)\s+|,\s*(?!(?:is|are|r|am|was)\b))"
                     rf"(?P<first>{_OPTION}),? or (?P<second>{_OPTION})\s*\?", re.IGNORECASE)
# Options no scammer picks: they give the game away or pick nothing.
GIVES_AWAY = frozenset({"scam", "scammer", "fake", "bot", "robot", "ai", "fraud", "fraudster", "hoax", "joke", "lie",
                        "lying", "not", "else", "neither", "nothing", "nobody", "both"})


def offered_options(text: str) -> tuple[str, ...]:
    """The two options of the last question in `text` that offers a choice, as written, or () when none does."""
    found = list(_CHOICE.finditer(text.replace("\u2019", "'")))
    return (found[-1]["first"], found[-1]["second"]) if found else ()


def picked_option(text: str, preferred: str = "") -> str:
    """The option a scammer picks from the choice `text` offers, said from the scammer's side ("my account" ->
    "your account"): the one naming `preferred`, else the first that gives nothing away; "" when none fits."""
    options = offered_options(text)
    named = [option for option in options if preferred and preferred.lower() in option.lower()]
    fitting = [option for option in options if not GIVES_AWAY & set(re.findall(r"[\w']+", option.lower()))]
    picked = preferred if named and named[0].lower() == preferred.lower() else (named or fitting or [""])[0]
    said = question_echo.said_back(picked) if picked else ""
    return "" if safety.contains_contact_point(said) else said


def named_alias(messages: Sequence[str], alias: str) -> str:
    """The name a scammer goes by: `alias`, unless the other side offered a choice of two names without it ("Is this
    Sam or Jake?": "Sam"), since a scammer who picked one must keep it."""
    for message in messages:
        options = offered_options(message)
        names = [option for option in options if re.fullmatch(r"[A-Z][a-z]+", option)]
        if len(names) == 2 and alias not in names:
            return names[0]
    return alias
