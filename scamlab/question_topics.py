"""What a victim asks about in particular, and the scammer's answer to it.

A victim's *intent* (`scamlab.turn_moves`) says what kind of message it is: a question, a doubt, a refusal. A
class also notices whether the scammer answered *what* was asked: "How did you get my number?" met with "I'm
Daniel from the fraud team" reads as a dodge nobody would fall for. So a message that asks about one of the
topics below gets an answer about that topic first. A topic is recognised as intents are (`RolePlay.recognise`):
its cue words, else its examples, when the message is near enough to them in meaning.
Answers here are the defaults; a scenario's script (`data/scam_scripts.json`, `answers`) overrides a topic's
answers with its own story. Every answer is a scammer's answer: it sounds sure and keeps the script going.
"""

from __future__ import annotations

from scamlab import turn_moves
from scamlab.data import read_json

# The topics in table order, each with cue words (lower case, matched inside the message's words; within a sentence
# the first topic wins), examples (for a message whose words name no topic: the nearest in meaning, if near enough)
# and default answers (a scenario's script overrides any of them; slots as in `scamlab.playbooks`).
_TABLE: dict[str, dict[str, list[str]]] = read_json("question_topics.json")
TOPIC_CUES: dict[str, tuple[str, ...]] = {topic: tuple(entry["cues"]) for topic, entry in _TABLE.items()}
TOPIC_EXAMPLES: dict[str, tuple[str, ...]] = {topic: tuple(entry["examples"]) for topic, entry in _TABLE.items()}
TOPIC_ANSWERS: dict[str, tuple[str, ...]] = {topic: tuple(entry["answers"]) for topic, entry in _TABLE.items()}

# Answers naming what the victim asked to see, added to each scenario's answers: the classic dodge (`{asked}`), or
# a number the scammer makes up (`{named_id}`: "the case number is 4471"; `{staff_term}`: "my staff ID is DB-2210").
NAMED_DODGES: dict[str, tuple[str, ...]] = {
    "question": ("I'll send the {asked} as soon as this is sorted.", "You'll get the {asked} once this step is done.",
                 "I can't share the {asked} by text, for your security.",
                 "The {named_id} is {made_up_id}; write it down if you like.",
                 "Of course: the {named_id} is {made_up_id}. Keep it for your records.",
                 "My {staff_term} is {staff_id}; write it down if you like.", "Of course: my {staff_term} is {staff_id}."),
    "proof": ("You'll have the {asked} today, I promise; I just need this sorted first.",
              "I can't send the {asked} by message, for security reasons. You'll have to trust me.",
              "The {named_id} is {made_up_id}. Check it all you like, but we need to keep going.",
              "Here you go: the {named_id} is {made_up_id}. Now, let's not lose any more time.",
              "My {staff_term} is {staff_id}. Check it all you like, but we need to keep going."),
}


# Topics a message may name beside a broader one that then leads and goes unanswered: "Could we video call this
# weekend?" asks for the call, not for time (read 42: "Later may be too late... Let's do it now" after "my camera
# is broken").
# Read 54: "My bank app says a payment of £489... That is NOT £2.99!!" is about the debit, not the fee's figure ("an old
# notice"); "i dont even have a car im 12" gets the car's answer, which says anyone in the household pays.
# Read 55: "What happened exactly and why can't your company help you?" is answered by what happened. Read 56: "first
# you said refund and now you say I owe £640? Which is it?" by the amount; "Why is everything done through WhatsApp
# and Telegram? My last job had a proper website" by the app, not by the official site; "Why must I pay with Amazon
# cards?" by the way to pay.
SUBSUMES: dict[str, tuple[str, ...]] = {"call_me": ("later",), "big_debit": ("amount_shown",), "no_vehicle": ("age",),
                                        "what_happened": ("someone_else",), "amount_shown": ("story_changed",),
                                        "why_app": ("official_site",), "payment_method": ("fee_reason",)}


def leading(text: str, topic: str) -> str:
    """The topic a reply answers first: `topic`, or a topic the message also names that subsumes it."""
    return next((key for key, narrower in SUBSUMES.items() if topic in narrower and names(text, {key})), topic)


def second_topic(text: str, topic: str) -> str:
    """Another topic the message names by cue words, in a sentence of its own or beside `topic` ("Which branch are
    you at? And why the rush?"), or "": a reply that answers one of two questions dodges the other. A question's
    topic comes before a remark's ("...her bingo at seven. Are you going to charge me?" asks about the charge)."""
    if topic not in TOPIC_CUES:  # a victim's turn, no cue at all, or an option picked: nothing more to answer
        return ""
    parts = turn_moves.sentences(text)
    questions = [part for part in parts if turn_moves.asks_something(part) or f"{part}?" in text]
    ordered = [*questions, *(part for part in parts if part not in questions)]
    found = [key for sentence in ordered
             for key in turn_moves.cue_groups(turn_moves.without_cue_words(sentence, TOPIC_CUES[topic]), TOPIC_CUES)]
    if topic == "leaving":  # a goodbye gets only its own answer, unless it says what they found ("it says I owe nothing")
        found = [key for key in found if key == "evidence"]
    return next((key for key in found if key not in (topic, "leaving", *SUBSUMES.get(topic, ()))), "")


def names(line: str, topics: set[str]) -> bool:
    """True when the line speaks of one of the topics (uses one of its cue words)."""
    return any(key in topics for sentence in turn_moves.sentences(line)
               for key in turn_moves.cue_groups(sentence, TOPIC_CUES))
