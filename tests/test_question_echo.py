"""A question the scammer has no answer for is said back from its side before it is deflected."""

import random

import pytest

from scamlab.engine.roleplay import RolePlay
from scamlab.personas import normalize_conversation
from scamlab.question_echo import echo_question


@pytest.mark.parametrize("text, echo", [
    ("Aww thanks, that's sweet. Where abouts are you based? Your profile says Aberdeen.", "Where abouts am I based"),
    ("An oil rig engineer, wow. How come you can message me all day if you're working offshore?",
     "How come I can message you all day if I'm working offshore"),
    ("I have never heard of them, but how did they get my card number in the first place?",
     "How did they get your card number in the first place"),
    ("so I just rate hotels on an app? thats it? who even pays for that", "Who even pays for that"),
    ("ok but why is it 99p?? my mum never pays", "Why is it 99p"),
    ("how do i know ur real", "How do you know I'm real"),
    ("Why should I trust you?", "Why should you trust me"),
    ("whats ur name", "What's my name"),
    ("who r u", "Who am I"),
])
def test_a_question_is_said_back_from_the_other_side(text, echo):
    assert echo_question(text) == echo


@pytest.mark.parametrize("text", [
    "What a lovely surprise! How kind.",  # exclamations
    "When I get paid I'll sort it.",  # a statement that opens with a question word
    "Can I pay tomorrow?",  # no question word: nothing to say back
    "the dartford one is called dart charge, why does this link say uk-roadpay-settle.info",  # a link is never said
    "Why would anyone who is really from a bank and who knows my account ask me to read out a code that it sends",
])
def test_no_echo_where_it_would_mislead(text):
    assert echo_question(text) == ""


def test_a_question_no_topic_covers_is_said_back_before_the_dodge(engine):
    """Read 36: "Where did you get that name from?" got "I'll explain everything, but first we need to finish this
    step", a dodge that ignores the question; said back, the deflection engages with it. A question a topic covers
    gets that topic's answer and no echo."""
    player = RolePlay(engine.chat_backend(), engine.sentence_encoder())

    def lead(text: str, scenario: str) -> str:
        said = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": text}]
        state = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", scenario)
        return player.answer_lead(state, random.Random(1))
    assert lead("You called me Mrs Pritchard, but my name is Mrs Ellison. Where did you get that name from?",
                "bank").startswith("Where did I get that name from? ")
    assert lead("An oil rig engineer, wow. So where did you grow up?", "romance").startswith("Where did I grow up? ")
    assert "?" not in lead("How did you get my number?", "bank")  # the topic `number` answers it
