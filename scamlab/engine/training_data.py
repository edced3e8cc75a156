"""The data of a classifier build: the UCI collection, the written modern file, the generated corpus, and how
they are split so that nothing held out is ever trained on."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scamlab.engine import bundled
from scamlab.engine.evaluation import LabelledMessage, read_labelled_csv

if TYPE_CHECKING:
    from scamlab.engine.training import ModernTrainingConfig

MODERN_MESSAGES_CSV = Path(__file__).resolve().parent.parent / "data" / "modern_messages.csv"
MODERN_EVAL_CSV = MODERN_MESSAGES_CSV.with_name("modern_eval.csv")
VALIDATION_CSV = "validation.csv"  # saved beside the model: what it was stopped, calibrated and combined on
VALIDATION_SOURCES = ("generated, held-out templates", "UCI SMS, calibration part")


def read_sms_collection(path: Path | None = None) -> list[LabelledMessage]:
    """The bundled SMS Spam Collection (`label<TAB>text` lines)."""
    messages = []
    for line in (path or bundled.sms_collection_path()).read_text(encoding="utf-8", errors="replace").splitlines():
        label, _, text = line.partition("\t")
        if text.strip() and label in ("spam", "ham"):
            messages.append(LabelledMessage(text.strip(), label == "spam"))
    return messages


def split_heldout(messages: Sequence[LabelledMessage], fraction: float, seed: int) -> tuple[list, list]:
    """A stratified, seeded split into (train, held-out)."""
    rng = random.Random(seed)
    train, heldout = [], []
    for label in (True, False):
        group = [m for m in messages if m.is_spam == label]
        rng.shuffle(group)
        cut = round(len(group) * fraction)
        heldout += group[:cut]
        train += group[cut:]
    return train, heldout


@dataclass(frozen=True)
class TrainingSets:
    """What one build trains on, stops and calibrates on, and reports on."""

    train: list[LabelledMessage]
    sms_ham_left_out: list[LabelledMessage]  # UCI training ham beyond the encoder's share: the n-gram model reads it
    modern_validation: list[LabelledMessage]
    sms_calibration: list[LabelledMessage]
    sms_heldout: list[LabelledMessage]

    @property
    def validation(self) -> list[LabelledMessage]:
        return self.modern_validation + self.sms_calibration


def balanced_sample(messages: Sequence[LabelledMessage], count: int, rng: random.Random) -> list[LabelledMessage]:
    """Up to `count // 2` messages of each label, drawn with `rng`."""
    sample = []
    for label in (True, False):
        group = [m for m in messages if m.is_spam == label]
        sample += rng.sample(group, min(len(group), count // 2))
    return sample


def training_sets(config: ModernTrainingConfig) -> TrainingSets:
    """The seeded data of one build; UCI held-out and calibration parts and validation templates never train."""
    from scamlab.corpus import generate_corpus, split_corpus

    rng = random.Random(config.seed)
    # The collection repeats some texts; one copy each, so that no held-out text is also trained on.
    distinct_sms = list({m.text: m for m in read_sms_collection()}.values())
    sms_rest, sms_heldout = split_heldout(distinct_sms, config.heldout_fraction, config.seed)
    calibration_share = config.calibration_fraction / (1 - config.heldout_fraction)
    sms_train, sms_calibration = split_heldout(sms_rest, calibration_share, config.seed)
    sms_spam = [m for m in sms_train if m.is_spam]
    sms_ham = [m for m in sms_train if not m.is_spam]
    kept_ham = rng.sample(sms_ham, min(len(sms_ham), round(len(sms_spam) * config.ham_per_spam)))
    kept = {m.text for m in kept_ham}
    left_out = [m for m in sms_ham if m.text not in kept]
    corpus_train, corpus_validation = split_corpus(generate_corpus(config.corpus_total, config.corpus_seed))
    corpus_train = [LabelledMessage(m.text, m.is_spam, "generated") for m in corpus_train]
    corpus_validation = [LabelledMessage(m.text, m.is_spam, VALIDATION_SOURCES[0]) for m in corpus_validation]
    modern = read_labelled_csv(MODERN_MESSAGES_CSV) if MODERN_MESSAGES_CSV.exists() else []
    train = sms_spam + kept_ham + modern + balanced_sample(corpus_train, config.corpus_train_messages, rng)
    validation = balanced_sample(corpus_validation, config.validation_messages, rng)
    calibration = [LabelledMessage(m.text, m.is_spam, VALIDATION_SOURCES[1]) for m in sms_calibration]
    return TrainingSets(train, left_out, validation, calibration, sms_heldout)
