"""A question that offers a choice gets an option picked, in the scammer's voice, and the name picked sticks."""

import random

import pytest

from scamlab.choice_question import named_alias, offered_options, picked_option
from scamlab.engine.roleplay import RolePlay
from scamlab.personas import normalize_conversation


@pytest.mark.parametrize("text, names, picked", [
    ("Is this Ellie or Jake? You both have the same habit of breaking phones!", ("Ellie", "your child"), "Ellie"),
    ("Hi, is this Sam or Jake?", ("Ellie", "your child"), "Sam"),  # the comma before "is this" opens no option
    ("is this ellie or not?", ("Ellie", "your child"), "Ellie"),  # the alias keeps its spelling
    ("Which of my accounts is this about, the current account or the ISA?", ("Daniel", "Northbridge Bank"),
     "the current account"),
    ("Is it my Visa or my Mastercard?", (), "your Visa"),  # said from the scammer's side
    ("Is this real or a scam?", (), "real"),
    ("Is this a scam or a joke?", (), ""),  # nothing a scammer would pick
    ("Is this Microsoft? Bill Gates's lot?", ("Kevin", "Microsoft"), "Microsoft"),  # one option, naming the speaker
    ("Is this the bank?", ("Daniel", "Northbridge Bank"), ""),  # ...not a word every bank has
    ("Is this Jordan from five-a-side?", ("Ryan", "CoinPeak Trading"), ""),  # ...nor someone else
    # Read 50: the options in a sentence of their own after the question, or after "what's this for,"
    ("Which one of my kids is this? Tom or Ellie?", ("Ellie", "your child"), "Ellie"),
    ("What's this for, income tax or something from my old job?", ("Officer Clarke", "HMRC"), "income tax"),
    ("Are you even listening? Yes or no?", (), ""),
    # Read 51: "Do you mean...", "Are you talking about..."; the option the scammer's story names most wins
    ("Do you mean the M6 Toll or the Mersey tunnels?", ("Chris", "National Road Tolls", "toll bridge crossing car"),
     "the M6 Toll"),
    ("Are you talking about shares or crypto? I don't know anything about either",
     ("Ryan", "CoinPeak Trading", "crypto bitcoin coin trading"), "crypto"),
    ("Is this council tax or income tax?", ("Officer Clarke", "HMRC", "income tax self assessment return"), "income tax"),
    ("Is it full-time or part-time? I'm still in sixth form", ("Amelia", "BrightTask Media", "part-time online tasks"),
     "part-time"),
    ("Is this a Microsoft scam?", ("Kevin", "Microsoft", "windows laptop computer"), ""),  # named, but gives it away
    ("What's happened? Are you at home or at university?", ("Ellie", "your child"), ""),  # no "It's am I at home"
])
def test_the_scammer_picks_an_option_that_gives_nothing_away(text, names, picked):
    assert picked_option(text, names) == picked


@pytest.mark.parametrize("text", ["Do I pay by card or cash?", "Are you a bot or a real person?", "Cash or card.",
                                  "ok but who's it actually from, like tesco or amazon or what?",
                                  "Is it a Tesco voucher or Amazon or what?"])  # an open question (read 45)
def test_only_a_question_offering_a_choice_of_what_this_is_counts(text):
    assert offered_options(text) == ()


def test_a_name_picked_from_a_choice_stays_the_speakers_name():
    assert named_alias(["Hello?", "Is this Sam or Jake?"], "Ellie") == "Sam"
    assert named_alias(["Is this Ellie or Jake?"], "Ellie") == "Ellie"
    assert named_alias(["Is it the rent or the phone bill?"], "Ellie") == "Ellie"  # not names
    assert named_alias(["Jack?? Is that you? You only got that phone at Christmas!"], "Ellie") == "Jack"
    assert named_alias(["Is that you, Jack?"], "Ellie") == "Jack"
    assert named_alias(["Mum? Is that you?", "Is that you?"], "Ellie") == "Ellie"  # no name
    assert named_alias(["Is this Apple or Microsoft? It's a Mac"], "Kevin", "Microsoft") == "Kevin"  # read 53


@pytest.fixture(scope="module")
def player(engine):
    return RolePlay(engine.chat_backend(), engine.sentence_encoder())


def test_the_scammer_answers_a_choice_by_picking_and_keeps_the_name(player):
    """Read 42: "Is this Ellie or Jake?" got "I'll explain everything later, I promise"; "Which of my accounts, the
    current account or the ISA?" got "Yes, no mistake"."""
    said = [{"role": "scammer", "content": "Hi Mum, I dropped my phone in the toilet, this is my new number."},
            {"role": "victim", "content": "Is this Sam or Jake? You both break phones!"}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "family")
    assert state.topic == "choice" and state.slots["alias"] == "Sam"
    assert player.answer_lead(state, random.Random(1)).startswith(("It's Sam", "Sam, of course"))
    said += [{"role": "scammer", "content": "It's Sam, Mum."}, {"role": "victim", "content": "Who is this really?"}]
    later = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "family")
    assert "Ellie" not in " ".join(player.lines_for(later) + [player.answer_lead(later, random.Random(2))])
    bank = [{"role": "scammer", "content": "Bank Security: a payment of £749.00 to a new payee was attempted."},
            {"role": "victim", "content": "Which of my accounts is this about, the current account or the ISA?"}]
    state = player.state(normalize_conversation(bank, "scammer"), "scammer", "urgent", "bank")
    assert "the current account" in player.answer_lead(state, random.Random(1))
