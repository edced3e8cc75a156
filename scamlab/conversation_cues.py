"""Moves a caller makes, as linear-time patterns: features for the conversation scam meter.

Each row is `(id, pattern)`; `scamlab.engine.conversation` turns every sentence the other side says into one
0/1 feature per row, beside the encoder's view of the sentence. Scam moves (asking for a code, gift cards,
remote access, a threat) and genuine ones (sending you back to the number on your card, saying what they will
never ask for) both count: the model learns their weights. Patterns run on user text, so they are RE2 (no
backtracking).
"""

from __future__ import annotations

import re2

_SAY = r"(?:read|tell|give|confirm|provide|share|enter|key|type|send|verify|need|what(?:'s| is)|say|fill in|fill out|submit)"

CONVERSATION_CUES: tuple[tuple[str, str], ...] = (
    ("asks_secret", _SAY + r"\b.{0,40}\b(?:code|pin|password|passcode|social security|ssn|full card number"
     r"|card number|cvv|security number|three digits|3 digits|online banking|login|log in details|sort code"
     r"|account number|bank details|bank account|card details|payment details|personal details)"),
    ("names_secret", r"\b(?:pin|pin number|password|passcode|one[- ]time (?:pass)?code|cvv|cvc|security code|verification code"
     r"|full card number|online banking details|login details)\b"),
    ("odd_payment", r"\b(?:gift ?cards?|itunes|google play|steam (?:cards?|wallet)|bitcoin|crypto|usdt|wire (?:it|the|transfer)"
     r"|western union|moneygram|prepaid (?:card|debit)|wallet address|cash with (?:the|a) courier)"),
    # Courier fraud: no bank sends someone to collect a card, a PIN or cash.
    ("collects_card", r"\bcourier\b.{0,60}\b(?:card|pin|cash)\b|\b(?:card|pin|cash)\b.{0,60}\bcourier\b"
     r"|\b(?:collect|pick up) (?:your|the) (?:card|cards|pin|cash)\b"),
    ("remote_access", r"\b(?:anydesk|teamviewer|remote (?:access|control|support|desktop)|connect to your (?:computer|laptop|pc)"
     r"|(?:download|install)\b.{0,30}\b(?:app|program|software|tool))"),
    ("threat", r"\b(?:arrest(?:ed)?|warrant|lawsuit|legal action|police will|jail|prison|deport|frozen|suspended"
     r"|shut off|cut off|disconnect(?:ed|ion)?|obstruction|penalt(?:y|ies)|(?:cancel+ed|closed|terminated) permanently"
     r"|permanently (?:cancel+ed|closed|terminated)|lose (?:your|all your) (?:benefits|pension|savings))\b"),
    ("prize", r"\b(?:congratulations|you(?:'ve| have)? won|winner|sweepstakes|lottery|prize|jackpot|free (?:gift|reward|cruise|tablet))"),
    ("fee_to_release", r"\b(?:processing|release|unlock|registration|reactivation|handling|customs|insurance|tax) (?:fee|charge)"
     r"|\bsmall fee\b|\bfee of\b|\bpay (?:a|the) (?:bond|fee)"),
    ("move_money", r"\b(?:safe|secure|holding|new) account\b|\b(?:move|transfer) (?:your|the) (?:money|savings|balance|funds)"),
    ("secrecy", r"\b(?:don'?t|do not) (?:tell|call|discuss|speak|go to|hang up)|\bconfidential\b|\bstay on the (?:line|phone)"
     r"|\bgag order\b|\bkeep (?:this|it) (?:between|secret|quiet)"),
    ("urgency", r"\b(?:right now|immediately|within (?:the next )?(?:\d+|an?|one|24) ?(?:hours?|minutes?)|today or"
     r"|expires?|final notice|last chance|before it'?s too late|every minute counts|hurry)\b"),
    ("infected", r"\b(?:virus|infected|malware|hacked|hackers|ip address)\b"),
    ("link", r"\[link\]|\b(?:click|tap|open|visit|go to|follow|use|on)\b.{0,20}\b(?:link|website|web page|page|site)\b"),
    ("safeguard", r"\b(?:never ask|won'?t ask|will not ask|don'?t need (?:to|any)|nothing to pay|no charge"
     r"|(?:on|printed on) (?:the back of )?your card|hang up and call|call us back|number on your bill|official (?:app|website)"
     r"|in the app|your online account|in writing|by post|a letter)"),
    ("polite_verify", r"\b(?:date of birth|postcode|post code|zip code|(?:first line of your|full|delivery|home) address|last four digits"
     r"|your full name|policy number|reference number)\b"),
)

CUE_PATTERNS = tuple((cue_id, re2.compile("(?i)" + pattern)) for cue_id, pattern in CONVERSATION_CUES)


def cue_vector(sentence: str) -> list[float]:
    """One 0/1 value per row of `CONVERSATION_CUES`: does `sentence` make that move?"""
    return [1.0 if pattern.search(sentence) else 0.0 for _, pattern in CUE_PATTERNS]
