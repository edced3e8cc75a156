"""What a victim asks about in particular, and the scammer's answer to it.

A victim's *intent* (`scamlab.turn_moves`) says what kind of message it is: a question, a doubt, a refusal. A
class also notices whether the scammer answered *what* was asked: "How did you get my number?" met with "I'm
Daniel from the fraud team" reads as a dodge nobody would fall for. So a message that asks about one of the
topics below (its cue words, read as `turn_moves.cue_match` reads intents) gets an answer about that topic first.
Answers here are the defaults; a scenario's script (`data/scam_scripts.json`, `answers`) overrides a topic's
answers with its own story. Every answer is a scammer's answer: it sounds sure and keeps the script going.
"""

from __future__ import annotations

from scamlab import turn_moves

# Cue words by topic (lower case, matched inside the message's words); within a sentence the first topic wins.
TOPIC_CUES: dict[str, tuple[str, ...]] = {
    "number": ("get my number", "got my number", "have my number", "find my number", "my number from", "get this number",
               "got this number", "get my details", "got my details", "get my email", "got my email"),
    "urgent": ("so urgent", "why urgent", "why is it urgent", "the rush", "the hurry", "such a rush", "such a hurry",
               "why now", "why today", "why tonight", "can't it wait", "cant it wait", "why so fast", "why so quick",
               "urgency", "terribly urgent", "everything so urgent"),
    "out_of_blue": ("out of the blue", "contact people", "contact customers", "call people", "text people",
                    "cold call", "would never call", "would never text", "would never message", "wouldn't text me",
                    "wouldnt text me", "wouldn't call me", "wouldnt call me", "don't just text", "never just call"),
    "registered": ("registered", "regulated", "regulator", "licensed", " fca", "companies house", "authorised",
                   "authorized"),
    "real_money": ("real money", " demo", "actual money", "fake money", "just numbers", "real cash"),
    "deduct": ("take it out of", "take the fee out", "out of my earnings", "out of the prize", "out of my winnings",
               "out of the money", "deduct", "take it from the", "take the fee from"),
    "withdraw": ("withdraw", "take out", "cash out", "money out", "get my money", "take my money", "pay me out"),
    "fee_reason": ("pay to get", "pay money to get", "pay you money", "why do i have to pay", "why should i pay",
                   "why would i pay", "why do i need to pay", "why is there a fee", "why a fee", "the fee for",
                   "what's the fee for", "whats the fee for", "what is the fee for", "pay for a prize",
                   "pay to receive", "pay to claim"),
    "payment_method": ("take gift card", "takes gift card", "accept gift card", "accepts gift card",
                       "pay with gift card", "pay in gift card", "pay by gift card", "why gift card", "why a gift card",
                       "why crypto", "why bitcoin", "always crypto", "take crypto", "accept crypto", "take bitcoin",
                       "accept bitcoin", "pay in crypto", "pay in bitcoin", "why vouchers", "why a voucher"),
    "other_way": ("another way", "other way", "don't have a card", "dont have a card", "no card", "haven't got a card",
                  "havent got a card", "pay cash", "in cash", "pay later", "pay in person", "by cheque",
                  "don't have a bank", "dont have a bank", "no bank account"),
    "pay_directly": ("pay directly", "pay them directly", "pay it directly", "pay the company", "pay whoever",
                     "pay the landlord", "who is it for", "who is it actually for", "who's it for", "whos it for",
                     "who is the bill", "who's the bill", "whos the bill", "pay them myself", "pay it myself"),
    "contents": ("what's in", "whats in", "what is in the", "who sent it", "who sent the", "who sent me", "who's it from", "whos it from", "who is it from",
                 "who's the sender", "whos the sender", "who is the sender"),
    "link_address": ("link doesn't", "link doesnt", "link does not", "link isn't", "link isnt", "link is not",
                     "link looks", "website looks", "site looks", "weird link", "dodgy link", "strange link",
                     "odd link", "web address", "domain", " url", "not the real site", "not the real website",
                     "shop's website", "shops website", "shop's site", "shops site"),
    "see_computer": ("see my computer", "see my screen", "see my files", "see my pc", "see my laptop",
                     "how can you see", "how do you know about my", "how do you know my computer",
                     "how do you know there", "how can you tell"),
    "on_file": ("on file", "what address", "which address", "what details do you", "what do you have on",
                "what info do you", "what information do you", "you already have"),
    "normal": ("is that normal", "is this normal", "that normal", "this normal", "is that usual", "is this usual", "maiden name",
               "so much information", "so many details", "loads of stuff", "so much stuff"),
    "amount_shown": ("code is for", "says it's for", "says its for", "for a payment of", "code for £", "not £",
                     "instead of £", "says £", "it's for £", "its for £"),
    "free_delivery": ("delivery was free", "free delivery", "said it was free", "already paid for", "paid for delivery",
                      "paid for postage", "paid the postage", "paid the delivery"),
    "someone_else": ("can't your company", "cant your company", "your company sort", "your company help",
                     "your company pay", "your employer", "your boss", "your own money", "your own bank", "your friends",
                     "can't you ask", "cant you ask", "why don't you ask", "why dont you ask", "ask someone else"),
    "why_me": ("why me", "why did you choose", "why did you pick", "why was i chosen", "why was i picked",
               "how was i chosen", "how was i picked", "how did i win"),
    "prize_what": ("what did i win", "what have i won", "what's the prize", "whats the prize", "what prize",
                   "did i win", "have i won", "what is the prize"),
    "if_not": ("what happens if i don't", "what happens if i dont", "what if i don't", "what if i dont",
               "what happens if i wait", "what if i wait", "what if i ignore", "what happens if i ignore"),
}

# The default answers by topic (a scenario's script overrides any of them). Slots as in `scamlab.playbooks`.
TOPIC_ANSWERS: dict[str, tuple[str, ...]] = {
    "number": ("Your number is on the {brand} records; that's how we reach people when something is wrong.",
               "It's the number linked to your account, so our system gave it to me."),
    "urgent": ("Because after {deadline} it happens automatically, and then I can't stop it.",
               "Because the deadline is {deadline}, and after that it's out of my hands."),
    "out_of_blue": ("Normally we wouldn't, but your case was flagged as serious, so I was asked to contact you directly.",
                    "We only contact people directly when it's urgent, and yours is."),
    "registered": ("Yes, {brand} is fully registered. Our licence number is on our website.",
                   "Of course we're registered; we've been doing this for years."),
    "real_money": ("It's real money, I promise, and it's all yours once this step is done.",
                   "It's real, and you'll see it in your bank as soon as this is finished."),
    "deduct": ("I'm afraid the system can't take it out of that; the fee has to be paid first.",
               "The rules don't allow us to deduct it. It has to be paid separately."),
    "withdraw": ("You can withdraw once your account is verified; that's what this step is for.",
                 "Withdrawals open as soon as this last step is done."),
    "fee_reason": ("The {amount} covers the handling; it's the last step, I promise.",
                   "It's a standard charge that everyone pays. It's tiny next to what you get."),
    "payment_method": ("Gift cards clear instantly; a bank transfer takes three days, and that's too late.",
                       "We use vouchers because they go through straight away, so it can be closed today."),
    "other_way": ("No problem, you can pay with a gift card from any shop and send me the code on the back.",
                  "That's fine, a friend or family member can pay it for you at [LINK]."),
    "pay_directly": ("It has to go through us today; paying them directly would take too long.",
                     "They only take it through our account, I'm afraid. Just send it to [ACCOUNT]."),
    "contents": ("The label says it's a small package of electronics; the sender's name shows once the fee is paid.",
                 "It's from an online shop. The sender's details are on the tracking page after payment."),
    "link_address": ("That's our secure payment partner's page; that's why the address looks different.",
                     "The main website can't take payments, so we use a partner site. It's completely safe."),
    "see_computer": ("Our system monitors it automatically, and yours was flagged.",
                     "It's all on our system; yours showed up in red."),
    "on_file": ("For data protection I can't read it out. You confirm it, and I'll check it against our records.",
                "I can see it, but I'm not allowed to read it out. You need to confirm it."),
    "normal": ("Yes, that's completely normal, it's a standard security check. Fill in every box.",
               "Yes, it's just the security questions. Everyone gets them."),
    "amount_shown": ("That amount is only a temporary hold; it's released as soon as you confirm.",
                     "Don't worry about the amount in the text, the system always shows a hold. Just read me the code."),
    "free_delivery": ("This charge is separate; it isn't covered by what you paid before.",
                      "Delivery was free, but this is the handling charge, which the shop doesn't cover."),
    "someone_else": ("I've tried everyone else; you're the only one who can help today.",
                     "There's nobody else I can ask, I promise. You're the only one I trust."),
    "why_me": ("Your details came up in our system, that's all.", "You were picked at random. Lucky you!"),
    "prize_what": ("It's a cash prize, and it's all yours once this step is done.",),
    "if_not": ("If it isn't done by {deadline}, it's out of my hands and you lose it.",
               "Then after {deadline} the system closes the case, and I can't help you any more."),
}


def topic_of(text: str) -> str:
    """The topic the message asks about (`TOPIC_CUES`, read in its last sentence that names one), or ""."""
    return turn_moves.cue_match(text, TOPIC_CUES) or ""
