"""A question said back from the other side: "How did you get my number?" becomes "How did I get your number?".

A scammer with no answer for a question still shows that it heard it: it says the question back and deflects it
("How did I get your number? I can't go into that by message."). A deflection that names the question engages with
it; "I'll explain everything later" ignores it, and in the blind reads most of the scammer's misses were such
dodges of questions no topic covers (`scamlab.question_topics`).
"""

from __future__ import annotations

import re

from scamlab import safety

QUESTION_OPENERS = ("what", "whats", "what's", "where", "wheres", "where's", "why", "whys", "why's", "how", "hows",
                    "how's", "who", "whos", "who's", "which", "when", "whens", "when's", "whose", "y")
CLAUSE_OPENERS = ("how", "why", "what", "whats", "what's")
FILLERS = ("ok", "okay", "so", "and", "but", "wait", "right", "well", "hmm", "then", "also", "oh", "sorry", "hang",
           "on", "just", "out", "of", "interest", "curiosity", "um", "erm", "lol")
MOST_WORDS = 16  # a longer question is cut at its first comma, or not said back at all
# Words that change with the speaker (lower case, as typed); "you" is "I" or "me" by its place (`_you`).
SWAPS = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're", "im": "you're",
         "i've": "you've", "ive": "you've", "i'd": "you'd", "i'll": "you'll", "your": "my", "ur": "my", "yours": "mine",
         "yourself": "myself", "you're": "I'm", "youre": "I'm", "you've": "I've", "you'd": "I'd", "you'll": "I'll",
         # and a few spellings of texting, so that the question said back is spelt as the speaker writes
         "whats": "what's", "wheres": "where's", "whos": "who's", "hows": "how's", "whys": "why's", "whens": "when's",
         "dont": "don't", "cant": "can't", "wont": "won't", "isnt": "isn't", "doesnt": "doesn't", "didnt": "didn't",
         "r": "are", "y": "why"}
# The verb changes with "I" and "you" beside it: "are you" -> "am I", "I was" -> "you were".
VERB_SWAPS = {("am", "i"): ("are", "you"), ("i", "am"): ("you", "are"), ("are", "you"): ("am", "I"),
              ("you", "are"): ("I", "am"), ("were", "you"): ("was", "I"), ("you", "were"): ("I", "was"),
              ("was", "i"): ("were", "you"), ("i", "was"): ("you", "were"), ("r", "u"): ("am", "I")}
# After these words "you" is the subject ("did you" -> "did I", "how come you" -> "how come I"); elsewhere it is an
# object ("trust you with" -> "trust me with").
BEFORE_A_SUBJECT = ("do", "does", "did", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "can", "can't",
                    "cant", "could", "couldn't", "will", "won't", "wont", "would", "wouldn't", "should", "shouldn't",
                    "must", "may", "might", "have", "haven't", "has", "had", "if", "when", "because", "cos", "so",
                    "and", "but", "or", "that", "come", "what", "why", "how", "where", "who", "which", "it", "once",
                    "until", "unless", "since", "while", "before", "after", "then", "y")
# ...and so it is before a verb, as in a clause: "the vehicle you have" -> "the vehicle I have".
VERBS_AFTER_A_SUBJECT = ("have", "had", "need", "needed", "want", "wanted", "said", "say", "mean", "meant", "know",
                         "knew", "think", "thought", "work", "do", "did", "can", "can't", "cant", "could", "will",
                         "would", "should", "sent", "send", "got", "get", "see", "saw", "use", "used", "told", "pay",
                         "paid", "live", "called", "found", "made", "gave", "asked", "keep", "expect", "just", "even",
                         "actually", "really", "never", "always", "still")
ADJECTIVES_AFTER_UR = ("real", "legit", "genuine", "fake", "lying", "joking", "a", "an", "not", "from", "really",
                      "actually", "sure", "trying", "asking", "doing", "going", "still", "so", "just", "scamming")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")  # a sentence keeps its mark: "Why is it 99p??"
# Openers of an exclamation, not a question: "What a lovely surprise", "How kind".
EXCLAIMS = ("a", "an", "lovely", "nice", "kind", "sweet", "great", "funny", "odd", "weird", "strange", "sad", "cute",
            "exciting", "awful", "terrible", "rude")


def echo_question(text: str) -> str:
    """The last question of `text` that opens with a question word, said from the other side, without its "?"; ""
    when there is none or it is too long to say back ("Where abouts are you based?" -> "Where abouts am I based")."""
    pieces = [piece for piece in _SENTENCE_END.split(text.replace("\u2019", "'")) if piece.strip()]
    for number, sentence in enumerate(reversed(pieces)):
        words = _last_clause(sentence.split())
        while words and words[0].lower().strip(",") in FILLERS:
            words = words[1:]
        opener = [word.lower().strip(",?!.") for word in words[:2]] + [""]
        asked = "?" in sentence or number == 0 and opener[0] not in ("when", "which", "whose")
        if not words or opener[0] not in QUESTION_OPENERS or opener[1] in EXCLAIMS or not asked:
            continue
        if len(words) > MOST_WORDS:
            words = " ".join(words).split(",")[0].split()
        if len(words) > MOST_WORDS:
            return ""
        said = _swapped([word.strip("?!.") for word in words]).rstrip(",")
        return "" if safety.contains_contact_point(said) else said[0].upper() + said[1:]
    return ""


def said_back(text: str) -> str:
    """`text` said from the other side: "my current account" -> "your current account"."""
    return _swapped(text.split())


def _last_clause(words: list[str]) -> list[str]:
    """The words from the last "how", "why" or "what" that opens a clause ("..., but how did they get my number");
    a "who" or "which" there opens a relative clause ("my son, who knows about this")."""
    for index in range(len(words) - 1, 0, -1):
        follows = words[index - 1].lower()
        if words[index].lower() in CLAUSE_OPENERS and (follows.endswith(",") or follows in ("but", "and", "so")):
            return words[index:]
    return words


def _swapped(words: list[str]) -> str:
    """The words from the other side, each keeping a comma it ended with."""
    bare = [word.lower().rstrip(",") for word in words]
    out, index = [], 0
    while index < len(words):
        pair = tuple(bare[index:index + 2])
        if pair in VERB_SWAPS:
            out.extend(VERB_SWAPS[pair])
            index += 2
        else:
            word = bare[index]
            if word == "ur" and bare[index + 1:index + 2] and bare[index + 1] in ADJECTIVES_AFTER_UR:
                out.append("I'm")  # "ur real" is "you're real"; "ur name" is "your name"
            else:
                out.append(_you(bare, index) if word in ("you", "u") else SWAPS.get(word, words[index].rstrip(",")))
            index += 1
        out[-1] += "," if words[index - 1].endswith(",") else ""
    return " ".join(out).replace("one of me", "one of us")  # "which one of you is this?" asks a family


def _you(words: list[str], index: int) -> str:
    """ "I" where "you" is the subject (after an auxiliary, a conjunction or a question word, or before a verb),
    else "me"."""
    if index + 1 == len(words):
        return "me"
    after_a_subject_word = index > 0 and words[index - 1] in BEFORE_A_SUBJECT
    return "I" if after_a_subject_word or words[index + 1] in VERBS_AFTER_A_SUBJECT else "me"
