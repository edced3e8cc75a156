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
from scamlab.corpus_tables import BRANDS

_OPTION = r"(?:[\w'£.-]+ ){0,4}?[\w'£.-]+"
# "Is this A or B?", "Am I talking to A or B?", "Do you mean A or B?", "Which account, A or B?", "What's this for,
# A or B?", "Which one of my kids is this? A or B?" (options after a comma only in a which- or what-for question:
# "who's it from, like Tesco or Amazon or what?" offers no choice; after a question, not a question: "Are you at home
# or at university?").
_CHOICE = re.compile(rf"(?:\b(?:is (?:this|it|that)|am i (?:talking|speaking) to|was it|do you mean"
                     rf"|are you (?:talking|on) about)\s+"
                     rf"|(?:\bwhich\b|\bwhat(?:'s| is) (?:this|it) (?:for|about)\b)[^?.!]*?,\s*(?!(?:is|are|r|am|was)\b)"
                     rf"|(?<=\?)\s+(?!(?:is|are|am|was|were|do|does|did|can|could|will|would|have|has|what|which|who|"
                     rf"where|when|why|how)\b))"
                     rf"(?P<first>{_OPTION}),? or (?P<second>{_OPTION})\s*\?", re.IGNORECASE)
# "Is this Microsoft?": one option, picked when it names the speaker.
_ONE_OPTION = re.compile(rf"\b(?:is (?:this|it|that)|am i (?:talking|speaking) to)\s+(?P<first>{_OPTION})\s*\?",
                         re.IGNORECASE)
# "Jack?? Is that you?", "Is that you, Jack?": a name to go by, when it is a name.
_IS_IT_YOU = re.compile(r"\b(?P<first>[A-Z][a-z]+)\?+\s*(?i:is (?:that|this|it) (?:you|u)\b)"
                        r"|\b(?i:is (?:that|this|it) (?:you|u)),?\s+(?P<second>[A-Z][a-z]+)\s*\?")
NOT_NAMES = frozenset({"Mum", "Mom", "Dad", "Love", "Darling", "Sweetie", "Babe", "Son", "Hello", "Hi", "Hey", "Sorry",
                       "Who", "What", "Really", "Seriously", "Sir", "Madam"})
# Options no scammer picks: they give the game away or pick nothing.
GIVES_AWAY = frozenset({"scam", "scammer", "fake", "bot", "robot", "ai", "fraud", "fraudster", "hoax", "joke", "lie",
                        "lying", "not", "else", "neither", "nothing", "nobody", "both", "what", "yes", "no", "maybe",
                        "never"})
# Words too common in names to show that an option names the speaker ("the bank", "your child", "National Highways"
# for "National Road Tolls", read 56).
_PLAIN_WORDS = frozenset({"the", "your", "bank", "app", "dating", "child", "officer", "team", "support", "rewards",
                          "national"})
# Senders a scammer who goes by another name never claims to be: "Which courier are you, Evri or DPD?" to "Royal
# Mail" gets its own name, not "It's DPD" (read 56).
_SENDERS = frozenset(brand.name.lower() for brand in BRANDS)


def offered_options(text: str) -> tuple[str, ...]:
    """The two options of the last question in `text` that offers a choice, as written, or the one name of "Jack?? Is
    that you?"; () when there is none."""
    found = [match for match in _CHOICE.finditer(text.replace("\u2019", "'")) if " or " not in match["second"]]
    if found:  # not "Tesco or Amazon or what?": an open question
        return found[-1]["first"], found[-1]["second"]
    named = _IS_IT_YOU.search(text)
    name = named and (named["first"] or named["second"])
    return (name,) if name and name not in NOT_NAMES else ()


def picked_option(text: str, names: Sequence[str] = ()) -> str:
    """The option a scammer who goes by `names` (its alias, its brand, its story's words) picks from the choice `text`
    offers, said from its side ("my account" -> "your account"): the one naming most of it ("council tax or income
    tax?" to a tax office that speaks of income tax), else the first that gives nothing away; a lone option ("Is this
    Microsoft?") only when it names it; "" when none fits."""
    words = {word for name in names for word in re.findall(r"[\w']+", name.lower())} - _PLAIN_WORDS
    def naming(option: str) -> int:
        return len(words & set(re.findall(r"[\w']+", option.lower())))
    options = offered_options(text) or tuple(match["first"] for match in _ONE_OPTION.finditer(text)
                                             if naming(match["first"]))
    fitting = [option for option in options if not GIVES_AWAY & set(re.findall(r"[\w']+", option.lower()))
               and (option.lower() not in _SENDERS or naming(option))]
    named = sorted((option for option in fitting if naming(option)), key=naming, reverse=True)  # not "a ... scam"
    picked = (named or fitting or [""])[0]
    picked = {name.lower(): name for name in names}.get(picked.lower(), picked)  # "ellie" is said as "Ellie"
    said = question_echo.said_back(picked) if picked else ""
    return "" if safety.contains_contact_point(said) else said


def named_alias(messages: Sequence[str], alias: str, brand: str = "") -> str:
    """The name a scammer goes by: `alias`, unless the other side offered a name or a choice of two without it ("Is
    this Sam or Jake?": "Sam"; "Jack?? Is that you?": "Jack"), since a scammer who took one must keep it; not a
    choice that names its `brand` ("Is this Apple or Microsoft?", read 53)."""
    for message in messages:
        options = offered_options(message)
        names = [option for option in options if re.fullmatch(r"[A-Z][a-z]+", option)]
        if names and len(names) == len(options) and alias not in names and not any(n in brand for n in names):
            return names[0]
    return alias
