"""The generation scheduler with the real bundled chat model: batching, streaming, stops, limits."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest
import torch

from scamlab.config import SettingsError, load_settings
from scamlab.engine.chat import GenerationParams, LocalChatBackend
from scamlab.engine.decode_batch import (
    ROOM_TOKENS, DecodeBatch, _top_p_filtered_sorted, keep_rows, kv_cache, merge_batches, nucleus_in_shortlist, sample_top_p,
)
from scamlab.engine.errors import ClassBusyError
from scamlab.engine.fair_share import FairShare
from scamlab.engine.scheduler import GenerationScheduler, SchedulerLimits
from scamlab.engine.sequence_streams import SequenceStream

PROMPTS = (
    "Scammer: Your parcel is held at the depot. Pay the fee now.\nVictim:",
    "The bank called me this morning and said",
    "Hi Mum it's me, I lost my phone and this is my new number.\nMum:",
)
GREEDY = GenerationParams(max_new_tokens=30, temperature=0, top_p=1.0)


@pytest.fixture(scope="module")
def loaded():
    """The bundled chat model in float32. Batched and lone greedy replies are equal token for token only there:
    the default bfloat16 Linear weights (on CPUs that have bfloat16) round each layer's input, and the last bit
    of a left-padded row's attention then tips near-ties (see test_loading's bfloat16 test)."""
    from scamlab.engine import Engine

    return Engine(replace(load_settings(dotenv_path=None), dtype="float32")).chat_backend().loaded


@pytest.fixture(scope="module")
def scheduler(loaded) -> Iterator[GenerationScheduler]:
    running = GenerationScheduler(loaded.model, loaded.tokenizer)
    yield running
    running.shutdown()


def prompt_ids(loaded, text: str) -> list[int]:
    return loaded.tokenizer(text)["input_ids"]


def generated_alone(loaded, text: str, max_new_tokens: int = GREEDY.max_new_tokens) -> list[int]:
    """The reply's tokens from transformers' own `generate`, one request alone, greedy (the old path)."""
    inputs = loaded.tokenizer(text, return_tensors="pt")
    with torch.inference_mode():
        output = loaded.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, top_k=None,
                                       top_p=None, temperature=None, repetition_penalty=GREEDY.repetition_penalty,
                                       pad_token_id=loaded.tokenizer.pad_token_id)
    return [token for token in output[0, inputs["input_ids"].shape[1]:].tolist() if token != loaded.tokenizer.eos_token_id]


@pytest.fixture(scope="module")
def references(loaded) -> dict[str, list[int]]:
    return {text: generated_alone(loaded, text) for text in PROMPTS}


def read_with_times(stream: SequenceStream, log: list[tuple[float, str]]) -> str:
    text = ""
    for piece in stream:
        log.append((time.monotonic(), piece))
        text += piece
    return text


def test_a_batched_greedy_reply_equals_the_reply_generated_alone(scheduler, loaded, references):
    prompts = [prompt_ids(loaded, text) for text in PROMPTS]
    tickets = [scheduler.submit(ids, GREEDY) for ids in prompts]  # different lengths: left padding
    texts = ["".join(ticket.streams[0]) for ticket in tickets]
    for text, ticket, streamed in zip(PROMPTS, tickets, texts):
        assert ticket.streams[0].token_ids == references[text]
        assert streamed == loaded.tokenizer.decode(references[text], skip_special_tokens=True)


def test_two_streamed_replies_interleave_and_a_late_one_joins_the_running_batch(scheduler, loaded, references):
    first_log: list[tuple[float, str]] = []
    second_log: list[tuple[float, str]] = []
    first = scheduler.submit(prompt_ids(loaded, PROMPTS[0]), GREEDY).streams[0]
    pieces = iter(first)
    first_log.extend((time.monotonic(), next(pieces)) for _ in range(3))  # the first is well under way
    second = scheduler.submit(prompt_ids(loaded, PROMPTS[1]), GREEDY).streams[0]
    reader = threading.Thread(target=read_with_times, args=(second, second_log))
    reader.start()
    first_log.extend((time.monotonic(), piece) for piece in pieces)
    reader.join(timeout=60)
    assert second.joined_step > first.joined_step
    assert second_log[0][0] < first_log[-1][0], "the late reply streamed before the first one finished"
    assert any(second_log[0][0] < at for at, _ in first_log), "the first kept streaming after the second joined"
    assert first.token_ids == references[PROMPTS[0]]
    assert second.token_ids == references[PROMPTS[1]], "merged into a longer running cache, still its own reply"


def test_stopping_one_sequence_leaves_the_other_complete(scheduler, loaded, references):
    stopped = scheduler.submit(prompt_ids(loaded, PROMPTS[2]), GREEDY).streams[0]
    other = scheduler.submit(prompt_ids(loaded, PROMPTS[1]), GREEDY).streams[0]
    next(stopped)
    stopped.close()
    assert stopped.finished
    count = stopped.tokens_generated
    assert "".join(other) == loaded.tokenizer.decode(references[PROMPTS[1]], skip_special_tokens=True)
    assert other.token_ids == references[PROMPTS[1]]
    assert count == stopped.tokens_generated < GREEDY.max_new_tokens, "no token was written after the stop"


def test_a_request_stop_event_stops_all_its_sequences(scheduler, loaded):
    stop = threading.Event()
    ticket = scheduler.submit(prompt_ids(loaded, PROMPTS[0]), GREEDY, n=2, stop=stop)
    next(ticket.streams[0])
    stop.set()
    for stream in ticket.streams:
        list(stream)
        assert stream.tokens_generated < GREEDY.max_new_tokens


def test_n_candidates_come_from_one_batch_each_with_its_own_seed(scheduler, loaded):
    sampled = GenerationParams(max_new_tokens=20, temperature=0.9, top_p=0.95, seed=7)
    passes = scheduler.forward_passes
    ticket = scheduler.submit(prompt_ids(loaded, PROMPTS[0]), sampled, n=3)
    candidates = ["".join(stream) for stream in ticket.streams]
    assert len({stream.joined_step for stream in ticket.streams}) == 1
    assert scheduler.forward_passes - passes <= sampled.max_new_tokens, "one prefill and one step per token, for all 3"
    assert len(set(candidates)) == 3, "seeds seed, seed + 1, seed + 2"
    # The same seeded request again, this time beside an unseeded one: the same three candidates.
    neighbour = scheduler.submit(prompt_ids(loaded, PROMPTS[1]), GenerationParams(max_new_tokens=20, temperature=1.0))
    again = scheduler.submit(prompt_ids(loaded, PROMPTS[0]), sampled, n=3)
    updates = list(again.texts())  # all three as they grow, read together
    assert updates[-1] == candidates
    assert len(updates) > 1 and all(len(update) == 3 for update in updates)
    list(neighbour.streams[0])


def test_past_the_queue_limit_callers_get_the_busy_error_and_nothing_queued_is_lost(loaded, references):
    small = GenerationScheduler(loaded.model, loaded.tokenizer, SchedulerLimits(max_batch=1, max_waiting=2))
    try:
        running = small.submit(prompt_ids(loaded, PROMPTS[0]), GREEDY)
        next(running.streams[0])  # it holds the only batch slot
        queued = [small.submit(prompt_ids(loaded, text), GREEDY) for text in PROMPTS[1:]]
        with pytest.raises(ClassBusyError, match=r"The class is busy: try again in \d+ s") as busy:
            small.submit(prompt_ids(loaded, PROMPTS[0]), GREEDY)
        assert busy.value.retry_after_seconds >= 1
        list(running.streams[0])
        assert running.streams[0].token_ids == references[PROMPTS[0]]
        for text, ticket in zip(PROMPTS[1:], queued):
            list(ticket.streams[0])
            assert ticket.streams[0].token_ids == references[text]
        assert small.largest_batch == 1
    finally:
        small.shutdown()


def test_an_idle_worker_thread_ends_and_the_next_request_starts_another(loaded):
    quick = GenerationScheduler(loaded.model, loaded.tokenizer, SchedulerLimits(idle_seconds=0.2))
    try:
        short = GenerationParams(max_new_tokens=3, temperature=0)
        assert list(quick.submit(prompt_ids(loaded, PROMPTS[1]), short).streams[0])
        deadline = time.monotonic() + 30
        while quick.worker_running and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not quick.worker_running, "no thread (and no reference to the model) is kept while idle"
        assert list(quick.submit(prompt_ids(loaded, PROMPTS[1]), short).streams[0])
    finally:
        quick.shutdown()


# --- the chat backend routes replies through the scheduler (SCAMLAB_BATCHING, on by default) -----------------


def test_the_setting_turns_batching_off_and_rejects_other_values():
    assert load_settings({}, dotenv_path=None).batching
    assert not load_settings({"SCAMLAB_BATCHING": "0"}, dotenv_path=None).batching
    with pytest.raises(SettingsError, match="SCAMLAB_BATCHING"):
        load_settings({"SCAMLAB_BATCHING": "maybe"}, dotenv_path=None)


def test_a_backend_reply_is_the_same_batched_or_not_and_closing_it_stops_the_model(loaded):
    batched, alone = LocalChatBackend(loaded, "transcript"), LocalChatBackend(loaded, "transcript", batching=False)
    assert batched.scheduler is not None and alone.scheduler is None
    assert "".join(batched.stream(PROMPTS[1], GREEDY)) == "".join(alone.stream(PROMPTS[1], GREEDY))
    before = batched.tokens_generated
    pieces = batched.stream(PROMPTS[0], GenerationParams(max_new_tokens=200, temperature=0))
    next(pieces)
    pieces.close()
    counted = batched.tokens_generated - before
    time.sleep(0.3)
    assert 0 < counted == batched.tokens_generated - before < 60, "the stop took effect and the count is final"


def test_best_of_n_candidates_are_one_request_in_one_batch(loaded):
    backend = LocalChatBackend(loaded, "transcript")
    sampled = GenerationParams(max_new_tokens=20, temperature=0.9, top_p=0.95, seed=3)
    updates = list(backend.stream_candidates(PROMPTS[0], sampled, 3))
    assert backend.generate_calls == 1 and len(updates[-1]) == 3
    assert backend.scheduler.forward_passes <= sampled.max_new_tokens, "one prefill, then one step per token for all 3"


@pytest.mark.parametrize("scale", [0.5, 2.0, 8.0, 30.0])
def test_top_p_from_a_shortlist_keeps_the_tokens_a_full_sort_keeps(scale):
    # 0.5: a flat distribution whose nucleus spills past the shortlist (the full sort answers); 30: one token.
    generator = torch.Generator().manual_seed(int(scale * 10))
    scores = torch.randn(6, 49_152, generator=generator) * scale
    top_p = torch.tensor([[0.1], [0.5], [0.8], [0.9], [0.95], [1.0]])
    top_index, weights, spills = nucleus_in_shortlist(scores, top_p)
    by_full_sort = _top_p_filtered_sorted(scores, top_p).isfinite()
    for row in range(6):
        if not spills[row]:
            assert set(top_index[row, weights[row] > 0].tolist()) == set(by_full_sort[row].nonzero()[:, 0].tolist())
    assert spills.all() == (scale == 0.5) and spills[5], "top_p 1 is drawn from the whole vocabulary"


def test_sampling_draws_only_from_the_nucleus_in_proportion_to_probability():
    # Probabilities 0.5, 0.25, 0.125, ... over 30 tokens: top_p 0.8 keeps the first three (0.5 + 0.25 < 0.8).
    scores = torch.full((1, 49_152), -1e4)
    scores[0, 100:130] = -torch.arange(30, dtype=torch.float) * math.log(2)
    generator = torch.Generator().manual_seed(1)
    drawn = Counter(int(sample_top_p(scores, torch.tensor([[0.8]]), [generator])[0]) for _ in range(1_400))
    assert set(drawn) == {100, 101, 102}
    assert 3.2 < drawn[100] / drawn[102] < 4.8 and 1.6 < drawn[101] / drawn[102] < 2.4, drawn
    first, second = torch.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    assert [int(sample_top_p(scores, torch.tensor([[0.8]]), [first])[0]) for _ in range(20)] == \
        [int(sample_top_p(scores, torch.tensor([[0.8]]), [second])[0]) for _ in range(20)], "one seed, one sequence"


@pytest.mark.parametrize("student_use, mallory_use, light_asker", [(300, 5_000, "student"), (30, 0, None)],
                         ids=["used-much", "asks-much-first"])
def test_a_person_far_over_their_share_waits_while_the_others_are_written(loaded, student_use, mallory_use, light_asker):
    """The held-back person's rows step once every `held_back_every` steps of the class's batch while the class
    writes; without a fair share both replies would step together, token for token. Far over: by what they
    used lately, or by what their request asks for (its prompt and 60 new tokens against the student's 30;
    the light reply is then asked by no one in particular, never held back)."""
    fair = GenerationScheduler(loaded.model, loaded.tokenizer, SchedulerLimits(held_back_every=4),
                               FairShare(half_life=3600, floor=0))  # no decay to speak of; these replies are short
    try:
        fair.fair_share.charge("student", student_use)
        fair.fair_share.charge("mallory", mallory_use)
        long = GenerationParams(max_new_tokens=60, temperature=1.0, seed=3)  # sampled: no early end of text
        heavy = fair.submit(prompt_ids(loaded, PROMPTS[0]), long, requester="mallory").streams[0]
        light = fair.submit(prompt_ids(loaded, PROMPTS[1]), replace(long, max_new_tokens=24), requester=light_asker).streams[0]
        list(light)
        assert light.tokens_generated == 24
        held_back = heavy.tokens_generated
        assert held_back <= 24 // 4 + 2, "the heavy reply stepped about once per 4 of the light one's"
        list(heavy)
        assert heavy.finished and heavy.tokens_generated > held_back, "held back, not dropped: it goes on alone"
        assert fair.fair_share.use("mallory") > mallory_use, "charged"
        assert light_asker is None or fair.fair_share.use(light_asker) > student_use, "charged"
    finally:
        fair.shutdown()


def test_the_person_asking_reaches_the_scheduler_through_the_backend(loaded):
    from scamlab.engine.chat import LocalChatBackend
    from scamlab.engine.fair_share import asking_as

    backend = LocalChatBackend(loaded)
    try:
        with asking_as("ana"):
            "".join(backend.stream(PROMPTS[0], replace(GREEDY, max_new_tokens=4)))
        assert backend.scheduler.fair_share.use("ana") > len(prompt_ids(loaded, PROMPTS[0]))
    finally:
        backend.scheduler.shutdown()


# --- the prefix cache: a prompt's shareable beginning is computed once -------------------------------------

SCENE = ("Scene: a phone call. The caller says they are from the bank's fraud team and that a payment of 900 pounds "
         "is waiting for approval. They ask for the one-time code that was just sent by text.\n")
SCENE_PROMPTS = (
    SCENE + "Victim: Which payment? I did not buy anything today.\nCaller:",
    SCENE + "Victim: My daughter told me never to give that code to anyone.\nCaller:",
)


def test_a_reply_whose_scene_was_kept_equals_the_reply_generated_alone(loaded):
    """The second prompt prefills only what follows the kept scene; a prompt with a kept beginning and one
    without, prefilled together (their rows' caches have a masked gap), each still write their own reply."""
    cached = GenerationScheduler(loaded.model, loaded.tokenizer)
    try:
        first, second = (prompt_ids(loaded, text) for text in SCENE_PROMPTS)
        shared = len(prompt_ids(loaded, SCENE.rstrip("\n")))
        assert "".join(cached.submit(first, GREEDY, shareable=shared).streams[0])
        assert cached.prefixes.tokens_kept == shared >= cached.prefixes.min_tokens
        reused = cached.prefixes.tokens_reused
        tickets = [cached.submit(second, GREEDY), cached.submit(prompt_ids(loaded, PROMPTS[1]), GREEDY)]
        for ticket, text in zip(tickets, (SCENE_PROMPTS[1], PROMPTS[1])):
            list(ticket.streams[0])
            assert ticket.streams[0].token_ids == generated_alone(loaded, text)
        assert cached.prefixes.tokens_reused - reused == shared, "the scene was not prefilled again"
    finally:
        cached.shutdown()


def test_a_seeded_sampled_request_reads_its_whole_prompt_so_its_seed_reproduces_it(loaded):
    """A kept beginning's keys and values differ from a full read's by rounding (in bfloat16 the same seed gave
    two replies), so a seeded sampled request never reuses one, whatever the prefix cache holds; a greedy one,
    which draws nothing, does."""
    cached = GenerationScheduler(loaded.model, loaded.tokenizer)
    try:
        first, second = (prompt_ids(loaded, text) for text in SCENE_PROMPTS)
        shared = len(prompt_ids(loaded, SCENE.rstrip("\n")))
        seeded = GenerationParams(max_new_tokens=12, temperature=0.9, seed=7)
        alone = cached.submit(second, seeded, shareable=shared).streams[0]  # nothing kept yet: read in full
        list(alone)
        "".join(cached.submit(first, GREEDY, shareable=shared).streams[0])  # the scene is kept
        reused = cached.prefixes.tokens_reused
        again = cached.submit(second, seeded, shareable=shared).streams[0]
        list(again)
        assert cached.prefixes.tokens_reused == reused, "the seeded request read its whole prompt"
        assert again.token_ids == alone.token_ids
        list(cached.submit(second, replace(GREEDY, seed=7), shareable=shared).streams[0])
        assert cached.prefixes.tokens_reused > reused, "a greedy request reuses the kept scene, seeded or not"
    finally:
        cached.shutdown()


def test_the_backend_keeps_all_but_the_newest_message(loaded):
    backend = LocalChatBackend(loaded, "transcript")
    try:
        "".join(backend.stream(SCENE_PROMPTS[0], replace(GREEDY, max_new_tokens=2)))
        kept = backend.scheduler.prefixes.tokens_kept
        assert kept == len(prompt_ids(loaded, SCENE.rstrip("\n"))), "the scene, not the victim's line or the cue"
        "".join(backend.stream(SCENE_PROMPTS[0], replace(GREEDY, max_new_tokens=2)))
        assert backend.scheduler.prefixes.tokens_reused == kept and backend.scheduler.prefixes.tokens_kept == kept
    finally:
        backend.scheduler.shutdown()


def test_the_prefix_cache_keeps_the_longest_beginnings_within_its_size():
    from scamlab.engine.prefix_cache import PrefixCache

    def layers(length: int) -> torch.Tensor:  # (layers, keys or values, heads, tokens, dim)
        values = torch.arange(length, dtype=torch.float32).view(1, length, 1)
        return torch.stack([torch.stack((values, -values))])

    cache = PrefixCache(max_tokens=100, min_tokens=4)
    cache.keep(list(range(40)), layers(40))
    cache.keep(list(range(50)), layers(50))  # covers the first: it replaces it
    assert cache.tokens_kept == 50
    assert cache.reusable_length([*range(30), 999, 1000]) == 30 and cache.tokens_asked == 0, "a look, not a use"
    hit = cache.longest([*range(30), 999, 1000])
    assert hit is not None and hit.length == 30 and hit.stacked.shape[3] == 30
    assert cache.longest(list(range(3)) + [7, 7]) is None, "under min_tokens"
    assert cache.longest(list(range(50))).length == 49, "the last token is always computed (its logits)"
    cache.keep(list(range(100, 160)), layers(60))  # 110 tokens in all: the least recently used goes
    assert cache.tokens_kept == 60 and cache.longest(list(range(50))) is None


def test_the_cache_appends_a_token_in_place_and_holds_what_a_dynamic_cache_holds():
    """A decode step writes into the buffer's spare room (no copy of the layer), a step past the room grows it,
    and a layer whose rows were selected by transformers' own method starts a new buffer from them."""
    from transformers import DynamicCache

    def chunk(tokens: int, seed: int, rows: int = 3) -> torch.Tensor:
        return torch.randn(rows, 2, tokens, 4, generator=torch.Generator().manual_seed(seed))

    ours, theirs = kv_cache([(chunk(5, 0), chunk(5, 1))]), DynamicCache([(chunk(5, 0), chunk(5, 1))])
    buffer = ours.layers[0].keys.data_ptr()
    for step in range(ROOM_TOKENS + 3):
        new = (chunk(1, 10 + step), chunk(1, 100 + step))
        mine, reference = ours.update(*new, 0), theirs.update(*new, 0)
        assert all(torch.equal(a, b) for a, b in zip(mine, reference))
        if step < ROOM_TOKENS:
            assert ours.layers[0].keys.data_ptr() == buffer, "written in place"
    assert ours.layers[0].keys.data_ptr() != buffer, "grown past its room"
    for cache in (ours, theirs):
        cache.layers[0].batch_select_indices(torch.tensor([2, 0]))
    new = (chunk(1, 7, rows=2), chunk(1, 8, rows=2))
    assert all(torch.equal(a, b) for a, b in zip(ours.update(*new, 0), theirs.update(*new, 0)))


def test_merged_and_kept_rows_are_written_once_into_buffers_with_room():
    """A join lays both batches' rows end-aligned in new buffers (the shorter left-padded with masked zeros);
    dropping rows keeps theirs, with columns no row uses cut; either way the next token is written in place."""
    def batch(rows: int, tokens: int, seed: int, pad: int = 0) -> DecodeBatch:
        layers = [tuple(torch.randn(rows, 2, tokens, 4, generator=torch.Generator().manual_seed(seed + i)) for i in (0, 1))]
        mask = torch.ones(rows, tokens, dtype=torch.long)
        mask[:, :pad] = 0
        return DecodeBatch(kv_cache(layers), mask, torch.arange(rows), torch.zeros(rows, 8, dtype=torch.bool), list(range(rows)))

    first, second = batch(3, 5, 0), batch(2, 8, 10, pad=2)
    merged = merge_batches(first, second)
    keys = merged.cache.layers[0].keys
    assert torch.equal(keys[:3, :, 3:], first.cache.layers[0].keys) and not keys[:3, :, :3].any()
    assert torch.equal(keys[3:], second.cache.layers[0].keys)
    assert merged.mask.tolist() == [[0, 0, 0, 1, 1, 1, 1, 1]] * 3 + [[0, 0, 1, 1, 1, 1, 1, 1]] * 2
    kept = keep_rows(merged, [4, 0])
    assert torch.equal(kept.cache.layers[0].values, merged.cache.layers[0].values[[4, 0], :, 2:])
    assert kept.mask.tolist() == [[1] * 6, [0, 1, 1, 1, 1, 1]] and kept.next_tokens.tolist() == [1, 0]
    for cache in (merged.cache, kept.cache):
        rows = cache.layers[0].keys.shape[0]
        buffer = cache.layers[0].keys.data_ptr()
        cache.update(torch.ones(rows, 2, 1, 4), torch.ones(rows, 2, 1, 4), 0)
        assert cache.layers[0].keys.data_ptr() == buffer and cache.layers[0].keys[:, :, -1].eq(1).all()


@pytest.mark.parametrize("compact_share, copies", [(0.5, []), (0.0, [3])], ids=["waits", "leaves-at-once"])
def test_a_finished_row_leaves_the_batch_once_finished_rows_are_a_share_of_it(loaded, monkeypatch, compact_share, copies):
    """Leaving copies the whole cache, so a finished row waits, unused, until finished rows are `compact_share`
    of the batch: one short reply beside three long ones makes no copy at 0.5, and one at once at 0. Either
    way every reply is the one generated alone, and the finished row writes no more tokens."""
    import scamlab.engine.scheduler as scheduler_module

    made: list[int] = []
    real_keep_rows = scheduler_module.keep_rows
    monkeypatch.setattr(scheduler_module, "keep_rows", lambda batch, keep: made.append(len(keep)) or real_keep_rows(batch, keep))
    compacting = GenerationScheduler(loaded.model, loaded.tokenizer, SchedulerLimits(compact_share=compact_share))
    try:
        short = compacting.submit(prompt_ids(loaded, PROMPTS[0]), replace(GREEDY, max_new_tokens=3))
        long = compacting.submit(prompt_ids(loaded, PROMPTS[1]), GREEDY, n=3)
        list(short.streams[0])
        for stream in long.streams:
            list(stream)
            assert stream.token_ids == generated_alone(loaded, PROMPTS[1])
        assert short.streams[0].tokens_generated == 3 and short.streams[0].token_ids == generated_alone(loaded, PROMPTS[0], 3)
        assert made == copies
    finally:
        compacting.shutdown()
