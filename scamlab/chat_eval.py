"""`python -m scamlab eval-chat`: a grid of role-play conversations and automatic measures of the AI's turns.

Every scenario x 2 styles x both personas, fixed seeds, against a scripted other side: a victim who asks,
doubts, refuses and stalls (`VICTIM_SCRIPT`), or a scammer reading the scenario's playbook stage by stage.
The measures are automatic stand-ins for a teacher's blind read; the conversations are written out so that a
person can do that read too (docs/chat-eval.md).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

from scamlab import playbooks, turn_moves
from scamlab.engine.chat import GenerationParams
from scamlab.engine.core import Engine
from scamlab.engine.reply_cleaning import is_near_copy
from scamlab.engine.roleplay import RankingRules, RolePlay, RolePlayReply, TurnState
from scamlab.personas import PERSONAS, STYLES, normalize_conversation
from scamlab.scenarios import SCENARIOS

MEASURE_NOTES = {
    "near_stage_or_move_share": "AI replies whose meaning is near a playbook line of their stage or move (MiniLM cosine)",
    "in_character_by_classifier_share": "scammer replies the spam classifier scores >= 0.5, victim replies < 0.5",
    "near_copy_rate": "AI replies sharing most of their words with an earlier message of the conversation",
    "model_written_share": "AI replies whose stage part the model wrote (it passed the ranking rules)",
    "playbook_share": "AI replies taken from the playbook (an opener, or no candidate passed)",
    "seconds_per_reply_median": "wall time of a finished reply that called the model (candidates in one call)",
}
GRID_STYLES = {"scammer": ("urgent", "friendly"), "victim": ("skeptical", "confused")}
# The scripted victim the AI scammer talks to: the moves a class wants to see answered.
VICTIM_SCRIPT = (
    "Who is this?",
    "What do you need from me?",
    "How do I know this is real?",
    "I'm not giving you that.",
    "I'll check with them myself first.",
    "Hold on, I need to find my glasses.",
    "I don't understand what you mean.",
)


@dataclass
class Conversation:
    """One grid cell played with one seed: the messages, and for each AI message its stage, source and time."""

    scenario: str
    persona: str
    style: str
    seed: int
    messages: list[dict[str, object]] = field(default_factory=list)


def scripted_scammer_lines(scenario: str, seed: int) -> list[str]:
    """The scripted scammer: one playbook line per stage, in order (plain voice)."""
    playbook = playbooks.get_playbook(scenario)
    return [playbooks.fill(playbook.stages[stage].lines[(seed + number) % len(playbook.stages[stage].lines)],
                           playbook.slots) or "" for number, stage in enumerate(playbooks.STAGE_ORDER)]


class PlaybookOnly:
    """A backend that writes no candidates: the baseline of the playbook alone (what the model adds is the rest)."""

    prompt_format = "transcript"

    def stream_candidates(self, prompt: object, params: GenerationParams, count: int, stop: object = None) -> Iterator[list[str]]:
        yield []

    def describe(self) -> str:
        return "no model (playbook lines only)"


def play_conversation(player: RolePlay, scenario: str, persona: str, style: str, seed: int, turns: int,
                      candidates: int) -> Conversation:
    """`turns` AI messages against the scripted other side."""
    conversation = Conversation(scenario, persona, style, seed)
    other = PERSONAS[persona].other_side
    script = list(VICTIM_SCRIPT) if persona == "scammer" else scripted_scammer_lines(scenario, seed)
    history: list[dict[str, str]] = []
    for number in range(turns):
        if persona == "victim" or number:
            line = script[(number - (persona == "scammer")) % len(script)]
            history.append({"role": other, "content": line})
            conversation.messages.append({"speaker": other, "text": line, "by_ai": False})
        started = time.perf_counter()
        reply: RolePlayReply | None = None
        params = GenerationParams(seed=seed * 1000 + number, candidates=candidates)
        for reply in player.stream(normalize_conversation(history, persona), persona, style, scenario, params):
            pass
        seconds = time.perf_counter() - started
        assert reply is not None
        history.append({"role": persona, "content": reply.text})
        conversation.messages.append({"speaker": persona, "text": reply.text, "by_ai": True, "stage": reply.stage_note,
                                      "step": reply.step, "source": reply.source, "seconds": round(seconds, 3),
                                      "model_called": reply.candidates > 0})
    return conversation


def ai_messages(conversation: Conversation) -> list[dict[str, object]]:
    return [m for m in conversation.messages if m["by_ai"]]


def _share(flags: Sequence[bool]) -> float:
    return round(sum(flags) / len(flags), 3) if flags else 0.0


def measure(engine: Engine, conversations: Sequence[Conversation], replays: Sequence[Conversation]) -> dict[str, object]:
    """The automatic measures over all AI messages (and `replays`: the same cells with another seed)."""
    player = RolePlay(engine.chat_backend(), engine.sentence_encoder())
    near, in_character, copies, repeats, sources, timed = [], [], [], [], [], []
    texts = [str(m["text"]) for c in conversations for m in ai_messages(c) if m["text"]]
    spam = dict(zip(texts, engine.classifier().spam_probabilities(texts))) if texts and classifier_ready(engine) else {}
    for conversation in conversations:
        said: list[str] = []
        for message in conversation.messages:
            text = str(message["text"])
            if message["by_ai"]:
                lines = _lines_of_step(player, _state_for(conversation, message, said[-1] if said else ""))
                closeness = float(engine.sentence_encoder().similarity([text], lines).max()) if text and lines else 0.0
                near.append(closeness >= RankingRules().min_closeness)
                if spam:
                    in_character.append(bool(text) and (spam[text] >= 0.5) == (conversation.persona == "scammer"))
                copies.append(any(is_near_copy(text, earlier) for earlier in said))
                repeats.append(text in said)
                sources.append(str(message["source"]))
                if message["model_called"]:
                    timed.append(float(message["seconds"]))
            said.append(text)
    return {
        "ai_replies": len(sources),
        "near_stage_or_move_share": _share(near),
        "in_character_by_classifier_share": _share(in_character) if spam else "not measured: classifier not built yet",
        "near_copy_rate": _share(copies),
        "repeated_lines": sum(repeats),
        "model_written_share": _share([s == "model" for s in sources]),
        "playbook_share": _share([s == "playbook" for s in sources]),
        "empty_replies": sum(1 for c in conversations for m in ai_messages(c) if not str(m["text"]).strip()),
        "seconds_per_reply_median": round(statistics.median(timed), 2) if timed else None,
        "seconds_per_reply_p95": round(_percentile(timed, 0.95), 2) if timed else None,
        "seed_difference": seed_difference(conversations, replays),
    }


def classifier_ready(engine: Engine) -> bool:
    """True when the spam classifier can answer without a build of several minutes first."""
    return engine.classifier_choice is not None or (engine.bundled_classifier_dir() / "config.json").exists()


def _state_for(conversation: Conversation, message: dict[str, object], last_other: str) -> TurnState:
    """The state an AI message was written in, enough to list the lines of its stage or move (quoting lines
    filled from the other side's message before it)."""
    slots = {**playbooks.get_playbook(conversation.scenario).slots, **turn_moves.quoted_slots(last_other)}
    return TurnState(conversation.persona, conversation.style, conversation.scenario, str(message["step"]), "other",
                     slots, (), last_other)


def _lines_of_step(player: RolePlay, state: TurnState) -> list[str]:
    """The lines a reply of this stage or move may come from: a victim's move in every style, since a style that
    has no fitting line left falls back to the others' (`playbooks.victim_voice_order`)."""
    if state.is_scammer:
        return player.lines_for(state)
    return [line for style in playbooks.victim_voice_order(state.style)
            for line in player.lines_for(state, style=style)]


def _percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def seed_difference(conversations: Sequence[Conversation], replays: Sequence[Conversation]) -> dict[str, object]:
    """For each replayed cell: the share of AI turns whose text differs between the two seeds."""
    first = {(c.scenario, c.persona, c.style): c for c in conversations}
    shares = []
    for replay in replays:
        original = first[(replay.scenario, replay.persona, replay.style)]
        pairs = list(zip(ai_messages(original), ai_messages(replay)))
        shares.append(sum(a["text"] != b["text"] for a, b in pairs) / max(1, len(pairs)))
    return {"cells": len(shares), "mean_share_different": round(statistics.mean(shares), 3) if shares else None,
            "cells_differing_in_at_least_half": sum(share >= 0.5 for share in shares)}


def run_chat_eval(engine: Engine, seeds: tuple[int, int] = (1, 2), turns: int = 6, candidates: int = 4,
                  replay_cells: int | None = None, scenarios: Sequence[str] = tuple(SCENARIOS),
                  playbook_only: bool = False, progress: Callable[[str], None] = lambda _: None) -> dict[str, object]:
    """Play the grid with the first seed (and `replay_cells` of its cells, all by default, with the second)."""
    player = RolePlay(PlaybookOnly() if playbook_only else engine.chat_backend(), engine.sentence_encoder())
    cells = [(scenario, persona, style) for scenario in scenarios for persona, styles in GRID_STYLES.items()
             for style in styles]
    conversations, replays = [], []
    for number, (scenario, persona, style) in enumerate(cells):
        progress(f"{number + 1}/{len(cells)} {scenario} {persona} {style}")
        conversations.append(play_conversation(player, scenario, persona, style, seeds[0], turns, candidates))
    for scenario, persona, style in cells[: len(cells) if replay_cells is None else replay_cells]:
        progress(f"replay {scenario} {persona} {style} (seed {seeds[1]})")
        replays.append(play_conversation(player, scenario, persona, style, seeds[1], turns, candidates))
    return {
        "model": player.backend.describe(),
        "settings": {"seeds": list(seeds), "turns": turns, "candidates": candidates, "scenarios": list(scenarios),
                     "grid_styles": GRID_STYLES},
        "measures": measure(engine, conversations, replays),
        "conversations": [asdict(c) for c in conversations],
        "replays": [asdict(c) for c in replays],
    }


def report_markdown(report: dict[str, object]) -> str:
    """docs/chat-eval.md: the measures, then every conversation with each AI message's stage and source."""
    measures = report["measures"]
    lines = ["# Chat role-play evaluation", "", f"Model: {report['model']}. Settings: `{report['settings']}`.", "",
             "| measure | value | meaning |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {MEASURE_NOTES.get(name, '')} |" for name, value in measures.items()]
    lines += ["", "## Conversations (first seed)", ""]
    for conversation in report["conversations"]:
        title = f"{SCENARIOS[conversation['scenario']].title}: AI plays the {conversation['persona']}"
        lines += [f"### {title} ({STYLES[conversation['style']].label}, seed {conversation['seed']})", ""]
        for message in conversation["messages"]:
            speaker = f"{PERSONAS[message['speaker']].label} ({'AI' if message['by_ai'] else 'script'})"
            note = f" _[{message['stage']}; {message['source']}]_" if message["by_ai"] else ""
            lines.append(f"- **{speaker}:** {message['text']}{note}")
        lines.append("")
    return "\n".join(lines)
