"""The scheduler's running batch as tensors: merge a joining batch in, keep some rows, choose next tokens.

Rows are left-padded: one attention mask marks the real tokens, and each row's position is the number of real
tokens before it, so rows of different lengths share one key/value cache.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer

from scamlab.engine.sequence_streams import SequenceStream


class SamplingSettings(Protocol):
    """What the scheduler reads from a request's settings (`GenerationParams` has these)."""

    max_new_tokens: int
    temperature: float
    top_p: float
    repetition_penalty: float
    seed: int | None


@dataclass
class Row:
    """The worker's side of one sequence: sampling state and incremental detokenization offsets."""

    stream: SequenceStream
    params: SamplingSettings
    generator: torch.Generator
    requester: str | None = None  # who asked (the scheduler's fair share)
    finished: bool = False  # ended; the row waits in the batch, unused, until the batch is compacted
    prefix_offset: int = 0
    read_offset: int = 0


@dataclass
class DecodeBatch:
    """The running batch: cache rows, their attention mask, the next input token and tokens seen, per row."""

    cache: DynamicCache
    mask: torch.Tensor  # (rows, cached length): 1 where the cache holds a real token
    next_tokens: torch.Tensor  # (rows,): sampled, not yet fed to the model
    seen: torch.Tensor  # (rows, vocabulary) bool: tokens of prompt and reply, for the repetition penalty
    rows: list[Row] = field(default_factory=list)


ROOM_TOKENS = 64  # a layer's buffer leaves room for this many more tokens when it (re)allocates


class PreallocatedLayer(DynamicLayer):
    """A cache layer whose keys and values are views of buffers with room to grow: a decode step writes its
    token in place. transformers' `DynamicLayer` copies the whole layer to append one token (`torch.cat`):
    at 30 rows of 250 tokens a step took 110-125 ms that way and 90-108 ms in place (45 rows: 150-160 ms
    against 115-130 ms), with the same tokens out."""

    def lazy_initialization(self, key_states: torch.Tensor, value_states: torch.Tensor) -> None:
        super().lazy_initialization(key_states, value_states)
        self._buffers: tuple[torch.Tensor, torch.Tensor] | None = None

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args: Any, **kwargs: Any) -> tuple[torch.Tensor, torch.Tensor]:
        """Append the new keys and values (in place when they fit) and return all of them."""
        if not self.is_initialized:
            self.lazy_initialization(key_states, value_states)
        length = self.get_seq_length()
        end = length + key_states.shape[-2]
        buffers = self._buffers
        # A view of our buffer unless something replaced `keys` (`batch_select_indices`, ...): then start anew.
        if buffers is None or end > buffers[0].shape[-2] or self.keys.data_ptr() != buffers[0].data_ptr() \
                or self.keys.shape[0] != buffers[0].shape[0]:
            buffers = tuple(self._grown(old, new, length, end) for old, new in ((self.keys, key_states), (self.values, value_states)))
            self._buffers = buffers
        buffers[0][:, :, length:end] = key_states
        buffers[1][:, :, length:end] = value_states
        self.keys, self.values = buffers[0][:, :, :end], buffers[1][:, :, :end]
        return self.keys, self.values

    @staticmethod
    def _grown(old: torch.Tensor, new: torch.Tensor, length: int, end: int) -> torch.Tensor:
        """A buffer for `end` tokens and room to spare, holding the first `length` of `old`."""
        buffer = new.new_empty((*new.shape[:-2], end + ROOM_TOKENS, new.shape[-1]))
        if length:
            buffer[:, :, :length] = old
        return buffer

    @classmethod
    def holding(cls, keys: torch.Tensor, values: torch.Tensor, length: int) -> PreallocatedLayer:
        """A layer of the first `length` tokens of the buffers `keys` and `values`, taken as they are (not copied)."""
        layer = cls()
        layer.lazy_initialization(keys, values)
        layer._buffers = (keys, values)
        layer.keys, layer.values = keys[:, :, :length], values[:, :, :length]
        return layer


def _buffer_like(tensor: torch.Tensor, rows: int, length: int) -> torch.Tensor:
    """An uninitialized buffer of `rows` rows for `length` tokens and room to spare, shaped like `tensor`'s layer."""
    return tensor.new_empty((rows, tensor.shape[1], length + ROOM_TOKENS, tensor.shape[-1]))


def kv_cache(layers: Iterable[tuple[torch.Tensor, torch.Tensor]] = ()) -> DynamicCache:
    """A key/value cache of `PreallocatedLayer`s holding `layers` (per layer: keys, values), or empty."""
    cache = DynamicCache()
    cache.layer_class_to_replicate = PreallocatedLayer
    for index, (keys, values) in enumerate(layers):
        cache.update(keys, values, index)
    return cache


def cache_of(layers: Iterable[PreallocatedLayer]) -> DynamicCache:
    """A key/value cache made of `layers` as they are."""
    cache = kv_cache()
    cache.layers.extend(layers)
    return cache


def rebuild(cache: DynamicCache, change: Callable[[torch.Tensor], torch.Tensor]) -> DynamicCache:
    """A new cache whose every key and value tensor is `change(tensor)`."""
    return kv_cache((change(keys), change(values)) for keys, values, *_ in cache)


def merge_batches(first: DecodeBatch, second: DecodeBatch) -> DecodeBatch:
    """One batch holding both: each row's tokens end at the same column, the shorter cache's rows are padded on
    the left (masked zeros). Each layer is written once, straight into a buffer with room to grow (a join copied
    every layer three times before: 16 rows of 300 tokens took 106 ms)."""
    length = max(first.mask.shape[1], second.mask.shape[1])
    layers = [PreallocatedLayer.holding(_stacked(k1, k2, length), _stacked(v1, v2, length), length)
              for (k1, v1, *_), (k2, v2, *_) in zip(first.cache, second.cache)]
    masks = [torch.cat([mask.new_zeros(len(mask), length - mask.shape[1]), mask], dim=1) for mask in (first.mask, second.mask)]
    return DecodeBatch(
        cache_of(layers),
        torch.cat(masks),
        torch.cat([first.next_tokens, second.next_tokens]),
        torch.cat([first.seen, second.seen]),
        first.rows + second.rows,
    )


def _stacked(top: torch.Tensor, bottom: torch.Tensor, length: int) -> torch.Tensor:
    """`top`'s rows above `bottom`'s in a new buffer, each row's tokens ending at column `length`."""
    buffer = _buffer_like(top, len(top) + len(bottom), length)
    for rows, part in ((slice(0, len(top)), top), (slice(len(top), None), bottom)):
        start = length - part.shape[-2]
        buffer[rows, :, :start] = 0
        buffer[rows, :, start:length] = part
    return buffer


def keep_rows(batch: DecodeBatch, keep: list[int]) -> DecodeBatch:
    """Only the rows `keep`, with columns no remaining row uses cut from the left; each kept row is copied once,
    straight into a buffer with room to grow."""
    index = torch.tensor(keep, device=batch.mask.device)
    mask = batch.mask[index]
    start = int(mask.any(0).int().argmax()) if mask.numel() else 0
    length = mask.shape[1] - start
    layers = [PreallocatedLayer.holding(_rows_of(keys, keep, start), _rows_of(values, keep, start), length)
              for keys, values, *_ in batch.cache]
    return DecodeBatch(cache_of(layers), mask[:, start:], batch.next_tokens[index], batch.seen[index], [batch.rows[i] for i in keep])


def _rows_of(tensor: torch.Tensor, keep: list[int], start: int) -> torch.Tensor:
    """The rows `keep` of `tensor` from column `start` on, in a new buffer."""
    buffer = _buffer_like(tensor, len(keep), tensor.shape[-2] - start)
    for row, kept in enumerate(keep):
        buffer[row, :, :tensor.shape[-2] - start] = tensor[kept, :, start:]
    return buffer


def choose_next_tokens(logits: torch.Tensor, seen: torch.Tensor, rows: Sequence[Row]) -> torch.Tensor:
    """Each row's next token: repetition penalty, then greedy (temperature 0) or temperature + top-p sampling
    with the row's own generator, in the order transformers' `generate` applies them."""
    device = logits.device
    # The penalty touches only the tokens seen (a few hundred a row), not the whole vocabulary.
    penalty = torch.tensor([row.params.repetition_penalty for row in rows], device=device, dtype=logits.dtype)
    row_ids, token_ids = seen.nonzero(as_tuple=True)
    seen_scores, seen_penalty = logits[row_ids, token_ids], penalty[row_ids]
    scores = logits.index_put((row_ids, token_ids), torch.where(seen_scores < 0, seen_scores * seen_penalty,
                                                                 seen_scores / seen_penalty))
    chosen = scores.argmax(dim=-1)
    sampled = [i for i, row in enumerate(rows) if row.params.temperature > 0]
    if sampled:
        index = torch.tensor(sampled, device=device)
        temperature = torch.tensor([[rows[i].params.temperature] for i in sampled], device=device, dtype=logits.dtype)
        top_p = torch.tensor([[rows[i].params.top_p] for i in sampled], device=device, dtype=logits.dtype)
        chosen_scores = scores if len(sampled) == len(rows) else scores[index]
        drawn = sample_top_p(chosen_scores / temperature, top_p, [rows[i].generator for i in sampled])
        chosen[index] = drawn.to(device)
    return chosen


def sample_top_p(scores: torch.Tensor, top_p: torch.Tensor, generators: Sequence[torch.Generator],
                 shortlist: int = 256) -> torch.Tensor:
    """One token per row, drawn with the row's generator from its nucleus (its smallest set of tokens whose
    probability reaches its `top_p`: transformers' `TopPLogitsWarper`'s set), in proportion to probability.

    The nucleus is looked for, and the draw made, among the row's `shortlist` likeliest tokens: a partial sort
    and a 256-way draw instead of a full sort and a 49k-way draw (16 rows: 30 ms a step before, most of it
    `torch.multinomial` over the whole vocabulary). A row whose nucleus may reach past the shortlist (a flat
    distribution, or top_p = 1) is sorted and drawn from in full."""
    top_index, weights, spills = nucleus_in_shortlist(scores, top_p, shortlist)
    tokens = []
    for row, generator in enumerate(generators):
        if spills[row]:
            probabilities = _top_p_filtered_sorted(scores[row:row + 1], top_p[row:row + 1]).softmax(dim=-1)[0]
            tokens.append(torch.multinomial(probabilities, 1, generator=generator)[0])
        else:
            tokens.append(top_index[row, torch.multinomial(weights[row], 1, generator=generator)[0]])
    return torch.stack(tokens)


def nucleus_in_shortlist(scores: torch.Tensor, top_p: torch.Tensor, shortlist: int = 256
                         ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Each row's `shortlist` likeliest tokens (ids), their probabilities where they are in the row's nucleus
    (else 0), and whether the nucleus may reach past the shortlist (bool per row; a margin for rounding)."""
    top, top_index = scores.topk(min(shortlist, scores.shape[-1]), dim=-1)
    probabilities = (top - scores.logsumexp(dim=-1, keepdim=True)).exp()
    keep = probabilities.cumsum(dim=-1) - probabilities < top_p  # the mass before a token is still short of top_p
    keep[:, 0] = True  # always keep the most likely token
    spills = probabilities.sum(dim=-1) < top_p[:, 0] + 1e-4
    return top_index, probabilities * keep, spills


def _top_p_filtered_sorted(scores: torch.Tensor, top_p: torch.Tensor) -> torch.Tensor:
    """`_top_p_filtered` by a full sort of each row, as `TopPLogitsWarper` does it."""
    ordered, order = scores.sort(dim=-1, descending=False)
    cumulative = ordered.softmax(dim=-1).cumsum(dim=-1)
    remove_sorted = cumulative <= (1 - top_p)
    remove_sorted[:, -1] = False  # always keep the most likely token
    remove = remove_sorted.scatter(1, order, remove_sorted)
    return scores.masked_fill(remove, -math.inf)
