"""The role-play pipeline: state, one batched call for N candidates, ranking, playbook fallback, stages recorded."""

from __future__ import annotations

import json
import random
import time
from dataclasses import replace
from pathlib import Path

import pytest

from scamlab import choice_question, line_premises, playbooks, question_topics, turn_moves
from scamlab.engine import GenerationParams, ReplyRequest
from scamlab.engine.reply_cleaning import is_near_copy
from scamlab.engine.roleplay import RolePlay
from scamlab.personas import normalize_conversation
from scamlab.transcripts import Turn, from_json, new_transcript, to_json, to_markdown

OFF_TOPIC = "I love going to the beach with my dog on Sundays, the sea is lovely."
VICTIM_SCRIPT = ("Who is this?", "What do you need from me?", "How do I know this is real?", "No, I won't do that.",
                 "I'll call my bank on the number on my card.", "Hold on, let me find my glasses.", "I don't understand.")


@pytest.fixture(scope="module")
def player(engine):
    return RolePlay(engine.chat_backend(), engine.sentence_encoder())


@pytest.fixture
def off_topic_model(engine, monkeypatch):
    """The real backend, made to write only off-topic candidates (the fallback must then answer)."""
    def off_topic(prompt, params, count, stop=None):
        yield [OFF_TOPIC] * count

    monkeypatch.setattr(engine.chat_backend(), "stream_candidates", off_topic)


def scammer_history(turns: int) -> list[dict[str, str]]:
    lines = []
    for number in range(turns):
        lines += [{"role": "scammer", "content": f"Scammer line {number}."},
                  {"role": "victim", "content": VICTIM_SCRIPT[number % len(VICTIM_SCRIPT)]}]
    return normalize_conversation(lines, "scammer")


def play(engine, persona: str, style: str, scenario: str, other_lines, turns: int, seed: int = 1):
    """A conversation of `turns` AI messages against scripted lines; returns (messages, final replies)."""
    conversation, replies = [], []
    other = "victim" if persona == "scammer" else "scammer"
    for number in range(turns):
        if persona == "victim" or number:
            conversation.append({"role": other, "content": other_lines[number % len(other_lines)]})
        reply = list(engine.stream_roleplay(ReplyRequest(conversation, persona, style, scenario, GenerationParams(seed=seed + number))))[-1]
        conversation.append({"role": persona, "content": reply.text})
        replies.append(reply)
    return conversation, replies


def test_the_state_follows_the_script_and_reads_the_victims_move(player):
    state = player.state(scammer_history(3), "scammer", "neutral", "bank")
    assert state.step == "ask" and state.intent == "proof"  # "How do I know this is real?"
    victim_state = player.state(normalize_conversation(
        [{"role": "scammer", "content": "Please read me the 6-digit code we just texted you."}], "victim"), "victim", "skeptical", "bank")
    assert victim_state.step == "code"


@pytest.mark.parametrize("side, cues, examples, default", [
    ("victim_intents", turn_moves.VICTIM_INTENT_CUES, turn_moves.VICTIM_INTENT_EXAMPLES, "other"),
    ("scammer_moves", turn_moves.SCAMMER_MOVE_CUES, turn_moves.SCAMMER_MOVE_EXAMPLES, "contact"),
])
def test_students_own_words_are_read_as_the_right_move(player, side, cues, examples, default):
    """Messages written apart from the examples: at least 85% read right, and every group is recognised (a
    question about the cost is a question)."""
    turns = json.loads((Path(__file__).parent / "data" / "student_turns.json").read_text())[side]
    read = [(label, player.recognise(text, cues, examples, default).replace("cost", "question")) for text, label in turns]
    assert sum(label == got for label, got in read) / len(read) >= 0.85
    assert {label for label, got in read if label == got} == set(examples) - {"cost"}


def test_a_move_to_another_app_is_answered_as_one(player):
    """Moving the chat off the platform is a red flag of its own, not a story or flattery (read 18)."""
    moved = [{"role": "scammer", "content": "I've never felt so close to anyone. Let's talk on WhatsApp instead, "
                                            "this site is full of fake people x"}]
    state = player.state(normalize_conversation(moved, "victim"), "victim", "skeptical", "romance")
    assert state.step == "channel" and player.lines_for(state)


def test_a_request_the_scammer_disowns_is_not_read_as_that_request(player):
    opening = [{"role": "scammer", "content": "Hello, this is the card security team."}, {"role": "victim", "content": "ok?"}]
    disowned = "Don't panic. We would never ask for your password or PIN. Just confirm you still have your card."
    asked = "We never ask for much. Please read me the code from the text."
    read = [player.state(normalize_conversation([*opening, {"role": "scammer", "content": text}], "victim"), "victim",
                         "skeptical", "bank").step for text in (disowned, asked)]
    assert read[0] not in ("code", "details") and read[1] == "code", read


def test_a_code_handed_over_is_not_a_code_request_and_the_costliest_request_is_answered(player):
    """Read 24: "Your winning code is WIN-58213" got "Codes and passwords stay with me". A message is read as one
    sentence: its costliest request is answered wherever it stands."""
    opening = [{"role": "scammer", "content": "Congratulations! You have won a voucher."}, {"role": "victim", "content": "who is this"}]
    messages = ("Hello, I'm Sophie from the Rewards Team. Your winning code is WIN-58213. Only 12 winners were chosen "
                "out of 50,000 entries, so you're very lucky!",
                "Your code is 482913. Read it back to me so I can cancel the payment.",
                "We never ask for your PIN. I've sent you a code by text. Now tap [LINK] to confirm it's you.")
    read = [player.state(normalize_conversation([*opening, {"role": "scammer", "content": text}], "victim"), "victim",
                         "skeptical", "prize").step for text in messages]
    assert read == ["offer", "code", "code"]
    promised = "Cover the small £4.99 fee at [LINK] and the code arrives within an hour."  # read 26: "Codes stay with me"
    assert player.state(normalize_conversation([*opening, {"role": "scammer", "content": promised}], "victim"), "victim",
                        "skeptical", "prize").step == "money"
    request_then_pressure = ("To close the case, transfer the full amount to the HMRC holding account [ACCOUNT]. Do not discuss "
                             "this case with anyone, it is confidential.")  # read 25: "What is it you want me to do?"
    state = player.state(normalize_conversation([*opening, {"role": "scammer", "content": request_then_pressure}], "victim"),
                         "victim", "confused", "government")
    assert state.step == "money"


def test_the_scammer_asks_for_the_sum_the_victim_named_before_its_own(player):
    """Read 24: the student said "£640 is a lot of money" and the family scammer then asked for £1,240. The first
    sum named holds (read 25: "send me £995.01 instead" became the fee)."""
    said = [{"role": "scammer", "content": "Hi Mum it's me, I need help paying a bill today."},
            {"role": "victim", "content": "£640 is a lot of money. Whose account is this?"},
            {"role": "scammer", "content": "It's my friend Jess's account, Mum."}, {"role": "victim", "content": "ok"}]
    assert player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "family").slots["amount"] == "£640"
    own_sum_first = [{"role": "scammer", "content": "Hi Mum, I need £1,240 for the rent today."}, *said[1:]]
    assert player.state(normalize_conversation(own_sum_first, "scammer"), "scammer", "urgent", "family").slots["amount"] == "£1,240"
    later_sum = [*said, {"role": "scammer", "content": "Please send the £640 now."},  # read 25: "£995.01 delivery fee"
                 {"role": "victim", "content": "can't you take it out of my £2,000 savings and send me £995.01 instead"}]
    assert player.state(normalize_conversation(later_sum, "scammer"), "scammer", "urgent", "family").slots["amount"] == "£640"
    earnings = [*said[:1], {"role": "victim", "content": "I got £42 on the app. Now it says my balance is minus £180?"}]
    assert player.state(normalize_conversation(earnings, "scammer"), "scammer", "urgent", "job").slots["amount"] == "£120"


def test_questions_of_reads_24_and_25_get_their_topic(player):
    """A wait until later, a voucher by post, an official site or image search that shows otherwise, the actual
    job, wages first, taking a test sum straight back out, who gave the number: each read as its topic."""
    questions = {"can i ask my mum when she gets home from work, like at 6?": "later",
                 "Can I just pay it on the official website tomorrow?": "later",
                 "Can you post the voucher to me instead? I'm happy to give you my address.": "pay_after",
                 "i put the tracking number into the real royal mail website and it says it doesn't exist. why is that": "evidence",
                 "I looked and I can't find any competition on there at all. Why is that?": "evidence",
                 "I search your photo on Google image and it show another name, a man from Canada.": "evidence",
                 "lol £300 a day for 1 hour? what's the actual job": "what_is_it",
                 "ok say i did it, can you pay my first wages before i do anything else?": "pay_after",
                 "Say I put in £250 as a test. Can I take it straight back out the next day?": "withdraw",
                 "HOW DO YOU KNOW WHAT IS ON MY COMPUTER? WHO GAVE YOU MY NUMBER?": "number",
                 # read 25
                 "My bank always addresses me by name. What name is on the account you are looking at?": "on_file",
                 "why would i have to pay 1.45 tho, the postman normally just leaves a red card": "fee_reason",
                 "my brother says u can type ur card details in and they steal them. is that true??": "safe_to_pay",
                 "my friend Jess got the exact same message word for word yesterday... did we both win??": "others_too",
                 "What made you pick my profile out of all of them, then?": "why_profile",
                 "Would I be employed or self-employed? I'd need to know how tax and National Insurance work.": "employment",
                 "My employer pays my tax with PAYE. How can I owe £1,870? I do not understand.": "why_owe",
                 "if your phone went in the toilet how are you texting me? Whose phone are you using at the minute?": "what_happened",
                 "Just tell me where you are and I'll drive over and pay the bill myself.": "pay_directly",
                 "he says he always pays tolls on the official gov.uk site. whats wrong with just paying there": "official_site",
                 # read 26: a statement is not the question (the HMRC scammer answered with the job scam's freelance line)
                 "I'm a self-employed plumber, my accountant did my return in January. What tax year is this for?": "which_year",
                 "My grandson is coming round at four. Could you ring back then so he can listen in?": "call_me",
                 "Can't you just leave it with my neighbour at number 14 or at the Co-op on Station Road?": "other_way",
                 "I'm going to stop writing now. I wish you well, genuinely.": "leaving",
                 "Sorry, my English is not perfect. What is exact job?": "what_is_it",
                 "Nothing in money is guaranteed. What's your mentor's full name?": "mentor",
                 "What's the name of this mentor?": "mentor",
                 "Go on then, what's my Unique Taxpayer Reference? HMRC has it.": "on_file",
                 "Arrested? For £1,870? By who, the tax police?": "arrest",
                 "Are you sure you've got the right driver?": "is_it_mine",
                 "Just give me a quick voice call for ten seconds and I'll sort it.": "call_me",
                 # read 27: a check is not a worry about the payment page
                 "Suppose I hang up and ring the number printed on the back of my card instead. You wouldn't object, "
                 "surely, if you are genuine?": "none",
                 "I am driving now. I will check my account on the official app and call my boss first. Is this ok?": "none",
                 "So say I put in £250 and it shows £800 by Friday. Can I take the whole lot out straight away?": "withdraw",
                 # read 30: "back out there" is no withdrawal (the romance scammer answered "You can withdraw once...")
                 "My daughter keeps telling me to get back out there. Would you be willing to do a video call?": "call_me",
                 "If I put £50 in to test it can I take it straight back out again tomorrow?": "withdraw",
                 # read 31: the job's "an hour a day" answered the tax scam's "my part-time job"
                 "I only started working in September. Is this about my part-time job at the café?": "is_it_mine"}
    read = {text: player.recognise(text, question_topics.TOPIC_CUES, question_topics.TOPIC_EXAMPLES, "none",
                                   player.rules.min_topic_similarity) for text in questions}
    assert read == questions


def test_a_named_reference_is_given_beside_the_answer_to_a_wait(player):
    """Read 26: "I'll go to the branch tomorrow. Is there a reference number I should give them?" got only "Later may
    be too late": a doubt that names what it asks for gets both answers."""
    said = [{"role": "scammer", "content": "Hi, this is the fraud team."}, {"role": "victim", "content": "ok"},
            {"role": "scammer", "content": "We need to act fast."},
            {"role": "victim", "content": "I'll walk down to the branch tomorrow morning and sort it out at the counter. "
                                          "Is there a reference number I should give them?"}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "bank")
    lead = player.answer_lead(state, random.Random(1))
    assert state.topic == "later" and "reference number is" in lead, lead


def test_a_students_question_is_read_as_its_topic(player):
    """Questions written apart from the cue words and examples (`data/topic_turns.json`): most get their topic,
    and a topic answer almost always answers the question that was asked. Measured: 86% / 95%; on the half not
    read while choosing cues and the threshold, 75% / 93%. With 14 more topics and 42 turns for them
    (2026-12-07; written before the cues were tried on them): 84% / 93%; of the 42, 28 read right. With 6 more
    topics and 42 turns for them, written apart (14 read right before their cues and examples were tuned on them,
    40 after), and 2 older turns relabelled to a new topic: 85% / 94%. At the start of the evening session 84% / 91%;
    after its three topics and two labels that follow them ("whats anydesk", a tech-support "why ... my bank
    login?"): 84% / 91%. After read 55's topics, three turns labelled none that now have one ("I don't drive", "i
    dont have a car": no_vehicle; "i bank with nationwide not barclays": their_brand): the same 24 misreadings."""
    turns = json.loads((Path(__file__).parent / "data" / "topic_turns.json").read_text())
    read = [(topic, player.recognise(text, question_topics.TOPIC_CUES, question_topics.TOPIC_EXAMPLES, "none",
                                     player.rules.min_topic_similarity)) for text, topic in turns]
    claimed = [(topic, got) for topic, got in read if got != "none"]
    assert sum(topic == got for topic, got in read) / len(read) >= 0.8
    assert sum(topic == got for topic, got in claimed) / len(claimed) >= 0.9


def test_an_unclear_scammer_message_mid_conversation_is_not_read_as_first_contact(player):
    opening = [{"role": "scammer", "content": "Hello there."}]
    assert player.state(normalize_conversation(opening, "victim"), "victim", "neutral", "bank").step == "contact"
    later = [*opening, {"role": "victim", "content": "Who is this?"}, {"role": "scammer", "content": "Hello there."}]
    assert player.state(normalize_conversation(later, "victim"), "victim", "neutral", "bank").step == "reassurance"


def test_a_reply_quotes_the_other_sides_words_when_it_can(engine, off_topic_model):
    """The scammer names what the victim asked to see; the confused victim asks about the scam term that is new."""
    _, replies = play(engine, "scammer", "urgent", "parcel", ["send me the receipt then"], 2)
    dodges = [line.format(asked="receipt") for line in question_topics.NAMED_DODGES["question"] if "{asked}" in line]
    assert replies[1].text.startswith(tuple(dodges)), replies[1].text
    _, replies = play(engine, "scammer", "urgent", "bank", ["what's your staff ID? I'm writing it down"], 2)
    made_up = playbooks.get_playbook("bank").slots["staff_id"]  # a number a scammer invents is given, not dodged
    assert f"staff ID is {made_up}" in replies[1].text.split(".")[0], replies[1].text
    _, replies = play(engine, "scammer", "urgent", "bank", ["ok, what's the case number?"], 2)
    assert playbooks.get_playbook("bank").slots["made_up_id"] in replies[1].text, replies[1].text  # another number
    lines = ["Your parcel is held at the depot.", "Pay now or officers will be sent to arrest you."]
    _, replies = play(engine, "victim", "confused", "parcel", lines, 2)
    assert '"officers"' in replies[1].text or '"arrest"' in replies[1].text


def test_a_reply_answers_what_was_said_and_never_asks_or_does_what_was_settled(engine, off_topic_model):
    """A victim told what happens if they wait never asks it; a scammer told the money went in never asks for a
    first deposit; a refusal-shaped answer ("That's your choice") follows only a no."""
    threat = "Reply within the hour or your parcel will be destroyed. This is your final warning."
    _, replies = play(engine, "victim", "confused", "parcel", [threat], 6)
    assert not any("what happens if i wait" in reply.text.lower() for reply in replies)
    paid = ["who is this?", "ok I put in £200 to try it and the site already says £340", "I don't have a car"]
    conversation, replies = play(engine, "scammer", "urgent", "investment", paid, 7)
    after = [reply.text for reply in replies[2:]]
    assert after and not any("first deposit" in text or "your choice" in text for text in after), after


def test_the_scammer_answers_what_was_asked_about_and_gives_its_name_once(engine, off_topic_model):
    """A question about something in particular gets that topic's answer, not a dodge; a second "who is this?"
    gets "as I said", never a second introduction."""
    asked = ["(the opener answers nothing)", "who is this?", "ok but how did you even get my number??",
             "who are you again", "why is it all so urgent"]
    _, replies = play(engine, "scammer", "urgent", "prize", asked, 5)
    playbook = playbooks.get_playbook("prize")
    def answers(key):
        return tuple(playbooks.fill(template, playbook.slots) for template in playbook.answers[key])
    assert replies[2].text.startswith(answers("number")), replies[2].text
    assert replies[3].text.startswith(answers("identity_again")), replies[3].text
    assert replies[4].text.startswith(answers("urgent")), replies[4].text
    assert [number for number, reply in enumerate(replies) if number and playbook.slots["alias"] in reply.text] == [1, 3]


def test_two_questions_in_one_message_get_two_answers(engine, off_topic_model):
    asked = ["(the opener answers nothing)", "Which branch are you calling from? And why is it so urgent?"]
    _, replies = play(engine, "scammer", "friendly", "bank", asked, 2)
    playbook = playbooks.get_playbook("bank")
    answers = {key: [playbooks.fill(template, playbook.slots) for template in playbook.answers[key]]
               for key in ("where_based", "urgent")}
    assert replies[1].text.startswith(tuple(answers["where_based"])), replies[1].text
    assert any(line in replies[1].text for line in answers["urgent"]), replies[1].text


def test_the_second_question_is_answered_before_a_remark_and_a_supposition_is_not_going_along(player):
    """Read 27: "...bingo at seven" (a time, "later") hid "are you going to charge me?"; "So say I put in £250"
    was read as going along and drew "Perfect, we're nearly done"."""
    asked = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": (
        "Hang on, the wife wants the computer for her bingo at seven. How long will this take, and are you going "
        "to charge me for it?")}]
    state = player.state(normalize_conversation(asked, "scammer"), "scammer", "friendly", "tech_support")
    assert (state.topic, state.second_topic) == ("how_long", "charge_me")
    supposing = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": (
        "So say I put in £250 and it shows I've made £800 by Friday. Can I take the whole lot out straight away?")}]
    state = player.state(normalize_conversation(supposing, "scammer"), "scammer", "urgent", "investment")
    assert state.intent != "compliance" and not line_premises.says_paid(supposing[1]["content"])
    assert not player.fits("Perfect, we're nearly done.", state)


def test_a_goodbye_with_a_finding_gets_an_answer_to_the_finding_and_a_refused_code_is_not_asked_again(player):
    """Read 28: "I checked the shop's app, my order hasn't even been posted. I'm blocking you." got only "Wait! If
    you go now..."; "No, I'm not reading out the code. Goodbye." got "...the code that just arrived. What does it say?"."""
    said = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": (
        "Actually I just checked the shop's app and it says my order hasn't even been posted yet. Nice try, I'm blocking you.")}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "friendly", "parcel")
    assert (state.topic, state.second_topic) == ("leaving", "evidence")
    lead = player.answer_lead(state, random.Random(1))
    evidence = [playbooks.fill(t, state.slots) for t in playbooks.get_playbook("parcel").answers["evidence"]]
    assert lead.startswith(tuple(evidence)), lead
    searched = [*said[:1], {"role": "victim", "content": (  # read 29
        "Actually, I've just searched your company name and nothing comes up at all. Please take me off your list.")}]
    state = player.state(normalize_conversation(searched, "scammer"), "scammer", "friendly", "prize")
    assert (state.topic, state.second_topic) == ("leaving", "evidence")
    refused = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": (
        "No, I'm not reading out the code, dear. I'm going to hang up now. Goodbye.")}]
    state = player.state(normalize_conversation(refused, "scammer"), "scammer", "urgent", "bank")
    assert not player.fits("To block the transfer I need the one-time code that just arrived by text. What does it say?", state)


def test_a_stage_line_after_an_answer_does_not_speak_of_the_same_topic(player):
    """Read 28: "the fee is paid, your whole balance is released" then "Withdrawals open once your balance reaches
    £1,000": a second word on the topic just answered may contradict the answer."""
    said = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": "Can I withdraw my profit now?"}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "investment")
    assert state.topic == "withdraw"
    for seed in range(8):
        line = player.playbook_line(replace(state, step="exit"), random.Random(seed), lead="Withdrawals are instant.")
        assert not question_topics.names(line, {"withdraw"}), line


def test_victim_lines_answer_what_the_scammer_said_and_a_repeat_is_caught_without_its_hyphen(player):
    """Read 28: a bank's fraud alert got "Sad stories from strangers..."; "I can send you screenshots" got
    "Pressure like this..."; 'Sorry, what "top up"?' came after 'Sorry, what "top-up"?'."""
    alert = [{"role": "scammer", "content": "We've blocked a suspicious payment of £862.50 on your account tonight."}]
    state = player.state(normalize_conversation(alert, "victim"), "victim", "skeptical", "bank")
    assert not player.fits("Sad stories from strangers usually end with a request for money.", state)
    calm = [{"role": "scammer", "content": "It's all automated. I can send you screenshots if you don't believe me."}]
    state = player.state(normalize_conversation(calm, "victim"), "victim", "skeptical", "investment")
    assert not player.fits("Pressure like this is exactly what scammers do.", state)
    assert is_near_copy('Sorry, what "top up"? I\'m confused.', 'Sorry, what "top-up"? I\'m confused.')


def test_read_29s_misreadings_of_the_scammers_message_and_the_sum(player):
    """Read 29: "If you're not comfortable with the code, there's another option: a protected account" got "Codes
    stay with me"; a bill "that has to be paid today" was read as a link (it mentions a banking app); "your balance
    has grown, a special window" got "Flattery from a stranger"; "£650, and" became the sum "£650,"."""
    def step(text: str) -> str:
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", "skeptical", "bank").step
    assert step("If you're not comfortable with the code, there's another option. We can move your balance into a "
                "temporary protected account, [ACCOUNT].") == "money"
    assert step("I've got a bill that has to be paid today, £650, and I can't log into my banking app on the new "
                "phone. Could you help me out just this once?") == "money"
    grown = [{"role": "scammer", "content": "Look at that, your balance has already grown! There's a special window."}]
    state = player.state(normalize_conversation(grown, "victim"), "victim", "skeptical", "investment")
    assert not player.fits("Flattery from a stranger is a classic scam opener.", state)
    assert step("Hello! I'm Sophie from a recruitment team. We came across your details and think you'd be perfect for a "
                "part-time role paying up to £250 a day.") != "details"  # read 30: "Sorry, why do you need to know that?"
    bill = [{"role": "scammer", "content": "Hi"}, {"role": "victim", "content": "A bill of £650, and it's due today? Why pay it?"}]
    assert line_premises.amount_in_play("£1,240", normalize_conversation(bill, "scammer")) == "£650"


def test_read_31s_firm_no_second_question_and_misread_moves(player):
    """Read 31: "...the answer's no" was read as going along (it names installing) and "money is never going to be
    part of it" as worry; a "no" to an ask already made got the same ask; "how do you know me?" beside the mentor
    question was lost; the parcel scammer said "delivery was free" to "I paid for delivery"; a failed payment and
    hackers in the system got first-contact lines from the victim."""
    firm = ("If this involves me installing something that lets you control my screen, the answer's no. What else?",
            "I've told my daughter and she's a bit worried. I'm happy to chat, but money is never going to be part of it.")
    assert [turn_moves.cue_match(text, turn_moves.VICTIM_INTENT_CUES) for text in firm] == ["refusal", "refusal"]
    again = next(turn for turn in range(len(playbooks.STAGE_ORDER), 20) if playbooks.scammer_stage(turn) == "ask")
    assert playbooks.answering_stage(again, "refusal") == "pressure"
    assert playbooks.answering_stage(playbooks.STAGE_ORDER.index("ask"), "refusal") == "ask"  # not asked yet
    asked = [{"role": "scammer", "content": "Hello"},
             {"role": "victim", "content": "Who is your mentor and how do you know me? We met before?"}]
    state = player.state(normalize_conversation(asked, "scammer"), "scammer", "urgent", "investment")
    assert {state.topic, state.second_topic} == {"mentor", "number"}
    paid = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": (
        "Why is there a fee at all? I paid for delivery when I ordered, and my husband was in all day.")}]
    state = player.state(normalize_conversation(paid, "scammer"), "scammer", "friendly", "parcel")
    leads = {player.answer_lead(state, random.Random(seed)) for seed in range(6)}
    assert state.topic == "free_delivery" and not any("was free" in lead.lower() for lead in leads), leads

    def step(text: str) -> str:
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", "confused", "toll").step
    assert step("Our system shows your payment failed. Please try again with a different card, or your case will be "
                "escalated to enforcement tomorrow morning.") == "money"
    assert step("Hello, this is Mark from the Microsoft technical department. Our servers have flagged error reports "
                "from your IP address, which shows hackers are inside your system.") == "story"


def test_read_32s_denial_holds_the_ask_and_a_check_in_progress_is_answered(player):
    """Read 32: "is this going to end with you asking me for money?" got a denial and then a fee in the same message;
    "ok im checking on the actual royal mail app first" got the friendly voice's "Thanks for getting back to me";
    "the mic on this phone doesn't work. Love you x" from a "child" was read as a stranger's flattery."""
    assert playbooks.answering_stage(8, "worry", "want_money") == "trust"
    asked = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": "ok im checking on the actual app first"}]
    state = player.state(normalize_conversation(asked, "scammer"), "scammer", "friendly", "parcel")
    assert state.intent == "check" and player.answer_lead(state, random.Random(1)), state
    said = [{"role": "scammer", "content": "Please don't call, the mic on this phone doesn't work properly. Love you x"}]
    assert player.state(normalize_conversation(said, "victim"), "victim", "skeptical", "family").step == "story"


def test_read_35s_prizes_are_no_payments_and_questions_already_answered_stay_unasked(player):
    """Read 35: a prize of a gift card and a friend's Bitcoin trading were read as requests for money ("I'm not sending
    money to someone I can't verify"); "send your bank details so our finance team can pay you" got "Pay? I don't
    understand what I'm paying for"; "this app is so glitchy, can we move to WhatsApp?" got "What's wrong with this
    chat?"; the parcel's fee covered customs, then a customs charge came on top; "I'm out" was no refusal."""
    def state(text: str, scenario: str = "job", style: str = "confused"):
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", style, scenario)
    prize = state("CONGRATULATIONS! Your number was selected for a £500 Amazon gift card. Reply CLAIM to get your reward.")
    trading = state("Hey! I've been trading Bitcoin with a coach and made £4,200 last month. Can I share how?")
    assert prize.step == "offer" and trading.step != "money", (prize.step, trading.step)
    payday = state("Well done! You've already earned £18. Please send your bank details so our finance team can pay you.")
    assert payday.step == "details"
    assert not player.fits("Pay? I don't understand what I'm paying for.", payday)
    assert not player.fits("My details? Which ones do you mean?", payday)
    glitchy = state("This app is so glitchy, can we move to WhatsApp instead? My number is [PHONE].", "romance", "skeptical")
    assert glitchy.step == "channel" and not player.fits("Why can't we talk here? What's wrong with this chat?", glitchy)
    parcel = playbooks.get_playbook("parcel").answers
    assert not any("customs" in answer for answer in parcel["fee_reason"])  # the exit stage adds a customs charge
    assert not any("shop" in answer for answer in parcel["link_address"])  # nobody said a shop sent it
    assert turn_moves.cue_match("Yeah, I'm out. My savings are staying put.", turn_moves.VICTIM_INTENT_CUES) == "refusal"


def test_read_37s_a_child_on_a_friends_phone_never_says_it_is_her_new_number(player):
    """Read 37: the "child" opened "I'm on a friend's phone", then answered "Who is this?" with "This is my new
    number, remember?"; read 36: "...so I'm on a cheap one". A line that tells the story otherwise is not sent."""
    said = [{"role": "scammer", "content": "Hi Mum it's me, I'm on a friend's phone. Mine is broken."},
            {"role": "victim", "content": "Who is this? You're not in my contacts."}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "family")
    assert not player.fits("Mum, it's me, Ellie. This is my new number, remember?", state)
    assert player.fits("It's your daughter, Ellie. Who else would it be?", state)
    leads = {player.answer_lead(state, random.Random(seed)) for seed in range(8)}
    assert leads and not any("new number" in lead for lead in leads), leads


def test_read_39s_card_details_are_no_request_for_money_and_a_dropped_code_is_no_code_move(player):
    """Read 39: "your card details were taken in a data breach" got "I'm not sending money to someone I can't verify";
    "if you'd rather not read the code, ... transfer it to [ACCOUNT]" got a victim's answer about codes; "Why are you
    telling me this?" answered a "child" and a technician on the victim's own screen."""
    def state(text: str, scenario: str = "bank"):
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", "skeptical", scenario)
    breach = state("It looks like your card details were taken in a data breach. Your money is safe for now.")
    assert not player.fits("I'm not sending money to someone I can't verify.", breach)
    dropped = state("If you'd rather not read the code, I can move your balance. Transfer it to [ACCOUNT] today.")
    assert dropped.step == "money", dropped.step
    child = state("Mum please I'm really stressed, I've got no one else to ask. Love you xx", "family")
    assert not player.fits("That sounds hard. Why are you telling me this?", child)
    said = "Nah I'm going to keep my money in my savings account, cheers."
    assert turn_moves.cue_match(said, turn_moves.VICTIM_INTENT_CUES) == "refusal"


def test_read_40s_the_sum_in_play_is_the_one_said_with_paying_and_easy_is_said_before_as_easy_as_you_say(player):
    """Read 40: "You say I win a PlayStation 5 and £200 Argos card. But why I must pay £9.99?" made £200 the fee;
    "Please don't worry..." got a victim's "If it's as easy as you say", which nobody said."""
    said = [{"role": "scammer", "content": "You won!"}, {"role": "victim", "content": (
        "You say I win a PlayStation 5 and £200 Argos card. But why I must pay £9.99 for 'shipping'?")}]
    assert line_premises.amount_in_play("£2.99", normalize_conversation(said, "scammer")) == "£9.99"
    calm = [{"role": "scammer", "content": "Please don't worry, you did nothing wrong. Press the Windows key and R."}]
    state = player.state(normalize_conversation(calm, "victim"), "victim", "confused", "tech_support")
    assert not player.fits("If it's as easy as you say, why do I need to do anything at all?", state)


def test_read_42s_lines_that_presume_a_request_bad_news_or_an_offer_wait_for_one(player):
    """Read 42: "I'd rather not share my personal details" answered an automated message that asked for none, "Oh dear,
    that sounds bad" a parcel "marked as a gift", "Why me?" a fourth message about the market; "send me a pic of the
    winners list" was gone along with; a name asked "again" beside the office got only the office."""
    def state(text: str, scenario: str, style: str = "confused"):
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", style, scenario)
    automated = state("A legal case has been filed against your National Insurance number. Press 1 to speak to an officer.",
                      "government")
    assert not player.fits("I'd rather not share my personal details by message.", automated)
    assert player.fits("I'd rather not share my personal details by message.", state("Confirm your date of birth.", "bank"))
    gift = state("The sender is protected under data rules, but it's marked as a gift, a surprise for you.", "parcel")
    assert not player.fits("Oh dear, that sounds bad. But I don't understand what you want me to do.", gift)
    market = state("See, told you! The people who added £1,000 this week are already on £3,500.", "investment")
    assert not player.fits("I don't remember asking for this. Why me?", market)
    asked = [{"role": "scammer", "content": "You won!"},
             {"role": "victim", "content": "ok whatever, send me a pic of the winners list with my name on it then"}]
    prize = player.state(normalize_conversation(asked, "scammer"), "scammer", "urgent", "prize")
    assert prize.intent == "question" and "winners list" in player.answer_lead(prize, random.Random(1))
    again = [{"role": "scammer", "content": "Hello, this is Kevin from Microsoft."}, {"role": "victim", "content": "OK"},
             {"role": "scammer", "content": "Your computer is infected."},
             {"role": "victim", "content": "Can you tell me your name again and which office you are ringing from?"}]
    tech = player.state(normalize_conversation(again, "scammer"), "scammer", "friendly", "tech_support")
    assert "Kevin" in player.answer_lead(tech, random.Random(1))


def test_read_43s_a_story_is_no_request_and_a_sum_counts_only_beside_paying(player):
    """Read 43: "my banking app won't let me log in" was read as a request to log in; "I paid my self assessment in
    January" as a payment made (the scammer then said "Perfect, we're nearly done"); the £48 the app showed became
    the "starter kit" fee because another sentence of the message said "you pay me?"."""
    story = [{"role": "scammer", "content": "I've got a bill due today for £1,150 and my banking app won't let me log in."}]
    assert player.state(normalize_conversation(story, "victim"), "victim", "skeptical", "family").step != "link"
    assert not line_premises.says_paid("Unpaid tax? I paid my self assessment in January. What's the £1,870 for?")
    said = [{"role": "scammer", "content": "Earn £300 a day!"}, {"role": "victim", "content": (
        "So I just click 'like' on hotel reviews and you pay me? I did 10 tasks and the app show £48.")}]
    assert line_premises.amount_in_play("£120", normalize_conversation(said, "scammer")) == "£120"
    paid_me = [{"role": "scammer", "content": "Earn £300 a day!"}, {"role": "victim", "content": (
        "You paid me £18 for the first tasks, fair. But now it says my account is negative and I need to top up?")}]
    assert line_premises.amount_in_play("£120", normalize_conversation(paid_me, "scammer")) == "£120"  # read 45


def test_read_49s_victim_lines_wait_for_what_they_answer_and_the_card_number_is_a_check(player):
    """Read 49: a hacker's threat got "That sounds tough, I'm sorry. What happened exactly?", a hello "Is something
    wrong with us?", "We saw your CV" got "Why me?", a move of the balance "Why would I need to pay for this?"; the
    scammer went on with its script when the student said they would ring the number on their card."""
    def state(text: str, scenario: str, style: str = "confused"):
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", style, scenario)
    threat = state("Please do not turn off the computer, if you do, the hackers will lock your files permanently.",
                   "tech_support")
    assert not player.fits("That sounds tough, I'm sorry. What happened exactly?", threat)
    assert player.fits("That sounds tough, I'm sorry. What happened exactly?",
                       state("Mum, I've been in an accident and I'm stuck at the hospital.", "family"))
    hello = state("Hi, I saw your profile. I'm David, 52, and I just wanted to say hello.", "romance", "urgent")
    assert not player.fits("Wait, what? Is something wrong with us?", hello)
    cv = state("Hi! This is Emma from HR. We saw your CV on a recruitment site. Earn £300 a day. Interested?", "job")
    assert not player.fits("I don't understand. Why me?", cv)
    move = state("I can also move your balance to a secure holding account [ACCOUNT] while we investigate.", "bank",
                 "skeptical")
    assert not player.fits("Why would I need to pay for this?", move)
    ring = "Right, I'm going to phone the number on the back of my debit card instead, not the one you sent."
    assert turn_moves.cue_match(ring, turn_moves.VICTIM_INTENT_CUES) == "check"


def test_read_50s_a_quoted_word_counts_and_a_skeptic_never_sounds_charmed(player):
    """Read 50: "a 20% 'release tax'" did not use the word "tax" (the quote mark clung to it), so the investment
    scammer answered "It's your first deposit, not a fee"; a skeptic out of offer lines borrowed a friendly "Oh, how
    nice!"; "I'd rather ask him before I download anything" was no check, and got a gift-card ask."""
    said = [{"role": "scammer", "content": "My mentor's plan doubled my money."},
            {"role": "victim", "content": "Why do I have to pay a 20% 'release tax' just to get my own money out?"}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "urgent", "investment")
    assert "tax" in player.answer_lead(state, random.Random(1)).lower()
    assert line_premises.says_any("a 20% 'release tax'", ("tax",)) and not line_premises.says_any("don't", ("don",))
    skeptic = playbooks.victim_lines("skeptical", "offer")
    history = [message for offer, line in zip(("Guaranteed returns, want in?", "No risk at all, I promise you.",
                                               "You could double your money this month!"), skeptic[:3])
               for message in ({"role": "scammer", "content": offer}, {"role": "victim", "content": line})]
    history.append({"role": "scammer", "content": "Add £1,000 and you could be looking at £5,000 by the end of the month."})
    state = player.state(normalize_conversation(history, "victim"), "victim", "skeptical", "investment")
    assert state.step == "offer" and player.playbook_line(state, random.Random(1)) in [
        playbooks.fill(line, state.slots) for line in skeptic[3:]]
    ask = "My grandson set up my computer for me, I'd rather ask him before I download anything"
    assert turn_moves.cue_match(ask, turn_moves.VICTIM_INTENT_CUES) == "check"


def test_read_51s_a_check_a_claimed_payment_and_wages_promised_are_what_they_are(player):
    """Read 51's transcripts: "shall I just ask him to have a look?" and "I'm ringing your mum to check first. Don't
    panic..." were no checks (the calming "don't panic" read as worry); "I'm pretty sure I paid it on the app" was a
    payment made ("Perfect, we're nearly done"); "you said you'd pay £15" made £15 the fee; "leave it in the safe
    place" got "A prepaid card works fine"."""
    for text in ("My son's an IT technician, shall I just ask him to have a look?",
                 "I'm ringing your mum to check first. Don't panic, we'll sort it, but I want to check."):
        assert turn_moves.cue_match(text, turn_moves.VICTIM_INTENT_CUES) == "check", text
    assert not line_premises.says_paid("I did go through a tunnel last week, but I'm pretty sure I paid it on the app")
    wages = [{"role": "scammer", "content": "Earn £300 a day!"}, {"role": "victim", "content": (
        "I did the trial tasks and you said you'd pay £15 but nothing's come through")}]
    assert line_premises.amount_in_play("£120", normalize_conversation(wages, "scammer")) == "£120"
    said = [{"role": "scammer", "content": "Royal Mail: pay the £1.45 fee."},
            {"role": "victim", "content": "can you not just leave it in the safe place, the green bin round the side"}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "friendly", "parcel")
    assert "safe place or a neighbour" in player.answer_lead(state, random.Random(1))


def test_read_51s_answers_wait_for_what_they_answer(player):
    """Read 51: a bank code got "it's just the security questions", a voice note "the camera on my phone is broken",
    collecting in person "No card?", a question about cards the skeptic's "Money first, questions never?"; a confused
    victim out of lines borrowed a sure "That's kind, but I'll sort out any payments myself"."""
    def scammer(text: str, scenario: str):
        said = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": text}]
        return player.state(normalize_conversation(said, "scammer"), "scammer", "friendly", scenario)
    code = scammer("it's now asking me for a verification code my bank just sent me... is that normal?", "parcel")
    assert "security questions" not in player.answer_lead(code, random.Random(1))
    voice = scammer("Why won't you just send a voice note? I want to hear what you sound like", "romance")
    assert "voice notes" in player.answer_lead(voice, random.Random(1))
    assert not player.fits("No card? You can pay the {amount} with a gift card from any shop and send me the code.",
                           scammer("Can I just collect it in person instead of paying a fee?", "prize"))
    cards = [{"role": "scammer", "content": "We've flagged two pending transfers, £250 and £480. Do you hold just a debit "
                                            "card with us, or a credit card too?"}]
    state = player.state(normalize_conversation(cards, "victim"), "victim", "skeptical", "bank")
    assert not player.fits("Money first, questions never? That's how scams work.", state)
    for scenario, text, topic in (  # each of these names a second topic too, whose answer may come first
            ("bank", "My date of birth? You should already have that if you're the bank", "on_file"),
            ("bank", "The text says the code is for setting up a new device. Why would cancelling a transfer need "
                     "that?", "approve_wording"),
            ("parcel", "Actually I've just looked on the shop's website and it says delivered. So what's this then?",
             "evidence")):
        state = scammer(text, scenario)
        lead = player.answer_lead(state, random.Random(1))
        answers = [playbooks.fill(t, state.slots) for t in playbooks.get_playbook(scenario).answers[topic]]
        assert topic in (state.topic, state.second_topic) and any(answer in lead for answer in answers), lead
        assert topic != "approve_wording" or "amount" not in lead, lead  # a code for a new device shows no amount
    assert not player.fits("It's only {amount}. Is it really worth losing your parcel over that?", scammer(
        "ok i clicked it, now what? it wants my card number and the 3 numbers on the back", "parcel"))  # read 52
    brother = scammer("My brother works in a bank and he says the bank never asks for these codes.", "bank")
    assert "message" not in player.answer_lead(brother, random.Random(1))  # no text was mentioned
    toll = scammer("Which road, which day, and what time was I supposedly on it?", "toll")
    assert toll.topic == "which_road" and not toll.second_topic
    assert playbooks.victim_voice_order("confused")[:2] == ("confused", "urgent")
    assert "friendly" not in playbooks.victim_voice_order("skeptical")[:3]


def test_read_52s_victim_lines_wait_for_their_premise_and_a_denial_is_heard(player):
    """Read 52: "Oh no, how much?" after the sum was named, "Sorry, why do you need to know that?" to a warning that
    asked nothing, "I don't pay people..." to a request for a date of birth, "That's kind, but I'd rather find the
    website myself" with no website offered; the family scammer's "They're winding you up" when nobody said a thing;
    "I haven't made any payment to anyone called Harrow Electrical" was no denial; "she sent it by post" no letter."""
    def victim(text: str, scenario: str, style: str):
        said = [{"role": "scammer", "content": text}]
        return player.state(normalize_conversation(said, "victim"), "victim", style, scenario)
    priced = victim("The fee is only £2.10. It takes one minute, would you like me to stay on while you finish?", "parcel",
                    "confused")
    assert not player.fits("Oh no, how much? I'm worried this isn't right.", priced)
    warning = victim("Windows Defender Warning: 3 trojans found. Your passwords and bank details may be exposed. Call "
                     "[PHONE].", "tech_support", "confused")
    assert not player.fits("Sorry, why do you need to know that?", warning)
    birthday = victim("Can you confirm your full name and date of birth?", "bank", "skeptical")
    assert not player.fits("I don't pay people who contact me out of nowhere.", birthday)
    phone = victim("It's Ellie obvs, I borrowed Jess's old phone. Can't log into my banking on this one tho", "family",
                   "skeptical")
    assert not player.fits("That's kind, but I'd rather find the website myself, just to be safe.", phone)
    ringing = [{"role": "scammer", "content": "Hi Mum"},
               {"role": "victim", "content": "I'm ringing your old number right now. If you're really Ellie you'll pick up."}]
    state = player.state(normalize_conversation(ringing, "scammer"), "scammer", "urgent", "family")
    assert not player.fits("They're winding you up, Mum! It's me, I promise. Please, I really need you.", state)
    denial = "I haven't made any payment to anyone called Harrow Electrical, I'm at work all day."
    assert turn_moves.cue_match(denial, turn_moves.VICTIM_INTENT_CUES) == "denial"
    posted = "Which parcel is this? I'm expecting one from my sister but she sent it by post two weeks ago."
    assert not question_topics.names(posted, {"in_writing"})


def test_read_53s_a_polite_refusal_is_one_and_an_open_account_needs_no_opening(player):
    """Read 53's transcripts: "She says I mustn't give you my card details, so I shan't. Thank you all the same." got a
    request for the card details; "I'm up £412 on paper but you want another £1,000 to 'unlock' it?" got "The £250
    opens your trading account"."""
    said = "She says I mustn't give you my card details, so I shan't. Thank you all the same."
    assert question_topics.names(said, {"leaving"})
    assert turn_moves.cue_match("so I shan't", turn_moves.VICTIM_INTENT_CUES) == "refusal"
    unlock = [{"role": "scammer", "content": "Start with £250."}, {"role": "victim", "content": (
        "So I'm up £412 on paper but you want me to put in another £1,000 to 'unlock' it? lol")}]
    state = player.state(normalize_conversation(unlock, "scammer"), "scammer", "urgent", "investment")
    assert not player.fits("The {amount} opens your trading account; it's your money, and it starts working straight "
                           "away.", state)
    calm = [{"role": "scammer", "content": "There were two transactions, £389.99 and £214.50, on Saturday. Did you make them?"}]
    state = player.state(normalize_conversation(calm, "victim"), "victim", "skeptical", "bank")
    assert not player.fits("The more you rush me, the surer I am this is a scam.", state)  # nobody rushed


def test_read_54s_lines_wait_for_what_they_answer_and_settled_steps_are_not_asked_again(player):
    """Read 54: "I did the 30 tasks" got "withdraw as soon as you finish the task set"; a typed card got "Please pay
    the £1.45" again; a download under way got "Please download our support tool"; "I'm not sending more money" after
    £250 got "Just try with £250"; "I need £2,400 for my flight" left the skeptic no line of its own (it borrowed
    "How would I even do that?"); a bank alert got "Funny how these stories always end with money"; a tech agent's
    threat got "Are you safe?"."""
    def state(messages, persona, style, scenario):
        return player.state(normalize_conversation(messages, persona), persona, style, scenario)

    tasks = [{"role": "scammer", "content": "Do 30 tasks a day."}, {"role": "victim", "content": (
        "ok I did the 30 tasks and it says I've earned £86. When can I withdraw it?")}]
    assert not player.fits("You can withdraw as soon as you finish the task set; that's how the system works.",
                           state(tasks, "scammer", "friendly", "job"))
    typed = [{"role": "scammer", "content": "Pay at [LINK]."}, {"role": "victim", "content": (
        "done, I typed my card details into the page. what next? it's asking for a code now")}]
    typed_state = state(typed, "scammer", "friendly", "parcel")
    assert typed_state.topic == "code_asked"
    for line in ("Please pay the {amount} redelivery fee at [LINK] and choose a new delivery day.",
                 "Your parcel will now be returned. To stop this, verify your details at [LINK]."):
        assert not player.fits(line, typed_state)
    downloading = [{"role": "scammer", "content": "Go to [LINK]."}, {"role": "victim", "content": (
        "All right, I've typed the website into the browser like you said. It's downloading something called "
        "'QuickAssist'. What does that do?")}]
    assert not player.fits("Please download our support tool from [LINK] so I can connect and remove the virus.",
                           state(downloading, "scammer", "friendly", "tech_support"))
    invested = [{"role": "victim", "content": "ok I put in £250"}, {"role": "scammer", "content": "Now add £600."},
                {"role": "victim", "content": "I'm not sending more money. I'll speak to my bank tomorrow."}]
    assert not player.fits("Just try with {amount}. If you don't like it, you can withdraw any time.",
                           state(invested, "scammer", "urgent", "investment"))
    flight = [{"role": "scammer", "content": "My daughter is in hospital. I need £2,400 for my flight home to see her."}]
    assert player.fits("Not a penny until I {check}.", state(flight, "victim", "skeptical", "romance"))
    alert = [{"role": "scammer", "content": "Fraud Prevention Team: we have blocked a card payment of £612.40. If you "
                                            "did not authorise this, reply NO."}]
    assert not player.fits("Funny how these stories always end with money.", state(alert, "victim", "skeptical", "bank"))
    hackers = [{"role": "scammer", "content": "I can see the hackers tried to access your bank. There is also a "
                                              "one-off security licence of £149."}]
    assert not player.fits("That sounds terrible. Are you safe?", state(hackers, "victim", "urgent", "tech_support"))
    brother = "my brother says guaranteed returns is literally the first sign of a scam, ngl he's got a point"
    assert question_topics.names(brother, {"warned"})
    cash = ("I don't understand why a card number is needed for so small money. In my country the courier asks cash "
            "at the door.")
    assert question_topics.names(cash, {"other_way"})


def test_read_53s_name_and_reference_get_both(player):
    """Read 53: "What's your name and the reference for this claim?" got neither: the reference is a number the scammer
    makes up, and the caller's name is answered beside it."""
    asked = [{"role": "scammer", "content": "HMRC: settle your tax debt today."},
             {"role": "victim", "content": "What's your name and the reference for this claim?"}]
    state = player.state(normalize_conversation(asked, "scammer"), "scammer", "friendly", "government")
    assert state.slots["named_id"] == "reference number"
    identity = [playbooks.fill(t, state.slots) for t in playbooks.get_playbook("government").answers["identity"]]
    for seed in range(4):
        lead = player.answer_lead(state, random.Random(seed))
        assert state.slots["made_up_id"] in lead and any(line in lead for line in identity), lead


def test_read_55s_the_victims_bank_is_the_scammers_and_lines_wait_for_what_they_answer(player):
    """Read 55: "my bank is Nationwide" left the scammer at "Northbridge Bank"; "incorrect tax codes" got "A code?
    Which code?"; a flattering opener got "'Trust me' isn't proof of anything"; a demand for card details got "That's
    kind, but..."; "The balance says £1,340... I'm not sending any more" got "make your first deposit"."""
    def state(messages, persona, style, scenario):
        return player.state(normalize_conversation(messages, persona), persona, style, scenario)

    named = [{"role": "scammer", "content": "Your account is locked."},
             {"role": "victim", "content": "my bank is Nationwide, can you tell me the last four digits of my account then"}]
    bank = state(named, "scammer", "urgent", "bank")
    assert bank.slots["brand"] == "Nationwide" and "their_brand" in (bank.topic, bank.second_topic)
    assert "Nationwide" in player.answer_lead(bank, random.Random(1))
    assert playbooks.named_brand(["I'll chase it up with my bank"], "bank") == ""
    assert playbooks.named_brand(["it's a DPD parcel"], "parcel") == "DPD"
    tax = [{"role": "scammer", "content": "This relates to incorrect tax codes applied by your employer. I'm Officer "
                                          "Graham Price, badge HM-4471."}]
    assert state(tax, "victim", "confused", "government").step != "code"
    smile = [{"role": "scammer", "content": "I came across your profile and couldn't stop smiling. You look like such a "
                                            "warm and genuine person. I'd really love to get to know you better."}]
    assert not player.fits("'Trust me' isn't proof of anything.", state(smile, "victim", "skeptical", "romance"))
    demand = [{"role": "scammer", "content": "For data protection reasons, vehicle details can only be shown after you "
                                             "log in at [LINK] with your name, address and card details."}]
    assert not player.fits("That's kind, but I'll sort out any payments myself after I {check}.",
                           state(demand, "victim", "friendly", "toll"))
    balance = [{"role": "victim", "content": "The balance says £1,340 but it asks for a 20% tax first."},
               {"role": "scammer", "content": "Pay the tax."},
               {"role": "victim", "content": "I'm done with this. I'm not sending any more."}]
    assert not player.fits("Start with {amount}: create your account at [LINK] and make your first deposit.",
                           state(balance, "scammer", "urgent", "investment"))
    bill = [{"role": "scammer", "content": "Send it to this account."}, {"role": "victim", "content": (
        "£780 for what exactly? And why is it going to someone called Mark's account not yours?")}]
    bill_state = state(bill, "scammer", "urgent", "family")
    assert {bill_state.topic, bill_state.second_topic} == {"what_is_it", "friends_account"}


def test_read_56s_dad_is_called_dad_and_no_other_sender_is_claimed(player):
    """Read 56: the family scammer called the father "Mum" after "Hi, this is Dad's phone"; "Which courier company are
    you exactly, Evri or DPD?" got "It's DPD" from Royal Mail, and "National Highways or the toll operator?" got
    "National Highways" from National Road Tolls; "the retailer concerned" read as a worry (no tracking number
    given); "your Class 4 National Insurance contributions" as a request for details; "Car's fine don't worry" got
    "Saying it's safe doesn't make it safe"."""
    def state(messages, persona, style, scenario):
        return player.state(normalize_conversation(messages, persona), persona, style, scenario)

    dad = [{"role": "scammer", "content": "Hi Mum it's me."},
           {"role": "victim", "content": "Hi, this is Dad's phone. Sorry, who's this?"}]
    family = state(dad, "scammer", "urgent", "family")
    assert playbooks.fill("Please Mum, don't tell Dad.", family.slots) == "Please Dad, don't tell Mum."
    mum = state([{"role": "scammer", "content": "Hi Mum."}, {"role": "victim", "content": "who is this?"}],
                "scammer", "urgent", "family")
    assert playbooks.fill("Please Mum, don't tell Dad.", mum.slots) == "Please Mum, don't tell Dad."
    assert choice_question.picked_option("Which courier company are you exactly, Evri or DPD?",
                                         ("Sam", "Royal Mail", "parcel order")) == ""
    assert choice_question.picked_option("Which company sends these, National Highways or the toll operator?",
                                         ("Chris", "National Road Tolls", "toll bridge crossing car")) != "National Highways"
    asked = [{"role": "scammer", "content": "Your parcel is held."}, {"role": "victim", "content": (
        "Good morning. I order a lot for work, so please specify the tracking number and the retailer concerned.")}]
    assert state(asked, "scammer", "friendly", "parcel").intent == "question"
    insurance = [{"role": "scammer", "content": "It relates to an overpayment on your Class 4 National Insurance "
                                                "contributions."}]
    assert state(insurance, "victim", "confused", "government").step != "details"
    fine = [{"role": "scammer", "content": "Car's fine don't worry. My card's blocked with the old phone."}]
    assert not player.fits("Saying it's safe doesn't make it safe.", state(fine, "victim", "skeptical", "family"))


def test_read_44s_someone_elses_payment_is_none_and_a_gift_card_answer_needs_gift_cards(player):
    """Read 44: "If it's the Vinted one the seller already paid the postage" moved the parcel scam on to a customs
    charge (a payment made); "£199 ... in Bitcoin?" got "Gift cards clear instantly"; "Booked a Genius Bar slot"
    was no check."""
    assert not line_premises.says_paid("Who's the sender? If it's the Vinted one the seller already paid the postage.")
    said = [{"role": "scammer", "content": "Your computer is infected."},
            {"role": "victim", "content": "£199 for a 'lifetime protection plan'? And you want it in Bitcoin?"}]
    state = player.state(normalize_conversation(said, "scammer"), "scammer", "friendly", "tech_support")
    assert not player.fits("Gift cards clear instantly; a bank transfer takes three days, and that's too late.", state)
    crypto = [{"role": "scammer", "content": "Pay today."},
              {"role": "victim", "content": "Why Bitcoin ATM? HMRC lets you pay by bank transfer from the website."}]
    state = player.state(normalize_conversation(crypto, "scammer"), "scammer", "friendly", "government")
    assert not player.fits("Vouchers are how the enforcement team takes urgent payments.", state)  # read 46
    assert player.fits("Crypto clears at once, and the case can be closed today.", state)
    booked = "Booked a Genius Bar slot for Thursday. If you're genuine you won't mind."
    assert turn_moves.cue_match(booked, turn_moves.VICTIM_INTENT_CUES) == "check"
    # ...and a victim heard "not a penny" when a sum was only named, and "downloaded your photos" as a link to open.
    boast = [{"role": "scammer", "content": "My uncle shares his signals. I've made £38,000 since January, want to see?"}]
    state = player.state(normalize_conversation(boast, "victim"), "victim", "skeptical", "investment")
    assert not player.fits("Not a penny until I {check}.", state)
    temp = [{"role": "scammer", "content": "Hi Dad it's me, I'm using this temp number. Save this one and delete the old one x"}]
    assert player.state(normalize_conversation(temp, "victim"), "victim", "skeptical", "family").step == "story"  # read 45
    news = [{"role": "scammer", "content": "Someone in Moscow downloaded 1,400 of your photos at 03:10 this morning."}]
    assert player.state(normalize_conversation(news, "victim"), "victim", "confused", "tech_support").step != "link"


def test_no_cue_ends_in_the_punctuation_that_ends_a_sentence():
    """Cues are looked for in sentences cut at '.', '!' and '?', which drop that mark: " no." could never match."""
    tables = (turn_moves.SCAMMER_MOVE_CUES, turn_moves.VICTIM_INTENT_CUES, turn_moves.FIRM_CUES, question_topics.TOPIC_CUES)
    dead = [cue for table in tables for cues in table.values() for cue in cues if cue.rstrip()[-1:] in ".!?"]
    assert not dead, dead


def test_a_victim_out_of_lines_does_not_ask_who_is_this_again(player):
    """Read 27: a victim out of lines for "log in so I can check" fell back to "Sorry, who is this?" after the
    scammer gave his name; a victim met on a dating profile said "I don't recognise this number"."""
    said = [{"role": "scammer", "content": "Hello, this is Kevin, certified Microsoft technician."},
            {"role": "victim", "content": "Is that normal?"},
            {"role": "scammer", "content": "Please log in so I can check nothing was taken."}]
    state = player.state(normalize_conversation(said, "victim"), "victim", "confused", "tech_support")
    every_line = [line for style in playbooks.victim_styles() for line in player.lines_for(state, style=style)]
    state = replace(state, earlier=(*state.earlier, *every_line))  # every line of the move used up: the fallback
    line = player.playbook_line(state, random.Random(1))
    assert "who is this" not in line.lower() and not player.is_used(line, state), line
    profile = [{"role": "scammer", "content": "Hi, I came across your profile and your smile lit up my day."}]
    state = player.state(normalize_conversation(profile, "victim"), "victim", "skeptical", "romance")
    assert not player.fits("I don't recognise this number. Why should I believe this message?", state)


def test_a_default_answer_never_brings_another_scenario_into_the_parcel_scam(player):
    """Read 21: "which shop is it from?" in the parcel scam got the prize's "You were picked at random. Lucky you!"."""
    asked = [{"role": "scammer", "content": "Royal Mail: your parcel could not be delivered."},
             {"role": "victim", "content": "maybe its my new trainers?? which shop is it from"}]
    state = player.state(normalize_conversation(asked, "scammer"), "scammer", "friendly", "parcel")
    assert state.topic == "contents"
    assert not any("lucky" in line.lower() for line in question_topics.TOPIC_ANSWERS["why_me"])


def test_a_scenario_answers_in_its_own_story_and_a_goodbye_gets_no_introduction(engine, off_topic_model):
    """The family scammer can't call (its own answer, not the default's "this line"); a goodbye that doubts
    the name gets a plea to stay, not a self-introduction."""
    asked = ["(the opener answers nothing)", "Just ring me quickly, I want to hear your voice",
             "I've reported this number. Enjoy your day, Ellie, if that's your name."]
    _, replies = play(engine, "scammer", "urgent", "family", asked, 3)
    playbook = playbooks.get_playbook("family")
    def answers(key):
        return tuple(playbooks.fill(template, playbook.slots) for template in playbook.answers[key])
    assert answers("call_me") != question_topics.TOPIC_ANSWERS["call_me"]
    assert replies[1].text.startswith(answers("call_me")), replies[1].text
    assert replies[2].text.startswith(answers("leaving")), replies[2].text
    assert not any(line in replies[2].text for line in answers("identity")), replies[2].text


def test_a_victim_who_says_they_paid_is_not_asked_for_the_first_payment_again(player):
    lines = [{"role": "scammer", "content": "Your parcel is held."}, {"role": "victim", "content": "Who is this?"},
             {"role": "scammer", "content": "This is the depot."}, {"role": "victim", "content": "ok"},
             {"role": "scammer", "content": "Pay the £1.45 today."}]
    paid = [*lines, {"role": "victim", "content": "Done, I paid the £1.45 with my card."}]
    assert player.state(normalize_conversation([*lines, {"role": "victim", "content": "hmm"}], "scammer"),
                        "scammer", "urgent", "parcel").step == "ask"
    state = player.state(normalize_conversation(paid, "scammer"), "scammer", "urgent", "parcel")
    assert state.step == "exit"  # the new angle: another fee
    assert any("customs charge" in line for line in player.lines_for(state))
    early = [lines[0], {"role": "victim", "content": "ok I've paid it, what happens now?"}]
    assert player.state(normalize_conversation(early, "scammer"), "scammer", "urgent", "parcel").step == "exit"
    for own_pay in ("how much is each task, and when do I actually get paid?", "I don't get paid until Friday.",
                    "What's the company called? I've sent my CV to a lot of places."):
        unpaid = [lines[0], {"role": "victim", "content": own_pay}]  # the victim's own pay, not a payment made
        assert player.state(normalize_conversation(unpaid, "scammer"), "scammer", "urgent", "job").step != "exit"


def test_ranking_puts_an_off_topic_candidate_below_an_on_stage_one(player):
    state = player.state(scammer_history(3), "scammer", "neutral", "bank")  # the ask stage
    on_stage = "Please tell me the security code we just sent you so I can stop the payment."
    ranked = player.rank(state, [OFF_TOPIC, on_stage])
    assert [r.text for r in ranked] == [on_stage, OFF_TOPIC]
    assert ranked[0].problem == "" and ranked[1].problem
    assert ranked[0].closeness > ranked[1].closeness + 0.2


def test_ranking_rejects_invented_placeholders_echoes_and_the_other_sides_voice(player):
    state = player.state(scammer_history(3), "scammer", "neutral", "bank")
    ranked = {r.text: r.problem for r in player.rank(state, [
        "Send the code to [TOKINESUS OFFICER MRS GREEN] right now please.",
        "No, I won't do that.",
        "I don't think I should share any codes with you.",
    ])}
    assert ranked["Send the code to [TOKINESUS OFFICER MRS GREEN] right now please."] == "invented placeholder"
    assert ranked["No, I won't do that."] and ranked["I don't think I should share any codes with you."]


@pytest.mark.slow
def test_one_generate_call_writes_all_the_candidates(engine):
    backend = engine.chat_backend()
    calls, tokens = backend.generate_calls, backend.tokens_generated
    params = GenerationParams(candidates=4, seed=3, max_new_tokens=24)
    conversation = [{"role": "scammer", "content": "Your parcel is held. Pay the £1.45 fee at [LINK] today."}]
    replies = list(engine.stream_roleplay(ReplyRequest(conversation, "victim", "skeptical", "parcel", params)))
    assert backend.generate_calls == calls + 1
    assert backend.tokens_generated > tokens
    assert replies[-1].done and replies[-1].candidates == 4 and replies[-1].text
    assert all(not reply.done and reply.text == "" for reply in replies[:-1])  # "writing..." while they grow


def test_writing_replies_come_at_most_every_quarter_second(engine, monkeypatch):
    """Each "writing" reply becomes an update sent to the student: one per token was hundreds a second for a
    class. A backend writing 50 pieces in about 0.5 s gives 2 to 4 of them, the first at once and the last."""
    written = []

    def fast(prompt, params, count, stop=None):
        for number in range(50):
            time.sleep(0.01)
            written.append(number)
            yield [f"word{number} "] * count

    monkeypatch.setattr(engine.chat_backend(), "stream_candidates", fast)
    conversation = [{"role": "scammer", "content": "Your parcel is held. Pay the fee today."}]
    replies = iter(engine.stream_roleplay(ReplyRequest(conversation, "victim", "skeptical", "parcel", GenerationParams(seed=2))))
    first = next(replies)
    assert first.text == "" and len(written) < 5, "the first shows at once, not after the candidates are written"
    writing = 1 + sum(1 for reply in replies if not reply.done)
    assert 2 <= writing <= 4


def test_the_fallback_fires_when_every_candidate_is_off_stage(engine, player, off_topic_model):
    conversation = [{"role": "scammer", "content": "Read me the one-time code we just sent you, quickly."}]
    reply = list(engine.stream_roleplay(ReplyRequest(conversation, "victim", "confused", "bank", GenerationParams(seed=5))))[-1]
    state = player.state(normalize_conversation(conversation, "victim"), "victim", "confused", "bank")
    assert reply.source == "playbook" and reply.step == "code"
    assert reply.text in player.lines_for(state) and OFF_TOPIC not in reply.text


def test_no_line_repeats_within_a_long_conversation(engine, off_topic_model):
    conversation, replies = play(engine, "scammer", "urgent", "bank", VICTIM_SCRIPT, turns=14)
    ai_lines = [reply.text for reply in replies]
    assert len(set(ai_lines)) == len(ai_lines)
    for number, line in enumerate(ai_lines):
        assert not any(is_near_copy(line, earlier) for earlier in ai_lines[:number]), line
    assert [reply.step for reply in replies[:6]] == list(playbooks.STAGE_ORDER)

    scammer_lines = [playbooks.fill(line, playbooks.get_playbook("parcel").slots)
                     for stage in playbooks.STAGE_ORDER for line in playbooks.get_playbook("parcel").stages[stage].lines[:2]]
    _, victim_replies = play(engine, "victim", "time_waster", "parcel", scammer_lines, turns=12)
    victim_lines = [reply.text for reply in victim_replies]
    assert len(set(victim_lines)) == len(victim_lines)


def test_stages_appear_in_the_handout_and_the_json(engine, off_topic_model):
    conversation, replies = play(engine, "scammer", "authoritative", "government", VICTIM_SCRIPT, turns=4)
    turns = []
    for message in conversation:
        reply = next((r for r in replies if r.text == message["content"]), None)
        turns.append(Turn(message["role"], message["content"], by_ai=reply is not None, stage=reply.stage_note if reply else None))
    transcript = new_transcript("government", "scammer", "authoritative", turns=tuple(turns))

    handout = to_markdown(transcript)
    tactic = playbooks.get_playbook("government").stages["hook"].tactic
    assert f"Stage: **Hook: {tactic}**" in handout and "Stage: **Ask: " in handout
    data = json.loads(to_json(transcript))
    assert [turn.get("stage", "").split(":")[0] for turn in data["turns"] if turn["by_ai"]] == ["Hook", "Trust", "Urgency", "Ask"]
    assert from_json(to_json(transcript)) == transcript


def test_a_long_conversation_of_symbols_makes_a_short_prompt_and_a_short_one_is_shown_whole(engine, player):
    # Every prompt token costs the class: a 40-turn conversation of 1,000-character messages of symbols made a
    # 651-token prompt, and 10 replies asked beside it took 34 s instead of 9 s.
    symbols = ("a-" * 500, "<" * 1_000, "b (dot) " * 125)
    long = [{"role": "scammer" if i % 2 else "victim", "content": symbols[i % 3]} for i in range(40)]
    short = [{"role": "scammer" if i % 2 else "victim", "content": f"Message {i}: {VICTIM_SCRIPT[i % 7]}"} for i in range(6)]
    tokens = {}
    for name, conversation in (("long", long), ("short", short)):
        history = normalize_conversation(conversation, "victim")
        state = player.state(history, "victim", "neutral", "bank")
        prompt = player.prompt(state, history, VICTIM_SCRIPT[:3], False)  # the same example lines in both
        tokens[name] = engine.chat_backend().encode(prompt)["input_ids"].shape[1]
        if name == "short":
            assert all(message["content"] in prompt for message in conversation)
    assert tokens["long"] <= 400 and tokens["short"] <= 300, tokens


@pytest.mark.parametrize("scenario, text, topic", [
    ("bank", "If you are genuinely from the bank, you will already know my sort code. Please read me the last four digits "
             "of my account number.", "on_file"),
    ("bank", "I have a text with a six-digit code, and it states plainly that the bank will never ask me for it.",
     "never_share"),
    ("bank", "I have now rung the number on my card and they have no record of any such payment.", "evidence"),
    ("prize", "I'll pass on this once-in-a-lifetime opportunity. Cheers though.", "leaving"),
    ("tech_support", "Why I must install this program? Please tell me the name of the virus.", "what_is_it"),
    ("government", "I've only just started my first job. How can I already owe tax??", "why_owe"),
    ("romance", "I do want to help, love, but I've only got my pension.", "no_money"),
    ("romance", "Or I could book the flight for you directly instead of sending money.", "pay_directly"),
    ("job", "can you just take the £80 out of what i already earnt instead?", "deduct"),
    ("tech_support", "My brother says Microsoft never contacts people first about viruses.", "out_of_blue"),  # read 22
    ("toll", "And what registration number is on your record, please?", "which_one"),
    ("government", "My dad rang the real HMRC number from the gov.uk website and they said this is a scam.", "evidence"),
    ("bank", "The young lady there said there were no unusual payments on my account.", "evidence"),
    ("job", "the site show £42 in my balance. Why I cannot take it out?", "withdraw"),
    ("prize", "Can you tell me your company's registered address?", "where_based"),
    ("romance", "Why can't your family or your company send it to you?", "someone_else"),
    ("family", "So which one of my children are you supposed to be?", "which_of_you"),
    ("toll", "Also, the link you sent isn't even a gov.uk address. Why's that?", "link_address"),  # read 23
    ("toll", "Can you email the penalty notice to my business account or post it to the depot instead?", "in_writing"),
    ("tech_support", "A virus is in my computer? How you know this? I did not call to anyone.", "see_computer"),
    ("family", "Why can't you just pay the bill yourself? Who do you owe money to?", "pay_directly"),
    ("job", "now it says my balance is 'frozen'. Why would a job freeze my wages?", "negative"),
    ("toll", "What date and time was the journey, and what number plate have you got on record?", "which_road"),
    # Read 24: "freeze the card yourselves" got the bank's answer to "why move my savings?".
    ("bank", "I'm in a meeting until four. Can't you just freeze the card yourselves?", "freeze_it"),
    ("bank", "Why would I move my savings to a different account?", "safe_account"),
    # Read 27: each of these got a stage line that ignored it.
    ("family", "whats the name of the rabbit we had when you were little, just so i know its really you", "quiz"),
    ("government", "Can I ask him to ring you when he is back? What is your full name and a direct line he can use?",
     "call_back"),
    ("prize", "You say I win £1,000 but why you need my bank card if you are giving me money?", "fee_reason"),
    ("tech_support", "Right, so how does Microsoft know what's on my computer?", "see_computer"),
    ("parcel", "royal mail normally just leave a red card thing through the door?? why is it a text this time", "why_text"),
    ("parcel", "nobody knocked, my flatmate was in too. what time did the driver supposedly come", "evidence"),
    ("government", "I cannot have this. But surely HMRC gives people time to appeal?", "appeal"),
    ("investment", "Aye, doubled in two weeks? Who's this mentor then?", "mentor"),
    ("tech_support", "Are you going to charge me for it?", "charge_me"),
    # Read 28
    ("investment", "How did you even find me? I don't think we've spoken since school.", "number"),
    ("job", "What does the work involve, like day to day?", "what_is_it"),
    ("toll", "Can we pay at the petrol station or do we have to use your link?", "other_way"),
    ("parcel", "Why is it only £1.45 though? Feels like a weirdly small amount to chase someone for.", "fee_reason"),
    ("job", "How many hours a week would it actually be?", "hours"),
    ("tech_support", "I've got one of those Macs, not a Windows one. Does that still matter?", "other_device"),
    ("tech_support", "My daughter put an antivirus thing on it. Wouldn't that have caught the virus already?", "antivirus"),
    ("toll", "Why is the fine going up to £100 for like a fiver? That's a massive jump.", "why_penalty"),
    # Read 29
    ("parcel", "wait which parcel?? i've ordered like 4 things this week, is it the trainers or the phone case", "which_one"),
    ("tech_support", "Out of interest, which of my computers is infected? I've got a laptop and a desktop.", "which_one"),
    ("job", "Hi, which CV do you mean? I've only applied for a Saturday job at the bakery.", "which_one"),
    ("toll", "I normally pay automatically with my account for the Dartford Crossing, so how come this one didn't go through?",
     "autopay"),
    ("government", "Sorry, but why would the tax office want me to pay with supermarket vouchers?", "payment_method"),
    ("bank", "It says something about never sharing it with anyone, even the bank. Why does it say that if you're the bank?",
     "never_share"),
    ("bank", "How would anyone make a payment from it without my fingers?", "how_possible"),
    ("job", "Wait, why do I need to put in £80 to unlock my earnings? Isn't the company supposed to pay me?", "fee_reason"),
    ("job", "I showed my dad and he said real jobs never ask you for money. I'm going to leave it, thanks anyway.", "leaving"),
    # Read 30: "There's no fee." answered it
    ("bank", "Hold on, I need my reading glasses. What exactly was this payment supposed to be for?", "what_payment"),
    # Read 31: a generic dodge, the next ask or another topic's answer
    ("investment", "Why do I send money to a personal wallet and not to a company? This part I do not understand.",
     "friends_account"),
    ("romance", "I don't get many messages on here, my daughter set this profile up for me. Where are you writing from?",
     "where_based"),
    ("family", "Why can't you ring me from a friend's phone? I'd feel much better hearing your voice.", "call_me"),
    ("family", "If I send anything, it goes to the account of yours I've already got saved, not anyone else's. Is that "
               "alright?", "friends_account"),
    ("job", "Is there a contract, and will the pay go through PAYE? My student finance people ask about any income.",
     "employment"),
    ("job", "How does a company make enough money to pay someone hundreds a day for an hour's work?", "how_it_works"),
    ("prize", "is it like a gift card or actual cash cos im saving up for a new phone", "prize_what"),
    ("prize", "im 15 btw, can i still claim it or does my mum have to do it", "age"),
    ("toll", "A fiver and then a hundred-pound penalty on top? That's not a fine, that's daylight robbery.", "why_penalty"),
    ("toll", "If I go to the official toll website myself instead of using your link, will that clear it?",
     "official_site"),
    ("government", "I can't pay it all at once, can I set up a payment plan until I get paid on the 28th?", "instalments"),
    # Read 32
    ("parcel", "oh maybe its my trainers from that website, which company sent it and whats the tracking number",
     "contents"),
    ("prize", "can u post it to my house instead, my address is... actually nah im not giving that out", "in_writing"),
    ("tech_support", "What exactly would you do if I let you on it? I don't want to lose my photos.", "what_you_see"),
    ("tech_support", "It's an old laptop my son set up for me. Is it Windows?", "other_device"),
    ("family", "What happened to your old phone, you only got it at Christmas!", "what_happened"),
    ("job", "Do you have office address or website? I would like to check the company on internet.", "where_based"),
    ("investment", "if the returns are guaranteed why do you even need my money, why not just put more of your own in",
     "own_money"),
    ("romance", "be honest, is this going to end with you asking me for money? because we literally did a lesson on this",
     "want_money"),
    # Read 33: "It's Jess's, my flatmate" answered whose account, which nobody had asked
    ("family", "Why can't you just pay it from your own account? You got paid on Friday.", "own_money"),
    ("parcel", "y is it a diffrent courier to the one asos said was bringing it", "handed_over"),
    ("toll", "whats my car reg on ur system then", "on_file"),
    ("toll", "why would a few quid turn into a massive fine, thats proper harsh", "why_penalty"),
    ("toll", "hang on my instructor said toll stuff is paid on the gov.uk website not some random link", "official_site"),
    ("investment", "wat coin is it, bitcoin or some random one ive never heard of", "what_is_it"),
    ("investment", "how much did u actually put in at the start", "your_start"),
    ("investment", "ive got like £60 from my birthday, could i just try with that", "no_money"),
    ("investment", "y do i have to download a special app, cant i just use a normal one like revolut", "app_store"),
    ("investment", "my dad says if it sounds to good to be true it is. im out x", "leaving"),
    ("bank", "Oh dear, I haven't made any payment like that. Who was the money supposed to be going to?", "what_payment"),
    ("bank", "I bank with both Nationwide and Halifax. Which one are you from exactly?", "which_of_you"),
    ("bank", "My grandson told me never to give out codes. Why would the bank need a code if you're the bank?",
     "never_share"),
    ("romance", "Why you need money? I am not rich, I work in the cafe and I send money to my mother.", "fee_reason"),
    ("government", "I'm sorry, I think there must be a mistake.", "is_it_mine"),
    ("government", "Can I speak to your manager?", "manager"),
    ("family", "Just spoke to your sister and you're sat right next to her watching telly. Nice try. Blocked.",
     "evidence"),
    ("prize", "What's the voucher actually for? Can I use it in Tesco or is it online only?", "prize_what"),
    ("job", "What would the actual work be?", "what_is_it"),
    # Read 34: the mentor's answer gave no name once the question stopped counting as "company" too
    ("investment", "Guaranteed? Nothing's guaranteed mate. What's the name of this mentor?", "mentor"),
    ("romance", "Just so you know, I don't send money to people online. You'd never ask me for money, would you?",
     "want_money"),
    ("family", "If you need money, why can't you use your own bank card? What's happened to it?", "own_money"),
    ("investment", "If it's so good, why are you texting strangers about it instead of keeping quiet?", "why_share"),
    ("family", "Oh no how did that happen?? Have you tried putting it in rice?", "what_happened"),
    ("government", "Will it show on my online HMRC account if I log in through the Government Gateway?",
     "official_site"),
    ("bank", "Before I say anything else, can you tell me the name of the payee?",
     "what_payment"),
    ("prize", "If there is a charge, can it not just be taken off the voucher?", "deduct"),
    ("tech_support", "if this needs me to download some app, i cant install stuff without the IT teacher's password lol",
     "cant_install"),
    ("toll", "It wants my card details and my online banking login for a tiny charge? That doesn't seem right.",
     "why_login"),
    ("job", "My teacher at college say real job never ask you to pay. I stop now, please delete my number.", "leaving"),
    ("job", "I'm 16, would that be ok?", "age"),  # its answers opened "No problem", which only follows a "no"
    # Read 35: "payslip" made it a question about employment
    ("government", "What happen if I do not pay today? I am worried, but first I must ask my manager at work. He help me "
                   "with my payslip.", "if_not"),
    # Read 35's misses: "machine" made it a question about a Mac, "bank login" one about what the scammer sees
    ("tech_support", "What sort of virus is it? The machine's been running the same as always this morning.", "what_is_it"),
    ("toll", "I opened the link and it's asking for my online banking login. Why would a toll need my bank login?",
     "why_login"),
    ("investment", "If it's that good, why are you messaging people about it instead of just quietly getting rich?",
     "why_share"),
    ("parcel", "ok maybe its my nans birthday present, she said she was sending smth. who does it say the sender is",
     "contents"),
    ("tech_support", "You want me to download something so you can see my screen? All my bank details are on there.",
     "what_you_see"),
    ("investment", "Yeah, I'm out. My savings are staying in my ISA, boring but real. Good luck with your 'mentor'.",
     "leaving"),
    # Read 36's misses: "someone called" was a question about a friend's account, "registration number" a car's
    ("bank", "You say it went to someone called 'K Oduya Interiors'. I have never heard of them, but how did they get my "
             "card number in the first place?", "how_possible"),
    ("government", "What's my National Insurance number according to your records then?", "on_file"),
    ("investment", "is this company actually registered with the FCA? whats their registration number", "registered"),
    ("tech_support", "You want me to download an app called AnyDesk? What does that do, exactly?", "what_you_see"),
    ("toll", "I'm not actually a driver, I'm 17 and I'm on my mum's insurance, so shouldn't it go to her?", "age"),
    ("parcel", "ok but why is it 99p?? my mum never pays to get stuff redelivered", "fee_reason"),
    ("investment", "the site shows my £50 turned into £310 but it says I need to pay a 'withdrawal tax' of £90 first",
     "withdraw"),  # a cue after an opening quote
    ("prize", "my brother says if you have to pay to win something you havent won anything", "fee_reason"),
    ("family", "I've just rung Tom's old number and he answered it. Whoever you are, shame on you.", "evidence"),
    ("toll", "the dartford crossing one is called dart charge, why does this link say uk-roadpay-settle.info",
     "link_address"),
    # Read 37's misses
    ("government", "You said a warrant would be issued. HMRC doesn't arrest people over the phone, surely?", "arrest"),
    ("job", "I do not want to continue. Please delete my information. Thank you.", "leaving"),
    ("toll", "ok im just gonna block this number", "leaving"),
    ("parcel", "oh actually maybe its my trainers from that website. what company is it from tho", "contents"),
    ("prize", "what supermarket is it from? my nan shops at Morrisons so maybe she entered me", "prize_what"),
    ("investment", "Hey mate, didn't know you were into crypto. How much did you actually put in?", "your_start"),
    ("investment", "Guaranteed returns though? My dad says nothing's guaranteed if it's investing.", "how_it_works"),
    ("job", "Rating hotels on an app for money? I cannot find website for it.", "no_website"),
    # Read 38's misses ("who sent it" was a question about the parcel's sender; "six years old" about age)
    ("bank", "You say you've sent me a six-digit number. Why would I read it back to you if you're the ones who sent it?",
     "never_share"),
    ("bank", "My grandson set up the online banking, so I don't know what a new payee is. Is that like a standing order?",
     "autopay"),
    ("job", "the £12 showed up in the app. But it's saying I need to top up £60 to unlock a 'combo task'?", "fee_reason"),
    ("romance", "£850 is literally more than i've got in my savings account. i'm still doing my a levels", "no_money"),
    ("prize", "My form tutor literally did a lesson on this last week and this is exactly the example she showed us lmao",
     "evidence"),
    ("prize", "Gonna screenshot this for her actually. Thanks for the homework help!", "leaving"),
    ("family", "Oh Chloe! Why didn't you just use the landline to ring me if your phone's broken?", "call_me"),
    ("family", "What's this bill for £1,260? You only moved into the flat in September, surely you've paid rent already.",
     "fee_reason"),
    ("family", "Why is the bank account in someone called 'M. Taylor's name? You said it's your landlord.", "friends_account"),
    # Read 39's misses
    ("investment", "What does 'guaranteed 30% a week' actually mean? My dad says nothing is guaranteed except taxes.",
     "how_it_works"),
    ("government", "And if I don't pay within the hour, what precisely happens?", "if_not"),
    ("tech_support", "My neighbour's son says to just hold the power button down and turn it off. Would that make it worse?",
     "switch_off"),
    ("prize", "You say I must pay £3.50. But why the company does not just take this from the value of the prize?",
     "deduct"),
    ("prize", "Maybe I win also a holiday next week, haha. Can you send a letter with the prize to my house by normal post?",
     "in_writing"),
    ("romance", "wait ur on an oil rig?? thats actually so cool. how do u even get wifi out there", "online_at_work"),
    # Read 40's misses ("get my details" was "how did you get my number?", whoever got them)
    ("government", "If it's real I can log in to the proper gov.uk website and see it there, can't I?", "official_site"),
    ("parcel", "its not even royal mail its meant to be coming with evri, why are u texting", "handed_over"),
    ("toll", "my dad pays with card at the barrier. so how has he got an unpaid charge", "why_owe"),
    ("toll", "dads asking if he can just pay it on the dart charge site instead", "official_site"),
    ("family", "Why can't you just use your banking app on the new phone?", "own_money"),
    ("family", "£1,340 for a phone and a bill? Who is this 'Mark Whitfield' I'm meant to pay it to?", "friends_account"),
    ("investment", "It wants a 'tax release fee' of £400. Why isn't that taken from the balance?", "deduct"),
    ("investment", "My uncle lost a lot on something similar. What happens to my money if your website just disappears?",
     "safe_to_pay"),
    ("prize", "Can you tell me the address of your company and the company number? I want to check first.", "registered"),
    ("prize", "My friend from work say that real competitions never ask money from the winner. Is this true?", "fee_reason"),
    ("prize", "OK, if you take the £9.99 from my prize money and send me only the rest, then I agree.", "deduct"),
    ("tech_support", "I think I'll switch the whole thing off at the wall and wait for Jamie to come round on Sunday.",
     "leaving"),
    ("bank", "Before I tell you anything, what is the name of the branch that holds my account?", "where_based"),
    ("bank", "I've never heard of K Morrison Ltd. How did they get my details in the first place?", "how_possible"),
    ("romance", "i literally have £40 in my bank and its for my cousins birthday so idk how im meant to help", "no_money"),
    ("romance", "my best mate just said this is exactly what they showed us in PSHE last week", "evidence"),
    # Read 41's misses (after the read, not read)
    ("tech_support", "Hang on, my computer is an Apple one, it says so on the back with a little apple.", "other_device"),
    ("job", "so i just click like on youtube vids and get paid?? how does the company make money from that", "how_it_works"),
    ("prize", "omg really?? which competition was it because i dont remember entering", "why_me"),
    # Read 42's misses (after the read, not read)
    ("job", "my mate did something like this and lost all his money from his paper round", "friend_lost"),
    ("parcel", "the text said £1.45 lol, now you say £2.99??", "amount_shown"),
    ("family", "I've just messaged your old number and you've answered on that one, so who is this?", "evidence"),
    ("government", "You want me pay in Apple gift cards? This is very strange for government, no?", "payment_method"),
    ("government", "Excuse me, I am from Poland and I work here only two years. What is this tax, I pay tax every month "
                   "from my wage?", "why_owe"),
    ("romance", "We've been chatting for nearly two months now and we've never video called. Could we do one this "
                "weekend?", "call_me"),
    ("family", "Is this Ellie or Jake? You both have the same habit of breaking phones!", "choice"),
    # Read 43's misses (after the read, not read)
    ("family", "Ellie's just walked into the kitchen with her phone in her hand. Whoever you are, shame on you.",
     "evidence"),
    ("investment", "I put in £250 like you said and the site shows £610 already after 3 days. Can I take the £610 out "
                   "now just to test it?", "withdraw"),
    ("parcel", "£1.45 is not much but I don't do payments on the telephone. Can the postman just take coins?", "other_way"),
    ("toll", "£5.20 and then a £100 fine? That's mad. Where are you getting £100 from?", "why_penalty"),
    ("government", "Unpaid tax? I paid my self assessment in January. What's the £1,870 for?", "fee_reason"),
    ("tech_support", "Oh dear, the computer is making a beeping noise. Is this Microsoft? Bill Gates's lot?", "choice"),
    # Read 44's misses (after the read, not read)
    ("bank", "ok i got a code but the text says 'to APPROVE a payment of £749.00 to a new payee'. why would cancelling it "
             "say approve??", "approve_wording"),
    ("bank", "bro my student loan only landed yesterday, how do you know about that. this is creepy", "how_know"),
    ("tech_support", "What's my Apple ID email then?", "quiz"),
    ("romance", "Well hello there. I'm 68 and you look about 30 in that photo, are you sure you messaged the right chap?",
     "why_profile"),
    ("romance", "I'd love to meet you. I'll pay for your flight myself, just tell me the airport and I'll book it on my "
                "end.", "pay_directly"),
    ("family", "Jack?? Is that you? You only got that phone at Christmas!", "choice"),
    # Read 45's misses (after the read, not read)
    ("toll", "Sorry my English not very good. I am driver for delivery company, the company pays tolls, not me. Can I "
             "give you the company name?", "third_party_pays"),
    ("parcel", "£1.45 is nothing but why does the link ask for my full card number AND my mother's maiden name?", "normal"),
    ("bank", "Ok you say Lloyds, but my card ends in what digits then? You should have that on screen.", "on_file"),
    ("family", "The £650 goes to who? That's not your name on the account. Who is 'T. Okafor'?", "friends_account"),
    ("family", "I'm texting your old number now. Emma's just replied from it and she's at uni in the library.", "evidence"),
    # Read 46's misses (after the read, not read)
    ("family", "You say you're my son Ryan. Ryan, what did you get me for Christmas last year?", "quiz"),
    ("romance", "Haha thank you. Which site are you from, because I only joined Facebook dating last week.", "why_profile"),
    ("parcel", "My daughter in Canada might have sent something for my birthday. Does it say it's from Toronto?",
     "contents"),
    ("job", "You say I need to buy first the products with my money. Why company doesn't buy?", "how_it_works"),
    ("tech_support", "OK then which Apple Store are you from?", "where_based"),
    ("tech_support", "You want me to type in my admin password while you're connected? What do you need that for?",
     "why_login"),
    # Read 49's misses (after the read, not read)
    ("government", "You want me to pay in Amazon vouchers? Since when does the government take Amazon vouchers lmao",
     "payment_method"),
    ("tech_support", "I've got a Dell, not a Microsoft one. Does Microsoft look after Dells as well?", "other_device"),
    ("tech_support", "A big red box came up with a beeping noise and your number. I'm using the computer at the "
                     "vicarage, is it the parish newsletter that's done it?", "cause"),
    ("tech_support", "I'm going to ask young Tom from the youth group to look at it after Sunday service. God bless, and "
                     "please find honest work.", "leaving"),
    ("job", "What exactly is the job? £300 for one hour sounds too much, in my care home I get £11.44 per hour.",
     "what_is_it"),
    ("investment", "Guaranteed returns is the bit that bothers me. Even my pension fund says 'the value can go down as "
                   "well as up'.", "how_it_works"),
    ("romance", "You keep saying the camera's broken. It's been three weeks, love. Send me a photo holding a piece of "
                "paper with my name and today's date on it.", "photo"),
    ("parcel", "I'll take the bus to the sorting office on Friday with my ID and collect it myself. Cheerio.", "leaving"),
    # Read 50's misses (after the read, not read)
    ("romance", "aww that's sweet. my day was ok, just tired from my shift at the café", "your_day"),
    # What read 51's transcripts showed (before its verdicts)
    ("romance", "I had a rubbish day tbh. My manager shouted at me in front of everyone", "your_day"),
    ("investment", "My cousin lost loads on Bitcoin last year so I'm a bit wary", "friend_lost"),
    ("toll", "I did go through a tunnel last week, but I'm pretty sure I paid it on the app", "already_paid"),
    ("toll", "Can you send me the photo of my car going through?", "photo"),
    ("parcel", "can you not just leave it in the safe place, the green bin round the side", "other_way"),
    # Read 51's misses (after the read, not read)
    ("job", "so you want me to buy £80 of crypto and send it to you? For a job??", "payment_method"),
    ("tech_support", "is this a real Apple thing?", "other_device"),
    ("tech_support", "ok I've opened the website. It wants me to download something called QuickConnect",
     "download_step"),
    # What read 52's transcripts showed (before its verdicts)
    ("prize", "nah im good, going to play football now. keep ur ipad", "leaving"),  # not "which kind you have"
    ("investment", "My husband wants to know why I need to pay a 'release fee' of £600 before I get my own money back.",
     "withdraw"),
    ("investment", "How exactly is it guaranteed? Nothing in investing is guaranteed, my pension adviser always says "
                   "that.", "how_it_works"),
    # What read 53's transcripts showed (before its verdicts)
    ("parcel", "y do i have to pay, my mum already paid postage", "free_delivery"),
    ("parcel", "cant u just leave it w my neighbour at number 12", "other_way"),
    ("prize", "Good afternoon. I don't recall entering any competition. Who exactly is running this prize draw?",
     "company"),
    ("romance", "You are very nice. What you do for job?", "what_is_it"),
    ("job", "yo how much do u get paid", "pay_rate"),
    ("job", "what do i actually have to do, is it like tiktok", "what_is_it"),
    ("job", "ok i liked the 3 videos, wheres my £15", "withdraw"),
    ("job", "wait why do i have to send £60 first?? thats my birthday money", "fee_reason"),
    ("family", "Hello dear. Which grandchild is this? You sound like Tom but Tom always calls me Nana.", "which_of_you"),
    ("toll", "My husband thinks we paid that crossing online the same day. Can you check again?", "already_paid"),
    # Read 54's misses
    ("job", "My cousin did one of these 'rate the hotels' jobs and lost like £900. Is this the same thing?",
     "friend_lost"),
    ("romance", "You said last week you were in Aberdeen, now you're on an oil rig off Ghana? Which is it?",
     "story_changed"),
    ("romance", "My sister read these messages and she's worried about me. I think I need to step back. Take care of "
                "yourself.", "leaving"),
    ("prize", "yeah I'm gonna pass. enjoy ur day", "leaving"),
    ("parcel", "Wait. My bank app says a payment of £489 to something abroad. That is NOT £2.99!!", "big_debit"),
    ("toll", "wot toll?? i dont even have a car im 12", "no_vehicle"),
    ("family", "You never call me Mum, you always say Mam. Are you sure you're alright?", "what_you_call_me"),
    ("job", "My mum reckons it's a scam tbh", "warned"),
    ("government", "Which job is it from? I only worked at the cinema for one summer.", "which_employer"),
    # Read 55's misses and what its transcripts showed
    ("toll", "was this on the dartford crossing? i did go to see my sister in kent a few weeks ago", "which_road"),
    ("government", "I'd rather log in through the gov.uk website myself and see it on my account. Is that ok?",
     "official_site"),
    ("romance", "An engineer on an oil rig, really? That sounds exciting. I work in a bakery, nothing so glamorous haha",
     "your_day"),
    ("romance", "Oh no, that's awful. What happened exactly and why can't your company help you?", "what_happened"),
    ("parcel", "It should be a birthday present for my granddaughter, a knitting kit from a shop in Leeds. Is that the "
               "one?", "is_it_mine"),
    ("investment", "What's the name of the trading site? I want to look it up first and read some reviews.", "company"),
    ("prize", "my mate got one of these last month and it was fake, hes still annoyed about it tbh", "friend_lost"),
    ("tech_support", "I only use it for emails and looking at recipes. How could it have got a virus?", "cause"),
    # Read 56's misses and what its transcripts showed
    ("romance", "a doctor with the UN in Yemen? that's mad. how long are you out there for", "how_long"),
    ("romance", "i'm 52 and divorced, got two grown up lads and a very spoiled cat called Biscuit. you got kids?",
     "have_kids"),
    ("romance", "ok so why cant you just get money from the bank out there? theres gotta be some way", "what_happened"),
    ("toll", "I drove up the M6 last weekend for my daughter's graduation. Is that what this is about?", "is_it_mine"),
    ("bank", "Could I come into the branch on Friday instead? My neighbour can drive me, she's ever so kind.",
     "other_way"),
    ("job", "Why is everything done through WhatsApp and Telegram? My last job had a proper website and an office.",
     "why_app"),
    ("government", "I'm self employed doing decorating, my accountant does my returns. Shouldn't you contact him about "
                   "it?", "their_agent"),
    ("prize", "Is it a cheque or will you put it in my bank? I don't really trust those voucher things.", "prize_payout"),
    ("prize", "Why must I pay with Amazon cards? I haven't got a clue how to buy those at the Co-op.", "payment_method"),
    ("family", "Why can't your mother sort it, she's home today. Have you rung her?", "someone_else"),
    ("parcel", "I'll be contacting the retailer directly. Please don't send further messages to this number. Regards.",
     "leaving"),
    ("bank", "The young man at my branch told me never to give out codes. Are you sure this is allowed?", "never_share"),
])
def test_questions_of_reads_21_to_23_get_their_topic_and_the_scenarios_answer(player, scenario, text, topic):
    """Questions of reads 21 to 32 that got a dodge or another topic's answer (cue words added after reading them)."""
    asked = [{"role": "scammer", "content": "Hello"}, {"role": "victim", "content": text}]
    state = player.state(normalize_conversation(asked, "scammer"), "scammer", "friendly", scenario)
    assert state.topic == topic
    lead = player.answer_lead(state, random.Random(1))
    answers = playbooks.get_playbook(scenario).answers[topic]
    assert any(lead.startswith(playbooks.fill(template, state.slots)) for template in answers), lead
    if topic == "mentor":
        assert "Daniel Hart" in lead, lead
    if "date" in text and scenario == "toll":  # read 24: the toll scammer named the crossing but no date
        assert "14th" in lead, lead
    if "what time" in text:  # read 27: the depot's tracking answered "what time did the driver come?"
        assert "2:14 pm" in lead, lead


def test_a_victim_does_not_hear_a_move_to_another_app_in_a_bad_signal(player):
    """Read 22: "the signal here is terrible" got "Scammers always want to move the chat somewhere else"."""
    said = [{"role": "scammer", "content": "Hi, I saw your profile."}, {"role": "victim", "content": "hi"},
            {"role": "scammer", "content": "I work on an oil platform in the North Sea, so signal is terrible. "
                                           "Talking to you is the best part of my week."}]
    assert player.state(normalize_conversation(said, "victim"), "victim", "skeptical", "romance").step != "channel"


def test_the_answers_to_put_it_in_writing_never_contradict_each_other():
    """Read 23: "The letter was sent last week" then "A letter is on its way" in one conversation, and the first
    in the tech-support scam, which has no letter."""
    for scenario in ("bank", "government", "tech_support"):
        answers = " ".join(playbooks.get_playbook(scenario).answers["in_writing"]).lower()
        assert not ("on its way" in answers and "last week" in answers), scenario
    assert "letter was sent" not in " ".join(playbooks.get_playbook("tech_support").answers["in_writing"])
