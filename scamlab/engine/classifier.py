"""The spam classifier: text in, the result dict (classification, confidence, probabilities) out.

Split like a transformers pipeline: `preprocess` (text -> tensors), `forward` (tensors -> logits),
`postprocess` (logits -> probabilities). Batches are sorted by length and padded per batch; repeated texts
come from an LRU cache. A bundled build carries an evidence model in its config (`scamlab_evidence`)
and an n-gram model beside it: the encoder's probability is then combined with the n-gram model's and the
message's link and text signals (`scamlab.engine.evidence`), and each result names the evidence that weighed most.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from scamlab.engine.errors import ModelLoadError
from scamlab.engine.evidence import EvidenceModel
from scamlab.engine.loading import LoadedModel
from scamlab.engine.ngrams import FILENAME as NGRAM_FILENAME
from scamlab.engine.ngrams import NgramModel
from scamlab.engine.zerogpu import gpu_task

SPAM_LABEL_NAMES = ("spam", "scam", "smishing", "phishing", "label_1", "1", "fraud")

ClassifyResult = dict[str, Any]
"""`{"classification": "spam" | "not_spam", "confidence": float, "probabilities": {"spam", "not_spam"}}`,
with `main_evidence` (a phrase) and `evidence` (a list of {signal, says, weight}) when the model has evidence."""
Assessment = tuple[float, dict[str, Any]]
"""A spam probability and the evidence behind it ({} for a model without an evidence model)."""


def spam_label_index(id2label: dict[int, str]) -> int:
    """Which output of a two-class model means spam, from its label names (our build: 1 = spam)."""
    for index, name in id2label.items():
        if str(name).strip().lower() in SPAM_LABEL_NAMES:
            return int(index)
    raise ValueError(f"Cannot tell which label means spam among {sorted(id2label.values())}.")


def result_from_probability(spam_probability: float) -> ClassifyResult:
    """The result dict (classification, confidence, probabilities) for one spam probability."""
    spam = round(float(spam_probability), 6)
    not_spam = round(1.0 - spam, 6)
    is_spam = spam >= 0.5
    return {
        "classification": "spam" if is_spam else "not_spam",
        "confidence": spam if is_spam else not_spam,
        "probabilities": {"spam": spam, "not_spam": not_spam},
    }


class SpamClassifier:
    """A sequence-classification model wrapped for spam detection, safe to share between threads."""

    def __init__(self, loaded: LoadedModel, max_length: int = 128, cache_size: int = 4096) -> None:
        self.loaded = loaded
        self.max_length = max_length
        self.spam_index = spam_label_index(loaded.model.config.id2label)
        saved_evidence = loaded.model.config.to_dict().get("scamlab_evidence")
        self.evidence_model = EvidenceModel.from_dict(saved_evidence) if saved_evidence else None
        self.ngram_model = self._saved_ngram_model(Path(loaded.model.name_or_path)) if saved_evidence else None
        self._cache: OrderedDict[str, Assessment] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def _saved_ngram_model(self, folder: Path) -> NgramModel | None:
        """The n-gram model saved beside a bundled build (a local folder); an evidence model that weighs one needs it."""
        if (folder / NGRAM_FILENAME).is_file():
            return NgramModel.load(folder)
        if self.evidence_model and self.evidence_model.weight_of("ngrams"):
            raise ModelLoadError(self.loaded.name, f"its evidence model needs {NGRAM_FILENAME}, which is not beside it.",
                                 "rebuild it with `python -m scamlab train-classifier`, or load the folder that has the file.")
        return None

    def describe(self) -> str:
        """One line for the UI."""
        return self.loaded.describe()

    def preprocess(self, texts: Sequence[str]) -> dict[str, torch.Tensor]:
        """Tokenize one batch, padded to its own longest text."""
        encoded = self.loaded.tokenizer(
            list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        return {key: value.to(self.loaded.model.device) for key, value in encoded.items()}

    @gpu_task
    def forward(self, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
        """Logits for one batch."""
        with torch.inference_mode():
            return self.loaded.model(**inputs).logits.float()

    def postprocess(self, logits: torch.Tensor) -> list[float]:
        """Spam probabilities for one batch."""
        return torch.softmax(logits, dim=-1)[:, self.spam_index].tolist()

    def assess(self, text: str, encoder_probability: float) -> Assessment:
        """The final probability of one text and its evidence, from the encoder's probability."""
        if self.evidence_model is None:
            return encoder_probability, {}
        ngram_logit = self.ngram_model.logit(text) if self.ngram_model else 0.0
        return self.evidence_model.assess(text, encoder_probability, ngram_logit)

    def spam_probabilities(self, texts: Sequence[str], batch_size: int = 16) -> list[float]:
        """Spam probability of each text, in input order; texts must already be checked."""
        return [probability for probability, _ in self.assessments(texts, batch_size)]

    def assessments(
        self,
        texts: Sequence[str],
        batch_size: int = 16,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Assessment]:
        """Spam probability and evidence of each text, in input order; texts must already be checked."""
        with self._lock:
            known = {text: self._cache[text] for text in set(texts) if text in self._cache}
            for text in known:
                self._cache.move_to_end(text)
        missing = sorted(set(texts) - known.keys(), key=len)
        for start in range(0, len(missing), max(1, batch_size)):
            batch = missing[start : start + batch_size]
            encoder = self.postprocess(self.forward(self.preprocess(batch)))
            known.update((text, self.assess(text, probability)) for text, probability in zip(batch, encoder))
            if progress:
                progress(min(start + batch_size, len(missing)), len(missing))
        with self._lock:
            for text in missing:
                self._cache[text] = known[text]
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return [known[text] for text in texts]
