"""Building, caching and evaluating the conversation scam meter of `scamlab.engine.conversation`.

A build embeds each line of the training scripts once (filled the same way every time, so the encoder sees
about two thousand short sentences), fits the move model, then fits the conversation model on message scores
that came from a move model which never saw that script (two folds by script).
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import torch

from scamlab.config import Settings
from scamlab.dialogues import SCRIPTS, DialogueScript, generate_dialogues, line_text
from scamlab.engine.conversation import (
    FLAG_THRESHOLD,
    ConversationModel,
    ConversationRecipe,
    ConversationScorer,
    conversation_features,
    cue_matrix,
    fit_logistic,
    message_logits,
    recipe_fingerprint,
    sentence_chunks,
    similarity_features,
)
from scamlab.conversation_cues import CONVERSATION_CUES
from scamlab.engine.evaluation import read_labelled_csv
from scamlab.engine.loading import ProgressFn, exclusive_file_lock, no_progress
from scamlab.engine.sentences import SentenceEncoder
from scamlab.engine.training import MODERN_MESSAGES_CSV

MODEL_FILENAME = "conversation_model.pt"
REPORT_FILENAME = "training_report.json"
MESSAGE_WEIGHT = 0.5  # single messages teach the move model less than the dialogue lines do
FEATURE_NAMES = (*(cue_id for cue_id, _ in CONVERSATION_CUES), "closer_to_scam_max", "closer_to_scam_top", "bias")

Example = tuple[str, float, float, int]  # sentence, 1.0 if it is a scam move, sample weight, fold
MESSAGE_FOLD = -1  # the fold of the single messages: compared with the whole bank, never part of it


def script_examples(scripts: Sequence[DialogueScript], recipe: ConversationRecipe) -> list[Example]:
    """Every line of `scripts` as sentences, and once more as an unpunctuated transcript chunk; the fold
    alternates by script."""
    examples = []
    for position, script in enumerate(scripts):
        for beat_index, beat in enumerate(script.beats):
            label = float(script.is_scam and beat.tell)
            for line_index in range(len(beat.lines)):
                text = line_text(script, beat_index, line_index)
                transcript = "".join(c for c in text.lower() if c.isalnum() or c in " '$£€")
                for chunk in {*sentence_chunks(text, recipe.words_per_chunk), *sentence_chunks(transcript, recipe.words_per_chunk)}:
                    examples.append((chunk, label, 1.0, position % 2))
    return examples


def message_examples(recipe: ConversationRecipe) -> list[Example]:
    """A seeded sample of the modern message set (spam = scam move). Messages teach the move model but stay
    out of the sentence bank: a brand named in a spam text would make every call from that brand look close."""
    messages = read_labelled_csv(MODERN_MESSAGES_CSV) if MODERN_MESSAGES_CSV.exists() else []
    sample = random.Random(recipe.seed).sample(messages, min(recipe.messages_used, len(messages)))
    return [(m.text, float(m.is_spam), MESSAGE_WEIGHT, MESSAGE_FOLD) for m in sample]


def out_of_fold_features(examples: Sequence[Example], embeddings: torch.Tensor, recipe: ConversationRecipe) -> torch.Tensor:
    """Sentence features as an unseen sentence gets them: each fold compared with the other fold's bank."""
    labels = torch.tensor([label > 0.5 for _, label, _, _ in examples])
    folds = torch.tensor([fold for _, _, _, fold in examples])
    similarity = torch.zeros(len(examples), 2)
    for fold in (0, 1, MESSAGE_FOLD):
        rows, bank = folds == fold, (folds != fold) & (folds != MESSAGE_FOLD)
        similarity[rows] = similarity_features(embeddings[rows], embeddings[bank], labels[bank], recipe.top_k)
    return torch.cat([cue_matrix([text for text, _, _, _ in examples]), similarity * recipe.similarity_scale], dim=1)


def conversation_rows(
    sentence_logit: Mapping[str, float], scripts: Sequence[DialogueScript], recipe: ConversationRecipe
) -> list[tuple[list[float], float, int]]:
    """Conversation-model rows `(features, label, dialogue number)` from dialogues of `scripts`: one after
    each of the other side's messages.
    A scam counts as a scam once a line has given it away; before that it is left out (nothing shows yet)."""
    rows = []
    for number, dialogue in enumerate(generate_dialogues(recipe.dialogues, seed=recipe.seed, scripts=scripts, varied_surface=False)):
        theirs = [turn for turn in dialogue.turns if turn.speaker == "them"]
        scored = message_logits([t.text for t in theirs], recipe.words_per_chunk, lambda chunks: [sentence_logit[c] for c in chunks])
        logits, safeguard, told = [], False, False
        for turn, (logit, points_to_known_number) in zip(theirs, scored):
            logits.append(logit)
            safeguard, told = safeguard or points_to_known_number, told or turn.tell
            if told or not dialogue.is_scam:
                rows.append((conversation_features(logits, safeguard), float(dialogue.is_scam), number))
    return rows


def calibrate_line(weights: torch.Tensor, rows: Sequence[tuple[list[float], float, int]], genuine_flag_rate: float) -> torch.Tensor:
    """`weights` with the bias moved so that the "likely scam" line is crossed in at most `genuine_flag_rate`
    of the genuine training dialogues (at their most suspicious moment): a meter that cries wolf teaches
    students to distrust every caller."""
    peaks: dict[int, float] = {}
    for features, label, number in rows:
        if label < 0.5:
            margin = float(torch.tensor(features) @ weights[:-1])
            peaks[number] = max(peaks.get(number, margin), margin)
    ranked = sorted(peaks.values())
    cut = ranked[min(len(ranked) - 1, int(len(ranked) * (1 - genuine_flag_rate)))]
    return torch.cat([weights[:-1], torch.tensor([-cut - 1e-3])])


def build_conversation_model(
    output_dir: Path, encoder: SentenceEncoder, recipe: ConversationRecipe = ConversationRecipe(),
    progress: ProgressFn = no_progress,
) -> dict:
    """Fit both models on the training scripts and save them (with a report) in `output_dir`."""
    started = time.perf_counter()
    train = [s for s in SCRIPTS if s.split == "train"]
    examples = script_examples(train, recipe) + message_examples(recipe)
    texts = [text for text, _, _, _ in examples]
    batches = [texts[start : start + 64] for start in range(0, len(texts), 64)]
    embedded = []
    for number, batch in enumerate(batches):
        progress(0.9 * number / len(batches), "Embedding the dialogue lines and messages...")
        embedded.append(encoder.embed(batch))
    embeddings = torch.cat(embedded)
    features = out_of_fold_features(examples, embeddings, recipe)
    labels = torch.tensor([label for _, label, _, _ in examples])
    move_weights = fit_logistic(features, labels, recipe.move_l2, torch.tensor([weight for _, _, weight, _ in examples]))
    logits = (features @ move_weights[:-1] + move_weights[-1]).tolist()
    rows = conversation_rows(dict(zip(texts, logits)), train, recipe)
    progress(0.95, "Fitting the conversation model...")
    fitted = fit_logistic(torch.tensor([f for f, _, _ in rows]), torch.tensor([y for _, y, _ in rows]), recipe.conversation_l2)
    conversation_weights = calibrate_line(fitted, rows, recipe.genuine_flag_rate)
    in_bank = torch.tensor([fold != MESSAGE_FOLD for _, _, _, fold in examples])
    model = ConversationModel(embeddings[in_bank], (labels > 0.5)[in_bank], move_weights, conversation_weights, recipe)
    report = {
        "scripts": {"train": len(train), "validation": len(SCRIPTS) - len(train)},
        "sentences": len(examples),
        "conversation_rows": len(rows),
        "move_weights": {name: round(w, 3) for name, w in zip(FEATURE_NAMES, move_weights.tolist())},
        "conversation_weights": [round(w, 3) for w in conversation_weights.tolist()],
        "recipe": asdict(recipe),
        "seconds": round(time.perf_counter() - started, 1),
    }
    partial = output_dir.with_name(output_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    model.save(partial / MODEL_FILENAME)
    (partial / REPORT_FILENAME).write_text(json.dumps(report, indent=2))
    shutil.rmtree(output_dir, ignore_errors=True)
    partial.rename(output_dir)
    progress(1.0, f"Conversation model built in {report['seconds']}s")
    return report


def load_conversation_scorer(settings: Settings, encoder: SentenceEncoder, progress: ProgressFn = no_progress) -> ConversationScorer:
    """The scorer for the shipped recipe, built into the cache folder on first use (about a minute)."""
    folder = settings.cache_dir / "conversation-model" / recipe_fingerprint()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_file_lock(folder.with_name(folder.name + ".lock")):
        if not (folder / MODEL_FILENAME).exists():
            progress(0.0, "Building the conversation scam meter (first run only, about a minute)...")
            build_conversation_model(folder, encoder, progress=progress)
    return ConversationScorer(ConversationModel.load(folder / MODEL_FILENAME), encoder)


def read_dialogue_jsonl(path: str | Path) -> list[tuple[bool, list[dict]]]:
    """Labelled dialogues, one JSON object a line: `{"label": "scam" | "non-scam", "turns": [{"speaker", "text"}]}`."""
    dialogues = []
    for line_number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            label = str(record["label"]).strip().lower()
            turns = list(record["turns"])
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"Line {line_number}: not a dialogue record ({error}).") from None
        if label not in ("scam", "non-scam", "1", "0"):
            raise ValueError(f"Line {line_number}: unknown label {label!r}; use scam or non-scam.")
        dialogues.append((label in ("scam", "1"), turns))
    if not dialogues:
        raise ValueError(f"{path} holds no dialogues.")
    return dialogues


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """Area under the ROC curve (ties count half)."""
    positives = [s for s, y in zip(scores, labels) if y]
    negatives = [s for s, y in zip(scores, labels) if not y]
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def conversation_metrics(labels: Sequence[bool], results: Sequence[Mapping], speakers: Sequence[Sequence[str]]) -> dict:
    """AUC of each conversation's peak score, shares of genuine and scam conversations flagged, and the
    median first flag, counted in messages and in the other side's messages."""
    peaks = [max(r["turn_scores"], default=0.0) for r in results]
    flags = [r["first_flag_turn"] for r in results]
    scam_flags = [(f, roles) for f, roles, y in zip(flags, speakers, labels) if y and f is not None]
    genuine = [f for f, y in zip(flags, labels) if not y]
    scams = [f for f, y in zip(flags, labels) if y]
    their_turn = [sum(role == "them" for role in roles[:f]) for f, roles in scam_flags]
    return {
        "n": len(results),
        "auc": round(roc_auc(labels, peaks), 4),
        "genuine_flagged": round(sum(f is not None for f in genuine) / len(genuine), 4) if genuine else None,
        "scams_flagged": round(sum(f is not None for f in scams) / len(scams), 4) if scams else None,
        "median_first_flag_turn": statistics.median([f for f, _ in scam_flags]) if scam_flags else None,
        "median_first_flag_their_message": statistics.median(their_turn) if their_turn else None,
        "threshold": FLAG_THRESHOLD,
    }
