"""Sentence embeddings from the bundled MiniLM encoder: how close two messages are in meaning.

The role-play uses them to recognise the other side's move (nearest intent example) and to rank the model's
candidate replies against the playbook's lines. Mean pooling over tokens, L2-normalised (as all-MiniLM-L6-v2
was trained), so a dot product is the cosine similarity.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import torch

from scamlab.engine.loading import LoadedModel
from scamlab.engine.zerogpu import gpu_task


class SentenceEncoder:
    """Embeds short texts; repeated texts (the playbook's examples) come from an LRU cache."""

    def __init__(self, loaded: LoadedModel, max_length: int = 64, cache_size: int = 8192) -> None:
        self.loaded = loaded
        self.max_length = max_length
        self._cache: OrderedDict[str, torch.Tensor] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @gpu_task
    def _forward(self, texts: list[str]) -> torch.Tensor:
        tokenizer, model = self.loaded.tokenizer, self.loaded.model
        encoded = tokenizer(texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
        encoded = {key: value.to(model.device) for key, value in encoded.items()}
        with torch.inference_mode():
            hidden = model(**encoded).last_hidden_state.float()
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return torch.nn.functional.normalize(pooled, dim=-1).cpu()

    def embed(self, texts: Sequence[str]) -> torch.Tensor:
        """One unit vector per text, in input order (shape: len(texts) x 384)."""
        with self._lock:
            missing = sorted({text for text in texts if text not in self._cache}, key=len)
        if missing:
            vectors = self._forward(missing)
            with self._lock:
                for text, vector in zip(missing, vectors):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            return torch.stack([self._cache[text] for text in texts]) if texts else torch.zeros(0, 384)

    def similarity(self, texts: Sequence[str], references: Sequence[str]) -> torch.Tensor:
        """Cosine similarity of each text (rows) to each reference (columns)."""
        return self.embed(texts) @ self.embed(references).T
