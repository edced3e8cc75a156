"""The modern message generator: seeded, split by template, both labels on every channel, varied."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from scamlab.corpus import CHANNELS, all_groups, generate_corpus, scam_link, split_corpus
from scamlab.corpus_tables import BRANDS


@pytest.fixture(scope="module")
def corpus():
    return generate_corpus(total=8000, seed=3)


def test_same_seed_gives_the_same_messages_and_another_seed_does_not(corpus):
    assert generate_corpus(total=8000, seed=3) == corpus
    other = generate_corpus(total=8000, seed=4)
    assert len({m.text for m in other} & {m.text for m in corpus}) < len(corpus) * 0.5


def test_no_validation_template_appears_in_train(corpus):
    train, validation = split_corpus(corpus)
    train_templates = {m.template_id for m in train}
    validation_templates = {m.template_id for m in validation}
    assert validation_templates and not train_templates & validation_templates
    assert 0.1 < len(validation) / len(corpus) < 0.35


def test_every_family_keeps_templates_in_train_and_holds_some_out(corpus):
    by_family = Counter((m.family, m.split) for m in corpus)
    for group in all_groups():
        assert by_family[(group.family, "train")] > 0, group.family
        if len(group.templates) >= 3:
            assert by_family[(group.family, "validation")] > 0, group.family


@pytest.mark.parametrize("channel", CHANNELS)
def test_both_labels_on_every_channel_in_both_splits(corpus, channel):
    labels = {(m.is_spam, m.split) for m in corpus if m.channel == channel}
    assert labels == {(True, "train"), (False, "train"), (True, "validation"), (False, "validation")}


def test_tens_of_thousands_of_distinct_messages_by_default():
    messages = generate_corpus()
    assert len(messages) >= 20000
    assert len({m.text for m in messages}) == len(messages)
    assert all("{" not in m.text and "}" not in m.text for m in messages)


def test_scam_links_use_every_style_and_never_the_real_domain():
    rng = random.Random(0)
    brand = next(b for b in BRANDS if b.name == "PayPal")
    links = [scam_link(rng, brand) for _ in range(400)]
    assert any(link.split("//")[-1][0].isdigit() for link in links)  # raw IP
    assert any("xn--" in link for link in links)  # punycode
    assert any(link.split("//")[-1].startswith(("bit.ly", "tinyurl.com", "cutt.ly", "is.gd", "t.ly")) for link in links)
    assert any("paypal." in link and not link.split("//")[-1].startswith("paypal.com/") for link in links)  # brand in subdomain
    assert all(not link.split("//")[-1].startswith(("paypal.com/", "www.paypal.com/")) for link in links)


def test_scams_are_sometimes_obfuscated_and_genuine_messages_never_are(corpus):
    def disguised(text: str) -> bool:
        return any(ch in text for ch in "\u200b\u200c\u200d\u2060") or any("\u0400" <= ch <= "\u04ff" for ch in text)

    assert sum(disguised(m.text) for m in corpus if m.is_spam) > 50
    assert not any(disguised(m.text) for m in corpus if not m.is_spam)


def test_genuine_look_alikes_are_present(corpus):
    genuine = [m.text.lower() for m in corpus if not m.is_spam]
    assert any("share" in t and "code" in t for t in genuine)  # one-time codes
    assert any("never ask" in t for t in genuine)  # bank alerts
    assert sum("http" in t for t in genuine) > 200  # genuine links
