"""The playbooks are complete, fill without gaps, use placeholders only, and read the other side's moves."""

from __future__ import annotations

import pytest

from scamlab import line_premises, playbooks, question_topics, turn_moves
from scamlab.safety import contains_contact_point, is_fit_for_class
from scamlab.scenarios import SCENARIOS


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_every_stage_has_a_tactic_an_explanation_and_three_lines_per_style(scenario_id):
    playbook = playbooks.get_playbook(scenario_id)
    assert list(playbook.stages) == list(playbooks.STAGE_ORDER)
    for stage in playbook.stages.values():
        assert len(stage.tactic) >= 5 and stage.explanation.endswith(".") and len(stage.explanation) >= 30
        for style in playbooks.scammer_styles():
            filled = [playbooks.fill(line, playbook.slots) for line in playbooks.stage_lines(scenario_id, stage.id, style)]
            assert None not in filled, (stage.id, style)
            assert len(set(filled)) >= 3, (stage.id, style)


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_every_line_fills_uses_placeholders_only_and_fits_a_class(scenario_id):
    playbook = playbooks.get_playbook(scenario_id)
    templates = [line for stage in playbook.stages.values() for line in stage.lines]
    templates += [line for answers in playbook.answers.values() for line in answers]
    templates += [line for moves in playbooks.VICTIM_LINES.values() for lines in moves.values() for line in lines]
    slots = {**playbook.slots, "their_words": "code", "asked": "tracking number", "named_id": "case number",
             "staff_term": "staff ID", "echo": "Where did I get your number", "choice": "the current account"}
    for template in templates:
        line = playbooks.fill(template, slots)
        assert line and "{" not in line, template
        assert not contains_contact_point(line), line
        assert is_fit_for_class(line), line
    # the scammer answers every intent, a second "who is this?" and every topic, and nothing else (a typo)
    expected = set(turn_moves.VICTIM_INTENTS) - {"other"} | {"identity_again", "choice"} | set(question_topics.TOPIC_CUES)
    assert set(playbook.answers) == expected
    assert all(len(playbook.answers[intent]) >= 3 for intent in ("identity", "purpose", "question"))


def test_every_move_and_intent_has_examples_and_cue_words_name_only_known_ones():
    assert set(turn_moves.SCAMMER_MOVE_EXAMPLES) == set(turn_moves.SCAMMER_MOVES) == set(turn_moves.MOVE_LABELS)
    assert set(turn_moves.VICTIM_INTENT_EXAMPLES) == set(turn_moves.VICTIM_INTENTS)
    assert set(turn_moves.SCAMMER_MOVE_CUES) <= set(turn_moves.SCAMMER_MOVES)
    assert set(turn_moves.VICTIM_INTENT_CUES) <= set(turn_moves.VICTIM_INTENTS)
    assert all(len(lines) >= 5 for table in (turn_moves.SCAMMER_MOVE_EXAMPLES, turn_moves.VICTIM_INTENT_EXAMPLES)
               for lines in table.values())


def test_every_victim_style_has_every_move():
    assert set(playbooks.VICTIM_LINES) == set(playbooks.victim_styles())
    assert {"neutral", "confused", "skeptical", "time_waster", "friendly"} <= set(playbooks.victim_styles())
    for style, moves in playbooks.VICTIM_LINES.items():
        assert set(moves) == set(turn_moves.SCAMMER_MOVES), style
        for move, lines in moves.items():
            assert len(set(lines)) >= 3, (style, move)


def test_the_scammer_walks_the_whole_script_then_goes_round_again():
    stages = [playbooks.scammer_stage(turn) for turn in range(9)]
    assert stages[:6] == list(playbooks.STAGE_ORDER)
    assert stages[6:] == list(playbooks.REPEAT_STAGES)


@pytest.mark.parametrize("text, cues, expected", [
    ("I'm not giving you any code.", turn_moves.VICTIM_INTENT_CUES, "refusal"),
    ("I'll call my bank on the number on my card.", turn_moves.VICTIM_INTENT_CUES, "check"),
    ("Who is this?", turn_moves.VICTIM_INTENT_CUES, "identity"),
    ("Please read me the code we just sent.", turn_moves.SCAMMER_MOVE_CUES, "code"),
    ("Pay the £1.45 redelivery fee at [LINK].", turn_moves.SCAMMER_MOVE_CUES, "money"),
    ("Install our app from [LINK].", turn_moves.SCAMMER_MOVE_CUES, "link"),
    ("A warrant will be issued for your arrest.", turn_moves.SCAMMER_MOVE_CUES, "pressure"),
    ("Lovely weather.", turn_moves.SCAMMER_MOVE_CUES, None),
    # The latest request is answered: the last sentence with a cue, not the first.
    ("Forget the code. Install our security app from [LINK].", turn_moves.SCAMMER_MOVE_CUES, "link"),
    ("Your parcel costs £1.45. Please read me the code.", turn_moves.SCAMMER_MOVE_CUES, "code"),
    ("Confirm the first line of your address and postcode.", turn_moves.SCAMMER_MOVE_CUES, "details"),
    ("No, that wasn't me.", turn_moves.VICTIM_INTENT_CUES, "denial"),
    ("Oh no, is my money gone?", turn_moves.VICTIM_INTENT_CUES, "worry"),
    # A refusal never outweighs what else the message does: the check it announces, in any sentence.
    ("nah, gonna ask my mum and check the real site, not clicking ur link", turn_moves.VICTIM_INTENT_CUES, "check"),
    ("I'm checking with your brother. Not sending a penny till then.", turn_moves.VICTIM_INTENT_CUES, "check"),
    # Words that read one way in a table and another in a sentence.
    ("are you ok?? is everything alright love", turn_moves.VICTIM_INTENT_CUES, "worry"),
    ("I've done the first tasks but I don't want to put money in", turn_moves.VICTIM_INTENT_CUES, "refusal"),
    # A cue starts at a word's start: "here is" (handing something over) is not in "there is" (read 21).
    ("I shall ring the bank myself after lunch, so there is no need to hold.", turn_moves.VICTIM_INTENT_CUES, "check"),
    ("My granddaughter says to telephone the bank myself.", turn_moves.VICTIM_INTENT_CUES, "check"),
    ("I'll pass on this once-in-a-lifetime opportunity.", turn_moves.VICTIM_INTENT_CUES, "refusal"),
    # "linked" is not a link (read 21: "What happens if I click it?" when no link was sent); the number is a detail.
    ("Your National Insurance number is linked to this case.", turn_moves.SCAMMER_MOVE_CUES, "details"),
])
def test_cue_words_name_the_move(text, cues, expected):
    assert turn_moves.cue_match(text, cues) == expected


def test_a_scam_term_is_quoted_back_and_a_missing_slot_leaves_the_template_out():
    assert turn_moves.key_term("Read me the one-time code now") == "one-time code"
    assert playbooks.fill('What is a "{their_words}"?', {"their_words": ""}) is None
    assert playbooks.fill('What is a "{their_words}"?', {"their_words": "deposit"}) == 'What is a "deposit"?'


def test_only_a_term_new_to_the_conversation_is_quoted_back():
    assert turn_moves.key_term("Pay the penalty or your licence is suspended", ["There is a penalty"]) == "suspended"
    assert turn_moves.key_term("Pay the fee now", ["The fee is £2"]) == ""
    assert turn_moves.key_term("My cards are blocked abroad") == ""  # a term is a whole word: not "locked"


def test_what_a_victim_asks_to_see_is_named_back():
    assert turn_moves.asked_term("send the tracking number then and ill check") == "tracking number"
    assert turn_moves.asked_term("send me the receipt first") == "receipt"
    assert turn_moves.asked_term("she'd never write Mum with a capital letter") == ""  # a letter asked for is a topic
    assert turn_moves.asked_term("ok fine") == ""
    assert playbooks.quotes_other_side("I'll send the {asked} later.")
    assert not playbooks.quotes_other_side("I'll send it to {brand} later.")


def test_a_victim_line_echoes_only_words_the_scammer_used():
    pay = "Pay? I don't understand what I'm paying for."
    assert turn_moves.echoes_a_missing_word(pay, "money", "my banking app won't work on this phone")
    assert not turn_moves.echoes_a_missing_word(pay, "money", "Pay the £1.45 fee at [LINK]")
    assert not turn_moves.echoes_a_missing_word("Sorry, what is that money for?", "money", "send £200")
    assert turn_moves.echoes_a_missing_word("What's this link thing? Do I press it?", "link", "update it on our page")


# (a line that answers something, a message that does not say it, a message that does)
ANSWERING_LINES = (
    ("That's your choice, but think about what you could lose.", "I don't have a car. I get the bus everywhere.",
     "nah, not paying that"),
    ("Please don't rush me, I get muddled when people rush me.", "I wish I was there to make you breakfast, my love",
     "Pay within the hour or it's gone"),
    ("Oh, hello. Has something gone wrong?", "I'm Sophie, a recruiter. We found your CV online.",
     "This is the security team at your bank."),
    ("If it were that good, you wouldn't be offering it to strangers.", "I want to fly to England and hold your hand.",
     "Our clients earn 38 percent a month."),
    ("Sorry, why do you need to know that?", "Local police are on standby at your address.",
     "Can you confirm your date of birth?"),
    ("I'm not paying anything until I've checked this myself.", "Our chats are the best part of my day.",
     "just enter your card number and date of birth on the page"),
    ("I'd like to see this in writing before I pay anything.",
     "If you can't help me I don't know what I'll do. Send it today?", "The release fee is £850, pay it today."),
    ("If it's real, I'll find it on the official website myself.",
     "Please, I'm begging you. If you can't help, I don't know what will happen to her. Even £300 tonight.",
     "Your account has been flagged for unusual activity."),
    ("If the link doesn't work for you, call our payment line on [PHONE].",
     "can't do it now, i'm on the bus and my card's in my other bag", "the link won't open on my phone"),
    ("Those lists are full of mistakes. We're registered offshore, where the rules let us pay you more.",
     "is it registered with the FCA? your site was only registered 3 weeks ago", "You're on the FCA warning list."),
    ("I'm not paying anything until I've checked this myself.",
     "I can see your card was last used at a supermarket yesterday.", "Confirm your card at [LINK] to stop it."),
    ("Don't hang up! If you end this call, the warrant goes ahead at 5pm today.",
     "im not buying any vouchers. my dad is reporting this number, bye", "I'm hanging up and calling the police."),
    ("Sad stories from strangers usually end with a request for money.",
     "I'm working on an oil rig off the coast at the moment.", "I'm stuck at the airport and my card is blocked."),
    ("The withdrawal fee covers the tax on your profits; once it's paid, your whole balance is released.",
     "why do I have to pay £250 to start?", "a fee before I can withdraw my own money?"),
    ("Wait! If you go now, the parcel goes back to the sender at midnight.", "how much is it?",
     "I'm ending this conversation and reporting the message."),
    # Read 21: giving in answers a no, not a request to wait or a question.
    ("Fine, pay a first instalment of £200 today and the warrant is paused.", "Can it wait until I'm paid?",
     "I'm not paying that."),
    ("Fine, but your licence will be cancelled. Renew it at [LINK] if you change your mind.",
     "Please tell me the name of the virus and I will check it on Google myself.", "No. I don't want it."),
    ("Why would I pay to sort out something I didn't cause?", "If you don't pay now the prize is cancelled.",
     "There's an unpaid penalty on your account. Pay £250 today."),
    # Read 22: "What do I do??" is a plea, not going along.
    ("Thank you, that's very helpful. I'll stay with you until it's safe.", "A virus?? What do I do??",
     "ok, how do I pay it?"),
)


@pytest.mark.parametrize(("line", "unsaid", "said"), ANSWERING_LINES, ids=[case[0][:30] for case in ANSWERING_LINES])
def test_a_line_that_answers_something_waits_until_it_was_said(line, unsaid, said):
    assert not line_premises.fits_the_conversation(line, unsaid, [])
    assert line_premises.fits_the_conversation(line, said, [])


def test_a_line_does_not_ask_or_do_what_the_other_side_settled():
    wait = "Now you're frightening me. What happens if I wait?"
    assert not line_premises.fits_the_conversation(wait, "Please reply", ["It will be returned to sender in 24 hours."])
    assert line_premises.fits_the_conversation(wait, "This is urgent, act now!", ["Hello, this is the depot."])
    deposit = "Start with £250: create your account at [LINK] and make your first deposit."
    assert not line_premises.fits_the_conversation(deposit, "thats mad", ["ok I put in £200 to try it"])
    assert line_premises.fits_the_conversation(deposit, "sounds good", ["who is this?"])
    card = "Enter your card number and vehicle registration at [LINK] to clear the balance."
    assert not line_premises.fits_the_conversation(card, "what next?", ["Done, I've entered my details on the link."])
    assert line_premises.fits_the_conversation(card, "how much?", ["is this about the bridge?"])
    who = "Hello, who is this please?"  # a victim does not ask the name of a scammer who gave it
    assert not line_premises.fits_the_conversation(who, "so?", ["Hi, my name is Sarah, from the Royal Mail depot."])
    assert line_premises.fits_the_conversation(who, "Your parcel is held.", ["Your parcel is held."])
    asks = "Give me your full name and department, and I'll call the number on the back of my card."
    assert not line_premises.fits_the_conversation(asks, "act quickly", ["My name is Daniel Cooper, fraud analyst."])
    why_me = "I don't remember asking for this. Why me?"  # read 26: the scammer had said winners are picked at random
    assert not line_premises.fits_the_conversation(why_me, "ok", ["Winners are chosen at random from mobile numbers."])
    plea = "OK. What does that have to do with me?"  # read 26: after "Please Mum, I really need you to do this"
    assert not line_premises.fits_the_conversation(plea, "please", ["Please Mum, I really need you to do this for me."])
    number = "Who is this, and how did you get my number?"  # read 24: he said he came across her profile
    assert not line_premises.fits_the_conversation(number, "hello", ["Hi, I came across your profile and your smile made my day."])
    assert line_premises.fits_the_conversation(number, "hello", ["Hi there, hope you're well."])
    off = "Please don't switch it off! The virus will lock your files if the repair stops now."
    assert not line_premises.fits_the_conversation(off, "goodbye", ["I turned off the computer and my son will fix it."])
    assert line_premises.fits_the_conversation(off, "I'll switch it off", ["What virus?"])


def test_a_request_the_speaker_dropped_is_not_made_again():
    """Read 23: "Forget the code. Install our security app" at turn 6, then "read me the code" at turn 7."""
    code = "I've just sent you a 6-digit security code. Please read it back to me so I can cancel the payment."
    dropped = ["Forget the code. Install our security app from [LINK] and we'll protect the account remotely."]
    assert not line_premises.fits_the_conversation(code, "No.", ["No."], dropped)
    assert line_premises.fits_the_conversation(code, "No.", ["No."], ["Your account is at risk."])


def test_a_line_about_paying_again_waits_until_the_other_side_paid():
    again = "Withdrawals open once your balance reaches £1,000. Another £250 gets you there today."
    assert not line_premises.fits_the_conversation(again, "I'll give it a miss.", ["Is it guaranteed?", "I'll give it a miss."])
    assert line_premises.fits_the_conversation(again, "when can I withdraw?", ["ok I put in £250", "when can I withdraw?"])


@pytest.mark.parametrize("text", [
    "I've only just started my first job and moved into my first flat. How can I already owe tax?",  # read 21
    "I've just paid my deposit and first month's rent so I don't have £1,870 right now.",
    "when do I get paid?",
])
def test_moving_house_or_paying_the_rent_is_not_a_payment_to_the_scammer(text):
    assert not line_premises.says_paid(text)


def test_every_topic_has_cues_examples_and_default_answers():
    assert set(question_topics.TOPIC_CUES) == set(question_topics.TOPIC_EXAMPLES) == set(question_topics.TOPIC_ANSWERS)
    assert all(len(examples) >= 4 for examples in question_topics.TOPIC_EXAMPLES.values())
