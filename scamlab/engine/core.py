"""The engine: which models answer, loaded once, behind the seed's contracts.

`Engine` knows nothing of Gradio. The UI and the CLI call its methods; `scamlab.engine` exposes the
seed's module-level functions (`classify_spam`, `batch_classify`, `generate_reply`) on a shared engine.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification

from scamlab.config import Settings, load_settings
from scamlab.engine import bundled
from scamlab.engine.chat import ChatBackend, GenerationParams, LocalChatBackend, clean_partial_reply, clean_reply, is_finished_turn
from scamlab.engine.classifier import ClassifyResult, SpamClassifier, result_from_probability
from scamlab.engine.errors import ModelLoadError
from scamlab.engine.inputs import prepare_text
from scamlab.engine.loading import (
    LoadedModel,
    ModelCache,
    ProgressFn,
    convert_gguf,
    converted_gguf_dir,
    exclusive_file_lock,
    load_pretrained,
    no_progress,
)
from scamlab.personas import FALLBACK_LINES, Message, build_chat_messages, build_transcript, normalize_conversation
from scamlab.safety import is_fit_for_class
from scamlab.scenarios import DEFAULT_SCENARIO_ID, get_scenario

log = logging.getLogger(__name__)

BUNDLED_CHAT_NAME = "SmolLM2-135M-Instruct (bundled)"
BUNDLED_CLASSIFIER_NAME = "MiniLM-L6 spam classifier (bundled)"


@dataclass(frozen=True)
class ChatChoice:
    """Which chat model answers: a Hub id, folder or .gguf file (None: bundled), locally or at an endpoint."""

    model: str | None = None
    endpoint: str | None = None

    @property
    def key(self) -> str:
        return f"chat|{self.endpoint or 'local'}|{self.model or 'bundled'}"


class Engine:
    """Chat and classification for one process; safe to share between concurrent requests."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self.warnings: list[str] = []
        self._models = ModelCache()
        self.chat_choice = ChatChoice(self.settings.chat_model, self.settings.chat_endpoint)
        self.classifier_choice: str | None = self.settings.classifier_model

    # --- loading ---------------------------------------------------------------------------------------

    def _load_chat(self, spec: str | None, progress: ProgressFn) -> LoadedModel:
        if spec is None or spec.endswith(".gguf"):
            gguf = bundled.chat_gguf_path() if spec is None else Path(spec).expanduser()
            if not gguf.is_file():
                raise ModelLoadError(spec or str(gguf), "the GGUF file does not exist.", "check the path.")
            folder = convert_gguf(gguf, converted_gguf_dir(gguf, self.settings), progress)
            name = BUNDLED_CHAT_NAME if spec is None else gguf.name
            return load_pretrained(AutoModelForCausalLM, folder, self.settings, None, name, progress, quantize_on_cpu=True)
        return load_pretrained(AutoModelForCausalLM, spec, self.settings, self.settings.chat_token, spec, progress, quantize_on_cpu=True)

    def _load_classifier(self, spec: str | None, progress: ProgressFn) -> LoadedModel:
        if spec is None:
            from scamlab.engine.training import build_classifier

            folder = self.bundled_classifier_dir()
            folder.parent.mkdir(parents=True, exist_ok=True)
            with exclusive_file_lock(folder.with_name(folder.name + ".lock")):
                if not (folder / "config.json").exists():
                    progress(0.0, "Building the spam classifier (first run only, about 3 minutes)...")
                    build_classifier(folder, progress=lambda f, m: progress(f * 0.9, m))
            return load_pretrained(AutoModelForSequenceClassification, folder, self.settings, None, BUNDLED_CLASSIFIER_NAME, progress)
        return load_pretrained(AutoModelForSequenceClassification, spec, self.settings, self.settings.classifier_token, spec, progress)

    def bundled_classifier_dir(self) -> Path:
        """Where the bundled classifier for the current recipe and data is (or will be) built."""
        from scamlab.engine.training import recipe_fingerprint

        return self.settings.classifier_dir / recipe_fingerprint()

    def _make_chat_backend(self, choice: ChatChoice, progress: ProgressFn) -> ChatBackend:
        if choice.endpoint:
            from scamlab.engine.remote import RemoteChatBackend

            return RemoteChatBackend(choice.endpoint, choice.model, self.settings.chat_token)
        # The bundled 135M model stays in character when it continues a transcript; bigger models chat.
        prompt_format = "transcript" if choice.model is None else "chat"
        return LocalChatBackend(self._load_chat(choice.model, progress), prompt_format)

    def _fall_back(self, kind: str, error: ModelLoadError) -> None:
        warning = f"{error} Using the bundled {kind} model instead."
        log.warning(warning)
        self.warnings.append(warning)

    def chat_backend(self, progress: ProgressFn = no_progress) -> ChatBackend:
        """The backend that writes chat replies (loaded on first use).

        A local model from the settings that cannot load gives way to the bundled one, with a warning.
        A remote endpoint never does: its errors reach the user.
        """
        choice = self.chat_choice
        try:
            return self._models.get(choice.key, lambda: self._make_chat_backend(choice, progress))
        except ModelLoadError as error:
            if choice.endpoint or choice.model is None:
                raise
            self._fall_back("chat", error)
            self.chat_choice = ChatChoice()
            return self.chat_backend(progress)

    def classifier(self, progress: ProgressFn = no_progress) -> SpamClassifier:
        """The spam classifier (built on first use when the bundled one is missing)."""
        spec = self.classifier_choice
        try:
            return self._models.get(f"classifier|{spec}", lambda: SpamClassifier(self._load_classifier(spec, progress)))
        except ModelLoadError as error:
            if spec is None:
                raise
            self._fall_back("classifier", error)
            self.classifier_choice = None
            return self.classifier(progress)

    def switch_chat_model(self, choice: ChatChoice, progress: ProgressFn = no_progress) -> str:
        """Answer with another chat model from now on, without a restart; returns its description.

        Raises `ModelLoadError` when it cannot load: the current model then stays.
        """
        backend = self._models.get(choice.key, lambda: self._make_chat_backend(choice, progress))
        previous, self.chat_choice = self.chat_choice, choice
        if previous != choice and previous != ChatChoice():
            self._models.forget(previous.key)  # free its memory; the bundled model stays for a quick way back
        return backend.describe()

    def switch_classifier(self, spec: str | None, progress: ProgressFn = no_progress) -> str:
        """Classify with another model (a Hub id or folder; None = bundled); the current one stays on error."""
        classifier = self._models.get(f"classifier|{spec}", lambda: SpamClassifier(self._load_classifier(spec, progress)))
        previous, self.classifier_choice = self.classifier_choice, spec
        if previous not in (spec, None):
            self._models.forget(f"classifier|{previous}")
        return classifier.describe()

    # --- the seed's contracts --------------------------------------------------------------------------

    def classify_spam(self, text: str) -> ClassifyResult:
        """`{"classification", "confidence", "probabilities"}` for one message (`notice` when it was cut)."""
        return self.batch_classify([text])[0]

    def batch_classify(
        self, texts: Sequence[str], batch_size: int = 16, progress: Callable[[int, int], None] | None = None
    ) -> list[ClassifyResult]:
        """One result dict per text, in input order. Raises `ValueError` naming the first empty text."""
        prepared = []
        for position, text in enumerate(texts, start=1):
            try:
                prepared.append(prepare_text(text, self.settings.max_input_chars))
            except ValueError as error:
                raise (ValueError(f"Message {position}: {error}") if len(texts) > 1 else error) from None
        probabilities = self.classifier().spam_probabilities([p.text for p in prepared], batch_size, progress)
        results = []
        for item, probability in zip(prepared, probabilities):
            result = result_from_probability(probability)
            if item.notice:
                result["notice"] = item.notice
            results.append(result)
        return results

    def judge(self, text: str) -> float:
        """The chat model's own probability that `text` is a scam: the classifier tab's second opinion."""
        from scamlab.engine.judge import judge_spam_probability

        return judge_spam_probability(self.chat_backend(), text)

    def stream_reply(
        self,
        conversation: str | Sequence[Message],
        persona: str,
        style: str,
        scenario: str | None = None,
        params: GenerationParams | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[str]:
        """Yield the reply so far, cleaned, as it grows. Closing the iterator stops the model.

        With `params.candidates` > 1 the model writes that many replies (seeds `seed`, `seed + 1`, ...) and
        the one the spam classifier finds most in character is yielded once: the most scam-like for the
        scammer, the least for the victim.
        """
        params = params or GenerationParams()
        checked = self._checked_conversation(conversation)
        backend = self.chat_backend()
        if backend.prompt_format == "transcript":
            if persona == "scammer" and not normalize_conversation(checked, persona):
                # The 135M model writes weak first messages; it opens with one of the scenario's written ones.
                openers = get_scenario(scenario or DEFAULT_SCENARIO_ID).openers
                yield random.Random(params.seed).choice(openers)
                return
            prompt: str | list[Message] = build_transcript(checked, persona, style, scenario)
        else:
            prompt = build_chat_messages(checked, persona, style, scenario)
        if params.candidates == 1:
            yield from self._stream_one(backend, prompt, params, stop, FALLBACK_LINES[persona])
            return
        earlier = [m["content"] for m in normalize_conversation(checked, persona)]
        replies = []
        for offset in range(params.candidates):
            seed = None if params.seed is None else params.seed + offset
            one = replace(params, seed=seed, candidates=1)
            reply = next(reversed(list(self._stream_one(backend, prompt, one, stop, ""))), "")
            if reply and not any(is_near_copy(reply, line) for line in earlier):
                replies.append(reply)
            if stop is not None and stop.is_set():
                break
        yield self.most_in_character(persona, replies) or FALLBACK_LINES[persona]

    def most_in_character(self, persona: str, replies: Sequence[str]) -> str:
        """The reply the classifier scores most scam-like (scammer) or least (victim); "" when there is none."""
        if not replies:
            return ""
        spam = self.classifier().spam_probabilities(list(replies))
        sign = 1 if persona == "scammer" else -1
        return max(zip(replies, spam), key=lambda pair: sign * pair[1])[0]

    @staticmethod
    def _stream_one(
        backend: ChatBackend,
        prompt: str | list[Message],
        params: GenerationParams,
        stop: threading.Event | None,
        fallback: str,
    ) -> Iterator[str]:
        """Stream one cleaned reply. A reply that drifts into a topic unfit for a class is stopped at once
        and replaced by `fallback` (nothing when `fallback` is empty)."""
        transcript = isinstance(prompt, str)
        scene = prompt.split("\n", 1)[0] if transcript else prompt[0]["content"]
        raw = shown = ""
        pieces = backend.stream(prompt, params, stop)
        try:
            for piece in pieces:
                raw += piece
                if is_finished_turn(raw, single_line=transcript):
                    break
                partial = clean_partial_reply(raw, scene)
                if not is_fit_for_class(partial):
                    yield fallback
                    return
                if partial != shown:
                    shown = partial
                    yield shown
        finally:
            pieces.close()
        final = clean_reply(raw, scene)
        if final != shown:
            yield final


    def generate_reply(
        self,
        conversation: str | Sequence[Message],
        persona: str,
        style: str,
        scenario: str | None = None,
        **generation_params: object,
    ) -> str:
        """The persona's next message as clean text (no role prefix, template tokens or contact points)."""
        reply = ""
        for reply in self.stream_reply(conversation, persona, style, scenario, GenerationParams(**generation_params)):
            pass
        return reply

    def _checked_conversation(self, conversation: str | Sequence[Message]) -> str | list[Message]:
        """Cut over-long messages and strip control characters; an empty string is an error."""
        limit = self.settings.max_input_chars
        if isinstance(conversation, str):
            return prepare_text(conversation, limit).text
        checked = []
        for message in conversation:
            content = str(message.get("content") or "")
            if content.strip():
                checked.append({"role": str(message.get("role", "user")), "content": prepare_text(content, limit).text})
        return checked


def is_near_copy(reply: str, earlier: str, threshold: float = 0.6) -> bool:
    """True when two messages share most of their words (a small model likes to repeat earlier lines)."""
    words, other = set(reply.lower().split()), set(earlier.lower().split())
    return bool(words and other) and len(words & other) / len(words | other) >= threshold
