"""The conversation scam meter: engine, dialogue generator, pasted-chat parser, CLI and the API endpoint."""

from __future__ import annotations

import json

import pytest

from scamlab import cli
from scamlab.chat_paste import MAX_CHAT_LINES, parse_pasted_chat
from scamlab.conversation_cues import CONVERSATION_CUES, cue_vector
from scamlab.dialogues import SCRIPTS, VALIDATION_SCRIPTS, generate_dialogues
from scamlab.engine.conversation import FLAG_THRESHOLD, MAX_MESSAGES, sentence_chunks

# Written for these tests in words the dialogue scripts do not use.
GENUINE_BANK_FRAUD_CALL = [
    ("them", "Good afternoon, my name is Olivia and I'm calling from the card security team at Barclays. Is this Mr Hughes?"),
    ("me", "Yes, speaking. What's this about?"),
    ("them", "Before I go any further, could you confirm your date of birth and the first line of your address?"),
    ("me", "Sure, 14th of February 1971, 22 Mill Lane."),
    ("them", "Thank you. We stopped a card payment of £612 to an electronics website at 2am. Was that you?"),
    ("me", "No, I was asleep. That definitely wasn't me."),
    ("them", "Okay. I've cancelled that card so nobody can use it, and the payment has been declined, so you haven't lost anything."),
    ("me", "How do I know you're actually from the bank?"),
    ("them", "That's a good question. Please feel free to hang up and ring the number on the back of your card, "
             "and quote reference 5521. I won't ask you for your PIN, any passwords or codes."),
    ("me", "Okay, thanks."),
    ("them", "A new card will arrive in the post within five working days. Anything else I can help with?"),
]
PARCEL_SCRIPT = [
    ("them", "Hello, this is Evri customer care. We tried to deliver your parcel this morning but nobody was in."),
    ("me", "Oh, I'm expecting a parcel, yes."),
    ("them", "No problem. We can redeliver tomorrow."),
    ("me", "Great, how do I book that?"),
    ("them", "It's only £1.45 for the redelivery, it takes one minute. Just enter your card details on the page I text you."),
    ("me", "Okay."),
    ("them", "Once you've paid you'll get a security code by text, read it back to me to confirm."),
]
ASK_TURN = 5


def as_messages(turns: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"role": role, "content": text} for role, text in turns]


def test_a_genuine_bank_fraud_call_stays_below_the_line_throughout(engine):
    result = engine.score_conversation(as_messages(GENUINE_BANK_FRAUD_CALL))
    assert len(result["turn_scores"]) == len(GENUINE_BANK_FRAUD_CALL)
    assert max(result["turn_scores"]) < FLAG_THRESHOLD, result
    assert result["first_flag_turn"] is None


def test_a_parcel_script_crosses_the_line_once_the_ask_comes(engine):
    result = engine.score_conversation(as_messages(PARCEL_SCRIPT))
    assert max(result["turn_scores"][: ASK_TURN - 1]) < FLAG_THRESHOLD, result
    assert result["first_flag_turn"] == ASK_TURN, result
    assert result["scam_probability"] == result["turn_scores"][-1] >= FLAG_THRESHOLD


def test_your_own_replies_leave_the_score_where_it_was_and_get_no_own_score(engine):
    result = engine.score_conversation(as_messages(PARCEL_SCRIPT))
    for position, (role, _) in enumerate(PARCEL_SCRIPT[1:], start=1):
        if role == "me":
            assert result["turn_scores"][position] == result["turn_scores"][position - 1]
            assert result["message_scores"][position] is None
        else:
            assert 0.0 <= result["message_scores"][position] <= 1.0


def test_role_aliases_mean_the_same_sides(engine):
    them_me = engine.score_conversation(as_messages(PARCEL_SCRIPT))
    for them, me in (("scammer", "victim"), ("assistant", "user"), ("caller", "receiver")):
        renamed = [{"role": them if role == "them" else me, "content": text} for role, text in PARCEL_SCRIPT]
        assert engine.score_conversation(renamed) == them_me


@pytest.mark.parametrize(
    ("messages", "message"),
    [
        ([{"role": "narrator", "content": "hi"}], "unknown role 'narrator'"),
        ([{"role": "them", "content": "   "}], "Message 1: The message is empty"),
        ([{"role": "them", "content": "hi"}] * (MAX_MESSAGES + 1), f"the limit is {MAX_MESSAGES}"),
    ],
)
def test_bad_conversations_get_a_message_naming_the_fix(engine, messages, message):
    with pytest.raises(ValueError, match=message):
        engine.score_conversation(messages)


def test_filler_words_and_unpunctuated_transcripts_are_cut_into_sentences():
    assert sentence_chunks("Um, hello. Uh this is Tom! Can you, erm, read me the code?") == [
        "hello.", "this is Tom!", "Can you, read me the code?"]
    assert [len(chunk.split()) for chunk in sentence_chunks(" ".join(["word"] * 70), words_per_chunk=30)] == [30, 30, 10]


# --- the dialogue generator -----------------------------------------------------------------------------


def test_whole_scripts_are_held_out_and_the_generator_is_seeded():
    assert VALIDATION_SCRIPTS <= {script.id for script in SCRIPTS}
    train = generate_dialogues(60, "train", seed=3)
    assert not {d.script_id for d in train} & VALIDATION_SCRIPTS
    assert {d.script_id for d in generate_dialogues(60, "validation", seed=3)} <= VALIDATION_SCRIPTS
    assert generate_dialogues(10, "train", seed=3) == train[:10]
    assert sum(d.is_scam for d in train) == 30
    for dialogue in train:  # every scam dialogue gives itself away somewhere; a genuine one never does
        assert any(turn.tell for turn in dialogue.turns) == dialogue.is_scam


# --- the pasted-chat parser -----------------------------------------------------------------------------


def test_them_and_me_lines_with_continuations():
    pasted = "Them: Hi, your parcel is held.\nIt needs a fee.\nme: What fee?\nTHEM: £1.45, pay here."
    assert parse_pasted_chat(pasted) == [
        {"role": "them", "content": "Hi, your parcel is held. It needs a fee."},
        {"role": "me", "content": "What fee?"},
        {"role": "them", "content": "£1.45, pay here."},
    ]


def test_a_whatsapp_export_with_names_times_and_notices():
    pasted = (
        "12/03/2024, 14:05 - Messages and calls are end-to-end encrypted.\n"
        "[12/03/2024, 14:05:33] +44 7700 900123: Hi Mum, this is my new number\n"
        "[12/03/2024, 14:06:10] Ann: Who is this?\n"
        "[3/12/24, 2:07 PM] +44 7700 900123: It's me! Can you pay a bill for me?"
    )
    messages = parse_pasted_chat(pasted)
    assert [m["role"] for m in messages] == ["them", "me", "them"]
    assert messages[2]["content"] == "It's me! Can you pay a bill for me?"
    assert [m["role"] for m in parse_pasted_chat(pasted, me_name="+44 7700 900123")] == ["me", "them", "me"]


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("", "The chat is empty"),
        ("  \n\n ", "The chat is empty"),
        ("Them: pay now\nThem: or else", r"only one speaker \(them\)"),
        ("hello there", "The first line has no speaker"),
        ("Them: hi\nMe: hello\n" * 2500, f"5,000 lines; the limit is {MAX_CHAT_LINES:,} lines"),
    ],
)
def test_bad_pastes_get_a_clear_message(pasted, message):
    with pytest.raises(ValueError, match=message):
        parse_pasted_chat(pasted)


# --- the command line -----------------------------------------------------------------------------------


def test_score_conversation_command(tmp_path, capsys, engine):
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"turns": [{"speaker": s, "text": t} for s, t in PARCEL_SCRIPT]}))
    assert cli.main(["score-conversation", str(path)]) == 0
    assert json.loads(capsys.readouterr().out) == engine.score_conversation(as_messages(PARCEL_SCRIPT))


def test_evaluate_conversations_command_reads_caller_and_receiver(tmp_path, capsys, engine):
    tags = {"them": "caller", "me": "receiver"}
    lines = [
        {"label": label, "turns": [{"speaker": tags[s], "text": t} for s, t in turns]}
        for label, turns in (("non-scam", GENUINE_BANK_FRAUD_CALL), ("scam", PARCEL_SCRIPT))
    ]
    path = tmp_path / "dialogues.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    assert cli.main(["evaluate-conversations", "--data", str(path)]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["auc"] == 1.0
    assert (figures["genuine_flagged"], figures["scams_flagged"]) == (0.0, 1.0)
    assert figures["median_first_flag_turn"] == ASK_TURN and figures["median_first_flag_their_message"] == 3


def test_evaluate_conversations_rejects_a_bad_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"label": "maybe", "turns": []}\n')
    assert cli.main(["evaluate-conversations", "--data", str(path)]) == 2
    assert "Line 1: unknown label 'maybe'" in capsys.readouterr().err


@pytest.mark.slow
def test_held_out_scripts_meet_the_bar(engine):
    """Dialogues from scripts never trained on: few genuine calls flagged, most scams, early enough."""
    from scamlab.engine.conversation import normalize_messages
    from scamlab.engine.conversation_build import conversation_metrics

    dialogues = generate_dialogues(200, "validation", seed=1)
    turns = [d.as_record()["turns"] for d in dialogues]
    results = [engine.score_conversation(t) for t in turns]
    figures = conversation_metrics([d.is_scam for d in dialogues], results, [[r for r, _ in normalize_messages(t)] for t in turns])
    assert figures["auc"] >= 0.95 and figures["genuine_flagged"] <= 0.05 and figures["scams_flagged"] >= 0.95, figures
    assert figures["median_first_flag_their_message"] <= 3, figures


# Each move in words of its own (not the dialogue scripts'), beside a genuine sentence that shares its topic.
CUE_CASES = [
    ("asks_secret", "Just fill in your card details on the form and we'll sort it.", "Your card details are safe with us."),
    ("collects_card", "A courier will come by this afternoon to take the card away.", "The courier left your parcel with a neighbour."),
    ("collects_card", "We'll send someone to collect your card and PIN.", "You can collect your parcel at the depot."),
    ("threat", "Your pension will be closed permanently unless you act.", "Your old card will stop working next week."),
    ("threat", "You could lose all your savings tonight.", "We stopped the payment, so you haven't lost anything."),
]


@pytest.mark.parametrize("cue_id, scam_sentence, genuine_sentence", CUE_CASES)
def test_each_move_fires_on_its_case_and_stays_quiet_on_a_genuine_twin(cue_id, scam_sentence, genuine_sentence):
    column = [cue for cue, _ in CONVERSATION_CUES].index(cue_id)
    assert cue_vector(scam_sentence)[column] == 1.0
    assert cue_vector(genuine_sentence)[column] == 0.0


# --- the API --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_score_conversation_endpoint_through_the_client(running_app, engine):
    from gradio_client import Client

    client = Client(running_app.url, verbose=False)
    assert "/score_conversation" in client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    messages = as_messages(PARCEL_SCRIPT)
    assert client.predict(messages, api_name="/score_conversation") == engine.score_conversation(messages)
    with pytest.raises(Exception, match="unknown role"):
        client.predict([{"role": "narrator", "content": "hi"}], api_name="/score_conversation")
