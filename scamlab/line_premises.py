"""What a playbook line presumes: words the other side's last message must use, and questions they may settle.

A playbook line answers one message, and some lines presume what that message said: "That's your choice"
answers a no, "Please don't rush me" a hurry, "Perfect, we're nearly done" someone going along. When the move
or intent was misread, such a line answers something nobody said, which a class notices at once. So a line
whose phrase is in `LINE_PREMISES` is sent only when the other side's last message uses one of that entry's
words; it is then chosen before plainer lines, since it answers the message closely. A line in `SETTLED_BY`
asks or does what any earlier message of the other side already settled ("What happens if I wait?" after a
deadline, "make your first deposit" after "I put in £200") and is not sent at all; a line in `AFTER_PAYING`
("Another £250 gets you there") is sent only after they said they paid. A sum the other side named first is the
sum the scammer asks for (`amount_in_play`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

# Words that show what a message does, for the lines below (whole words or phrases, lower case).
# A refusal, not any "no": "No, I didn't buy anything" denies, "No, wrong number" corrects, "not sure" doubts.
SAYS_NO = ("not paying", "not sending", "not giving", "not doing", "not going to", "won't", "wont", "nah", "nope",
           "refuse", "forget it", "stop", "don't want", "dont want", "not interested", "can't afford", "cant afford",
           "no thanks", "no thank you", "no chance", "not happening", "not for me", "i'll pass", "not today")
DOUBTS = ("scam", "sure", "real", "legit", "genuine", "prove", "proof", "trust", "believe", "suspicious", "sus",
          "stranger", "strangers", "lie", "lying", "fake", "doubt", "strange", "weird", "odd", "dodgy", "not right",
          "how do i know", "check", "careful")
GOES_ALONG = ("ok", "okay", "yes", "yeah", "yep", "done", "sent", "paid", "here", "here's", "put in", "clicked",
              "fine", "sure", "alright", "go on", "how do i pay", "how do i send", "what do i pay", "what do i send",
              "installing", "installed", "it says", "the code", "code is", "where", "i will", "i'll do")
OTHER_PEOPLE = ("police", "bank", "report", "reported", "reporting", "tell", "ask", "call", "ring", "check",
                "son", "daughter", "husband", "wife", "mum", "dad", "friend", "mate", "brother", "sister", "family",
                "grandson", "granddaughter", "neighbour", "teacher", "solicitor", "lawyer", "advice")
CALLS = ("call", "ring", "ask", "check", "checking", "speak", "talk", "calling", "ringing", "phoning", "hang up",
         "bye", "goodbye", "look it up", "looked", "google", "verify", "website", "official")
WAITS = ("wait a", "please wait", "can you wait", "wait till", "wait until", "moment", "minute", "later", "busy",
         "hold on", "hang on", "brb", "think", "sec", "let me", "not now")
HURRIES = ("right now", "now or", "now!", "pay now", "act now", "reply now", "send it now", "do it now",
           "now please", "quick", "quickly", "hurry", "immediately", "urgent", "asap", "minute", "minutes", "hour",
           "hours", "today", "tonight", "deadline", "last chance", "final", "straight away", "right away", "fast",
           "expires", "within", "no time", "can't wait", "before", "don't delay", "act")
REASSURES = ("safe", "easy", "simple", "kind", "trust", "promise", "don't worry", "nothing to worry", "normal",
             "legit", "love", "care", "wonderful", "special", "amazing", "beautiful", "proud", "lucky", "clever",
             "smart", "all fine", "perfectly fine", "no risk", "risk free", "guaranteed")
ALARMS = ("problem", "wrong", "evasion", "investigation", "serious", "accident", "hospital", "stuck", "lost",
          "stolen", "debt", "arrest", "warrant", "unpaid", "fraud", "virus", "hacked", "emergency", "trouble",
          "blocked", "broken", "police", "legal", "risk", "suspicious", "owe", "court", "fine", "penalty", "infected",
          "urgent", "locked", "suspended", "destroyed", "executed", "permanent", "damage", "deleted", "enforcement",
          "debt collectors", "final", "frozen", "lose", "cancelled", "closed", "returned")
CONSEQUENCES = ("will", "or", "otherwise", "unless", "if not", "if you don't", "lose", "cancelled", "closed",
                "locked", "blocked", "frozen", "deleted", "destroyed", "returned", "arrest", "arrested", "court",
                "penalty", "executed", "expire", "expires", "too late", "gone")
STORIES = ("died", "hospital", "stuck", "sick", "ill", "accident", "stranded", "broke", "lonely", "passed away",
           "cancer", "surgery", "emergency")  # what happened to a person
REASONS = ("for the", "for your", "for a", "for my", "to cover", "covers", "fee", "rent", "bill", "tax", "charge",
           "deposit", "postage", "delivery", "licence", "hospital", "upgrade", "repair", "loan", "ticket")
ONLINE = ("online", "internet", "google", "googled", "forum", "reviews", "review", "search", "searched", "looked up",
          "looked it up", "website", "trustpilot", "reddit", "tiktok", "news")
WARNINGS = ("not to share", "don't share", "dont share", "never share", "do not share", "warning", "warns",
            "says not", "told never", "never to")
LEAVES = ("go", "going", "bye", "goodbye", "leave", "leaving", "call", "ring", "check", "blocking", "block",
          "done with", "don't write", "dont write", "ending", "end this", "stop here", "im out", "i'm out", "report",
          "reporting", "reported", "not replying", "good day")
TEXTS = ("text", "texted", "sms", "message", "sent you", "sending")
APPLIED = ("cv", "apply", "applied", "application", "profile", "signed up", "sign up", "my number", "how did you get",
           "which job", "what job")
PAID = ("put in", "deposited", "invested", "paid", "i sent", "i've sent", "sent it", "transferred", "topped up",
        "i've put", "ive put", "i put", "i've added", "added another", "moved the money", "moved my savings", "moved £",
        "moved it over", "put £ in", "put the £ in", "sent £",
        "sent you £", "paid £", "transferred £", "put my card", "put the card", "entered my card")
# Phrases in which "paid" is not a payment made: "when do I get paid", "I haven't paid anything".
NOT_PAYING = ("get paid", "getting paid", "gets paid", "be paid", "being paid", "paid out", "not paid", "haven't paid",
              "havent paid", "have not paid", "never paid", "sent my cv", "sent my application", "sent my details",
              "sent my id", "sent a message", "sent you a message", "sent a text", "sent you a text", "sent an email",
              "sent you an email", "paid my rent", "paid the rent", "paid my deposit and", "paid my bills", "sent a photo",
              "sent you a photo", "sent a screenshot", "sent the screenshot", "paid my tax", "paid my taxes",
              "paid all my tax", "paid my self assessment", "paid my self-assessment", "seller already paid",
              "seller paid", "sender paid", "sender already paid", "shop paid", "shop already paid", "they paid",
              "they already paid", "she paid", "he paid", "pretty sure i paid", "sure i paid", "think i paid",
              "paid it on the app", "paid on the app")
BUSINESS = ("fee", "invoice", "bill", "charge", "company", "account", "payment", "tax", "fine", "order", "deposit",
            "plan", "policy", "contract", "platform", "fund", "trading", "insurance", "refund", "balance", "toll")
REPORTS = ("report", "reporting", "reported", "police", "action fraud", "fraud line", "ombudsman", "trading standards")
ASKS_MONEY = ("pay", "send", "lend", "loan", "fee", "transfer", "deposit", "cost", "costs", "charge", "top up",
              "invest", "buy", "gift card", "gift cards", "enter your card", "confirm your card", "use your card",
              "with your card", "by card", "your card at", "need £", "needs £")  # not "card details": "your card
# details were stolen"; "I need £2,400 for my flight" asks without a verb of paying (read 54)
MONEY = ("money", "pay", "send", "loan", "lend", "fee", "cash", "transfer", "bill", "payment", "deposit")
LINKS = ("link", "click", "website", "page", "site", "download")  # not "app": "my banking app won't work"
OFFERS = ("offer", "offering", "return", "returns", "profit", "profits", "earn", "earning", "earnings", "income",
          "invest", "investment", "opportunity", "deal", "prize", "won", "win", "winner", "bonus", "double",
          "guaranteed", "per day", "a day", "a week", "a month", "percent", "per cent", "free", "reward", "job",
          "role", "pay you", "refund", "cash", "money")
SERVICE_CONTACT = ("account", "security", "fraud", "alert", "notice", "card", "parcel", "delivery", "order",
                   "computer", "tax", "toll", "records", "system", "department", "flagged", "unusual",
                   "activity", "payment", "transaction", "charge", "bill", "licence", "subscription")
ASKS_FOR_DETAILS = ("what is your", "what's your", "whats your", "confirm your", "give me your", "send me your",
                    "tell me your", "your details", "your full name", "date of birth", "verify your", "need your",
                    "can you confirm", "could you confirm", "read me", "security questions", "your password",
                    "your pin", "card number", "sort code", "account number", "bank details", "i need the",
                    "tell me what", "what do you see", "what does it say")
ENTERED = ("entered", "i've entered", "i entered", "used my card", "used card", "filled in", "filled it in",
           "typed in", "typed my", "details on the link", "put my details", "gave my details")
INTRODUCES = ("this is", "i am", "i'm", "my name is", "my name's", "im from", "calling from", "writing from",
              "messaging from", "texting from", "contacting you from", "on behalf of", "speaking", "here from")
# A phrase in a line that answers something the other side must just have said: the line is sent only when
# their last message uses one of the words ("That's your choice" answers a no, "don't rush me" a hurry).
LINE_PREMISES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("your choice",), SAYS_NO), (("the doubt", "right to be careful"), DOUBTS),
    (("very helpful", "nearly done", "doing the right thing"), GOES_ALONG),
    (("involve anyone", "tell anyone"), OTHER_PEOPLE),
    (("call anyone", "check with anyone", "hang up", "number on your card", "old number",
      "can't call me", "video call"), CALLS),
    (("take a moment", "i'll wait"), WAITS),
    (("rush me", "rushing me", "slow down", "why the rush", "no need to rush", "no rush", "right now?",
      "have to be right now", "it can wait until", "still be genuine after"), HURRIES),
    (("kind of you to say", "compliments are nice", "if it's all fine"), REASSURES),
    (("saying it's safe", "if it's really safe", "decide what's safe"), ("safe", "secure", "legit", "genuine", "no risk", "risk free",
                                                   "nothing to worry")),  # not "Car's fine don't worry" (read 56)
    (("'trust me'",), ("trust", "believe me", "promise", "honestly", "i swear")),  # not "a genuine person" (read 55)
    (("that's kind",), (*REASSURES, *OFFERS, "help", "for you", "let me", "i can", "i'll")),  # no favour in a demand
    (("as easy as you say", "sound simple"), ("easy", "simple", "quick", "only takes", "just takes", "nothing to it")),
    (("sounds worrying", "frightening me"), ALARMS), (("read online",), ONLINE), (("that warning",), WARNINGS),
    (("if you go now",), LEAVES), (("checking will take",), CALLS), (("why would i lie",), DOUBTS),
    (("getting back to me", "thanks for your message"), ("ok", "okay", "yes", "yeah", "hi", "hello")),
    (("not a penny", "not sending money", "before i pay", "pay anything", "paying anything", "pay to sort"),
     ASKS_MONEY),
    (("reporting it", "go ahead, but"), (*REPORTS, *CALLS)),
    (("ring dad",), ("dad", "father", "husband", "tell him", "ring him", "call him")),
    (("in writing",), BUSINESS),
    (("something i didn't cause",), ("problem", "wrong", "debt", "owe", "unpaid", "fine", "penalty", "virus", "hacked",
                                      "fraud", "damage", "arrest", "warrant", "infected", "error")),
    (("fine, ", "change your mind", "as declined", "note that you refused", "close this case"),
     (*SAYS_NO, "can't pay", "cant pay")),
    (("click that", "press a link", "clicking a link", "links like that", "that link"), LINKS),
    (("the text with the code", "the text says"), TEXTS),
    (("the text with the code",), ("texted", "text message", "sms", "a text", "the text", "by text", "code we sent",
                                   "sent you a code", "sending you a code", "code to your")),  # not Steam card codes
    (("so many questions", "loads of questions", "for a quiz"),
     (*DOUBTS, "which", "why", "how", "what", "who", "where", "when", "name", "called", "test", "quiz")),
    (("your cv", "your profile online", "to have applied"), APPLIED),
    (("offering it to strangers", "too good to be true", "hands out money"), OFFERS),
    (("has something gone wrong",), SERVICE_CONTACT),
    (("why do you need to know that", "which ones do you mean", "what details you mean", "my details for that",
      "give those out", "which details", "personal details like that"), ASKS_FOR_DETAILS),
    (("instead of the link", "click links", "links in texts", "press links", "link thing", "links like this"), LINKS),
    (("find it on the official website",), (*BUSINESS, *SERVICE_CONTACT, *OFFERS)),  # not a plea for help
    (("if the link doesn't work",), ("doesn't work", "doesnt work", "not working", "won't load", "wont load", "error",
                                     "broken", "can't open", "cant open", "won't open", "wont open")),
    (("don't hang up", "end this call"), ("hang up", "hanging up", "call", "calling", "phone", "phoning", "ring",
                                          "ringing")),  # a text message is not a call
    (("those lists",), ("list", "lists", "register", "warning", "warnings")),  # the FCA's lists
    # a person's story, not a bank's alert or a hacker's threat (read 49; read 54: "Are you safe?" to a tech agent)
    (("sad stories", "sounds tough", "stories always end", "are you safe"), STORIES),
    (("pressure like this", "the more you rush me"), HURRIES),
    (("there's no fee",), ("fee", "fees", "charge", "cost", "pay", "paying", "price")),
    (("flattery",), ("kind", "smile", "beautiful", "lovely", "clever", "smart", "amazing", "wonderful", "gorgeous",
                     "handsome", "pretty", "sweet", "love", "eyes", "impressed", "trustworthy", "sensible", "you're so")),
    (("marked as disputed",), ("dispute", "disputed", "disputing", "wasn't me", "not me", "never", "wrong", "appeal",
                               "challenge", "not mine", "not paying")),
    (("don't switch it off", "don't turn it off", "repair stops"), ("switch", "switching", "turn it off", "turning it off",
                                                                   "turn off", "unplug", "shut down", "shutting down",
                                                                   "power off", "at the wall")),
    (("rather not share",), (*ASKS_FOR_DETAILS, "address", "send", "enter", "provide", "fill in", "passport")),
    # not good news: "it's marked as a gift, a surprise for you" (read 42), "I just wanted to say hello" (read 49)
    (("sounds bad", "sorry to hear", "is something wrong with"), ALARMS),
    (("why me",), (*OFFERS, "chosen", "selected", "picked", "cv", "profile", "saw your", "invite", "invited")),
    (("tax can't come out", "release fee is", "tax on your profits; every"),
     ("tax", "fee", "charge", "deposit", "upgrade", "unlock", "recharge", "top up")),
    (("gift cards clear", "vouchers are how", "we use vouchers"),
     ("gift", "voucher", "vouchers", "card", "cards", "steam", "itunes", "google play")),
    (("crypto clears",), ("crypto", "bitcoin", "btc", "usdt", "coin", "wallet")),
    (("safe place or a neighbour",), ("safe place", "neighbour", "neighbor", "next door", "porch", "leave it")),
    # read 51: a code is no security question, a question about cards no "money first", a transfer flagged no ask
    (("security questions", "standard security check"), ("question", "questions", "date of birth", "birthday", "dob",
                                                         "maiden", "address", "postcode", "details", "information",
                                                         "info", "cvv", "digits", "expiry", "form", "box", "boxes")),
    (("sends a code to confirm",), ("code", "codes", "otp", "passcode", "verification")),
    (("money first", "i don't pay people"), ("pay", "paying", "send", "sending", "lend", "fee", "deposit", "buy",
                                             "transfer it", "transfer the money", "transfer £", "need £")),
    (("no card?",), ("card", "cards", "bank account", "cash")),
    (("shows the amount", "amount in the text"), ("£", "amount", "pounds", "quid", "sum", "figure")),  # not "a new device"
    (("camera on my phone",), ("video", "camera", "face", "facetime", "see you", "photo", "picture", "selfie")),
    (("voice notes",), ("voice", "hear", "sound like")),
    # read 52: someone paying has not refused, nobody said it was a scam, no website was offered, nothing was asked
    (("really worth losing", "why would you throw that away"), (*SAYS_NO, *DOUBTS, *WAITS, "a lot", "expensive")),
    (("winding you up",), ("said", "says", "told", "scam", "reckons", "thinks", "fake")),
    (("find the website myself",), ("website", "link", "site", "page", "online", "[link]")),
    (("why do you need to know that",), ("confirm", "tell me", "give me", "send me", "what is your", "what's your",
                                         "whats your", "verify", "need your", "can you", "could you", "read me",
                                         "enter", "provide", "which", "are you", "do you")),
    (("withdrawal fee",), ("withdraw", "withdrawal", "withdrawing", "take out", "cash out", "money out")),
    (("what i'm paying for", "need to pay for this"),  # not "we can pay you", nor "move your balance" (read 49)
     ("pay a", "pay the", "pay £", "pay it", "pay now", "pay for", "to pay", "pay your", "pay by", "pay this", "fee",
      "deposit", "cost", "charge")),
)
# Asking for the code again once the other side said they will not give it (read 28: "No, I'm not reading out
# the code. Goodbye." got "Please read it back to me").
CODE_REFUSALS = ("not reading", "not giving you the code", "not sharing the code", "not giving the code", "won't read",
                 "wont read", "won't give you the code", "wont give you the code", "not telling you the code",
                 "not sending the code", "not going to read", "not giving that", "not giving it out",
                 "not sharing that", "not sharing it")
# A question a line asks, or a step it takes, that the other side settles once any message of theirs used one
# of the words ("What happens if I wait?" after a deadline; "make your first deposit" after "I put in £200").
SETTLED_BY: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("opens your trading account",), ("made an account", "opened an account", "signed up", "up £", "on paper",
                                        "my balance", "unlock")),  # read 53: the account is open, the ask is more
    # read 54: "I did the 30 tasks... When can I withdraw?"; "it's downloading something called QuickAssist"; "I typed
    # my card details into the page" (no "Please pay the £1.45" again); "I'm not sending more money" (no "Just try")
    (("finish the task set",), ("did the", "done the", "finished the", "completed the", "did all", "done all",
                                "finished all", "completed all")),
    (("pay the {amount}", "to stop this, verify"), (*PAID, *ENTERED)), (("just try with",), PAID),
    (("what happens if i wait",), CONSEQUENCES), (("how much?",), ("£",)), (("money for", "paying for"), REASONS),
    (("read it back", "read me the code", "read the code", "tell me the code", "the code we sent", "what does it say",
      "code that just", "code you just", "code we just", "code i just"), CODE_REFUSALS),
    (("has something gone wrong",), ALARMS), (("what's the catch",), ("fee", "pay", "payment", "cost", "charge")),
    (("got to do with me", "have to do with me", "why are you telling me this"),
     ("mum", "mom", "dad", "need you", "your account", "your computer", "your screen", "your parcel",
      "your vehicle", "your car", "your tax", "your card", "your order", "in your name", "you owe", "you won",
      "your prize", "your cv")),
    (("how would i even do that",), ("card", "link", "transfer", "gift card", "bank details")),
    (("what do you actually want", "what is this really about"), (*MONEY, "put in", "invest", "£", "code", "details")),
    (("first deposit", "create your account", "open your trading account", "open an account", "over the phone",
      "sign up at", "start smaller"), (*PAID, "balance says", "my balance", "balance is", "any more", "anymore", "my £")),
    (("enter your card", "card number and", "enter your bank details", "card details for", "your card details"),
     (*PAID, *ENTERED)),
    (("download our", "install our", "install the app", "download the"), ("downloaded", "i download", "installed",
                                                                          "i install", "installing", "done it",
                                                                          "downloading")),
    (("who is this", "who's this", "who are you exactly", "who am i speaking to", "who did you say",
      "your full name and department"), INTRODUCES),
    (("why me", "signing up", "remember entering", "didn't enter", "never entered"),
     ("at random", "randomly", "random draw", "chosen from", "picked from", "selected from", "need to enter", "your cv",
      "your profile")),
    (("recognise this number", "have this number saved", "scam text"), ("profile", "came across", "your photo", "your smile",
                                                         "your picture", "dating", "matched")),  # met on an app
    (("how did you get my number",), ("your profile", "came across", "gave me your number", "got your number",
                                      "your number from", "saw your", "found your", "found you", "your cv")),
    (("which ones do you mean", "what details you mean"), ("bank details", "card details", "card number", "address",
                                                           "date of birth", "full name", "password", "login")),
    (("why can't we talk here", "what's wrong with this chat"),  # once they said why ("this app is so glitchy")
     ("glitch", "glitchy", "glitching", "easier", "doesn't work", "doesnt work", "crash", "crashing", "crashes",
      "buggy", "rubbish", "lag", "laggy", "lagging", "keeps", "banned", "deleting", "closing", "better", "private",
      "not allowed")),
    (("don't switch it off", "don't turn it off"), ("turned off", "turned it off", "switched off", "switched it off",
                                                     "shut down", "shut it down", "unplugged", "powered off")),
)
# A request the speaker dropped ("Forget the code. Install our app") and words of a line that would make it again; a
# story the speaker told and words of a line that would tell it otherwise ("I'm on a friend's phone" has no new number).
RULED_OUT_BY_OWN_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("forget the code",), ("code",)),
    (("friend's phone", "friends phone", "mate's phone"), ("new number", "cheap one", "temporary one", "my new phone")),
    (("new number",), ("friend's phone", "friends phone", "mate's phone")),
)
# Phrases of a line that presume the other side has paid before ("Another £250 gets you there"): sent only then.
AFTER_PAYING = ("another £",)


def fits_the_conversation(line: str, last_other: str, other_said: Sequence[str], own_said: Sequence[str] = ()) -> bool:
    """False when the line answers what the other side's last message did not say (`LINE_PREMISES`), asks or does
    what a message of theirs already settled (`SETTLED_BY`), makes a request the speaker dropped in `own_said` or
    tells its story otherwise (`RULED_OUT_BY_OWN_WORDS`), or presumes a payment never made (`AFTER_PAYING`)."""
    dropped = [words for phrases, words in RULED_OUT_BY_OWN_WORDS
               if any(p in m.lower() for m in own_said for p in phrases)]
    last_other = without_suppositions(last_other)
    return (not any(says_any(line, words) for words in dropped)
            and all(says_any(last_other, words) for words in _words_for(LINE_PREMISES, line))
            and not any(says_any(message, words) for words in _words_for(SETTLED_BY, line) for message in other_said)
            and not (any(phrase in line.lower() for phrase in AFTER_PAYING) and not any(map(says_paid, other_said))))


def has_premise(line: str) -> bool:
    """True when the line answers something particular the other side said (`LINE_PREMISES`)."""
    return bool(_words_for(LINE_PREMISES, line))


def _words_for(table: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], line: str) -> list[tuple[str, ...]]:
    lowered = line.lower()
    return [words for phrases, words in table if any(phrase in lowered for phrase in phrases)]


def says_paid(text: str) -> bool:
    """True when the message says a payment was made ("I've paid", "sent £50"), not "when do I get paid?"."""
    return says_any(re.sub("|".join(map(re.escape, NOT_PAYING)), " ", _normalized(without_suppositions(text))), PAID)


_SUPPOSITION = re.compile(r"(?i)\b(?:say|if|suppose|supposing|imagine|what if|let's say|lets say)\s+i\s+(?:did\s+|do\s+)?"
                          r"(?=put|pay|send|sent|invest|deposit|click|give|transfer|install)\w+")


def without_suppositions(text: str) -> str:
    """The message without its suppositions' verbs: "So say I put in £250, can I take it all out?" says nothing was
    put in, so it neither goes along nor pays (read 27: it drew "Perfect, we're nearly done")."""
    return _SUPPOSITION.sub("if", text)


def says_any(text: str, words: Sequence[str]) -> bool:
    """True when `text` uses one of the words or phrases as whole words (any case, any apostrophe; "£" in a
    phrase stands for an amount: "put £ in" matches "put £50 in")."""
    normalized = _normalized(text)
    alternatives = "|".join(re.escape(word).replace("£", r"£[\d,.]+") for word in words)
    return re.search(rf"(?<![\w'])(?:{alternatives})(?![\w'])", normalized) is not None


def _normalized(text: str) -> str:
    """Lower case, one apostrophe, and quote marks as spaces: "a 'release tax'" uses the word "tax" (read 50)."""
    return re.sub(r"(?<!\w)'|'(?!\w)", " ", text.lower().replace("\u2019", "'"))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_POUNDS = re.compile(r"£\d+(?:,\d{3})*(?:\.\d\d)?(?![\d,.]\d)")  # "£1,240", "£1.45"; not the comma in "£650, and"
# Money the other side got, not a sum to pay: "You paid me £18 for the first tasks" (read 45).
RECEIVING = ("paid me", "pay me", "paying me", "credited", "earned", "i got", "i received", "refunded me", "you'd pay",
             "you would pay", "come through")
PAYING_WORDS = ("pay", "paying", "paid", "send", "sending", "sent", "transfer", "transferring", "fee", "bill", "cost",
                "costs", "charge", "owe", "lot of money", "deposit", "lend", "borrow", "afford", "need", "needs",
                "only got", "only have")  # "i've only got like £200": the most they will put in (read 56)


def amount_in_play(amount: str, history: Sequence[Mapping[str, str]]) -> str:
    """The sum the AI scammer asks for (`history`: the conversation in order, its own messages "assistant"): the
    script's `amount`, unless the other side named a new sum before the scammer named it ("£640 is a lot of
    money": the bill is £640 from then on, not the script's £1,240; a later "send me £995.01 instead" changes
    nothing). A sum counts only in a sentence about paying: "I got £42 on the app" names no bill, nor does "the app
    shows £48" beside "you pay me?" (read 43)."""
    said = set()
    for message in history:
        own, found = message["role"] == "assistant", _POUNDS.findall(message["content"])
        if own and _value(amount) in map(_value, found):
            return amount
        paying = [part for part in _SENTENCE_BREAK.split(message["content"])
                  if says_any(part, PAYING_WORDS) and not says_any(part, RECEIVING)]
        new = [sum_ for part in paying for sum_ in _POUNDS.findall(part)
               if _value(sum_) not in said]  # first a sum said with a paying word: "I win £200... pay £9.99?"
        if not own and new and paying:
            return new[0]
        said.update(map(_value, found))
    return amount


def _value(sum_: str) -> float:
    return float(sum_.lstrip("£").replace(",", ""))
