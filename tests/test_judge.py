"""The chat-model judge: a probability from the Yes/No answer tokens of one forward pass."""

from __future__ import annotations

import pytest
import torch

from scamlab.engine.chat import JudgeUnavailable, answer_token_ids, yes_probability
from scamlab.engine.evaluation import read_labelled_csv
from scamlab.engine.judge import NO_ANSWERS, YES_ANSWERS, judge_messages, judge_spam_probability
from scamlab.engine.loading import cpu_has_bfloat16

def test_yes_probability_normalises_over_the_answer_tokens_only():
    logits = torch.full((10,), -5.0)
    logits[[1, 2]] = torch.log(torch.tensor([0.3, 0.1]))  # P(yes) = 0.4 across two spellings
    logits[3] = torch.log(torch.tensor(0.2))  # P(no) = 0.2
    logits[9] = 8.0  # a likelier token that is neither answer changes nothing
    assert yes_probability(logits, [1, 2], [3]) == pytest.approx(0.4 / 0.6)
    # Far below every other token, the ratio still holds (no underflow to 0/0).
    assert yes_probability(torch.tensor([-200.0, -201.0, 50.0]), [0], [1]) == pytest.approx(1 / (1 + torch.e**-1), rel=1e-5)


def test_prompt_holds_the_message_and_the_question():
    system, user = judge_messages("Pay now at [LINK]")
    assert system["role"] == "system" and user["role"] == "user"
    assert "Pay now at [LINK]" in user["content"]
    assert user["content"].endswith("Is this message a scam? Answer Yes or No.")


def test_a_vocabulary_without_one_token_answers_cannot_judge():
    assert answer_token_ids({"Yes": [7], " Yes": [3, 4], "No": [9]}.get, ("Yes", " Yes"), ("No",)) == ([7], [9])
    with pytest.raises(JudgeUnavailable, match="no single token for Yes or No"):
        answer_token_ids(lambda word: [1, 2], YES_ANSWERS, NO_ANSWERS)  # every spelling takes two tokens


def test_any_backend_is_asked_for_its_answer_probability():
    class Remote:
        def answer_probability(self, messages, yes, no):
            self.asked = (messages[-1]["content"], yes, no)
            return 0.8

    remote = Remote()
    assert judge_spam_probability(remote, "Win a prize") == 0.8  # type: ignore[arg-type]
    assert "Win a prize" in remote.asked[0] and "Yes" in remote.asked[1] and "No" in remote.asked[2]


@pytest.fixture(scope="module")
def backend(engine):
    from scamlab.engine.chat import LocalChatBackend

    chat = engine.chat_backend()
    if not isinstance(chat, LocalChatBackend):
        pytest.skip("the configured chat model is remote")
    return chat


def test_answer_tokens_are_yes_and_no(backend):
    tokenizer = backend.loaded.tokenizer
    yes, no = answer_token_ids(lambda word: tokenizer.encode(word, add_special_tokens=False), YES_ANSWERS, NO_ANSWERS)
    decode = backend.loaded.tokenizer.decode
    assert {decode([i]).strip().lower() for i in yes} == {"yes"}
    assert {decode([i]).strip().lower() for i in no} == {"no"}


def test_judge_gives_a_probability_and_refuses_empty_text(backend):
    probability = judge_spam_probability(backend, "You have won a prize, click [LINK]")
    assert isinstance(probability, float) and 0.0 < probability < 1.0
    with pytest.raises(ValueError, match="empty"):
        judge_spam_probability(backend, "   ")


def test_spam_scores_higher_than_ham_on_held_out_sms(engine, backend):
    # The 135M judge is weak: hand-written pairs fail ("see you at 6" outscores blatant prize scams), so this
    # asserts on averages over the first 12 spam and 12 ham of the held-out split (measured: 0.34 vs 0.25).
    heldout = read_labelled_csv(engine.bundled_classifier_dir() / "heldout_sms.csv")
    spam = [judge_spam_probability(backend, m.text) for m in [m for m in heldout if m.is_spam][:12]]
    ham = [judge_spam_probability(backend, m.text) for m in [m for m in heldout if not m.is_spam][:12]]
    pairs_ranked_right = sum(s > h for s in spam for h in ham) / (len(spam) * len(ham))
    assert sum(spam) / len(spam) > sum(ham) / len(ham) + 0.03, (spam, ham)
    # The AUC of this small set: 0.94 measured with bfloat16 Linear weights, 0.75 in float32 (a CPU without native
    # bfloat16, 2026-12-07): the 135M judge's ranking is that fragile.
    assert pairs_ranked_right > (0.75 if cpu_has_bfloat16() else 0.7)
