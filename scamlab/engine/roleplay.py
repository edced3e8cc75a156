"""The role-play policy: state -> prompt -> N candidates -> ranked, cleaned reply, or a playbook line.

The script comes from the playbooks (`scamlab.playbooks`); the model's job is small. For each AI turn:

1. **State**: the scammer's stage follows its own turn count (hook, trust, urgency, ask, pressure, exit, then
   round again); the victim answers the scammer's last *move*. The other side's last message is matched to
   intent examples by sentence embeddings (bundled MiniLM).
2. **Prompt**: the scene, 2-3 playbook lines of the stage or move, the conversation. A transcript to continue
   for a model that continues transcripts; the same guidance as a system prompt for a chat model.
3. **Candidates**: N replies from ONE batched call (`ChatBackend.stream_candidates`).
4. **Ranking**: closeness to the stage or move, persona fit, novelty, length, classroom fitness.
5. **Reply**: the best candidate that passes `RankingRules`, else a playbook line never used before in the
   conversation that fits what the other side said (`scamlab.line_premises`). When the victim asked "who is
   this?" or about something in particular (`scamlab.question_topics`), or doubted, refused, stalled, the
   scammer's reply starts with a playbook answer; the candidate or line then carries the stage.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from scamlab import choice_question, line_premises, playbooks, question_topics, turn_moves
from scamlab.engine.chat import ChatBackend, GenerationParams, Prompt
from scamlab.engine.prompt_window import PROMPT_WINDOWS, prompt_window
from scamlab.engine.reply_cleaning import clean_reply, has_invented_placeholder, is_near_copy, shares_three_words_in_a_row
from scamlab.engine.sentences import SentenceEncoder
from scamlab.engine.sequence_streams import at_most_every
from scamlab.personas import Message, build_chat_messages, build_transcript, fallback_line, get_persona, get_style
from scamlab.safety import is_fit_for_class
from scamlab.scenarios import get_scenario

# Words that show a candidate stepped out of the role-play (an assistant voice, the transcript's labels).
OUT_OF_ROLE = ("scammer", "victim", "as an ai", "language model", "assistant", "role-play", "roleplay", "transcript")
# Lines answering the other side's message most closely first: quoting it, then answering what it said (premises).
CLOSEST_FIRST = (playbooks.quotes_other_side, line_premises.has_premise)
LINE_TOKENS = 40  # most tokens a transcript model may spend on one candidate line
WRITING_EVERY_SECONDS = 0.25  # "writing" replies at most this often (each is an update sent to the student)


@dataclass(frozen=True)
class RankingRules:
    """When a model-written candidate may be sent instead of a playbook line (defaults measured on the bundled
    model; see `RANKING_RULES` for the bar each prompt format gets)."""

    min_closeness: float = 0.55  # cosine to the nearest line of the stage or move
    min_margin: float = 0.0  # ...and at least this much closer to its own stage or move than to any other
    max_echo: float = 0.85  # cosine to the other side's last message: above it, the model is echoing
    max_repeat: float = 0.85  # cosine to any earlier message or playbook line: above it, nothing new
    min_words: int = 3
    max_words: int = 40
    persona_weight: float = 0.3  # how much persona fit (own side's lines vs the other side's) counts
    # A message whose nearest group of examples is further than this does nothing special. Chosen on students'
    # messages written apart from the examples (0.3 against 0.4: 0.90 / 0.92 right against 0.83 / 0.85).
    min_intent_similarity: float = 0.3
    # ...and a question's topic (`question_topics`): a wrong topic answers a question nobody asked.
    min_topic_similarity: float = 0.6


# The bundled 135M model's candidates that passed 0.55 read badly in a strict blind read (4 of 4 on 88 turns, at
# cosine 0.57-0.76: "our role has changed slightly as a separate group of individuals"): it may send only
# near-paraphrases of its stage. A chat model keeps the measured default.
RANKING_RULES = {"transcript": RankingRules(min_closeness=0.8), "chat": RankingRules()}


@dataclass(frozen=True)
class TurnState:
    """Where the conversation stands for the AI's next message."""

    persona: str
    style: str
    scenario: str
    step: str  # the stage (scammer) or the scammer's move being answered (victim)
    intent: str  # what the victim just did (scammer turns; "other" when nothing to answer)
    slots: dict[str, str]
    earlier: tuple[str, ...]  # every message so far
    last_other: str  # the other side's last message ("" at the start)
    other_said: tuple[str, ...] = ()  # every message of the other side so far
    topic: str = ""  # what the victim asked about in particular (`question_topics`; scammer turns)
    second_topic: str = ""  # ...and what else, in a question of its own ("Which branch? And why the rush?")
    introduced: bool = False  # the scammer already gave its name: no line introduces it again

    @property
    def is_scammer(self) -> bool:
        return self.persona == "scammer"

    @property
    def label(self) -> str:
        return playbooks.STAGE_LABELS[self.step] if self.is_scammer else turn_moves.MOVE_LABELS[self.step]

    @property
    def tactic(self) -> str:
        """The stage's tactic (scammer), or the move the victim answers."""
        return (playbooks.get_playbook(self.scenario).stages[self.step].tactic if self.is_scammer
                else f"Answering: {turn_moves.MOVE_LABELS[self.step].lower()}")


@dataclass(frozen=True)
class RolePlayReply:
    """The AI's message with what it is doing; `source` is "model", "playbook" or "writing" (not done yet)."""

    text: str
    persona: str
    step: str
    label: str
    tactic: str
    source: str
    candidates: int = 0

    @property
    def done(self) -> bool:
        return self.source != "writing"

    @property
    def stage_note(self) -> str:
        """What a transcript records: "Ask: Asking for the one-time code", or the move a victim answered."""
        return f"{self.label}: {self.tactic}" if self.persona == "scammer" else self.tactic


@dataclass(frozen=True)
class Ranked:
    """One cleaned candidate with its scores; `problem` says why it may not be sent ("" when it may)."""

    text: str
    closeness: float
    margin: float
    persona_fit: float
    score: float
    problem: str


class RolePlay:
    """One backend and encoder playing either side of a scenario (stateless between calls)."""

    def __init__(self, backend: ChatBackend, encoder: SentenceEncoder, rules: RankingRules | None = None) -> None:
        self.backend, self.encoder = backend, encoder
        self.rules = rules or RANKING_RULES.get(backend.prompt_format, RankingRules())

    # --- state ---------------------------------------------------------------------------------------

    def state(self, history: Sequence[Message], persona: str, style: str, scenario: str) -> TurnState:
        """The stage or move for the AI's next message; `history` is `normalize_conversation`'s output."""
        playbook = playbooks.get_playbook(scenario)
        last = max((i for i, m in enumerate(history) if m["role"] == "user"), default=None)
        last_other = history[last]["content"] if last is not None else ""
        before = [m["content"] for m in history[:last or 0]]
        other_said = tuple(m["content"] for m in history if m["role"] == "user")
        own_said = [m["content"] for m in history if m["role"] == "assistant"]
        amount = line_premises.amount_in_play(playbook.slots["amount"], history)
        topic = question_topics.leading(last_other, self.recognise(last_other, question_topics.TOPIC_CUES,
                question_topics.TOPIC_EXAMPLES, "", self.rules.min_topic_similarity)) if persona == "scammer" else ""
        heard = playbooks.heard_slots(other_said, scenario, playbook.slots)  # "my bank is Barclays", "Dad's phone"
        alias = choice_question.named_alias(other_said, heard["alias"], heard["brand"])  # Sam or Jake?
        names = (alias, heard["brand"], heard["story_words"])  # what a choice picked may name
        slots = {**heard, "alias": alias, "amount": amount,
                 **turn_moves.quoted_slots(last_other, before, not topic, names)}
        topic = "choice" if slots["choice"] and persona == "scammer" else topic  # picking an option answers it
        introduced = any(alias in said for said in own_said)
        if persona == "scammer":
            intent = self.recognise(line_premises.without_suppositions(last_other), turn_moves.VICTIM_INTENT_CUES,
                                    turn_moves.VICTIM_INTENT_EXAMPLES, "other")
            asks = intent == "other" and turn_moves.asks_something(last_other)
            if asks or (turn_moves.names_a_request(slots) and intent in turn_moves.NAMED_ASK_WINS):
                intent = "question"  # a question of its own, or a named request, gets an answer (or a dodge)
            intent = "identity_again" if intent == "identity" and introduced else intent  # "As I said, I'm Daniel"
            step = playbooks.answering_stage(len(own_said), intent, topic)
            if step in playbooks.PAID_MOVES_ON and any(line_premises.says_paid(m) for m in other_said):
                step = "exit"  # once the victim says they paid, the scam moves on to a new angle (another fee)
        else:  # a greeting or an unclear message opens the conversation; later it nudges or talks the victim round
            read = turn_moves.move_reading(last_other)
            step = self.recognise(read, turn_moves.SCAMMER_MOVE_CUES, turn_moves.SCAMMER_MOVE_EXAMPLES, "contact",
                                  needs_words=turn_moves.MOVE_NEEDS_WORDS)
            step = "reassurance" if step == "contact" and any(m["role"] == "user" for m in history[:-1]) else step
            intent = "other"
        return TurnState(persona, style, scenario, step, intent, slots, tuple(m["content"] for m in history), last_other,
                         other_said, topic, question_topics.second_topic(last_other, topic), introduced)

    def recognise(self, text: str, cues: dict[str, tuple[str, ...]], examples: dict[str, tuple[str, ...]], default: str,
                  min_similarity: float | None = None, needs_words: dict[str, tuple[str, ...]] | None = None) -> str:
        """What a message does: the group its cue words name, else the group whose two nearest examples are
        nearest in meaning on average, among those whose `needs_words` (if any) the message uses (`default` for an
        empty message or one close to no group)."""
        if not text:
            return default
        found = turn_moves.cue_match(text, cues)
        if found:
            return found
        similarity = self.encoder.similarity([text], [line for key in examples for line in examples[key]])[0]
        scores, start = {}, 0
        for key, lines in examples.items():
            scores[key] = float(similarity[start : start + len(lines)].topk(min(2, len(lines))).values.mean())
            start += len(lines)
        fitting = [key for key in scores if key not in (needs_words or {}) or line_premises.says_any(text, needs_words[key])]
        best = max(fitting, key=scores.__getitem__, default=default)
        return best if best in scores and scores[best] >= (min_similarity or self.rules.min_intent_similarity) else default

    # --- playbook lines ------------------------------------------------------------------------------

    def lines_for(self, state: TurnState, step: str | None = None, style: str | None = None) -> list[str]:
        """The filled playbook lines of a stage or move (the current one unless named)."""
        step, style = step or state.step, style or state.style
        templates = (playbooks.stage_lines(state.scenario, step, style) if state.is_scammer
                     else playbooks.victim_lines(style, step))
        return [line for line in (playbooks.fill(t, state.slots) for t in templates) if line]

    @staticmethod
    def is_used(line: str, state: TurnState) -> bool:
        """True when the line (or its plain core, without a style's voice) was already said."""
        return any((len(said.split()) >= 5 and (said in line or line in said)) or is_near_copy(line, said)
                   for said in state.earlier)

    def answer_lead(self, state: TurnState, rng: random.Random) -> str:
        """Answers to the victim's one or two topics, else intent; "How did you get my number, who are you?" gets both."""
        intent = "" if state.topic == "leaving" else state.intent  # a goodbye gets only its own answer
        second = self._answer(state.second_topic, state, rng)
        keys = (state.topic, intent, *turn_moves.also_asked(intent, state.last_other, state.slots))
        found = [answer for key in keys if (answer := self._answer(key, state, rng, beside=second))]
        named = intent in ("question", "proof") and turn_moves.names_a_request(state.slots)  # "...and your staff ID?"
        named |= intent == "identity_again" and "name" in state.last_other.lower()  # "your name again, and...?"
        both = len(found) == 2 and (named or intent == "identity" and state.slots["alias"] not in found[0])
        return " ".join([second, *found][:2] if second else (found if both else found[:1]))

    def _answer(self, key: str, state: TurnState, rng: random.Random, beside: str = "") -> str:
        """An answer for the topic or intent `key` not said before, nor saying again what `beside` says."""
        answers = playbooks.get_playbook(state.scenario).answers if state.is_scammer else {}
        options = [t for t in answers.get(key, ()) if self.fits(t, state)]
        fresh = [(template, line) for template, line in ((t, playbooks.fill(t, state.slots)) for t in options)
                 if line and not self.is_used(line, state) and not shares_three_words_in_a_row(line, beside)]
        for answers_closely in (*CLOSEST_FIRST, bool):
            if close := [line for template, line in fresh if answers_closely(template)]:
                return rng.choice(close)
        return ""

    def playbook_line(self, state: TurnState, rng: random.Random, lead: str = "") -> str:
        """A line of the stage or move not said before in the conversation (and not repeating `lead`).

        A scammer line comes in the style's voice from the urgency stage on ("This is urgent." does not build
        trust), unless it follows a lead or its voice was already heard or does not fit the message."""
        for pool in self._pools(state):
            fresh = [(plain, styled) for plain, styled in pool
                     if not self.is_used(plain, state) and not self._repeats_lead(plain, lead, state)]
            if fresh:
                plain, styled = rng.choice(fresh)
                extra = styled.replace(plain, "").strip()
                unfit = extra and (any(extra in said for said in state.earlier) or not self.fits(extra, state))
                return plain if lead or unfit or state.step in ("hook", "trust") else styled
        return fallback_line(state.persona, state.earlier)

    def _pools(self, state: TurnState) -> Iterator[list[tuple[str, str]]]:
        """Pairs (plain, styled) of filled lines: the current stage or move first, then the nearest fallbacks."""
        if state.is_scammer:
            for stage in (state.step, *reversed(playbooks.STAGE_ORDER[2:])):
                pairs = playbooks.stage_line_pairs(state.scenario, stage, state.style)
                yield self._filled([pair for pair in pairs if self.fits(pair[0], state)], state)
        else:  # a line quoting the scammer's own words (or answering what they said) first: it answers this message
            for style in playbooks.victim_voice_order(state.style):
                lines = [line for line in playbooks.victim_lines(style, state.step) if self.fits(line, state)]
                for answers_closely in CLOSEST_FIRST:
                    yield self._filled([(line, line) for line in lines if answers_closely(line)], state)
                yield self._filled([(line, line) for line in lines], state)

    @staticmethod
    def fits(line: str, state: TurnState) -> bool:
        """Whether a playbook line fits the conversation (`line_premises.fits_the_conversation`); a scammer gives in
        only after a "no" and its name only once; a victim echoes only a word the message used."""
        if state.is_scammer and playbooks.presumes_a_no(line) and state.intent not in turn_moves.SAYING_NO:
            return False
        if state.introduced and "{alias}" in line and state.intent != "identity_again":
            return False
        if not state.is_scammer and turn_moves.echoes_a_missing_word(line, state.step, state.last_other):
            return False
        own = [message for message in state.earlier if message not in state.other_said]
        return line_premises.fits_the_conversation(line, state.last_other, state.other_said, own)

    @staticmethod
    def _filled(pairs: Sequence[tuple[str, str]], state: TurnState) -> list[tuple[str, str]]:
        filled = [(playbooks.fill(plain, state.slots), playbooks.fill(styled, state.slots)) for plain, styled in pairs]
        return [(plain, styled) for plain, styled in filled if plain and styled]

    @staticmethod
    def _repeats_lead(line: str, lead: str, state: TurnState) -> bool:
        """True when the line would say again what the lead said: its name, most of its words, three words in a row,
        or the topic it answered (read 28: "your whole balance is released", then "Withdrawals open at £1,000")."""
        alias, topics = state.slots.get("alias", ""), {state.topic, state.second_topic} - {"", "leaving"}
        return bool(lead) and ((alias and alias in lead and alias in line) or is_near_copy(line, lead, 0.3)
                               or shares_three_words_in_a_row(line, lead) or question_topics.names(line, topics))

    # --- prompt --------------------------------------------------------------------------------------

    def prompt(self, state: TurnState, history: Sequence[Message], examples: Sequence[str], answers_first: bool) -> Prompt:
        """The scene, the stage's or move's example lines and the conversation, in the backend's format.

        `answers_first`: the reply will start with a written answer to the other side's question, so a chat
        model is told to carry the stage only (a transcript model always writes just the stage's line)."""
        persona = get_persona(state.persona)
        guide = f"Next, the {persona.speaker.lower()}'s message ({state.label}: {state.tactic})."
        history = prompt_window(history, PROMPT_WINDOWS.get(self.backend.prompt_format, PROMPT_WINDOWS["chat"]))
        if self.backend.prompt_format == "transcript":
            scene, conversation = build_transcript(history, state.persona, state.style, state.scenario).split("\n", 1)
            shown = "\n".join(f"{persona.speaker}: {line}" for line in examples)
            return f"{scene}\n{guide} For example:\n{shown}\n{conversation.lstrip()}"
        messages = build_chat_messages(history, state.persona, state.style, state.scenario)
        quoted = " ".join(f'"{line}"' for line in examples)
        only_stage = " Their question is answered already: write only this step." if answers_first else ""
        system = f"{messages[0]['content']} {guide}{only_stage} In the spirit of: {quoted} Use placeholders like [LINK]."
        return [{"role": "system", "content": system}, *messages[1:]]

    # --- ranking -------------------------------------------------------------------------------------

    def rank(self, state: TurnState, candidates: Sequence[str], avoid: Sequence[str] = ()) -> list[Ranked]:
        """Candidates best first, each scored; those with a `problem` must not be sent."""
        candidates = [text for text in dict.fromkeys(candidates) if text]
        if not candidates:
            return []
        own = self.lines_for(state)
        steps = playbooks.STAGE_ORDER if state.is_scammer else turn_moves.SCAMMER_MOVES
        others = [line for step in steps if step != state.step for line in self.lines_for(state, step=step)]
        mine, theirs = self._persona_lines(state)
        said = [*state.earlier, *avoid]
        closeness = self.encoder.similarity(candidates, own).max(dim=1).values.tolist()
        elsewhere = self.encoder.similarity(candidates, others).max(dim=1).values.tolist()
        fit = (self.encoder.similarity(candidates, mine).max(dim=1).values
               - self.encoder.similarity(candidates, theirs).max(dim=1).values).tolist()
        repeat = self.encoder.similarity(candidates, said).max(dim=1).values.tolist() if said else [0.0] * len(candidates)
        echo = self.encoder.similarity(candidates, [state.last_other]).max(dim=1).values.tolist() if state.last_other else [0.0] * len(candidates)
        ranked = []
        for i, text in enumerate(candidates):
            margin = closeness[i] - elsewhere[i]
            score = closeness[i] + self.rules.persona_weight * fit[i]
            problem = self._problem(state, text, closeness[i], margin, fit[i], max(repeat[i], 0.0), echo[i])
            ranked.append(Ranked(text, closeness[i], margin, fit[i], score, problem))
        return sorted(ranked, key=lambda r: (bool(r.problem), -r.score))

    def _problem(self, state: TurnState, text: str, closeness: float, margin: float, fit: float, repeat: float,
                 echo: float) -> str:
        rules, lowered = self.rules, text.lower()
        checks = (
            (not rules.min_words <= len(text.split()) <= rules.max_words, "length"),
            (not is_fit_for_class(text), "not fit for a class"),
            (has_invented_placeholder(text), "invented placeholder"),
            (any(word in lowered for word in OUT_OF_ROLE), "out of role"),
            (not state.is_scammer and ("[" in text or sum(c.isdigit() for c in text) >= 4), "victim gives details"),
            (closeness < rules.min_closeness, "off the stage or move"),
            (margin < rules.min_margin, "closer to another stage or move"),
            (fit < 0, "sounds like the other side"),
            (repeat > rules.max_repeat, "repeats an earlier line"),
            (echo > rules.max_echo, "echoes the other side"),
        )
        return next((reason for failed, reason in checks if failed), "")

    def _persona_lines(self, state: TurnState) -> tuple[list[str], list[str]]:
        scammer = [line for stage in playbooks.STAGE_ORDER for line in self.lines_for(
            TurnState("scammer", "neutral", state.scenario, stage, "other", state.slots, (), ""))]
        victim = [line for move in turn_moves.SCAMMER_MOVES for line in self.lines_for(
            TurnState("victim", "neutral", state.scenario, move, "other", state.slots, (), ""))]
        return (scammer, victim) if state.is_scammer else (victim, scammer)

    # --- one turn ------------------------------------------------------------------------------------

    def stream(self, history: Sequence[Message], persona: str, style: str, scenario: str, params: GenerationParams,
               stop: threading.Event | None = None) -> Iterator[RolePlayReply]:
        """Yield "writing" replies while the candidates are written, then the chosen reply (last, `done`).

        Closing the iterator (or setting `stop`) stops the model at once; nothing more is yielded then."""
        get_persona(persona), get_style(style)  # unknown ids are ValueErrors naming the valid ones
        state = self.state(history, persona, style, scenario)
        seeded = f"{params.seed}|{scenario}|{style}|{persona}|{len(history)}"
        rng = random.Random(seeded) if params.seed is not None else random.Random()

        def reply(text: str, source: str, count: int = 0) -> RolePlayReply:
            return RolePlayReply(text, persona, state.step, state.label, state.tactic, source, count)

        if persona == "scammer" and not history and self.backend.prompt_format == "transcript":
            # The 135M model writes weak first messages; the scammer opens with a written opener.
            yield reply(rng.choice(get_scenario(scenario).openers), "playbook")
            return
        lead = self.answer_lead(state, rng)
        lines = self.lines_for(state)
        examples = rng.sample(lines, k=min(3, len(lines)))
        prompt = self.prompt(state, history, examples, bool(lead))
        scene = prompt.split("\n", 1)[0] if isinstance(prompt, str) else prompt[0]["content"]
        if isinstance(prompt, str):  # one text-message line; a longer candidate fails the length rule anyway
            params = replace(params, max_new_tokens=min(params.max_new_tokens, LINE_TOKENS))
        texts: list[str] = []
        pieces = self.backend.stream_candidates(prompt, params, params.candidates, stop)
        try:
            for texts in at_most_every(WRITING_EVERY_SECONDS, pieces):
                yield reply("", "writing", len(texts))
        finally:
            pieces.close()
        if stop is not None and stop.is_set():
            return
        ranked = self.rank(state, [clean_reply(text, scene) for text in texts], avoid=[*examples, lead])
        if ranked and not ranked[0].problem:
            yield reply(f"{lead} {ranked[0].text}".strip(), "model", len(texts))
        else:
            yield reply(f"{lead} {self.playbook_line(state, rng, lead)}".strip(), "playbook", len(texts))

