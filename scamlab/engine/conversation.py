"""The conversation scam meter: P(scam | the conversation so far), after each message.

Two small models over the bundled MiniLM encoder (frozen, so a build takes about a minute on 2 cores):
- a **move model** scores each sentence the other side says: a logistic regression over the sentence's
  embedding and the caller moves of `scamlab.conversation_cues` (asks for a code, gift cards, remote access,
  a threat... and the genuine "call the number on your card"). A message scores as its most scam-like sentence.
- a **conversation model** turns the message scores so far into the probability: a logistic regression over
  the highest and second-highest message scores, how many messages leaned scam, and whether the caller sent
  you back to a number you already know. Its inputs are scored out of fold (by script), as on unseen dialogues.
Both learn from the dialogues of `scamlab.dialogues` (training scripts only) and the modern message set.
The built model is cached under the settings' cache folder, keyed by a fingerprint of recipe and data.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from scamlab import conversation_cues, dialogue_genuine, dialogue_scams, dialogues
from scamlab.conversation_cues import cue_vector
from scamlab.data import FOLDER as DATA_FOLDER
from scamlab.engine import bundled
from scamlab.engine.sentences import SentenceEncoder
from scamlab.engine.training import MODERN_MESSAGES_CSV
from scamlab.verdicts import LIKELY_SCAM

FLAG_THRESHOLD = LIKELY_SCAM  # the chat meter's "likely scam above" line
MAX_MESSAGES = 500
ROLE_ALIASES: Mapping[str, str] = {
    "them": "them", "scammer": "them", "assistant": "them", "caller": "them",
    "me": "me", "victim": "me", "user": "me", "receiver": "me",
}
_FILLER = re.compile(r"\b(?:u+m+|u+h+|e+r+m*|hmm+|mhm)\b,?\s*", re.IGNORECASE)  # bounded per match: linear
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_LOGIT_FLOOR, _LOGIT_CEILING = -8.0, 8.0
_EVIDENCE_FROM = -2.0  # messages above this logit (P about 0.12) add up as evidence
SAFEGUARD_CUE = [cue_id for cue_id, _ in conversation_cues.CONVERSATION_CUES].index("safeguard")


@dataclass(frozen=True)
class ConversationRecipe:
    """The knobs of one build; the defaults are the shipped recipe."""

    seed: int = 13  # which messages and dialogues are drawn
    words_per_chunk: int = 30  # a long message is read in pieces of this many words
    top_k: int = 3  # nearest labelled sentences whose similarity is averaged
    similarity_scale: float = 5.0  # weight of the similarity columns beside the 0/1 cue columns
    move_l2: float = 1e-4  # ridge penalty of the per-message model
    conversation_l2: float = 1e-2  # ridge penalty of the conversation model (few rows: more)
    messages_used: int = 800  # labelled messages drawn to teach the per-message model (never in the bank)
    dialogues: int = 1200  # generated training dialogues
    genuine_flag_rate: float = 0.15  # at most this share of training genuine dialogues may cross the line


def recipe_fingerprint(recipe: ConversationRecipe = ConversationRecipe()) -> str:
    """A short hash of the recipe, the scripts, the cues and the data: any change builds a new model."""
    digest = hashlib.sha256(repr(sorted(asdict(recipe).items())).encode())
    here = Path(__file__)
    for source in (*(Path(m.__file__) for m in (dialogues, dialogue_scams, dialogue_genuine, conversation_cues)),
                   DATA_FOLDER / "dialogue_scams.json", DATA_FOLDER / "dialogue_genuine.json",
                   here, here.with_name("conversation_build.py")):
        digest.update(source.read_bytes())
    for path in (bundled.encoder_dir() / "model.safetensors", MODERN_MESSAGES_CSV):
        digest.update(f"{path.name}:{path.stat().st_size if path.exists() else 0}".encode())
    return digest.hexdigest()[:12]


def sentence_chunks(text: str, words_per_chunk: int = ConversationRecipe.words_per_chunk) -> list[str]:
    """A message cut into sentences without filler words; an unpunctuated transcript into short chunks."""
    chunks = []
    for sentence in _SENTENCE_END.split(_FILLER.sub("", text)):
        words = sentence.split()
        chunks += [" ".join(words[i : i + words_per_chunk]) for i in range(0, len(words), words_per_chunk)]
    return chunks or [text.strip() or "."]


def normalize_messages(messages: Sequence[Mapping[str, object]]) -> list[tuple[str, str]]:
    """`(them | me, text)` per message; accepts `role`/`content` or `speaker`/`text` keys and the role aliases."""
    if len(messages) > MAX_MESSAGES:
        raise ValueError(f"The conversation has {len(messages)} messages; the limit is {MAX_MESSAGES}.")
    normalized = []
    for position, message in enumerate(messages, start=1):
        role = str(message.get("role", message.get("speaker", ""))).strip().lower()
        if role not in ROLE_ALIASES:
            raise ValueError(f"Message {position}: unknown role {role!r}; use one of {', '.join(ROLE_ALIASES)}.")
        normalized.append((ROLE_ALIASES[role], str(message.get("content", message.get("text", "")) or "")))
    return normalized


def fit_logistic(features: torch.Tensor, labels: torch.Tensor, l2: float, weights: torch.Tensor | None = None) -> torch.Tensor:
    """Weights (bias last) of an L2-regularised logistic regression, fitted with L-BFGS; classes balanced."""
    x = torch.cat([features, torch.ones(len(features), 1)], dim=1).double()
    y = labels.double()
    balance = torch.where(y > 0.5, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    sample = balance * (weights.double() if weights is not None else 1.0)
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([w], max_iter=300, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = (sample * torch.nn.functional.binary_cross_entropy_with_logits(x @ w, y, reduction="none")).mean()
        loss = loss + l2 * (w[:-1] ** 2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return w.detach().float()


def conversation_features(message_logits: Sequence[float], safeguard_seen: bool) -> list[float]:
    """What the conversation model reads after a message: the top two message scores (as logits), the
    evidence of all the somewhat suspicious messages added up, whether the caller pointed to a number you
    already know."""
    ranked = sorted(message_logits, reverse=True) + [_LOGIT_FLOOR, _LOGIT_FLOOR]
    clipped = [min(max(value, _LOGIT_FLOOR), _LOGIT_CEILING) for value in ranked[:2]]
    evidence = sum(max(0.0, min(value, _LOGIT_CEILING) - _EVIDENCE_FROM) for value in message_logits)
    return [*clipped, evidence, float(safeguard_seen)]


def similarity_features(embeddings: torch.Tensor, bank: torch.Tensor, bank_is_scam: torch.Tensor, top_k: int) -> torch.Tensor:
    """How much closer each sentence comes to the scam moves of the bank than to its other lines: the
    difference of the highest cosine similarities, and of the means of the `top_k` highest (2 columns).
    Differences, not raw similarities: every sentence is somewhat close to something in the bank."""
    similarity = embeddings @ bank.T
    columns = []
    for side in (bank_is_scam, ~bank_is_scam):
        top = similarity[:, side].topk(min(top_k, int(side.sum())), dim=1).values
        columns.append(torch.stack([top[:, 0], top.mean(dim=1)], dim=1))
    return columns[0] - columns[1]


def cue_matrix(sentences: Sequence[str]) -> torch.Tensor:
    """The `conversation_cues` flags, one row per sentence."""
    return torch.tensor([cue_vector(s) for s in sentences]).reshape(len(sentences), len(conversation_cues.CUE_PATTERNS))


def message_logits(
    texts: Sequence[str], words_per_chunk: int, sentence_logits: Callable[[list[str]], list[float]]
) -> list[tuple[float, bool]]:
    """Per message: the highest of its sentences' scam-move logits, and whether a sentence points to a
    number you already know (the `safeguard` cue)."""
    chunks = [sentence_chunks(text, words_per_chunk) for text in texts]
    flat = [chunk for message in chunks for chunk in message]
    logits = iter(sentence_logits(flat) if flat else [])
    safeguard = conversation_cues.CUE_PATTERNS[SAFEGUARD_CUE][1]
    return [(max(next(logits) for _ in message), any(safeguard.search(chunk) for chunk in message)) for message in chunks]


@dataclass
class ConversationModel:
    """The sentence bank (embeddings of the training lines, and which are scam moves), the two fitted
    regressions and the recipe they came from."""

    bank: torch.Tensor
    bank_is_scam: torch.Tensor
    move_weights: torch.Tensor
    conversation_weights: torch.Tensor
    recipe: ConversationRecipe

    def sentence_features(self, encoder: SentenceEncoder, sentences: Sequence[str]) -> torch.Tensor:
        """Cue flags and similarity to the bank, one row per sentence."""
        similarity = similarity_features(encoder.embed(sentences), self.bank, self.bank_is_scam, self.recipe.top_k)
        return torch.cat([cue_matrix(sentences), similarity * self.recipe.similarity_scale], dim=1)

    def move_logits(self, features: torch.Tensor) -> torch.Tensor:
        """Scam-move logit per sentence row."""
        return features @ self.move_weights[:-1] + self.move_weights[-1]

    def probability(self, features: Sequence[float]) -> float:
        """P(scam) from `conversation_features`."""
        w = self.conversation_weights
        return float(torch.sigmoid(torch.tensor(features) @ w[:-1] + w[-1]))

    def save(self, path: Path) -> None:
        """Write the model as a tensor file (no pickled code)."""
        torch.save({"bank": self.bank.half(), "bank_is_scam": self.bank_is_scam, "move": self.move_weights,
                    "conversation": self.conversation_weights, "recipe": asdict(self.recipe)}, path)

    @classmethod
    def load(cls, path: Path) -> ConversationModel:
        """Read a model written by `save`."""
        saved = torch.load(path, weights_only=True)
        return cls(saved["bank"].float(), saved["bank_is_scam"], saved["move"], saved["conversation"], ConversationRecipe(**saved["recipe"]))


class ConversationScorer:
    """Scores whole conversations; safe to share (the encoder cache only grows)."""

    def __init__(self, model: ConversationModel, encoder: SentenceEncoder) -> None:
        self.model, self.encoder = model, encoder

    def message_logits(self, texts: Sequence[str]) -> list[tuple[float, bool]]:
        """Per message: its most scam-like sentence's logit, and whether it points to a known number."""
        model = self.model
        return message_logits(texts, model.recipe.words_per_chunk,
                              lambda sentences: model.move_logits(model.sentence_features(self.encoder, sentences)).tolist())

    def score(self, messages: Sequence[Mapping[str, object]]) -> dict:
        """`{"turn_scores", "scam_probability", "first_flag_turn", "message_scores"}` for `messages`.

        `turn_scores[i]` is P(scam | messages 1..i+1); a reply of yours leaves it where it was.
        `message_scores[i]` is the other side's message i+1 on its own (None for your messages).
        `first_flag_turn` is the 1-based message where it first reaches `FLAG_THRESHOLD`, or None.
        """
        normalized = normalize_messages(messages)
        their_texts = [text for role, text in normalized if role == "them"]
        scored = iter(self.message_logits(their_texts))
        logits: list[float] = []
        safeguard = False
        probability = self.model.probability(conversation_features(logits, safeguard))
        turn_scores, message_scores = [], []
        for role, _ in normalized:
            own = None
            if role == "them":
                logit, points_to_known_number = next(scored)
                logits.append(logit)
                safeguard = safeguard or points_to_known_number
                probability = self.model.probability(conversation_features(logits, safeguard))
                own = round(float(torch.sigmoid(torch.tensor(logit))), 4)
            turn_scores.append(round(probability, 4))
            message_scores.append(own)
        flagged = [n for n, score in enumerate(turn_scores, start=1) if score >= FLAG_THRESHOLD]
        return {
            "turn_scores": turn_scores,
            "scam_probability": turn_scores[-1] if turn_scores else round(probability, 4),
            "first_flag_turn": flagged[0] if flagged else None,
            "message_scores": message_scores,
        }
