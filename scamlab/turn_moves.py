"""What each side of a role-play just did: the scammer's moves, the victim's intents, and how to recognise them.

The AI victim answers the scammer's last *move* (asked for a code, sent a link, made an offer...); the AI
scammer's reply starts by answering the victim's last *intent* (asked who this is, refused, said it wasn't
them...). Students type anything, so a message is recognised in two steps (`scamlab.engine.roleplay`):

1. cue words, read in the message's last sentence that has any (a student's latest question is the one to
   answer; a scammer's message is read as one sentence, `move_reading`); within a sentence the first group in
   table order wins, so the costliest request (a code) beats a link; a weak group (`WEAK_CUES`: refusal,
   flattery, reassurance, stalling) only when no other group's cue occurs at all, or when it is said firmly
   (`FIRM_CUES`: "the answer's no");
2. otherwise the nearest example in meaning (bundled MiniLM sentence embeddings).

The examples (`data/move_examples.json`) are written in the many registers students type in: short, long, lower
case, slang, typos.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from scamlab import choice_question, line_premises, question_echo
from scamlab.data import read_json

# What the scammer just did; a victim move answers it.
SCAMMER_MOVES = ("contact", "authority", "story", "offer", "flattery", "reassurance", "link", "channel", "code",
                 "money", "details", "pressure")
MOVE_LABELS = {"contact": "First contact", "authority": "Claimed authority", "story": "Told a story",
               "offer": "Made an offer", "flattery": "Used flattery", "reassurance": "Offered reassurance",
               "link": "Sent a link", "channel": "Moved the chat to another app", "code": "Asked for a code",
               "money": "Asked for money",
               "details": "Asked for personal details", "pressure": "Applied pressure"}
# What the victim just did; the scammer's reply starts by answering it ("other": the script simply goes on).
VICTIM_INTENTS = ("identity", "purpose", "cost", "question", "proof", "refusal", "denial", "report", "check", "stall",
                  "confusion", "worry", "compliance", "other")

# Examples of each move and intent, recognised by meaning when no cue word occurs (`data/move_examples.json`).
_EXAMPLES = read_json("move_examples.json")
SCAMMER_MOVE_EXAMPLES: dict[str, tuple[str, ...]] = {
    move: tuple(lines) for move, lines in _EXAMPLES["scammer_moves"].items()}
VICTIM_INTENT_EXAMPLES: dict[str, tuple[str, ...]] = {
    intent: tuple(lines) for intent, lines in _EXAMPLES["victim_intents"].items()}

# Words that give a move or intent away (see the module docstring for how they are read).
SCAMMER_MOVE_CUES: dict[str, tuple[str, ...]] = {
    "code": ("the code", "a code", "that code", "this code", "your code", "code you", "code we", "code that", "code sent",
             "code is", "digit code", "time code", "security code", "verification code", "access code",
             "code from", "code on", "code to", "code off", " codes", " pin ",
             "your password ", "the password ", "password for", "passcode", "verification number", "digit number"),
    "money": ("pay the", "pay a ", "pay it", "pay now", "pay by", "pay your", "pay for", "to pay", "pay £", "pay $",
              " fee ", " fees", "deposit", "transfer it", "transfer the money", "transfer £",
              "send £", "send $", "send the money",
              "send me", "card details", "card number", "gift cards", "buy a gift card", "gift card code",
              "a gift card for", "in gift card", "[account]", "[wallet]",
              "lend me", "need £", "need $", "be paid today", "has to be paid", "help me out", "help me pay",
              "cover the bill", "pay this bill", "invest £", "in bitcoin", "bitcoin to", "buy bitcoin", "send bitcoin",
              "safe account", "wire ", "to this account", "into this account", "send it", "pay with",
              "pay you back", "'s account", "put in £", "if you put in", "top up", "different card", "another card",
              "payment failed", "try again with"),
    "link": ("[link]", "link ", "links", "link:", "website", "download the", "download our", "download this",
             "download it", "download a", "download an", "to download", "install", "click",
             "anydesk", "teamviewer", "log in so", "log in to", "log in at", "log in here", "log in now", "log in with",
             "you log in", "log into", "please log in"),  # not "my app won't let me log in" (read 43)
    "channel": ("whatsapp", "telegram", "wechat", "hangouts", "snapchat", "add me on", "text me on", "message me on",
                "signal app", "on signal"),
    "pressure": ("last chance", "hurry", "warrant", "arrest", "don't you trust", "lose everything", "court",
                 "penalty", "right now", "final notice", "last reminder", "unless", "in the next", "within",
                 "expires", "gone for good", "every minute", "act now", "today or", "if you don't", "don't discuss",
                 "don't tell", "worse", "so many questions", "thanks for nothing", "forget it", "much longer",
                 "wasting my time", "just do it", "be closed", "be suspended", "fined", "thought you cared", "dont you trust",
                 "thought we had", "destroyed", "returned to sender", "do not discuss", "do not tell", "police will",
                 "stay on the line", "if you disconnect", "if you hang up",
                 "if you do not", "if u dont", "be locked", "deleted", "can't help you after", "cannot help you after",
                 "freeze", "compromised", "is that what you want", "claimed today", "at midnight",
                 "by midnight", "passed on", "further action", "do not ignore", "don't ignore", "will be informed",
                 "discuss this with anyone", "do not contact", "don't contact", "if not paid", "debt collection",
                 "credit score", "will increase"),
    "details": ("full name", "home address", "confirm your address", "full address", "postcode",
                "first line of your address", "what's your address", "what is your address", "delivery address",
                "name and address", "address and date", "address and phone", "address and postcode", "address and email",
                "date of birth", "national insurance", "your details to", "your details so",
                "your details at", "your details here", "your details now", "your details please", "copy of your id",
                "personal details", "passport", "maiden name", "login", "username", "photo of your",
                "bank details"),  # "send your bank details so our finance team can pay you" asks for no payment
    "story": ("hospital", "stuck", "lost my", "stranded", "oil rig", "customs", "in trouble", "broke", "stressed",
              "new number", "virus", "could not be delivered", "couldn't deliver", "unpaid", " owe", "outstanding",
              "records show", "broken", "temporary", "cheap phone", "old sim", "can't do calls", "cant do calls",
              "new phone", "doesn't work", "doesnt work", "microphone", "hackers", "hacked", "error reports", "malware",
              "infected", "temp number", "smashed", "save this one", "delete the old"),
    "offer": ("won ", "winner", "prize", "congratulations", "refund", "selected", "free ", "reward", "profit",
              "guaranteed returns", "high returns", "big returns", "returns of", "per day", "a day from home",
              "opportunity", "paying up to", "role paying"),
    "flattery": ("love you", "falling for", "so kind", "so pretty", "so smart", "special", "beautiful",
                 "understands me", "soulmate", "clever"),
    "authority": ("fraud team", "officer", "department", "badge", "certified", "official", "security team",
                  "technical support", "case reference", "claims team", "enforcement", "police", "i'm from",
                  "im from", "calling from", "this is microsoft", "this is hmrc"),
    "reassurance": ("trust me", "don't worry", "dont worry", "it's safe", "its safe", "legit", "genuine",
                    "nothing to worry", "still there", "it's easy", "its easy", "i promise", "relax", "i understand this",
                    "i understand that"),
}
# A scammer move read by meaning alone stands only when the message names what the move is about: "our chats are
# the best part of my day" sits near money requests in meaning, and a victim who answers "I'm not paying" to it
# answers something nobody said. Without the words, the next nearest move is taken.
MOVE_NEEDS_WORDS: dict[str, tuple[str, ...]] = {
    "money": (*line_premises.ASKS_MONEY, "paid", "money", "cash"),
    "code": ("code", "pin", "otp", "passcode", "password", "digits", "number"),
    "details": ("details", "name", "address", "date of birth", "birthday", "postcode", "password", "login", "username",
                "passport", "id", "national insurance", "maiden", "account number", "sort code", "card number",
                "security question", "security questions", "personal", "email", "phone number", "mobile number"),
    "link": (*line_premises.LINKS, "[link]", "install", "app", "log in", "login", "sign in", "tap", "open"),
    "channel": ("whatsapp", "telegram", "on signal", "signal app", "wechat", "app", "number", "chat", "text me",
                "message me", "private",
                "privately"),
}
VICTIM_INTENT_CUES: dict[str, tuple[str, ...]] = {
    "denial": ("wasn't me", "wasnt me", "was not me", "not me", "didn't order", "didnt order", "never ordered",
               "haven't ordered", "didn't make", "didnt make", "didn't buy", "never bought", "didn't enter",
               "never entered", "don't owe", "dont owe", "didn't use", "don't have an account", "not expecting",
               "haven't made any", "havent made any", "not made any"),
    "report": ("police", "report", "block", "action fraud", "tell my teacher"),
    "worry": ("scare", "worried", "worrying", "lose my", "be lost", "panicking", "panicked", "i panic", "in a panic", "oh no", "is my money", "am i in trouble",
              "what will happen", "are you ok", "are you okay", "r u ok", "you alright", "everything alright",
              "frightened", "freaking out", "concerning", "i'm concerned", "im concerned", "i am concerned",
              "concerned about", "bit concerned", "very concerned", "quite concerned", "so concerned"),  # not "the retailer concerned"
    "check": ("call my bank", "call the bank", "i'll check", "i'll ask her", "i'll ask him", "ill ask her",
              "ill ask him", "get her to look", "get him to look", "look it up", "number on my card",
              "official website", "ask my", "check with", "check first", "call them", "look the company up", "ring the",
              "look up", "checking with", "checking on", "i'm checking", "im checking", "google it", "warning list",
              "official app", "old number", "will check",
              "he'll check", "she'll check", "telephone the", "phone the bank", "phone my bank", "into the branch",
              "to the branch", "genius bar", "booked a", "number on the back", "back of my card", "back of the card",
              "rather ask", "ask him before", "ask her before", "ask him to", "ask her to", "shall i ask", "should i ask",
              "want to check", "ringing your", "calling your"),
    "refusal": (" no ", "not giving", "i won't", "i wont", "i shan't", "i mustn't", "won't be", "not paying", "not clicking", "not sending",
                "refuse", "no thanks", "not going to", "never share", "don't think i should", "not comfortable",
                "stop texting", "stop messaging", "leave me alone", "not interested", "nope", "don't want to",
                "dont want to", "don't have", "dont have", "i'll pass", "ill pass", "give it a miss", "can't afford",
                "cant afford", "don't write", "dont write",
                "don't message", "dont message", "don't text", "dont text", "don't contact", "answer's no",
                "answer is no", "never going to", "can't send", "cant send", "i'm out ", "im out ",
                "count me out", "keep my money in", "keeping my money in", "don't feel right", "dont feel right",
                "don't feel comfortable", "dont feel comfortable"),
    "proof": ("prove", "how do i know", "scam", "reference", "is this real", "is that real", "believe", "trust you",
              "fake", "nice try", "too good to be true", "know what this is", "reverse image", "something's off",
              "something is off", "makes no sense", "doesn't add up", "dodgy", "catfish", " sus ", "seems high",
              "too high", "sounds too", "seems too", "can't be right", "doesn't sound right", "weird", "strange",
              "if you're really", "if ur really", "if you are really", "just to be sure", "in writing",
              "show me", "send me proof", "voice note", "hear your voice", "video call", "if you really are",
              "if you're who you say", "dog called", "dog's name", "cat called", "pet's name", "what's my name",
              "whats my name", "middle name", "where did we", "what did we", "last thing i bought", "what did i buy",
              "not to share", "says not to", "told not to", "you'd know", "you would know",
              "what's the name of"),
    "identity": ("who is this", "who are you", "who's this", "do i know you", "how did you get my number",
                 "who is it", "your name", "who r u", "which bank", "which company", "what company", "employee",
                 "officer's name", "officers name", "name of the officer", "speaking to", "which department",
                 "what department", "badge number", "staff id", "which one of you", "which one are you", "which of you"),
    "purpose": ("what do you need", "what do you want", "what is this about", "what's this about", "why are you",
                "why do you need", "why would you need", "what's it for", "what for", "why do i have to pay",
                "why should i pay", "why would i pay", "why do i need to pay", "take it out of", "take the fee out",
                "out of my earnings", "out of the prize", "deduct"),
    "cost": ("how much", "what fee", "what's the fee", "whats the fee", "what charge", "the price", "cost"),
    "question": ("which parcel", "what parcel", "when did", "where do i", "which account", "what payment", "how long",
                 "which platform", "where are you", "what happened"),
    "confusion": ("don't understand", "dont understand", "confused", "what does", "what do you mean", "explain",
                  "don't follow", "don't get it", "dont get it", "not sure how", "know nothing about", "no idea how",
                  "not good with", "don't know how", "dont know how", "how any of it works"),
    "stall": ("hold on", "hang on", "wait a", "please wait", "can you wait", "have to wait", "wait till", "wait until",
              "give me a minute", "give me a sec", "give me a moment", "give me a bit", "give me an hour",
              "give me some", "give me time", "give me till", "give me until", "glasses", "kettle", "tomorrow", "later",
              "a minute", "cup of tea", "brb", "busy", "at work", "time to think", "think about it", "let me think"),
    "compliance": ("what do i do", "here is", "here's the", "i'll do it", "how do i pay", "ok i will",
                   "i clicked", "that was me", "all done", "done it", "sent it now", "sent it to you", "installing",
                   "i put in", "i've sent", "i sent", "i paid", "i've paid", "ok i'll", "ok ill", "where's the link",
                   "wheres the link", "send me the link", "what's the link", "whats the link"),
}

# Scam terms a victim may quote back (`{their_words}`), longest first.
KEY_TERMS = ("one-time code", "security code", "redelivery fee", "release fee", "delivery fee", "processing fee",
             "safe account", "remote access", "support tool", "gift cards", "gift card", "withdrawal fee", "deposit",
             "warrant", "penalty", "customs fee", "admin fee", "trading account", "case number", "claim number",
             "top up", "top-up", "commission", "suspended", "officers", "arrest", "court", "bailiffs", "locked",
             "deleted", "frozen", "crypto", "voucher", "refund", "passcode", "password", "code", "fee")
# What a victim may ask the scammer to show or name (`{asked}`): the words in the message, and how the scammer
# names it back; the first match wins.
ASKED_TERMS = (("tracking number", "tracking number"), ("tracking code", "tracking number"),
               ("reference number", "reference number"), ("the reference", "reference number"),
               ("your reference", "reference number"), ("a reference", "reference number"),
               ("case number", "case number"), ("order number", "order number"),
               ("number plate", "number plate"), ("plate", "number plate"), ("registration", "registration details"),
               ("the reg?", "registration details"), ("the reg ", "registration details"),
               ("employer's details", "employer's details"), ("employer details", "employer's details"),
               ("contract", "contract"),
               ("competition", "competition details"), ("giveaway", "competition details"), ("receipt", "receipt"),
               ("winners list", "winners list"), ("winner list", "winners list"), ("list of winners", "winners list"),
               ("prospectus", "prospectus"),
               ("invoice", "invoice"), ("an email", "email"),
               ("staff id", "staff ID"), ("employee id", "employee ID"),
               ("badge number", "badge number"), ("employee number", "employee number"),
               ("staff number", "staff number"), ("id number", "ID number"), ("which hospital", "hospital details"),
               ("your hospital", "hospital details"),
               ("name of the hospital", "hospital details"), ("hospital name", "hospital details"),
               ("what hospital", "hospital details"))
# Words a victim line may echo from the scammer's message, by move ("Pay? ...", "A code? Which code?"):
# `echoes_a_missing_word`.
ECHOED_WORDS: dict[str, tuple[str, ...]] = {"link": ("link",), "code": ("code",), "money": ("pay",),
                                            "details": ("details", "address")}
# Intents that say "no" in some way: only after one may the scammer give in or change tack.
SAYING_NO = frozenset({"refusal", "denial", "report", "check", "proof", "stall"})
# Intents that a named request (`{asked}`: "send the tracking number then") outweighs: the dodge names it.
NAMED_ASK_WINS = frozenset({"other", "identity", "purpose", "stall", "confusion", "refusal", "check", "compliance"})
# A sentence that hands over a code ("Your winning code is WIN-58213", "Reference code: 4471"), and the verbs by
# which a message asks for one back anyway ("read it back to me"): `move_reading`.
_NOT_A_SECRET_CODE = re.compile(r"(?i)\b(tax|dress|discount|promo|promotional|area|post|zip|qr|bar)\s+codes?\b")
_NAMED_NOT_ASKED = re.compile(r"(?i)\bnational insurance (?=contributions?\b|payments?\b|record\b)")
_GIVEN_CODE = re.compile(r"(?i)\bcode(?:(?: is|:)\s*[a-z-]*\d| arrives| will arrive| will be sent| comes| is on its way)")
ASKING_VERBS = ("read", "send", "tell", "give", "share", "confirm", "reply", "enter", "type", "what's", "whats",
                "what is", "forward")
# Phrases by which a scammer says what they will NOT ask for (`move_reading`).
DISOWNED_ASKS = ("never ask", "haven't asked", "havent asked", "have not asked", "never will", "won't ask", "wont ask",
                 "will not ask", "not asking for", "we'd never", "we would never", "don't need your", "dont need your",
                 "do not need your", "another option", "instead of the code", "without the code", "no need for the code",
                 "not comfortable with the code", "forget the code", "rather not read", "rather not give",
                 "rather not share")
OPENING_QUOTES = "'\"\u2018\u201c"  # a cue may follow one: "pay a 'withdrawal tax'" names a withdrawal
# Slots filled from the other side's last message: a line using one answers that message in its own words.
QUOTING_SLOTS = frozenset({"their_words", "asked", "named_id", "staff_term", "echo", "choice"})
# Asked terms a scammer simply invents an answer to: a reference (`{named_id}`, "the case number is 4471", with the
# scenario's `{made_up_id}`) or their own ID (`{staff_term}`, "my staff ID is DB-2210", with its `{staff_id}`).
MADE_UP_TERMS = frozenset({"reference number", "case number", "order number", "tracking number"})
STAFF_TERMS = frozenset({"staff ID", "employee ID", "badge number", "employee number", "staff number", "ID number"})


# Groups too weak to outweigh another group's cue anywhere in the message: "Send it to this account. I promise x"
# is a money request; "Gonna ask my mum first. Not clicking ur link" announces a check (the refusal goes with it).
WEAK_CUES = frozenset({"flattery", "reassurance", "stall", "refusal"})
# ...unless the sentence says it firmly: "If this involves me installing something, the answer's no." is a refusal,
# not compliance; "I'm a bit worried. ...but money is never going to be part of it." is not worry (read 31).
FIRM_CUES: dict[str, tuple[str, ...]] = {
    "refusal": ("answer's no", "answer is no", "never going to", "not going to happen", "refuse", "count me out"),
}
QUESTION_WORDS = ("what", "which", "where", "when", "why", "how", "who", "is", "are", "can", "could", "do", "does",
                  "will", "would")


def cue_match(text: str, cues: Mapping[str, tuple[str, ...]]) -> str | None:
    """The move or intent the cue words name: read in the last sentence with a cue of a group not in `WEAK_CUES`
    (a weak group only when no other occurs, or said with one of its `FIRM_CUES`), the first such group in table
    order within a sentence; None when no cue occurs."""
    weak = None
    for sentence in reversed(sentences(text)):
        found = cue_groups(sentence, cues)
        firm = cue_groups(sentence, {key: FIRM_CUES[key] for key in found if key in FIRM_CUES})
        strong = next((key for key in found if key not in WEAK_CUES or key in firm), None)
        if strong:
            return strong
        weak = weak or next(iter(found), None)
    return weak


def cue_groups(sentence: str, cues: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The groups whose cue words occur in one sentence, in table order. A cue starts at a word's start ("here is"
    is not in "there is") and may end inside one ("scare" is in "scared")."""
    padded = _padded(sentence)
    return [key for key, words in cues.items() if _cue_pattern(words).search(padded)]


def without_cue_words(sentence: str, words: tuple[str, ...]) -> str:
    """The sentence with the cue words of one group blanked out: what is left to name another group ("which
    company sent it?" names the sender, and its "which company" is no second question about the caller's firm)."""
    return _cue_pattern(words).sub(" ", _padded(sentence))


def _padded(sentence: str) -> str:
    """The sentence in lower case, without commas and opening quotes ("a 'withdrawal tax'"), between spaces."""
    return f" {' '.join(word.lstrip(OPENING_QUOTES) for word in sentence.lower().replace(',', ' ').split())} "


@functools.cache
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join((r"(?<![\w'])" if word[:1].isalnum() else "") + re.escape(word) for word in words))


def move_reading(text: str) -> str:
    """The scammer's message as a victim reads it for its move: without the sentences that disown a request ("We
    haven't asked for your PIN, and we never will.") or the words that hand over a code nobody asks back ("Your
    winning code is WIN-58213", "the code arrives within an hour"), and as one sentence, so that its costliest
    request wins wherever it stands: "Transfer the full amount to [ACCOUNT]. Do not discuss this with anyone." asks
    for money (read 25), not only pressure."""
    text = _NOT_A_SECRET_CODE.sub(r"\1", text)  # "incorrect tax codes" asks for no code (read 55: "A code? Which code?")
    text = _NAMED_NOT_ASKED.sub("", text)  # "your National Insurance contributions" asks for no number (read 56)
    asks_back = any(_uses_word(text, verb) for verb in ASKING_VERBS)
    kept = [sentence if asks_back else _GIVEN_CODE.sub("", sentence) for sentence in sentences(text)
            if not any(phrase in sentence.lower() for phrase in DISOWNED_ASKS)]
    return " ".join(kept) or text


def asks_something(text: str) -> bool:
    """True when the message asks a question: a question mark, or a first word that opens a question."""
    words = text.lower().split()
    return "?" in text or bool(words) and words[0].strip(",.!") in QUESTION_WORDS


def sentences(text: str) -> list[str]:
    """`text` cut after each '.', '!' or '?' that ends a word (so "£1.45" stays whole) and at line breaks."""
    pieces, start = [], 0
    for index, character in enumerate(text):
        ends_word = index + 1 == len(text) or text[index + 1].isspace()
        if character == "\n" or (character in ".!?" and ends_word):
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def key_term(text: str, earlier: Sequence[str] = ()) -> str:
    """The first scam term from `KEY_TERMS` that `text` uses as a word ("locked", not "blocked") and no `earlier`
    message did, or "" (a word already talked about is not news: quoting it again reads as not listening)."""
    said = " ".join(earlier)
    return next((term for term in KEY_TERMS if _uses_word(text, term) and not _uses_word(said, term)), "")


def _uses_word(text: str, words: str) -> bool:
    return re.search(rf"\b{re.escape(words)}\b", text, re.IGNORECASE) is not None


def asked_term(text: str) -> str:
    """What the message asks to see or know, as the other side would name it (`ASKED_TERMS`), or ""."""
    lowered = text.lower()
    return next((named for words, named in ASKED_TERMS if words in lowered), "")


def quoted_slots(text: str, earlier: Sequence[str] = (), echo: bool = True,
                 names: Sequence[str] = ()) -> dict[str, str]:
    """The `QUOTING_SLOTS` for answering `text` (after the `earlier` messages); "" where it gives nothing. A
    number the scammer can make up is `named_id` or `staff_term` (answered with one), anything else `asked` (dodged);
    `choice` is the option a scammer going by `names` picks from a choice offered (`choice_question`); `echo` is the
    question said back (`question_echo`) unless `echo` is False (a topic's answer answers it) or something was asked
    for by name or a choice offered (their answers name it)."""
    asked, choice = asked_term(text), choice_question.picked_option(text, names)
    made_up, staff = asked in MADE_UP_TERMS, asked in STAFF_TERMS
    return {"their_words": key_term(text, earlier), "asked": "" if made_up or staff else asked,
            "named_id": asked if made_up else "", "staff_term": asked if staff else "", "choice": choice,
            "echo": question_echo.echo_question(text) if echo and not asked and not choice else ""}


def names_a_request(slots: Mapping[str, str]) -> bool:
    """True when the message asked for something by name (`asked`, `named_id` or `staff_term` is filled)."""
    return any(slots.get(name) for name in ("asked", "named_id", "staff_term"))


def also_asked(intent: str, text: str, slots: Mapping[str, str]) -> tuple[str, ...]:
    """A second intent a question asks beside a named request: "What's your name and the reference for this claim?"
    asks for proof by name and for the caller's name (read 53 answered neither)."""
    asks_the_name = "identity" in cue_groups(text, VICTIM_INTENT_CUES)
    return ("identity",) if intent in ("question", "proof") and names_a_request(slots) and asks_the_name else ()


def echoes_a_missing_word(line: str, move: str, message: str) -> bool:
    """True when the victim line's opening question ("Pay?", "My details?") echoes a word of its move that the
    scammer's message never used: the move was misread, and the echo would show it."""
    opening = line.split("?")[0].lower() if "?" in line else ""
    words = [word.strip(".,!?:;\"'()[]") for word in message.lower().split()]
    return any(echo in opening and not any(word.startswith(echo) for word in words)
               for echo in ECHOED_WORDS.get(move, ()))
