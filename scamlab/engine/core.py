"""The engine: which models answer, loaded once, behind the public calls.

`Engine` knows nothing of Gradio. The UI and the CLI call its methods; `scamlab.engine` exposes the
module-level functions other code relies on (`classify_spam`, `batch_classify`, `generate_reply`) on a shared
engine.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from transformers import AutoModel, AutoModelForCausalLM, AutoModelForSequenceClassification

from scamlab.config import Settings, load_settings
from scamlab.engine import bundled
from scamlab.engine.background import BackgroundWork
from scamlab.engine.batching import MicroBatcher
from scamlab.engine.chat import ChatBackend, GenerationParams, LocalChatBackend
from scamlab.engine.classifier import ClassifyResult, SpamClassifier, result_from_probability
from scamlab.engine.classifier_build import built_bundled_classifier
from scamlab.engine.conversation import ConversationScorer
from scamlab.engine.errors import ModelLoadError
from scamlab.engine.inputs import PreparedText, prepare_text
from scamlab.engine.llama_cpp import LlamaCppChatBackend, use_llama_cpp
from scamlab.engine.remote import EndpointNotAllowed, RemoteChatBackend, endpoint_is_allowed, may_receive_token
from scamlab.engine.loading import (
    LoadedModel,
    ModelCache,
    ProgressFn,
    convert_gguf,
    converted_gguf_dir,
    load_pretrained,
    no_progress,
    resolve_device,
)
from scamlab.engine.roleplay import RolePlay, RolePlayReply
from scamlab.engine.sentences import SentenceEncoder
from scamlab.personas import Message, normalize_conversation
from scamlab.scenarios import DEFAULT_SCENARIO_ID

log = logging.getLogger(__name__)

BUNDLED_CHAT_NAME = "SmolLM2-135M-Instruct (bundled)"
BUNDLED_CLASSIFIER_NAME = "MiniLM-L6 spam classifier (bundled)"
BUNDLED_ENCODER_NAME = "MiniLM-L6 sentence encoder (bundled)"
MAX_WARNINGS = 20  # the newest are kept: a model that keeps failing to load must not grow the list forever


@dataclass(frozen=True)
class EngineStatus:
    """Which models answer (each a description, or why it is not available), and the warnings."""

    chat: str
    chat_ready: bool
    classifier: str
    classifier_ready: bool
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class ReplyRequest:
    """What the AI is asked for: its next message in `conversation`, playing `persona` in `style`."""

    conversation: str | Sequence[Message]  # chat messages ({"role", "content"}), or a script to continue
    persona: str  # whom the AI plays: "scammer" or "victim"
    style: str  # how it plays them, e.g. "urgent", "skeptical" (see scamlab.personas)
    scenario: str | None = None  # the scam scenario (None: the default one)
    params: GenerationParams = field(default_factory=GenerationParams)  # sampling, seed, candidates


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
        self.warnings: deque[str] = deque(maxlen=MAX_WARNINGS)
        self._models = ModelCache()
        self.chat_choice = ChatChoice(self.settings.chat_model, self.settings.chat_endpoint)
        self.classifier_choice: str | None = self.settings.classifier_model
        self.classifier_build: BackgroundWork | None = None
        self._single_checks = MicroBatcher(self.batch_classify)  # concurrent `classify_spam` calls share a pass

    # --- loading ---------------------------------------------------------------------------------------

    @staticmethod
    def _gguf_file(spec: str | None) -> Path | None:
        """The GGUF file a chat model spec names (None: the bundled one); None for other specs."""
        if spec is not None and not spec.endswith(".gguf"):
            return None
        gguf = bundled.chat_gguf_path() if spec is None else Path(spec).expanduser()
        if not gguf.is_file():
            raise ModelLoadError(spec or str(gguf), "the GGUF file does not exist.", "check the path.")
        return gguf

    def _load_chat(self, spec: str | None, progress: ProgressFn) -> LoadedModel:
        gguf = self._gguf_file(spec)
        if gguf is not None:
            folder = convert_gguf(gguf, converted_gguf_dir(gguf, self.settings), progress)
            name = BUNDLED_CHAT_NAME if spec is None else gguf.name
            return load_pretrained(AutoModelForCausalLM, folder, self.settings, None, name, progress, quantize_on_cpu=True)
        return load_pretrained(AutoModelForCausalLM, spec, self.settings, self.settings.chat_token, spec, progress, quantize_on_cpu=True)

    def _load_classifier(self, spec: str | None, progress: ProgressFn) -> LoadedModel:
        if spec is None:
            folder = built_bundled_classifier(self.bundled_classifier_dir(), progress)
            return load_pretrained(AutoModelForSequenceClassification, folder, self.settings, None, BUNDLED_CLASSIFIER_NAME, progress)
        return load_pretrained(AutoModelForSequenceClassification, spec, self.settings, self.settings.classifier_token, spec, progress)

    def start_classifier_build(self) -> None:
        """Build the bundled classifier in a background thread, when it is the one in use and is not built yet.

        Only the build runs there, not the load: chat and other models load meanwhile as usual."""
        if self.classifier_choice is None:
            self.classifier_build = BackgroundWork(
                "Preparing the spam classifier", lambda progress: built_bundled_classifier(self.bundled_classifier_dir(), progress))

    def _await_bundled_build(self, progress: ProgressFn) -> None:
        """Follow a background build of the bundled classifier to its end, reporting its progress; raise its error.

        Called before the model cache is entered: a caller waiting inside it would hold the loading lock that the
        build itself needs. A build that failed is forgotten once reported, so that the next use tries again."""
        build = self.classifier_build
        if build is None:
            return
        try:
            build.follow(progress)
        finally:
            if not build.running and self.classifier_build is build:
                self.classifier_build = None

    def bundled_classifier_dir(self) -> Path:
        """Where the bundled classifier for the current recipe and data is (or will be) built."""
        from scamlab.engine.training import recipe_fingerprint

        return self.settings.classifier_dir / recipe_fingerprint()

    def _make_chat_backend(self, choice: ChatChoice, progress: ProgressFn) -> ChatBackend:
        if choice.endpoint:
            # The token goes to Hugging Face's hosts and the configured endpoint only, never to a URL typed in.
            token = self.settings.chat_token if may_receive_token(choice.endpoint, self.settings.chat_endpoint) else None
            return RemoteChatBackend(choice.endpoint, choice.model, token)
        # The bundled 135M model stays in character when it continues a transcript; bigger models chat.
        prompt_format = "transcript" if choice.model is None else "chat"
        gguf = self._gguf_file(choice.model)
        if gguf is not None and use_llama_cpp(self.settings.chat_runtime, resolve_device(self.settings.device)):
            progress(0.5, f"Loading {gguf.name} in llama.cpp...")
            name = BUNDLED_CHAT_NAME if choice.model is None else gguf.name
            return LlamaCppChatBackend(gguf, name, prompt_format)
        return LocalChatBackend(self._load_chat(choice.model, progress), prompt_format, batching=self.settings.batching)

    def _fall_back(self, kind: str, error: ModelLoadError) -> None:
        warning = f"{error} Using the bundled {kind} model instead."
        log.warning(warning)
        if warning not in self.warnings:
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
        """The spam classifier (built on first use when the bundled one is missing; a build running in the
        background is followed with `progress`)."""
        spec = self.classifier_choice
        if spec is None:
            self._await_bundled_build(progress)
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

        Raises `ModelLoadError` when it cannot load: the current model then stays. An endpoint that is neither
        the configured one nor in `allowed_endpoints` raises `EndpointNotAllowed`, before any connection.
        """
        allowed = (self.settings.chat_endpoint, *self.settings.allowed_endpoints)
        if choice.endpoint and not endpoint_is_allowed(choice.endpoint, allowed):
            raise EndpointNotAllowed()
        backend = self._models.get(choice.key, lambda: self._make_chat_backend(choice, progress))
        previous, self.chat_choice = self.chat_choice, choice
        if previous != choice and previous != ChatChoice():
            self._models.forget(previous.key)  # free its memory; the bundled model stays for a quick way back
        return backend.describe()

    def switch_classifier(self, spec: str | None, progress: ProgressFn = no_progress) -> str:
        """Classify with another model (a Hub id or folder; None = bundled); the current one stays on error."""
        if spec is None:
            self._await_bundled_build(progress)
        classifier = self._models.get(f"classifier|{spec}", lambda: SpamClassifier(self._load_classifier(spec, progress)))
        previous, self.classifier_choice = self.classifier_choice, spec
        if previous not in (spec, None):
            self._models.forget(f"classifier|{previous}")
        return classifier.describe()

    def status(self, progress: ProgressFn = no_progress) -> EngineStatus:
        """Which models answer now (loading them on first use), or why one cannot; the warnings."""
        described = []
        for load in (self.chat_backend, self.classifier):
            try:
                described.append((load(progress).describe(), True))
            except (ModelLoadError, ValueError, OSError) as error:  # shown, not raised: a page must still load
                described.append((str(error), False))
        (chat, chat_ready), (classifier, classifier_ready) = described
        return EngineStatus(chat, chat_ready, classifier, classifier_ready, tuple(self.warnings))

    def tokens_generated(self) -> int:
        """Tokens the current chat model has written in this process (lets the UI show what a reply cost)."""
        return self.chat_backend().tokens_generated

    # --- checking messages ------------------------------------------------------------------------------

    def checked_text(self, text: object) -> str:
        """`text` as the classifier sees it: control characters gone, cut to the input limit.

        Raises `ValueError` when it is not text or is empty. The one place the input limit is applied.
        """
        return prepare_text(text, self.settings.max_input_chars).text

    def classify_spam(self, text: str) -> ClassifyResult:
        """`{"classification", "confidence", "probabilities"}` for one message (`notice` when it was cut).

        Calls from several threads at once are classified together in one forward pass, each getting its own
        result. An empty text raises `ValueError` for its caller only.
        """
        self.checked_text(text)
        return self._single_checks(text)

    def batch_classify(
        self, texts: Sequence[str], batch_size: int = 16, progress: Callable[[int, int], None] | None = None
    ) -> list[ClassifyResult]:
        """One result dict per text, in input order. A text that cannot be checked (empty, not text) gets
        `{"error": why}` in its slot; the others are answered as usual."""
        prepared: dict[int, PreparedText] = {}
        results: list[ClassifyResult] = []
        for index, text in enumerate(texts):
            try:
                prepared[index] = prepare_text(text, self.settings.max_input_chars)
                results.append({})
            except ValueError as error:
                results.append({"error": str(error)})
        assessments = self.classifier().assessments([p.text for p in prepared.values()], batch_size, progress) if prepared else []
        for (index, item), (probability, evidence) in zip(prepared.items(), assessments):
            results[index] = {**result_from_probability(probability), **evidence}
            if item.notice:
                results[index]["notice"] = item.notice
        return results

    def judge(self, text: str) -> float:
        """The chat model's own probability that `text` is a scam: the classifier tab's second opinion."""
        from scamlab.engine.judge import judge_spam_probability

        return judge_spam_probability(self.chat_backend(), text)

    def sentence_encoder(self, progress: ProgressFn = no_progress) -> SentenceEncoder:
        """The bundled MiniLM sentence encoder (loaded on first use): the role-play's sense of meaning."""
        return self._models.get("sentence-encoder", lambda: SentenceEncoder(load_pretrained(
            AutoModel, bundled.encoder_dir(), self.settings, None, BUNDLED_ENCODER_NAME, progress)))

    def conversation_scorer(self, progress: ProgressFn = no_progress) -> ConversationScorer:
        """The conversation scam meter over the sentence encoder (built into the cache on first use)."""
        from scamlab.engine.conversation_build import load_conversation_scorer

        return self._models.get("conversation", lambda: load_conversation_scorer(self.settings, self.sentence_encoder(progress), progress))

    def score_conversation(self, messages: Sequence[Mapping[str, object]]) -> dict:
        """P(scam | the conversation so far) after each message (`{"role": "them" | "me", "content"}`; also
        scammer/victim, assistant/user): `{"turn_scores", "scam_probability", "first_flag_turn", "message_scores"}`.
        Each message is cut to the input limit; an empty message is an error naming it."""
        checked = []
        for position, message in enumerate(messages, start=1):
            try:
                content = self.checked_text(message.get("content", message.get("text")))
            except ValueError as error:
                raise ValueError(f"Message {position}: {error}") from None
            checked.append({"role": message.get("role", message.get("speaker", "")), "content": content})
        return self.conversation_scorer().score(checked)

    def stream_roleplay(self, request: ReplyRequest, stop: threading.Event | None = None) -> Iterator[RolePlayReply]:
        """The AI's next message with its stage or move (`scamlab.engine.roleplay`): "writing" replies while
        `request.params.candidates` candidates are written in one batched call, then the chosen reply.

        Closing the iterator stops the model."""
        checked = self._checked_conversation(request.conversation)
        history = normalize_conversation(checked, request.persona)
        player = RolePlay(self.chat_backend(), self.sentence_encoder())
        scenario = request.scenario or DEFAULT_SCENARIO_ID
        yield from player.stream(history, request.persona, request.style, scenario, request.params, stop)

    def stream_reply(self, request: ReplyRequest, stop: threading.Event | None = None) -> Iterator[str]:
        """Yield the reply so far, growing: "" while the candidates are written (the UI shows "writing..."), then
        the chosen, cleaned reply typed out a few words at a time (the last piece is the whole reply).

        Closing the iterator stops the model. `stream_staged_reply` adds the stage the reply plays.
        """
        stream = self.stream_staged_reply(request, stop)
        try:
            for text, _ in stream:
                yield text
        finally:
            stream.close()

    def stream_staged_reply(self, request: ReplyRequest, stop: threading.Event | None = None) -> Iterator[tuple[str, str | None]]:
        """`stream_reply`'s pieces, each with the stage (scammer: "Ask: Asking for the one-time code") or move
        (victim) the chosen reply plays; None while the candidates are written. Closing it stops the model."""
        before, completed = self.tokens_generated(), False
        stream = self.stream_roleplay(request, stop)
        try:
            for reply in stream:
                if not reply.text:
                    yield "", None
                    continue
                for piece in typed_out(reply.text):
                    yield piece, reply.stage_note
            completed = True
        finally:
            stream.close()
            if not completed:  # Stop, or a client gone: the log shows the model really stopped
                made = self.tokens_generated() - before
                log.info("Reply stopped early after %d new tokens (limit %d).", made, request.params.max_new_tokens)

    def most_in_character(self, persona: str, replies: Sequence[str]) -> str:
        """The reply the classifier scores most scam-like (scammer) or least (victim); "" when there is none."""
        if not replies:
            return ""
        spam = self.classifier().spam_probabilities(list(replies))
        sign = 1 if persona == "scammer" else -1
        return max(zip(replies, spam), key=lambda pair: sign * pair[1])[0]

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
        request = ReplyRequest(conversation, persona, style, scenario, GenerationParams(**generation_params))
        for reply in self.stream_reply(request):
            pass
        return reply

    def _checked_conversation(self, conversation: str | Sequence[Message]) -> str | list[Message]:
        """Cut over-long messages and strip control characters; an empty string is an error."""
        if isinstance(conversation, str):
            return self.checked_text(conversation)
        checked = []
        for message in conversation:
            content = str(message.get("content") or "")
            if content.strip():
                checked.append({"role": str(message.get("role", "user")), "content": self.checked_text(content)})
        return checked


def typed_out(text: str, words_per_piece: int = 3) -> Iterator[str]:
    """`text` as growing prefixes that end between words, the last one `text` itself; nothing for ""."""
    words = text.split(" ")
    for end in range(words_per_piece, len(words), words_per_piece):
        yield " ".join(words[:end])
    if text:
        yield text
