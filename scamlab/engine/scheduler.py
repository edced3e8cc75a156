"""Batched generation across requests: one worker thread owns the model and decodes every sequence together.

Requests from all sessions (a prompt's token ids, sampling settings, `n` sequences) wait in a bounded queue.
The worker runs its own decode loop over one dynamic batch with a key/value cache: left padding, one attention
mask, per-row positions. A request joins at the next step: its prompt is prefilled on its own (once for its
`n` sequences), and the cache rows are merged into the running batch. Each sequence samples with its own
temperature, top-p, repetition penalty and `torch.Generator` (two seeded requests never disturb each other),
streams its new text to its own consumer, and leaves the batch at its own end: end of text, `max_new_tokens`,
or its consumer's stop or close. No Gradio here; `LocalChatBackend` is the caller.

Fair share: each request names who asked (`requester`). A person who has had far more of the model lately than
the others (`FairShare`) is held back: their request waits, and then decodes in a second, held-back batch that
steps once every `held_back_every` steps of the class's batch (every step when the class's is empty). One person
asking non-stop for the costliest replies then slows the others' steps by a fraction, not by their whole cost.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from transformers import DynamicCache

from scamlab.engine.decode_batch import (
    DecodeBatch, Row, SamplingSettings, choose_next_tokens, keep_rows, kv_cache, merge_batches, rebuild,
)
from scamlab.engine.errors import ClassBusyError
from scamlab.engine.fair_share import FairShare
from scamlab.engine.prefix_cache import PrefixCache, kept_beginnings
from scamlab.engine.sequence_streams import CLOSE_WAIT_SECONDS, SequenceStream, Ticket

log = logging.getLogger(__name__)

CLASS, HELD_BACK = 0, 1  # the two running batches (lanes): everyone's rows, and rows of people over their share


@dataclass(frozen=True)
class SchedulerLimits:
    """How much the scheduler takes on. Past `max_waiting`, `submit` raises `ClassBusyError`."""

    max_batch: int = 64  # sequences decoded together (64 rows: 40% more tokens a second than 32, 2 cores, bf16 weights)
    max_waiting: int = 128  # sequences queued behind a full batch
    prefill_tokens: int = 1024  # prompt tokens prefilled between two decode steps (a crowd never stalls the rest)
    gather_seconds: float = 0.01  # an idle worker waits this long after a request for others to prefill with it
    idle_seconds: float = 60.0  # the worker thread ends after this long without work; the next request starts one
    held_back_every: int = 4  # the held-back batch steps once per this many steps of the class's batch
    # Finished rows leave the batch (a copy of its whole cache, 0.2-0.35 s at 30 rows) only once they are this
    # share of it; until then they are decoded and ignored.
    compact_share: float = 0.25


@dataclass
class _Pending:
    prompt_ids: list[int]
    params: SamplingSettings
    streams: list[SequenceStream]
    requester: str | None = None
    shareable: int = 0  # the prompt's first tokens worth keeping for later prompts (`PrefixCache`)


def _reads_whole_prompt(pending: _Pending) -> bool:
    """A seeded sampled request reads its whole prompt, never a kept beginning: the same seed then gives the same
    reply whatever the prefix cache holds (kept keys and values differ from a full read's by rounding; in
    bfloat16 that tipped a sampled token, and one seed gave two replies). A greedy request draws nothing (its
    seed fixes only the role-play's choices) and reuses kept beginnings: rounding can then, rarely, tip a
    near-tie between two tokens, as for any greedy reply."""
    return pending.params.seed is not None and pending.params.temperature > 0


class GenerationScheduler:
    """Continuous batching for one causal LM. Thread-safe `submit`; one worker thread runs the model."""

    def __init__(self, model: Any, tokenizer: Any, limits: SchedulerLimits = SchedulerLimits(),
                 fair_share: FairShare | None = None, prefixes: PrefixCache | None = None) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.limits = limits
        self.fair_share = fair_share or FairShare()
        self.prefixes = prefixes or PrefixCache()  # used by the worker thread only
        self.device = model.device
        eos = model.generation_config.eos_token_id
        eos = tokenizer.eos_token_id if eos is None else eos
        self.eos_ids = set(eos if isinstance(eos, list) else [eos])
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else min(self.eos_ids)
        self.vocabulary = model.get_output_embeddings().weight.shape[0]
        self.steps = 0  # decode steps run
        self.forward_passes = 0  # decode steps plus prefills
        self.tokens_generated = 0
        self.largest_batch = 0
        self._step_seconds = 0.05  # a running mean, for the busy message's "try again in N s"
        self._waiting: deque[_Pending] = deque()
        self._lanes: list[DecodeBatch | None] = [None, None]  # [CLASS]: everyone's rows; [HELD_BACK]: over their share
        self._class_steps = 0  # steps of the class's batch, for the held-back batch's turn
        self._lock = threading.Condition()
        self._closed = False
        self._worker: threading.Thread | None = None  # started by `submit`, ends when idle
        self._reported_at = 0.0  # when `_report` last logged

    # --- the callers' side ---------------------------------------------------------------------------------

    def submit(self, prompt_ids: Sequence[int], params: SamplingSettings, n: int = 1,
               stop: threading.Event | None = None, requester: str | None = None, shareable: int = 0) -> Ticket:
        """Queue `n` sequences continuing `prompt_ids`; raises `ClassBusyError` when the queue is full.

        `stop`, when given, stops every sequence of this request once set (as closing each stream does).
        `requester` (who asked; None: no one in particular) is charged for the tokens, for the fair share.
        `shareable`: how many of the prompt's first tokens later prompts may repeat (the scene and the
        conversation before the newest message); their keys and values are kept for them.
        """
        if not 1 <= n <= self.limits.max_batch:
            raise ValueError(f"n must be between 1 and {self.limits.max_batch}.")
        if not prompt_ids:
            raise ValueError("The prompt has no tokens.")
        wake = threading.Event()
        streams = [SequenceStream(stop, wake) for _ in range(n)]
        with self._lock:
            if self._closed:
                raise RuntimeError("The generation scheduler has been shut down.")
            if sum(len(p.streams) for p in self._waiting) + n > self.limits.max_waiting:
                raise ClassBusyError(self.retry_after_seconds())
            self._waiting.append(_Pending(list(prompt_ids), params, streams, requester, shareable))
            self._lock.notify()
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="scamlab-scheduler", daemon=True)
                self._worker.start()
        return Ticket(streams, wake)

    @property
    def worker_running(self) -> bool:
        """True while a worker thread exists (it ends when idle)."""
        return self._worker is not None

    def retry_after_seconds(self) -> int:
        """A rough wait until the queue has room: the tokens the running rows still have to write, at the
        current step time."""
        rows = [row for batch in self._lanes if batch is not None for row in batch.rows if not row.finished]
        remaining = max((row.params.max_new_tokens - row.stream.tokens_generated for row in rows), default=0)
        return max(1, math.ceil(self._step_seconds * max(remaining, 1)))

    def shutdown(self) -> None:
        """Stop the worker; sequences still running or queued end with an error."""
        with self._lock:
            self._closed = True
            self._lock.notify()
            worker = self._worker
        if worker is not None:
            worker.join(timeout=CLOSE_WAIT_SECONDS)

    # --- the worker ----------------------------------------------------------------------------------------

    def _run(self) -> None:
        with torch.inference_mode():
            while self._wait_for_work():
                try:
                    held_back_turn = self._held_back_turn()
                    self._admit(held_back_turn)
                    self._drop_finished()
                    for lane in (CLASS, HELD_BACK) if held_back_turn else (CLASS,):
                        if self._lanes[lane] is not None:
                            self._decode(lane)
                    self._drop_finished()
                except Exception as error:  # noqa: BLE001 - this batch fails; the worker serves the next requests
                    log.exception("Generation failed; ending the running sequences")
                    self._fail_running(error)
        if self._closed:
            self._fail_running(RuntimeError("The generation scheduler has been shut down."))
            with self._lock:
                for pending in self._waiting:
                    for stream in pending.streams:
                        stream.end(RuntimeError("The generation scheduler has been shut down."))
                self._waiting.clear()

    def _wait_for_work(self) -> bool:
        """Block while there is nothing to do; False once shut down or idle for `idle_seconds` (the thread then
        ends, so a model nobody uses is not kept alive by it). A request that wakes an idle worker gets
        `gather_seconds` for others to arrive and prefill with it."""
        with self._lock:
            idle = self._idle()
        if idle:
            self._report()
        with self._lock:
            while not self._closed and self._idle():
                if not self._lock.wait(self.limits.idle_seconds) and not self._waiting and not self._closed:
                    self._worker = None  # under the lock: the next `submit` starts a new worker
                    return False
            closed = self._closed
        if idle and not closed and self.limits.gather_seconds > 0:
            time.sleep(self.limits.gather_seconds)
        return not closed

    def _report(self, every_seconds: float = 10.0) -> None:
        """Log what the scheduler has done so far (at most once per `every_seconds`), when it runs out of work."""
        if self.forward_passes and time.monotonic() - self._reported_at >= every_seconds:
            self._reported_at = time.monotonic()
            asked = self.prefixes.tokens_asked
            log.info("Scheduler: %d tokens written in %d forward passes, largest batch %d; prefix cache: %d of %d "
                     "prompt tokens reused (%.0f%%), %d kept", self.tokens_generated, self.forward_passes,
                     self.largest_batch, self.prefixes.tokens_reused, asked,
                     100 * self.prefixes.tokens_reused / max(asked, 1), self.prefixes.tokens_kept)

    def _idle(self) -> bool:
        return self._lanes[CLASS] is None and self._lanes[HELD_BACK] is None and not self._waiting

    def _held_back_turn(self) -> bool:
        """Whether the held-back batch steps (and its requests are admitted) this time round."""
        return self._lanes[CLASS] is None or self._class_steps % self.limits.held_back_every == 0

    def _take_admissible(self, held_back_turn: bool) -> tuple[list[_Pending], list[_Pending]]:
        """Queued requests that fit the batch and this step's prefill budget (always one, when there is room),
        split into the class's and the held-back ones; a held-back request waits for its lane's turn. The budget
        counts padded prompt tokens to compute: prompts x the longest prompt less its beginning in the prefix cache."""
        taken: tuple[list[_Pending], list[_Pending]] = ([], [])
        rows = sum(len(batch.rows) for batch in self._lanes if batch is not None)
        longest = 0
        skipped: list[_Pending] = []
        with self._lock:
            while self._waiting:
                pending = self._waiting[0]
                if all(stream.stopped for stream in pending.streams):
                    self._waiting.popleft()
                    for stream in pending.streams:
                        stream.end()
                    continue
                fits = rows + len(pending.streams) <= self.limits.max_batch
                count = len(taken[CLASS]) + len(taken[HELD_BACK])
                kept = 0 if _reads_whole_prompt(pending) else self.prefixes.reusable_length(pending.prompt_ids)
                to_compute = len(pending.prompt_ids) - kept
                padded = (count + 1) * max(longest, to_compute)
                if not (fits and (not count or padded <= self.limits.prefill_tokens)):
                    break
                asking = len(pending.prompt_ids) + len(pending.streams) * pending.params.max_new_tokens
                held_back = self.fair_share.over_share(pending.requester, asking)
                if held_back and not held_back_turn:
                    skipped.append(self._waiting.popleft())
                    continue
                taken[HELD_BACK if held_back else CLASS].append(self._waiting.popleft())
                rows += len(pending.streams)
                longest = max(longest, to_compute)
            self._waiting.extendleft(reversed(skipped))
        return taken

    def _admit(self, held_back_turn: bool) -> None:
        """Prefill the admissible queued requests (each lane's together) and merge them into their batch."""
        for lane, taken in enumerate(self._take_admissible(held_back_turn)):
            if not taken:
                continue
            try:
                joining = self._prefill(taken)
            except Exception as error:  # noqa: BLE001 - these requests fail; the running batches go on
                log.exception("Prefill failed")
                for pending in taken:
                    for stream in pending.streams:
                        stream.end(error)
                continue
            running = self._lanes[lane]
            self._lanes[lane] = joining if running is None else merge_batches(running, joining)
            self.largest_batch = max(self.largest_batch, len(self._lanes[lane].rows))

    def _prefill(self, taken: list[_Pending]) -> DecodeBatch:
        """One forward pass over the new prompts, each prompt once; its cache rows are then repeated for the
        request's `n` sequences, and each sequence samples its first token.

        A prompt whose beginning is in the prefix cache feeds only the rest: each row's cache is its kept
        beginning, left padded, followed by the rest of its prompt, left padded (the mask marks both gaps, and
        positions count real tokens). The shareable beginnings computed here are kept for later prompts."""
        hits = [None if _reads_whole_prompt(p) else self.prefixes.longest(p.prompt_ids) for p in taken]
        reused = [hit.length if hit else 0 for hit in hits]
        rests = [p.prompt_ids[start:] for p, start in zip(taken, reused)]
        kept_length, length = max(reused), max(len(rest) for rest in rests)
        ids = torch.tensor([[self.pad_id] * (length - len(rest)) + rest for rest in rests], device=self.device)
        mask = torch.tensor([[0] * (kept_length - start) + [1] * start + [0] * (length - len(rest)) + [1] * len(rest)
                             for start, rest in zip(reused, rests)], device=self.device)
        positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 0)[:, kept_length:]
        prompt_cache = kept_beginnings(hits, kept_length, then=length)
        output = self.model(input_ids=ids, attention_mask=mask, position_ids=positions,
                            cache=prompt_cache, use_cache=True, logits_to_keep=1)
        self.forward_passes += 1
        self._keep_shareable(taken, prompt_cache, mask)
        for pending in taken:
            self.fair_share.charge(pending.requester, len(pending.prompt_ids))
        repeats = torch.tensor([len(p.streams) for p in taken], device=self.device)
        cache = prompt_cache if all(len(p.streams) == 1 for p in taken) else rebuild(
            prompt_cache, lambda tensor: tensor.repeat_interleave(repeats.to(tensor.device), dim=0))
        seen = torch.zeros(len(taken), self.vocabulary, dtype=torch.bool, device=self.device)
        for row, pending in enumerate(taken):
            seen[row, pending.prompt_ids] = True
        rows = [self._new_row(stream, p.params, i, p.requester) for p in taken for i, stream in enumerate(p.streams)]
        batch = DecodeBatch(cache, mask.repeat_interleave(repeats, dim=0), ids[:, -1].repeat_interleave(repeats),
                            seen.repeat_interleave(repeats, dim=0), rows)
        self._accept(batch, output.logits[:, -1, :].float().repeat_interleave(repeats, dim=0))
        return batch

    def _keep_shareable(self, taken: list[_Pending], cache: DynamicCache, mask: torch.Tensor) -> None:
        """Keep each prompt's shareable beginning (its first `shareable` real tokens) in the prefix cache. Only
        for models whose layers all cache keys and values of one shape (stacked in one tensor)."""
        layers = [(keys, values) for keys, values, *_ in cache]
        if len({tensor.shape[1:] for layer in layers for tensor in layer}) != 1:
            return
        for row, pending in enumerate(taken):
            ids = pending.prompt_ids[:pending.shareable]
            if len(ids) < self.prefixes.min_tokens or self.prefixes.covers(ids):
                continue
            real = mask[row].nonzero()[:len(ids), 0]
            self.prefixes.keep(ids, torch.stack([torch.stack((keys[row, :, real.to(keys.device)], values[row, :, real.to(values.device)]))
                                                 for keys, values in layers]))

    def _new_row(self, stream: SequenceStream, params: SamplingSettings, index: int, requester: str | None) -> Row:
        """A sequence's row; the request's `index`-th sequence samples with seed `seed + index`."""
        generator = torch.Generator(device=self.device)
        generator.manual_seed(params.seed + index if params.seed is not None else random.getrandbits(63))
        stream.joined_step = self.steps
        return Row(stream, params, generator, requester)

    def _decode(self, lane: int) -> None:
        """One step for every row of a lane's batch: feed each its last token, sample its next."""
        batch = self._lanes[lane]
        started = time.perf_counter()
        mask = torch.cat([batch.mask, batch.mask.new_ones(len(batch.rows), 1)], dim=1)
        positions = batch.mask.sum(dim=1, keepdim=True)
        output = self.model(input_ids=batch.next_tokens[:, None], attention_mask=mask, position_ids=positions,
                            cache=batch.cache, use_cache=True)
        batch.mask = mask  # the model appended this step's keys and values to `batch.cache`
        self._accept(batch, output.logits[:, -1, :].float())
        self.steps += 1
        self._class_steps += lane == CLASS
        self.forward_passes += 1
        for requester, rows in Counter(row.requester for row in batch.rows if not row.finished).items():
            self.fair_share.charge(requester, rows)
        self._step_seconds = 0.9 * self._step_seconds + 0.1 * (time.perf_counter() - started)

    def _accept(self, batch: DecodeBatch, logits: torch.Tensor) -> None:
        """Sample each row's next token, record it, and stream the text it completes."""
        chosen = choose_next_tokens(logits, batch.seen, batch.rows)
        batch.seen.scatter_(1, chosen[:, None], True)
        batch.next_tokens = chosen
        for row, token in zip(batch.rows, chosen.tolist()):
            if row.finished:
                continue
            row.stream.tokens_generated += 1
            self.tokens_generated += 1
            if token in self.eos_ids:
                continue
            row.stream.token_ids.append(token)
            row.stream.put_text(self._new_text(row))

    def _new_text(self, row: Row, final: bool = False) -> str:
        """The text the row's latest tokens complete (held back while a character is still half-written)."""
        ids = row.stream.token_ids
        before = self.tokenizer.decode(ids[row.prefix_offset:row.read_offset], skip_special_tokens=True)
        after = self.tokenizer.decode(ids[row.prefix_offset:], skip_special_tokens=True)
        if len(after) <= len(before) or (after.endswith("\ufffd") and not final):
            return ""
        row.prefix_offset, row.read_offset = row.read_offset, len(ids)
        return after[len(before):]

    def _drop_finished(self) -> None:
        """End the rows at end of text, at their token limit, or stopped by their consumer."""
        for lane, batch in enumerate(self._lanes):
            if batch is not None:
                self._lanes[lane] = self._unfinished(batch)

    def _unfinished(self, batch: DecodeBatch) -> DecodeBatch | None:
        """End the rows that are done; `batch` without its finished rows once they are `compact_share` of it
        (before that, as it is); None when none is left."""
        keep = []
        for index, (row, token) in enumerate(zip(batch.rows, batch.next_tokens.tolist())):
            done = token in self.eos_ids or row.stream.tokens_generated >= row.params.max_new_tokens
            if not row.finished and (done or row.stream.stopped):
                row.stream.put_text(self._new_text(row, final=True))
                row.stream.end()
                row.finished = True
            if not row.finished:
                keep.append(index)
        if len(batch.rows) - len(keep) < max(1, self.limits.compact_share * len(batch.rows)):
            return batch
        return keep_rows(batch, keep) if keep else None

    def _fail_running(self, error: BaseException) -> None:
        for batch in self._lanes:
            for row in batch.rows if batch is not None else ():
                if not row.finished:
                    row.stream.end(error)
        self._lanes = [None, None]
