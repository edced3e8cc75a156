"""The public calls, importable from scamlab.engine: classify_spam, batch_classify, generate_reply, streaming stop."""

import threading

import pytest

import scamlab.engine as engine_module
from scamlab.engine import GenerationParams, ReplyRequest
from scamlab.safety import contains_contact_point

SCAM = "URGENT: your parcel is on hold. Pay the £1.99 redelivery fee now at http://evri-fee.example/pay or it will be returned."
HAM = "Hi mum, I'll be home around 6, can you save me some dinner?"


def check_result_shape(result):
    assert set(result) >= {"classification", "confidence", "probabilities"}
    assert result["classification"] in ("spam", "not_spam")
    probabilities = result["probabilities"]
    assert set(probabilities) == {"spam", "not_spam"}
    assert abs(probabilities["spam"] + probabilities["not_spam"] - 1) < 1e-5
    assert result["confidence"] == max(probabilities.values())


def test_classify_spam_separates_a_scam_from_a_family_text(engine):
    scam, ham = engine.classify_spam(SCAM), engine.classify_spam(HAM)
    check_result_shape(scam)
    check_result_shape(ham)
    assert scam["classification"] == "spam" and ham["classification"] == "not_spam"


def test_module_level_functions_use_the_shared_engine(engine, monkeypatch):
    monkeypatch.setattr(engine_module, "_default", engine)
    assert engine_module.classify_spam(SCAM) == engine.classify_spam(SCAM)
    assert engine_module.batch_classify([HAM, SCAM]) == [engine.classify_spam(HAM), engine.classify_spam(SCAM)]


def test_batch_classify_keeps_input_order_and_sorts_batches_by_length(engine, monkeypatch):
    texts = [SCAM, "ok", HAM, "See you tomorrow at the station, don't be late!", "Call me", SCAM]
    singles = [engine.classify_spam(text) for text in texts]
    classifier = engine.classifier()
    classifier._cache.clear()
    seen_batches = []
    original = classifier.preprocess
    monkeypatch.setattr(classifier, "preprocess", lambda batch: seen_batches.append(list(batch)) or original(batch))
    results = engine.batch_classify(texts, batch_size=2)
    assert [r["classification"] for r in results] == [s["classification"] for s in singles]
    for result, single in zip(results, singles):
        assert result["probabilities"]["spam"] == pytest.approx(single["probabilities"]["spam"], abs=1e-4)
    flat = [text for batch in seen_batches for text in batch]
    assert flat == sorted(set(texts), key=len)  # each distinct text once, shortest first
    seen_batches.clear()
    engine.batch_classify(texts)
    assert seen_batches == []  # answered from the LRU cache


@pytest.mark.parametrize("bad", ["", "   \n\t ", "\x00\x01", None])
def test_empty_text_is_an_error_for_its_caller_only(engine, bad):
    with pytest.raises(ValueError, match="empty|text"):
        engine.classify_spam(bad)
    ham, error, scam = engine.batch_classify([HAM, bad, SCAM])
    assert set(error) == {"error"} and ("empty" in error["error"] or "text" in error["error"])
    assert (ham, scam) == (engine.classify_spam(HAM), engine.classify_spam(SCAM))


def test_over_long_text_is_cut_with_a_notice(engine):
    result = engine.classify_spam("win a prize " * 2000)
    check_result_shape(result)
    assert "10,000" in result["notice"]


@pytest.mark.parametrize("persona, style", [("scammer", "urgent"), ("victim", "skeptical")])
def test_generate_reply_is_clean_text(engine, persona, style):
    conversation = [{"role": "user", "content": "Hello, who is this? How did you get my number?"}]
    reply = engine.generate_reply(conversation, persona, style, "bank", max_new_tokens=48, seed=3)
    assert reply.strip()
    lowered = reply.lower()
    assert not lowered.startswith(("scammer:", "victim:", "user:", "assistant:"))
    assert "<|im_" not in reply and "You are a" not in reply
    assert not contains_contact_point(reply)


def test_generate_reply_accepts_a_string_and_a_seed_makes_it_reproducible(engine):
    first = engine.generate_reply("Is this the bank?", "scammer", "neutral", "bank", max_new_tokens=24, seed=7, temperature=0.9)
    second = engine.generate_reply("Is this the bank?", "scammer", "neutral", "bank", max_new_tokens=24, seed=7, temperature=0.9)
    assert first == second and first


def test_bad_generation_settings_are_clear_errors(engine):
    with pytest.raises(ValueError, match="temperature"):
        engine.generate_reply("hi", "scammer", "neutral", temperature=5)
    with pytest.raises(ValueError, match="persona"):
        engine.generate_reply("hi", "pirate", "neutral")


def test_closing_the_stream_stops_the_model(engine):
    backend = engine.chat_backend()
    before = backend.tokens_generated
    params = GenerationParams(max_new_tokens=300, temperature=0.8, repetition_penalty=1.0)
    stream = engine.stream_reply(ReplyRequest("Tell me a very long story about your day.", "victim", "time_waster", "romance", params))
    next(stream)
    stream.close()
    produced = backend.tokens_generated - before
    assert 0 < produced < 60, produced


def test_setting_the_stop_event_stops_the_model(engine):
    backend = engine.chat_backend()
    stop = threading.Event()
    before = backend.tokens_generated
    pieces = backend.stream([{"role": "user", "content": "Count from one to five hundred in words."}], GenerationParams(max_new_tokens=300), stop)
    next(pieces)
    stop.set()
    rest = list(pieces)
    assert backend.tokens_generated - before < 60 and len(rest) < 60


def test_the_bundled_scammer_opens_with_a_written_opener_of_the_scenario(engine):
    from scamlab.scenarios import SCENARIOS

    opener = engine.generate_reply([], "scammer", "urgent", "parcel", seed=4)
    assert opener in SCENARIOS["parcel"].openers


def test_best_of_candidates_keeps_the_most_in_character_reply(engine):
    replies = ["See you at the park later!", "URGENT: your account is locked, send the code we texted to unlock it now"]
    assert engine.most_in_character("scammer", replies) == replies[1]
    assert engine.most_in_character("victim", replies) == replies[0]
    conversation = [{"role": "scammer", "content": "Your parcel is held, pay £1.45 at [LINK]"}]
    reply = engine.generate_reply(conversation, "victim", "skeptical", "parcel", seed=2, max_new_tokens=40, candidates=2)
    assert reply.strip() and not contains_contact_point(reply)


def test_a_reply_unfit_for_class_is_replaced_by_a_playbook_line(engine, monkeypatch):
    from scamlab.playbooks import VICTIM_LINES

    backend = engine.chat_backend()
    def unfit_candidates(prompt, params, count, stop=None):
        yield ["Let's talk about drugs and more, my friend."] * count

    monkeypatch.setattr(backend, "stream_candidates", unfit_candidates)
    reply = engine.generate_reply("hello", "victim", "friendly", "romance")
    assert reply in [line for lines in VICTIM_LINES["friendly"].values() for line in lines]


def test_near_copies_are_recognised():
    from scamlab.engine.reply_cleaning import is_near_copy

    assert is_near_copy("Lies about her own identity, she says hi", "Lies about her own identity, she says bye")
    assert not is_near_copy("Pay the fee now", "Who is this?")
