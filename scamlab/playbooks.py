"""Scam playbooks as data: the scam's stages and tactics, the victim's moves, and what each side says.

A real scam follows a script: a hook, trust, urgency, the ask, pressure when the target hesitates, then an
exit or a new angle. Each scenario's script (the table `scamlab/data/scam_scripts.json`) gives every stage a
tactic name, a one-line explanation for students and example lines in a plain voice; a scammer style adds its
voice (`STYLE_VOICES`). A script also holds the slot values its lines are filled with and the scammer's answers
when asked who they are, what they want or how much (`identity`, `purpose`, `question`; others override the
defaults).
A victim answers what the scammer just did (its *move*, recognised as `scamlab.turn_moves` says) in the
victim's style. Lines are templates: slots such as ``{brand}``, ``{amount}`` or ``{their_words}`` (a scam term
the other side just used) are filled from the scenario and the conversation; a line that quotes the other
side's last message (`QUOTING_SLOTS`: ``{their_words}``, ``{asked}``) is chosen before the others when it can
be filled. Contact points are always placeholders such as ``[LINK]``.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scamlab.data import read_json
from scamlab.personas import STYLES, styles_for
from scamlab.question_topics import NAMED_DODGES, TOPIC_ANSWERS
from scamlab.scenarios import SCENARIOS
from scamlab.turn_moves import QUOTING_SLOTS

STAGE_ORDER = ("hook", "trust", "urgency", "ask", "pressure", "exit")
STAGE_LABELS = {"hook": "Hook", "trust": "Trust", "urgency": "Urgency", "ask": "Ask", "pressure": "Pressure",
                "exit": "Exit / new angle"}
# After the script's six stages a long conversation goes round these again, with lines not yet used.
REPEAT_STAGES = ("ask", "pressure", "exit")
PAID_MOVES_ON = ("trust", "urgency", "ask", "pressure")  # once the victim says they paid, the new angle instead

# A scammer style's voice: sentences added before or after a plain script line.
STYLE_VOICES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "neutral": ((), ()),
    "urgent": (("This is urgent.", "Please read this now.", "Quickly, please."),
               ("Please reply straight away.", "There is no time to lose.", "Act now, please.")),
    "friendly": (("Thanks for your message!", "Thanks for getting back to me :)", "I'm only trying to help :)"),
                 ("Any questions, just ask.", "Speak soon!", "Thank you for your patience.")),
    "authoritative": (("Please read this carefully.", "This is an official notice.", "Please note the following."),
                      ("Thank you for your cooperation.", "This conversation is recorded.", "Reference 4471.")),
    "charming": (("You seem like such a kind person.", "I can tell you're clever.", "You're lovely to talk to."),
                 ("You're wonderful, thank you.", "I knew I could count on you.", "Thank you, truly.")),
}

# The scammer's first words when the victim asked, doubted, refused or stalled (scenarios may override);
# "identity_again" answers a second "who is this?" once the scammer has given a name.
SCAMMER_ANSWERS: dict[str, tuple[str, ...]] = {
    "proof": ("You're right to be careful, and I respect that.", "I understand the doubt, there are a lot of scams about.",
              "I can't share more details by message, for your security.", "I know it's a lot to take in, but please be quick.",
              "Don't believe everything you read online. We're a fully registered company.",
              "That warning is for strangers. I'm the one trying to protect you."),
    "refusal": ("I understand, but please hear me out.", "That's your choice, but think about what you could lose.",
                "Please don't decide yet.", "OK, but let me explain once more.",
                "That warning is for strangers. I'm the one trying to protect you."),
    "check": ("There's no need to check with anyone, I can sort it out right here.",
              "If you go now, I can't help you any more.", "Checking will take too long, and we don't have that time."),
    "stall": ("Please, this can't wait.", "I'll wait, but not for long.", "Please focus, this is important.",
              "Take a moment, but come straight back to me."),
    "confusion": ("Don't worry, I'll explain it simply.", "Let me make it easy for you.",
                  "It's simple, I'll walk you through it."),
    "compliance": ("Thank you, that's very helpful.", "Great, you're doing the right thing.", "Perfect, we're nearly done."),
    "question": ("I'll give you every detail once this is sorted.",
                 "It's all on our system; what matters now is sorting it quickly.",
                 "I'll explain everything, but first we need to finish this step."),
    "denial": ("That's exactly why I'm contacting you.", "I believe you, and that's why we have to act now.",
               "Then it's a good thing we caught it in time."),
    "report": ("There's no need to involve anyone else, I can sort this out with you now.",
               "Reporting it will only slow things down, and then it's too late.",
               "Go ahead, but by then it will be too late to stop this."),
    "identity_again": ("As I said, I'm {alias} from {brand}.", "It's still {alias}, from {brand}."),
    "worry": ("Don't worry, I'm here to help you.", "Stay calm. We can fix this together if we're quick.",
              "It's going to be fine, just do exactly what I say."),
}

# How a scammer line opens when it answers a "no" (`presumes_a_no`).
AFTER_A_NO_OPENERS = ("Fine", "OK", "Forget", "I'll note", "I'll close", "Even half", "No problem", "Let's call",
                      "If the link")

# Victim lines by style, then by the scammer's move. `{their_words}` is a scam term the scammer just used.
VICTIM_LINES: dict[str, dict[str, tuple[str, ...]]] = {
    "neutral": {
        "contact": ("Hello, who is this please?", "Sorry, I don't recognise this number. What is this about?",
                    "Hi. How did you get my number?"),
        "authority": ("How do I know you're really who you say you are?",
                      "Can you give me a reference number? I'd like to {check}.", "I'd rather {check}, if that's OK."),
        "story": ("I'm sorry to hear that, but I'd like to know more first.", "That sounds hard. Why are you telling me this?",
                  "OK. What does that have to do with me?"),
        "offer": ("That sounds too good to be true. What's the catch?",
                  "I don't remember asking for this. Why me?",
                  "If it's real, I'll find it on the official website myself."),
        "flattery": ("That's kind, but we've never even met.",
                     "Thanks, but I'd like to know who I'm talking to first.",
                     "Compliments are nice, but what is this really about?"),
        "reassurance": ("Saying it's safe doesn't make it safe. I'd still like to {check}.",
                        "I appreciate that, but I'd rather {check} before anything else.",
                        "If it's all fine, it won't hurt if I check myself."),
        "link": ("I don't open links from messages. Is there another way?",
                 "I'd rather not click that. I'll go to the official website myself.", "What is this link for exactly?"),
        "code": ("I don't think I should share any codes.", "Why do you need {ask}? I was told never to share that.",
                 "I'm not comfortable giving that out by message."),
        "money": ("I'm not paying anything until I've checked this myself.", "Why would I need to pay for this?",
                  "I'd like to see this in writing before I pay anything."),
        "details": ("I'd rather not share my personal details by message.", "Why do you need my details for this?",
                    "I'll update my details myself on the official website."),
        "pressure": ("Please don't rush me. I'll check and get back to you.",
                     "If it's genuine, it can wait until I {check}.", "I'm going to take some time to think about this."),
    },
    "urgent": {
        "contact": ("Oh no, what's happened? Who is this?", "Wait, what? Is something wrong with {thing}?",
                    "I'm really worried now. Who are you exactly?"),
        "authority": ("I'm panicking a bit. How do I know this is real?",
                      "OK, I'm scared, but I want to {check} first.", "Please tell me your full name, quickly. I need to check."),
        "story": ("Oh no, that's awful! But what can I do?", "That sounds terrible. Are you safe?",
                  "Oh dear. Tell me exactly what's happened."),
        "offer": ("Really? Is this real? I don't want to miss it, but I'm nervous.",
                  "Oh! But why the rush to claim it?",
                  "Hang on, I need to know this is real before I do anything."),
        "flattery": ("Oh! That's sweet, but this is all moving very fast.",
                     "Wait, you hardly know me. Why are you saying this?",
                     "Slow down, please. We've only just started talking."),
        "reassurance": ("Are you sure? I'm still nervous about this.",
                        "I want to believe you, but I'm worried. Let me {check}.",
                        "OK... but what if it goes wrong? I need to check."),
        "link": ("I'm in a hurry, I can't open links right now. What does it say?",
                 "Is that link safe? I'm really nervous about clicking it.",
                 "Can't you just tell me what's wrong instead of sending a link?"),
        "code": ("Wait, I was told never to share that! What do I do?",
                 "Quick, why do you need {ask}? I'm scared of getting this wrong.",
                 "I'm panicking, but I really don't think I should give you the code."),
        "money": ("I don't have time for this. Why do I have to pay?", "Oh no, how much? I'm worried this isn't right.",
                  "Wait, wait. Before I pay anything, I want to {check}."),
        "details": ("Oh no, do you really need all my details right now?",
                    "I'm flustered, but I don't think I should send my details.", "Wait, which details? I need to {check} first."),
        "pressure": ("Stop rushing me, I'm getting flustered!", "Please slow down, I can't think when you rush me.",
                     "I'm stressed out. I need a minute to {check}."),
    },
    "friendly": {
        "contact": ("Hi there! Sorry, have we met? I don't have this number saved.",
                    "Hello! Kind of you to message. Who am I speaking to?", "Hi! Happy to chat, but who is this?"),
        "authority": ("Thanks for letting me know! I'll just {check} to be safe.",
                      "That's kind of you. Could you give me a reference so I can check?",
                      "Lovely, thanks. I always double-check these things, I hope you don't mind."),
        "story": ("Oh, I'm sorry to hear that. I hope things get better for you.",
                  "That sounds tough, I'm sorry. What happened exactly?",
                  "That's a lot to deal with. Let's take it one step at a time."),
        "offer": ("Oh, how nice! But I don't remember signing up for anything.",
                  "That's kind, but I'll look it up myself first, just to be safe.",
                  "Lovely surprise, but these things are usually too good to be true, aren't they?"),
        "flattery": ("Aw, that's sweet of you! Let's meet on a video call sometime.",
                     "You're kind, but I'd like to get to know you properly first.",
                     "Thank you! That's nice to hear, though we've only just met."),
        "reassurance": ("Thanks for explaining! I'd still like to {check}, if that's OK.",
                        "That's reassuring, thank you. I'll just double-check myself.",
                        "I'm sure you mean well. I'll check anyway, it's a habit of mine."),
        "link": ("Thanks, but I never click links in texts. I'll look it up myself.",
                 "That's kind, but I'd rather find the website myself, just to be safe.",
                 "Thank you! I'll use the official app instead of the link."),
        "code": ("Sorry, I never share codes, it's a rule I keep. I'm sure you understand!",
                 "Oh, I'd love to help, but codes stay with me.", "Thanks, but I'll keep {ask} to myself, just to be careful."),
        "money": ("Oh, I'd rather not pay anything by message, sorry!",
                  "That's kind, but I'll sort out any payments myself after I {check}.",
                  "Thanks! I'll think about it and {check} first."),
        "details": ("Thanks, but I keep my personal details private, I hope that's OK!",
                    "That's kind, but I'll sort my details out myself.", "I'd rather not share those by text, thanks for understanding!"),
        "pressure": ("No need to rush, I'm sure it can wait a little while!",
                     "I appreciate it, but I like to take my time with these things.",
                     "Thanks for your patience. I'll {check} and get back to you."),
    },
    "confused": {
        "contact": ("Sorry, who is this? Do I know you?", "I'm a bit lost. What is this message about?",
                    "Hello? I think you might have the wrong person. Who is this?",
                    "\"{their_words}\"? Sorry, who is this? I don't understand."),
        "authority": ("Oh, I didn't know they sent messages like this. Is that normal?",
                      "Oh, hello. Has something gone wrong?", "I'm confused. Who did you say you were?",
                      "\"{their_words}\"? Is that something I should know about?"),
        "story": ("Oh dear, that sounds bad. But I don't understand what you want me to do.",
                  "That sounds worrying, but what has it got to do with me?",
                  "Sorry, I'm muddled. Can you tell me again, more slowly?",
                  "\"{their_words}\"? Oh dear, I don't understand what that means for me."),
        "offer": ("Sorry, what are you offering me? I don't understand.",
                  "I don't understand. Why me?",
                  "Is this something I signed up for? I'm not sure what you mean.",
                  "\"{their_words}\"? For me? I don't remember asking for anything."),
        "flattery": ("Me? Are you sure you've got the right person?",
                     "That's nice, but I'm not sure why you're saying it.",
                     "Sorry, do I know you? You talk as if you know me."),
        "reassurance": ("If it's as easy as you say, why do I need to do anything at all?",
                        "I'm sorry, I still don't really understand what you want me to do.",
                        "That's kind of you to say, but I'm still not sure what this is about.",
                        "\"{their_words}\"? You make it sound simple, but I still don't follow."),
        "link": ("What's this link thing? Do I press it?", "I'm not good with links. What happens if I click it?",
                 "My grandson says never to press links. What is it for?",
                 "\"{their_words}\"? And I have to press a link for that? I'm lost."),
        "code": ("A code? Which code? I get so many messages.", "I don't understand, why would you need a code from me?",
                 "\"{their_words}\"? Sorry, I don't know what that means."),
        "money": ("Pay? I don't understand what I'm paying for.", "Sorry, what is that money for? I don't understand.",
                  "Sorry, what \"{their_words}\"? I'm confused.",
                  "I've never paid for anything like this before. How would I even do that?",
                  "Oh dear, I'm no good with paying for things by phone. Could my son do it?"),
        "details": ("My details? Which ones do you mean?", "Sorry, why do you need to know that?",
                    "I'm not sure what details you mean. Can you explain?",
                    "\"{their_words}\"? Why do you need my details for that?"),
        "pressure": ("Why does it have to be right now? I don't understand.",
                     "Please don't rush me, I get muddled when people rush me.",
                     "Now you're frightening me. What happens if I wait?",
                     "I'm getting all flustered now. Can we slow down?",
                     "Sorry, I've lost track. What is it you want me to do?",
                     "\"{their_words}\"? Oh no, what do you mean? You're frightening me."),
    },
    "skeptical": {
        "contact": ("Who is this, and how did you get my number?",
                    "I don't recognise this number. Why should I believe this message?",
                    "This looks like a scam text. Who are you really?"),
        "authority": ("Anyone can claim that. Prove it.", "If this is genuine, you won't mind if I {check}.",
                      "Give me your full name and department, and I'll {check}."),
        "story": ("That's a convenient story. Can you prove any of it?",
                  "I've heard that exact story in scam warnings.", "Sad stories from strangers usually end with a request for money."),
        "offer": ("Nobody hands out money to strangers. What's the catch?",
                  "If it were that good, you wouldn't be offering it to strangers.",
                  "Too good to be true usually means it isn't true."),
        "flattery": ("Flattery from a stranger is a classic scam opener.",
                     "You don't know me well enough to say that.",
                     "Nice words are free. What do you actually want?"),
        "reassurance": ("That's exactly what a scammer would say.",
                        "'Trust me' isn't proof of anything.",
                        "If it's really safe, you won't mind me checking first."),
        "link": ("I'm not clicking a link from an unknown number.",
                 "Real companies don't send links like that. I'll {check} instead.", "That link could be anything. No thanks."),
        "code": ("No. Nobody genuine ever asks for {ask}.", "Codes and passwords stay with me. Nobody genuine asks for them.",
                 "The text with the code literally says not to share it. So no."),
        "money": ("Why would I pay to sort out something I didn't cause?",
                  "I'm not sending money to someone I can't verify.",
                  "Not a penny until I {check}."),
        "details": ("Nobody genuine asks for personal details like that by text.",
                    "If you're real, you should already have my details.", "I'm not giving my details to an unknown number."),
        "pressure": ("Pressure like this is exactly what scammers do.",
                     "If it's genuine, it will still be genuine after I {check}.", "Rushing me won't work. I'm going to {check}."),
    },
    "time_waster": {
        "contact": ("Oh hello! Sorry, I was just putting the kettle on. Who's this?",
                    "Hello hello! Is this about the church raffle? No? Then who is it?",
                    "Hiya! Hang on, let me find my glasses... right, who are you again?"),
        "authority": ("Ooh, official! My neighbour worked somewhere like that once. Where are you based?",
                      "How lovely. Now, what did you say your name was? I'm writing it down, slowly.",
                      "Hold on, my pen has run out. Can you spell all that again?"),
        "story": ("Oh, that reminds me of my cousin Maureen. Did I tell you about her bunions?",
                  "Goodness. That's just like a programme I watched on telly last night.",
                  "Oh dear. Let me make a cup of tea and you can tell me all about it."),
        "offer": ("Ooh, lovely! Is it a holiday? I've always wanted to see Skegness.",
                  "Ooh! Wait till I tell my sister. She never gets offers like this.",
                  "How exciting. Can I have it in pound coins? I'm saving them in a jar."),
        "flattery": ("Oh, you charmer! My late husband used to say that. Now, where's my tea?",
                     "How sweet. Do you like crosswords? What's a six-letter word for 'sneaky'?",
                     "Ooh, flattery! Let me put my good cardigan on."),
        "reassurance": ("Oh, I'm sure it is, dear. Now hold on, the kettle's boiling.",
                        "Safe as houses! My house has a leak, mind you. Where was I?",
                        "Lovely. Just let me find my glasses so I can read it properly."),
        "link": ("A link? Oh, my phone is ever so slow. It's still loading... still loading...",
                 "Hang on, I'm trying to press it but the cat just sat on my phone.",
                 "I pressed it but it's asking me about cookies. I do love a biscuit. What now?"),
        "code": ("A code... I've had lots of texts today. Is it the one from my dentist?",
                 "Let me find my reading glasses first, they were here a minute ago.",
                 "Ooh, I had a code once for a pizza. Is it that sort of code?"),
        "money": ("Pay? Let me find my purse. It's somewhere in the kitchen, hold on.",
                  "My card is in my other coat, give me ten minutes.", "Ooh, money. Let me ask my husband, he's in the garden."),
        "details": ("My details? Let me find my address book, it's upstairs somewhere.",
                    "My address? I moved twice last year, let me think which one...",
                    "Hold on, I need to find my reading glasses to read my own postcode."),
        "pressure": ("No rush, dear, nothing is that urgent. Now, where was I?",
                     "Hold on, the doorbell just went. Don't go anywhere!",
                     "Right now? I'm halfway through my crossword. Can it wait till after lunch?"),
    },
}

@dataclass(frozen=True)
class Stage:
    """One stage of a scam script in one scenario."""

    id: str  # one of STAGE_ORDER: hook, trust, pressure, ask, ...
    tactic: str  # what the scammer does at this stage, in a few words
    explanation: str  # why it works on people, for the class
    lines: tuple[str, ...]  # what the scammer may say here, with {slots}


@dataclass(frozen=True)
class Playbook:
    """A scenario's whole script: slot values, stages in order, and answers to the victim's questions."""

    scenario: str
    slots: Mapping[str, str]
    stages: Mapping[str, Stage]
    answers: Mapping[str, tuple[str, ...]]


def _playbook(scenario_id: str, script: Mapping[str, Any]) -> Playbook:
    """A scenario's entry of `data/scam_scripts.json`, typed: every stage of `STAGE_ORDER`, answers over the defaults."""
    stages = {}
    for stage_id in STAGE_ORDER:
        entry = script["stages"][stage_id]
        stages[stage_id] = Stage(stage_id, entry["tactic"], entry["explanation"], tuple(entry["lines"]))
    answers = {**SCAMMER_ANSWERS, **TOPIC_ANSWERS, **{intent: tuple(lines) for intent, lines in script["answers"].items()}}
    answers = {intent: (*lines, *NAMED_DODGES.get(intent, ())) for intent, lines in answers.items()}
    return Playbook(scenario_id, script["slots"], stages, answers)


PLAYBOOKS: dict[str, Playbook] = {
    scenario_id: _playbook(scenario_id, script) for scenario_id, script in read_json("scam_scripts.json").items()
}
if set(PLAYBOOKS) != set(SCENARIOS):
    raise RuntimeError(f"Playbooks and scenarios differ: {sorted(set(PLAYBOOKS) ^ set(SCENARIOS))}")


def get_playbook(scenario_id: str) -> Playbook:
    """The playbook of a scenario; `ValueError` naming the valid ids otherwise."""
    if scenario_id not in PLAYBOOKS:
        raise ValueError(f"Unknown scenario {scenario_id!r}; choose one of: {', '.join(PLAYBOOKS)}.")
    return PLAYBOOKS[scenario_id]


def template_slots(template: str) -> set[str]:
    """The slot names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def presumes_a_no(line: str) -> bool:
    """True when a scammer line only answers a "no" (it gives in or changes tack: "Fine, ...", "I'll note that
    you refused"), so it may follow only a victim who said one (`turn_moves.SAYING_NO`)."""
    return line.startswith(AFTER_A_NO_OPENERS)


def quotes_other_side(template: str) -> bool:
    """True when the template quotes the other side's last message (uses one of `QUOTING_SLOTS`)."""
    return bool(template_slots(template) & QUOTING_SLOTS)


def fill(template: str, slots: Mapping[str, str]) -> str | None:
    """The template with its slots filled; None when a slot it needs has no value."""
    if not template_slots(template) <= {key for key, value in slots.items() if value}:
        return None
    return template.format_map(slots)


def voiced(line: str, style_id: str, variant: int) -> str:
    """A plain script line in a scammer style's voice (variant picks the sentence and where it goes)."""
    openers, closers = STYLE_VOICES.get(style_id, ((), ()))
    if not openers:
        return line
    if variant % 2 == 0:
        return f"{openers[variant // 2 % len(openers)]} {line}"
    return f"{line} {closers[variant // 2 % len(closers)]}"


def stage_lines(scenario_id: str, stage_id: str, style_id: str) -> list[str]:
    """The stage's example lines in the style's voice, as templates (slots still open)."""
    return [styled for _, styled in stage_line_pairs(scenario_id, stage_id, style_id)]


def stage_line_pairs(scenario_id: str, stage_id: str, style_id: str) -> list[tuple[str, str]]:
    """Each of the stage's lines plain and in the style's voice, as templates."""
    stage = get_playbook(scenario_id).stages[stage_id]
    return [(line, voiced(line, style_id, number)) for number, line in enumerate(stage.lines)]


def victim_lines(style_id: str, move: str) -> tuple[str, ...]:
    """The victim's lines for a style answering the scammer's move (templates; unknown styles read as neutral)."""
    return VICTIM_LINES.get(style_id, VICTIM_LINES["neutral"])[move]


def scammer_stage(turn_number: int) -> str:
    """The stage of the scammer's turn `turn_number` (0 = the first message): the script, then round again."""
    if turn_number < len(STAGE_ORDER):
        return STAGE_ORDER[turn_number]
    return REPEAT_STAGES[(turn_number - len(STAGE_ORDER)) % len(REPEAT_STAGES)]


def victim_styles() -> list[str]:
    """The styles a victim can be played in."""
    return [style.id for style in styles_for("victim")]


def scammer_styles() -> list[str]:
    """The styles a scammer can be played in."""
    return [style.id for style in styles_for("scammer")]


if set(VICTIM_LINES) != set(victim_styles()) or set(STYLE_VOICES) != set(scammer_styles()) or not set(STYLES):
    raise RuntimeError("Every victim style needs its lines and every scammer style its voice.")
