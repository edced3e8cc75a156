"""Link and text signals (each fires on its case, stays quiet on a genuine twin) and their combination."""

from __future__ import annotations

import random

import pytest

from scamlab.engine.evidence import (
    FEATURE_NAMES,
    EvidenceModel,
    evidence_features,
    feature_matrix,
    find_links,
    fit_evidence_model,
    link_shape,
)

# (signal, a message where it must fire, its genuine twin where it must stay quiet)
SIGNAL_TWINS = [
    ("link", "Your parcel is waiting: evri.com/track", "Your parcel is waiting at the depot"),
    ("shortener", "Your parcel is held, pay the fee at bit.ly/3xYzAb", "Your parcel is out for delivery: https://www.royalmail.com/track"),
    ("ip_host", "Verify your account: http://185.23.44.12/login", "Sign in at https://www.barclays.co.uk/login"),
    ("brand_lookalike", "PayPal: confirm your details at paypa1.com/login", "PayPal: view the payment at paypal.com/activity"),
    ("brand_lookalike", "Royal Mail: pay at royalmail.redelivery-fee.top/x", "Royal Mail: track at royalmail.com/track-your-item"),
    ("brand_lookalike", "Your Netf1ix payment failed: netf1ix-billing.com", "Your Netflix payment went through: netflix.com/account"),
    ("brand_domain", "Your Amazon order has shipped: https://www.amazon.co.uk/orders", "Your order has shipped: https://amaz0n-orders.shop/x"),
    ("punycode", "Apple ID locked: https://xn--pple-43d.com/verify", "Apple ID: manage it at https://appleid.apple.com"),
    ("risky_tld", "SYSTEM FAILURE: malicious files found. Clean now: cleanphone.top", "Our new shop is open: cleanphone.co.uk"),
    ("random_path", "Claim: https://gift-center.com/c/8fK2mQz9xL4pR7vB2", "Details: https://www.bbc.co.uk/news"),
    ("odd_host", "Your account has been disabled. Visit https://user-b0fa-portal.com to reactivate", "Read it at https://www.theguardian.com"),
    ("obfuscation", "Yo.ur invoi.ce is ready", "Your invoice is ready"),
    ("obfuscation", "Your a\u200bcc\u200bount is locked", "Your account is locked"),
    ("obfuscation", "Your \u0430pple ID is locked", "Your Apple ID is locked"),
    ("obfuscation", "v e r i f y your card today", "verify your card today"),
    ("phone", "Your card is blocked, call 0800 123 4567 now", "Your card is blocked, call the number on the back of your card"),
    ("code_request", "Hi sorry I sent you a code by mistake, can you send it back to me?", "123456 is your code. Don't share it with anyone."),
    ("code_warning", "123456 is your code. Don't share it with anyone.", "Send me the 6 digit code you just got"),
    ("names_a_scam", "Got the fake Royal Mail text again. Don't click it, they're phishing.",
     "Royal Mail: your parcel is held. Pay the fee at royalmail-fee.top today."),
]


@pytest.mark.parametrize("signal,case,twin", SIGNAL_TWINS, ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(SIGNAL_TWINS)])
def test_signal_fires_on_its_case_and_stays_quiet_on_the_genuine_twin(signal, case, twin):
    assert evidence_features(case)[signal] > 0, case
    assert evidence_features(twin)[signal] == 0, twin


def test_a_phone_number_is_not_taken_from_an_ip_address_or_an_otp():
    assert evidence_features("http://185.23.44.12/login")["phone"] == 0
    assert evidence_features("Your code is 483921")["phone"] == 0


def test_links_are_found_with_and_without_a_scheme_but_not_in_abbreviations():
    assert find_links("see https://a.example.com/x and bit.ly/abc and 10.0.0.1/admin") == [
        "10.0.0.1/admin", "https://a.example.com/x", "bit.ly/abc"]
    assert find_links("e.g. this, i.e. that, Yo.ur invoi.ce, 3.50 each") == []


def test_a_brand_on_its_own_domain_with_a_subdomain_is_genuine():
    shape = link_shape("https://accounts.google.com/signin")
    assert shape.brand_domain and not shape.brand_lookalike and not shape.odd_host


def _toy_data(rng: random.Random) -> tuple[list[str], list[bool], list[float]]:
    """Messages whose label follows the link's shape while the encoder only half knows."""
    scams = ["Hello, see paypa1-secure.top/{}", "Hello, see netf1ix-account.top/{}", "Hello, see amaz0n-login.top/{}"]
    genuine = ["Hello, see https://www.paypal.com/{}", "Hello, see https://www.netflix.com/{}", "Hello, see amazon.com/{}"]
    texts, labels, encoder = [], [], []
    for i in range(300):
        spam = i % 2 == 0
        texts.append(rng.choice(scams if spam else genuine).format(rng.randint(10, 99)))
        labels.append(spam)
        encoder.append(min(max(rng.gauss(0.6 if spam else 0.4, 0.2), 0.01), 0.99))
    return texts, labels, encoder


def test_the_fitted_model_trusts_link_evidence_and_names_it():
    texts, labels, encoder = _toy_data(random.Random(0))
    model = fit_evidence_model(feature_matrix(texts, encoder, [0.0] * len(texts)), labels)
    probability, why = model.assess("PayPal: see paypa1-secure.top/x", 0.5, 0.0)
    assert probability > 0.8
    assert why["main_evidence"] in {"the link imitates a known brand's domain", "the link uses a cheap new domain ending",
                                    "the link's host is made of login words or random letters"}
    assert why["evidence"][0]["says"] == why["main_evidence"] and why["evidence"][0]["weight"] > 0
    safe, why_safe = model.assess("Hello, see https://www.paypal.com/activity", 0.5, 0.0)
    assert safe < 0.2 and why_safe["main_evidence"] == "the link is on the brand's real domain"


def test_the_evidence_model_round_trips_and_refuses_other_signals():
    model = EvidenceModel(tuple(float(i) for i in range(len(FEATURE_NAMES))), -1.0)
    assert EvidenceModel.from_dict(model.to_dict()) == model
    changed = {**model.to_dict(), "features": list(FEATURE_NAMES[:-1])}
    with pytest.raises(ValueError, match="rebuild"):
        EvidenceModel.from_dict(changed)


def test_a_classifier_with_an_evidence_model_names_its_main_evidence_in_every_result(tmp_path):
    """A small real model folder carrying a fitted evidence model, loaded by the engine like any other."""
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from scamlab.config import load_settings
    from scamlab.engine import Engine, bundled

    texts, labels, encoder = _toy_data(random.Random(1))
    evidence = fit_evidence_model(feature_matrix(texts, encoder, [0.0] * len(texts)), labels)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                        num_labels=2, id2label={0: "not_spam", 1: "spam"}, label2id={"not_spam": 0, "spam": 1})
    config.scamlab_evidence = evidence.to_dict()
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    AutoTokenizer.from_pretrained(bundled.encoder_dir()).save_pretrained(tmp_path)

    engine = Engine(load_settings({"SCAMLAB_CLASSIFIER_MODEL": str(tmp_path)}, dotenv_path=None))
    scam, genuine = engine.batch_classify(["Hello, see paypa1-secure.top/login", "Hello, see https://www.paypal.com/activity"])
    assert scam["classification"] == "spam" and genuine["classification"] == "not_spam"
    assert scam["main_evidence"] == scam["evidence"][0]["says"]
    assert "link" in scam["main_evidence"] and genuine["main_evidence"] == "the link is on the brand's real domain"
    assert engine.classify_spam("Hello, see paypa1-secure.top/login") == scam


def test_the_ngram_model_learns_spellings_and_round_trips(tmp_path):
    from scamlab.engine.evaluation import LabelledMessage
    from scamlab.engine.ngrams import NgramModel, fit_ngram_model

    rng = random.Random(2)
    spam = ["Txt WIN to 8{} now, claim ur £{}00 prize", "U have won a £{}000 cash award, call 09{} now"]
    ham = ["See you at {} after the match, bring the {} chairs", "Mum says dinner at {} and the dog needs {} walks"]
    messages = [LabelledMessage(rng.choice(spam if i % 2 else ham).format(rng.randint(1, 9), rng.randint(2, 7)), bool(i % 2))
                for i in range(200)]
    model = fit_ngram_model(messages, seed=0, epochs=3, learning_rate=0.05)
    assert model.logit("WIN a £500 prize, txt CLAIM") > 1 > -1 > model.logit("dinner after the match with mum")
    assert model.logit("zzqx vvbn") == pytest.approx(model.bias)  # nothing it has seen
    model.save(tmp_path)
    again = NgramModel.load(tmp_path)
    assert again.logit("Txt WIN to 85 now") == pytest.approx(model.logit("Txt WIN to 85 now"), abs=1e-5)


def test_a_classifier_whose_evidence_needs_a_missing_ngram_file_gives_way_to_the_bundled_one(tmp_path):
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    from scamlab.config import load_settings
    from scamlab.engine import Engine, bundled

    weights = tuple(1.0 if name == "ngrams" else 0.0 for name in FEATURE_NAMES)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32,
                        num_labels=2, id2label={0: "not_spam", 1: "spam"}, label2id={"not_spam": 0, "spam": 1})
    config.scamlab_evidence = EvidenceModel(weights, 0.0).to_dict()
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    AutoTokenizer.from_pretrained(bundled.encoder_dir()).save_pretrained(tmp_path)

    engine = Engine(load_settings({"SCAMLAB_CLASSIFIER_MODEL": str(tmp_path)}, dotenv_path=None))
    assert engine.classify_spam("Hello, see paypa1-secure.top/login")["classification"] in ("spam", "not_spam")
    assert engine.classifier_choice is None  # the bundled classifier answers
    assert any("ngram_model.npz" in warning and "Using the bundled classifier" in warning for warning in engine.warnings)
