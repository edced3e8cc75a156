"""A seeded generator of modern scam and genuine messages, split into train and validation by template.

`generate_corpus(seed=...)` fills the templates of `scamlab.corpus_templates` from the tables of
`scamlab.corpus_tables`: brands, link styles (look-alike hosts, brand in a subdomain, shorteners, raw IPs,
new gTLDs, random tokens, punycode), then varies the surface (sender prefixes, casing, emoji, typos, and
for scams, obfuscation: dots or spaces inside words, leetspeak, homoglyphs, zero-width characters).
The same seed always gives the same messages. Whole templates are held out (`split == "validation"`),
so a validation figure measures forms the model has not seen.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scamlab import corpus_tables as tables
from scamlab.corpus_templates import GENUINE_GROUPS, SCAM_GROUPS, TemplateGroup

CHANNELS = ("sms", "email", "dm", "comment", "voicemail")
_BRACED = re.compile(r"\{([^{}]*)\}")  # innermost braces; templates are ours, never user text


@dataclass(frozen=True)
class CorpusMessage:
    """One generated message with where it came from."""

    text: str
    is_spam: bool
    family: str
    channel: str
    template_id: str
    split: str  # "train" or "validation"


@dataclass
class _Fill:
    """What one message is being filled with: its random source, label and brand."""

    rng: random.Random
    is_spam: bool
    brand: tables.Brand
    brandless: bool  # a family with no brand (friends, school, work) shares links to real sites


def _token(rng: random.Random, length: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def _digits(rng: random.Random, length: int) -> str:
    return str(rng.randint(1, 9)) + _token(rng, length - 1, string.digits)


def _brand_label(brand: tables.Brand) -> str:
    """The brand's registrable name, e.g. 'royalmail' from 'royalmail.com'."""
    return brand.domains[0].split(".")[0]


def _typo_squat(rng: random.Random, label: str) -> str:
    """A look-alike of a domain label: one letter swapped, doubled, dropped or replaced by a look-alike."""
    position = rng.randrange(len(label))
    letter = label[position]
    edits = [label[:position] + label[position + 1 :], label[:position] + letter + label[position:]]
    if letter in tables.ASCII_LOOKALIKES:
        edits += [label[:position] + rng.choice(tables.ASCII_LOOKALIKES[letter]) + label[position + 1 :]] * 2
    if position + 1 < len(label):
        edits.append(label[:position] + label[position + 1] + letter + label[position + 2 :])
    return rng.choice([edit for edit in edits if edit and edit != label] or [label + "s"])


def _host_words(rng: random.Random, count: int) -> list[str]:
    return rng.sample(tables.HOST_WORDS, count)


def _scam_host(rng: random.Random, brand: tables.Brand) -> str:
    """A host a scam would use to imitate `brand` (or no brand at all)."""
    label = _brand_label(brand)
    tld = rng.choice(tables.NEW_GTLDS + tables.OLD_TLDS)
    style = rng.choice(("typo", "typo_words", "subdomain", "hyphen", "generic", "generic_hex", "ip", "punycode"))
    if style == "typo":
        return f"{_typo_squat(rng, label)}.{rng.choice(('com', 'net', tld))}"
    if style == "typo_words":
        return f"{_typo_squat(rng, label)}-{rng.choice(tables.HOST_WORDS)}.{tld}"
    if style == "subdomain":
        tail = "-".join(_host_words(rng, rng.randint(1, 2)))
        return f"{rng.choice((label, brand.domains[0], label + '-' + tables.HOST_WORDS[0]))}.{tail}.{tld}"
    if style == "hyphen":
        words = [label, *_host_words(rng, rng.randint(1, 2))]
        rng.shuffle(words)
        return f"{'-'.join(words)}.{tld}"
    if style == "generic":
        return f"{'-'.join(_host_words(rng, rng.randint(1, 3)))}{rng.choice(('', _digits(rng, 2)))}.{tld}"
    if style == "generic_hex":
        return f"{rng.choice(tables.HOST_WORDS)}-{_token(rng, 4, '0123456789abcdef')}-{rng.choice(tables.HOST_WORDS)}.{tld}"
    if style == "ip":
        return ".".join(str(rng.randint(2, 223)) for _ in range(4)) + rng.choice(("", ":8080", ":443"))
    return f"xn--{label[: rng.randint(min(3, len(label)), len(label))]}-{_token(rng, 4, string.ascii_lowercase + string.digits)}.{rng.choice(('com', tld))}"


def _scam_path(rng: random.Random) -> str:
    shape = rng.randrange(6)
    if shape == 0:
        return ""
    if shape == 1:
        return "/" + _token(rng, rng.randint(4, 10))
    if shape == 2:
        return f"/{rng.choice(tables.URL_PATH_WORDS)}"
    if shape == 3:
        return f"/{rng.choice(tables.URL_PATH_WORDS)}/{_token(rng, rng.randint(6, 24), string.ascii_lowercase + string.digits)}"
    if shape == 4:
        return f"/{rng.choice(tables.URL_PATH_WORDS)}?{rng.choice(('id', 'token', 'ref', 'c', 'u'))}={_token(rng, rng.randint(6, 32))}"
    return "/" + _token(rng, rng.randint(2, 3), string.ascii_lowercase) + "/" + _token(rng, rng.randint(5, 8))


def scam_link(rng: random.Random, brand: tables.Brand) -> str:
    """A link as scams write them: shortener or imitation host, odd path, scheme sometimes missing."""
    if rng.random() < 0.22:
        return f"{rng.choice(('https://', 'http://', ''))}{rng.choice(tables.SHORTENERS)}/{_token(rng, rng.randint(4, 8))}"
    host = _scam_host(rng, brand)
    scheme = rng.choice(("https://", "https://", "http://", "", "")) if not host[0].isdigit() else "http://"
    www = "www." if scheme and rng.random() < 0.1 else ""
    return f"{scheme}{www}{host}{_scam_path(rng)}"


def genuine_link(rng: random.Random, brand: tables.Brand, shared: bool) -> str:
    """A link as genuine senders write them: the brand's real domain, or a real site a friend shares."""
    if shared:
        return _fill_tokens(rng, rng.choice(tables.SHARED_LINK_PATTERNS))
    if rng.random() < 0.06:
        return f"https://{rng.choice(tables.BRAND_SHORTENERS)}/{_token(rng, rng.randint(6, 11))}"
    domain = rng.choice(brand.domains)
    www = rng.choice(("www.", "", "", "my.", "app.")) if domain.count(".") < 2 else ""
    path = _fill_tokens(rng, rng.choice(tables.GENUINE_PATH_PATTERNS))
    return f"{rng.choice(('https://', 'https://', ''))}{www}{domain}{path}"


def _fill_tokens(rng: random.Random, pattern: str) -> str:
    fillers = {"tok11": lambda: _token(rng, 11), "tok17": lambda: _token(rng, 17), "tok22": lambda: _token(rng, 22),
               "digits9": lambda: _digits(rng, 9), "digits10": lambda: _digits(rng, 10), "digits12": lambda: _digits(rng, 12),
               "digits19": lambda: _digits(rng, 19), "ref": lambda: _reference(rng),
               "handle": lambda: rng.choice(tables.FIRST_NAMES).lower() + rng.choice(("", "_", ".")) + _digits(rng, 2)}
    return _BRACED.sub(lambda match: fillers[match.group(1)](), pattern)


def _reference(rng: random.Random) -> str:
    return rng.choice((_token(rng, 2, string.ascii_uppercase) + _digits(rng, 9) + rng.choice(("GB", "US", "")),
                       _digits(rng, 8), f"{_token(rng, 3, string.ascii_uppercase)}-{_digits(rng, 5)}"))


def _phone(rng: random.Random) -> str:
    shapes = ("07{d3} {d6}", "+44 7{d3} {d6}", "0{d3} {d3} {d4}", "({d3}) {d3}-{d4}", "+1 {d3}-{d3}-{d4}",
              "1-8{d2}-{d3}-{d4}", "+61 4{d2} {d3} {d3}", "+91 9{d4}{d5}", "0800 {d3} {d4}", "09{d3}{d6}")
    digit_fillers = {f"d{n}": n for n in range(2, 7)}
    return re.sub(r"\{(d\d)\}", lambda m: _token(rng, digit_fillers[m.group(1)], string.digits), rng.choice(shapes))


def _amount(rng: random.Random, low: float, high: float) -> str:
    value = rng.uniform(low, high)
    shown = f"{value:,.2f}" if value < 100 or rng.random() < 0.3 else f"{round(value):,}"
    currency = rng.choice(tables.CURRENCIES)
    return f"{currency}{shown}" if not currency.startswith("Rs") else f"{currency} {shown}"


SLOT_FILLERS: dict[str, Callable[[_Fill], str]] = {
    "brand": lambda f: f.brand.name,
    "link": lambda f: scam_link(f.rng, f.brand) if f.is_spam else genuine_link(f.rng, f.brand, f.brandless or f.rng.random() < 0.1),
    "amount": lambda f: _amount(f.rng, 0.5, 60),
    "big": lambda f: _amount(f.rng, 100, 9000),
    "code": lambda f: _token(f.rng, f.rng.choice((4, 5, 6, 6, 6, 8)), string.digits),
    "ref": lambda f: _reference(f.rng),
    "name": lambda f: f.rng.choice(tables.FIRST_NAMES),
    "day": lambda f: f.rng.choice(tables.DAYS),
    "time": lambda f: f.rng.choice(tables.TIMES),
    "month": lambda f: f.rng.choice(tables.MONTHS),
    "phone": lambda f: _phone(f.rng),
    "hours": lambda f: f.rng.choice(("12", "24", "48", "72", "2", "6")),
    "place": lambda f: f.rng.choice(tables.PLACES),
    "item": lambda f: f.rng.choice(tables.ITEMS),
    "product": lambda f: f.rng.choice(tables.PRODUCTS),
    "artist": lambda f: f.rng.choice(tables.ARTISTS),
    "optout": lambda f: f.rng.choice(tables.OPT_OUTS),
    "emoji": lambda f: f.rng.choice(tables.SPAM_EMOJI if f.is_spam else tables.HAM_EMOJI),
    "digits2": lambda f: str(f.rng.randint(2, 60)),
    "digits4": lambda f: _token(f.rng, 4, string.digits),
    "tok11": lambda f: _token(f.rng, 11),
}


def fill_template(template: str, fill: _Fill) -> str:
    """Resolve `{a|b}` choices and `{slot}` names, innermost first."""
    text = template
    for _ in range(12):
        text, count = _BRACED.subn(lambda match: _resolve(match.group(1), fill), text)
        if not count:
            break
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def _resolve(inside: str, fill: _Fill) -> str:
    if "|" in inside or inside == "":
        return fill.rng.choice(inside.split("|"))
    return SLOT_FILLERS[inside](fill)


def _obfuscate_word(rng: random.Random, word: str) -> str:
    """One scam-style disguise of a word: inner dots or spaces, leetspeak, homoglyphs or zero-width marks."""
    style = rng.randrange(5)
    cut = rng.randint(1, len(word) - 1)
    if style == 0:
        return word[:cut] + rng.choice((".", ".", "-", "_", "*")) + word[cut:]
    if style == 1:
        return " ".join(word) if len(word) <= 8 else word[:cut] + " " + word[cut:]
    if style == 2:
        return "".join(tables.LEET.get(ch.lower(), ch) if rng.random() < 0.6 else ch for ch in word)
    if style == 3:
        return "".join(tables.HOMOGLYPHS.get(ch, ch) if rng.random() < 0.5 else ch for ch in word)
    return rng.choice(tables.ZERO_WIDTH).join(word) if rng.random() < 0.4 else word[:cut] + rng.choice(tables.ZERO_WIDTH) + word[cut:]


def _typo(rng: random.Random, word: str) -> str:
    position = rng.randrange(len(word) - 1)
    if rng.random() < 0.5:
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    return word[:position] + word[position + 1 :]


def _change_words(rng: random.Random, text: str, change: Callable[[random.Random, str], str], count: int) -> str:
    """Apply `change` to `count` plain words (letters only, 4+ long; links and numbers stay)."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha() and w.isascii()]
    for index in rng.sample(candidates, min(count, len(candidates))):
        words[index] = change(rng, words[index])
    return " ".join(words)


def vary_surface(rng: random.Random, text: str, group: TemplateGroup, brand: tables.Brand) -> str:
    """Sender prefix, casing, emoji, typos; for scams also obfuscation. Rates differ by label, as in life."""
    spam = group.is_spam
    if group.channel == "sms" and group.brand_kinds and brand.sender_ids and rng.random() < 0.25 and not text.startswith(brand.name):
        text = f"{rng.choice(('{}: ', '[{}] ', '{} - ', 'FROM {}: '))}".format(rng.choice(brand.sender_ids)) + text
    if spam and rng.random() < 0.16:
        text = _change_words(rng, text, _obfuscate_word, rng.randint(1, 3))
    if rng.random() < (0.10 if spam else 0.12):
        text = _change_words(rng, text, _typo, rng.randint(1, 2))
    casing = rng.random()
    if casing < (0.06 if spam else 0.02):
        text = text.upper()
    elif casing < 0.12:
        text = text.lower()
    if rng.random() < 0.10:
        emoji = rng.choice(tables.SPAM_EMOJI if spam else tables.HAM_EMOJI)
        text = f"{emoji} {text}" if rng.random() < 0.5 else f"{text} {emoji}"
    return text


def _validation_templates(group: TemplateGroup, fraction: float) -> set[int]:
    """Which templates of a group are held out: a fixed, content-hashed choice, at least one per group of 3+."""
    ranked = sorted(range(len(group.templates)), key=lambda i: hashlib.sha1(group.templates[i].encode()).hexdigest())
    held = math.ceil(len(ranked) * fraction) if len(ranked) >= 3 else 0
    return set(ranked[:held])


def all_groups() -> tuple[TemplateGroup, ...]:
    """Every template group, scam then genuine."""
    return SCAM_GROUPS + GENUINE_GROUPS


def generate_corpus(total: int = 30000, seed: int = 7, validation_fraction: float = 0.2) -> list[CorpusMessage]:
    """About `total` distinct messages (before de-duplication), both labels, every channel, seeded.

    Each template yields the same number of tries; duplicates (short templates repeat) are dropped.
    """
    groups = all_groups()
    per_template = max(1, total // sum(len(group.templates) for group in groups))
    seen: set[str] = set()
    messages = []
    for group in groups:
        held_out = _validation_templates(group, validation_fraction)
        brands = [b for b in tables.BRANDS if b.kind in group.brand_kinds] or list(tables.BRANDS)
        for index, template in enumerate(group.templates):
            template_id = f"{group.family}/{index}"
            rng = random.Random(f"{seed}:{template_id}")
            for _ in range(per_template):
                brand = rng.choice(brands)
                text = vary_surface(rng, fill_template(template, _Fill(rng, group.is_spam, brand, not group.brand_kinds)), group, brand)
                if text in seen:
                    continue
                seen.add(text)
                split = "validation" if index in held_out else "train"
                messages.append(CorpusMessage(text, group.is_spam, group.family, group.channel, template_id, split))
    return messages


def split_corpus(messages: Sequence[CorpusMessage]) -> tuple[list[CorpusMessage], list[CorpusMessage]]:
    """(train, validation) by each message's template split."""
    return [m for m in messages if m.split == "train"], [m for m in messages if m.split == "validation"]
