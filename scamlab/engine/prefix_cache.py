"""Keys and values of prompt beginnings that later prompts repeat: the scene, the conversation so far.

A class's replies share long prompt beginnings: every student in one scenario gets the same scene text, and a
student's next turn starts with the conversation of the last one. The scheduler keeps the model's keys and
values for such beginnings (only the part a caller marks as shareable: never a prompt's newest message, which
nobody else has) and prefills only the rest of a prompt that starts the same way.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import torch
from transformers import DynamicCache

from scamlab.engine.decode_batch import ROOM_TOKENS, PreallocatedLayer, cache_of, kv_cache


@dataclass(frozen=True)
class PrefixHit:
    """The first `length` tokens of a prompt, already computed: `stacked[layer, 0 or 1]` holds their keys or
    values, (heads, tokens, dim)."""

    length: int
    stacked: torch.Tensor


def common_length(first: tuple[int, ...], second: list[int]) -> int:
    """How many tokens two sequences share from their start."""
    length = 0
    for a, b in zip(first, second):
        if a != b:
            break
        length += 1
    return length


class PrefixCache:
    """Least-recently-used prompt beginnings, at most `max_tokens` tokens in all; a hit must share at least
    `min_tokens` with a kept beginning (shorter ones are cheaper to compute again than to look up and pad)."""

    def __init__(self, max_tokens: int = 8192, min_tokens: int = 32) -> None:
        self.max_tokens = max_tokens
        self.min_tokens = min_tokens
        self._kept: OrderedDict[tuple[int, ...], torch.Tensor] = OrderedDict()  # ids -> (layers, 2, heads, tokens, dim)
        self.tokens_reused = 0  # prompt tokens not prefilled thanks to a hit, over the cache's life
        self.tokens_asked = 0  # prompt tokens looked up

    @property
    def tokens_kept(self) -> int:
        """Tokens whose keys and values are kept now."""
        return sum(len(ids) for ids in self._kept)

    def _best(self, prompt_ids: list[int]) -> tuple[tuple[int, ...] | None, int]:
        """The kept beginning sharing the most with `prompt_ids` but its last token, and how much it shares
        (None, 0 below `min_tokens`). The last token is always computed: its logits choose the first new token."""
        best, length = None, 0
        for ids in self._kept:
            shared = common_length(ids, prompt_ids[:-1])
            if shared > length:
                best, length = ids, shared
        return (best, length) if length >= self.min_tokens else (None, 0)

    def reusable_length(self, prompt_ids: list[int]) -> int:
        """How many of the prompt's first tokens `longest` would give now (0: none); counts nothing."""
        return self._best(prompt_ids)[1]

    def longest(self, prompt_ids: list[int]) -> PrefixHit | None:
        """The longest kept beginning of `prompt_ids` (cut to what they share), or None (see `_best`)."""
        self.tokens_asked += len(prompt_ids)
        best, length = self._best(prompt_ids)
        if best is None:
            return None
        self._kept.move_to_end(best)
        self.tokens_reused += length
        return PrefixHit(length, self._kept[best][:, :, :, :length])

    def keep(self, ids: list[int], stacked: torch.Tensor) -> None:
        """Keep the keys and values of `ids`, `stacked` as in `PrefixHit` (exactly these tokens); a kept
        beginning of `ids` is dropped, as the new entry covers it. Oldest entries go first when over `max_tokens`."""
        if len(ids) < self.min_tokens or len(ids) > self.max_tokens:
            return
        key = tuple(ids)
        for kept in [kept for kept in self._kept if len(kept) <= len(key) and key[:len(kept)] == kept]:
            del self._kept[kept]
        self._kept[key] = stacked
        total = self.tokens_kept
        while total > self.max_tokens:
            oldest, _ = self._kept.popitem(last=False)
            total -= len(oldest)

    def covers(self, ids: list[int]) -> bool:
        """Whether a kept beginning already holds all of `ids`."""
        return any(len(kept) >= len(ids) and kept[:len(ids)] == tuple(ids) for kept in self._kept)


def kept_beginnings(hits: list[PrefixHit | None], length: int, then: int = 0) -> DynamicCache:
    """A cache of the hits' keys and values, one row per prompt, left padded to `length` (empty at 0), in buffers
    with room for `then` more tokens (the rest of the prompts, written in place by the prefill) and a decode's
    spare room. One tensor for all layers, one copy per hit: a copy per layer and row was 0.3 s for 16 rows
    under load."""
    if not length:
        return kv_cache()
    template = next(hit for hit in hits if hit is not None).stacked
    layers, _, heads, _, dim = template.shape
    cache = template.new_empty((layers, 2, len(hits), heads, length + then + ROOM_TOKENS, dim))
    for row, hit in enumerate(hits):
        start = length - (hit.length if hit is not None else 0)
        cache[:, :, row, :, :start] = 0  # masked
        if hit is not None:
            cache[:, :, row, :, start:length] = hit.stacked
    return cache_of(PreallocatedLayer.holding(cache[layer, 0], cache[layer, 1], length) for layer in range(layers))
