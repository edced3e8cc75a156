"""Evidence a message carries, beyond its wording, and its calibrated combination with the encoder.

`evidence_features(text)` measures link and text signals: a link, the shape of its host (shortener, raw IP,
look-alike of a known brand, punycode, a risky new gTLD, a long random path), a link on a brand's real
domain, obfuscated words, a phone number, a request for a code (and the genuine "never share it" warning),
and the red-flag rule hits. `EvidenceModel` is a small logistic regression over those signals, the
encoder's logit and the n-gram model's (`scamlab.engine.ngrams`), fitted on held-out data (never the test
set), that says which evidence weighed most.

Domains are split with the public-suffix list shipped inside `tldextract` (never fetched); phone numbers
are found with `phonenumbers`. Every pattern here is linear-time (google-re2).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import phonenumbers
import re2
import tldextract

from scamlab.corpus_tables import BRANDS, NEW_GTLDS, SHORTENERS
from scamlab.red_flags import flagged_rules


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: its id and how the verdict names it when it pushes towards scam or safe."""

    id: str
    as_scam: str
    as_safe: str


SIGNALS: tuple[Signal, ...] = (
    Signal("encoder", "the wording reads like a scam", "the wording reads like an ordinary message"),
    Signal("ngrams", "its words and spellings are typical of scams", "its words and spellings are those of ordinary messages"),
    Signal("link", "it carries a link", "it has no link"),
    Signal("shortener", "the link hides its destination behind a shortener", "the link is not shortened"),
    Signal("ip_host", "the link points to a bare IP address", "the link has a normal host name"),
    Signal("brand_lookalike", "the link imitates a known brand's domain", "the link does not imitate a brand"),
    Signal("brand_domain", "the link is on a known brand's domain", "the link is on the brand's real domain"),
    Signal("odd_host", "the link's host is made of login words or random letters", "the link's host looks ordinary"),
    Signal("risky_tld", "the link uses a cheap new domain ending", "the link's domain ending is common"),
    Signal("punycode", "the link's host is disguised with punycode", "the host is plain"),
    Signal("random_path", "the link has a long random path", "the link's path is short"),
    Signal("obfuscation", "words are disguised (odd dots, spaces, look-alike letters)", "the words are plain"),
    Signal("phone", "it gives a phone number to call", "it gives no phone number"),
    Signal("code_request", "it asks you to send a code", "it does not ask for a code"),
    Signal("code_warning", "it mentions not sharing a code", "it warns you never to share a code"),
    Signal("red_flags", "it has red-flag wording (urgency, money, threats)", "it has no red-flag wording"),
    Signal("names_a_scam", "it talks about scams (as 'recovery' offers do)", "it warns about a scam rather than making one"),
)
FEATURE_NAMES: tuple[str, ...] = tuple(signal.id for signal in SIGNALS)
_SIGNALS_BY_ID = {signal.id: signal for signal in SIGNALS}

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_SHORTENERS = frozenset(SHORTENERS)
_RISKY_SUFFIXES = frozenset(NEW_GTLDS) - {"app", "me", "co", "shop", "store"}
_BRAND_DOMAINS = frozenset(domain for brand in BRANDS for domain in brand.domains)
_BRAND_LABELS = frozenset(label for label in (d.split(".")[0] for d in _BRAND_DOMAINS) if len(label) >= 4)
_FOLD = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "а": "a", "е": "e", "о": "o", "р": "p",
                       "с": "c", "х": "x", "у": "y", "і": "i", "ѕ": "s", "κ": "k"})
_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")

_URL = re2.compile(r"(?i)(?:https?://)?(?:[a-z0-9\-\x{0400}-\x{04ff}]+\.)+[a-z\-]{2,24}(?::\d{2,5})?(?:/[^\s<>\"]*)?")
_IP_URL = re2.compile(r"(?i)(?:https?://)?\d{1,3}(?:\.\d{1,3}){3}(?::\d{2,5})?(?:/[^\s<>\"]*)?")
_MIXED_WORD = re2.compile(r"[A-Za-z][\x{0400}-\x{04ff}\x{0370}-\x{03ff}]|[\x{0400}-\x{04ff}\x{0370}-\x{03ff}][A-Za-z]")
_INNER_DOT = re2.compile(r"\b[A-Za-z]{1,6}[.*_][a-z]{1,6}\b")
_SPACED = re2.compile(r"(?:\b[A-Za-z] ){3,}[A-Za-z]\b")
_LEET = re2.compile(r"\b[A-Za-z]+[0-9$][A-Za-z]+[0-9$]?[A-Za-z]*\b")
_CODE_REQUEST = re2.compile(
    r"(?i)\b(?:send|forward|share|give|tell|read out|reply with|text)\b[^.!?\n]{0,40}\b(?:code|otp|pin|passcode)\b"
    r"|\b(?:code|otp)\b[^.!?\n]{0,30}\b(?:by mistake|back to me|to me)\b")
_CODE_WARNING = re2.compile(r"(?i)\b(?:never|don'?t|do not|not)\b[^.!?\n]{0,25}\b(?:share|give|tell)\b")
# A message that calls something a scam is mostly a warning or a question about one: scammers rarely name their own.
_NAMES_A_SCAM = re2.compile(r"(?i)\b(?:scams?|scammers?|scammed|phishing|fell for|fake (?:text|message|email|call|page|"
                            r"account|website|site)s?|is (?:this|that|it) (?:legit|real)|(?:don'?t|do not) click)\b")
_LONG_RANDOM = re2.compile(r"[A-Za-z0-9_\-]{12,}")
_ODD_HOST = re2.compile(
    r"secure|verif|login|signin|account|update|support|portal|auth|billing|refund|claim|unlock|confirm|redeliver"
    r"|alert|reward|bonus|gift|service|customs|toll|track|payment|[a-z][0-9]|[0-9][a-z]|-.*-")


@dataclass(frozen=True)
class LinkShape:
    """What one link's host and path look like."""

    host: str
    registered: str
    shortener: bool
    ip_host: bool
    brand_lookalike: bool
    brand_domain: bool
    odd_host: bool
    risky_tld: bool
    punycode: bool
    random_path: bool


def _edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """True when the Levenshtein distance of `a` and `b` is at most `limit` (banded, short strings)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _imitates_brand(host: str, domain_label: str, registered: str) -> bool:
    """A brand's name inside a host that is not the brand's, or a label one or two edits from a brand's."""
    if registered in _BRAND_DOMAINS:
        return False
    folded = domain_label.translate(_FOLD).replace("rn", "m").replace("vv", "w")
    parts = [p for p in host.translate(_FOLD).replace("-", ".").split(".") if p]
    if any(part in _BRAND_LABELS for part in parts) or folded in _BRAND_LABELS:
        return True
    return any(_edit_distance_at_most(folded, brand, 1 if len(brand) < 7 else 2) for brand in _BRAND_LABELS)


@functools.lru_cache(maxsize=4096)
def link_shape(link: str) -> LinkShape:
    """The shape of one link (a URL or a bare domain)."""
    without_scheme = link.split("://", 1)[-1]
    host, _, path = without_scheme.partition("/")
    host = host.split(":")[0].lower().removeprefix("www.")
    parts = _EXTRACT(host)
    registered = f"{parts.domain}.{parts.suffix}" if parts.suffix and parts.domain else host
    ip_host = bool(re2.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", host))
    brand_domain = registered in _BRAND_DOMAINS or host in _BRAND_DOMAINS
    random_path = len(path) > 24 or bool(_LONG_RANDOM.search(path)) and sum(c.isdigit() for c in path) >= 2
    return LinkShape(
        host=host,
        registered=registered,
        shortener=registered in _SHORTENERS or host in _SHORTENERS,
        ip_host=ip_host,
        brand_lookalike=not ip_host and _imitates_brand(host, parts.domain, registered),
        brand_domain=brand_domain,
        odd_host=not brand_domain and not ip_host and bool(_ODD_HOST.search(host)),
        risky_tld=parts.suffix.split(".")[-1] in _RISKY_SUFFIXES,
        punycode="xn--" in host,
        random_path=random_path,
    )


def find_links(text: str) -> list[str]:
    """Links in `text`: URLs with a scheme, raw-IP links and bare domains with a real public suffix."""
    links = [match for match in _IP_URL.findall(text)]
    for candidate in _URL.findall(text):
        host = candidate.split("://", 1)[-1].split("/")[0].split(":")[0]
        if "://" in candidate or _EXTRACT(host.lower()).suffix:
            links.append(candidate)
    return links


def _without(text: str, links: Sequence[str]) -> str:
    for link in links:
        text = text.replace(link, " ")
    return text


def _is_obfuscated(text: str, without_links: str) -> bool:
    if any(mark in text for mark in _ZERO_WIDTH) or _MIXED_WORD.search(text) or _SPACED.search(text):
        return True
    return bool(_INNER_DOT.search(without_links)) or bool(_LEET.search(without_links))


def _has_phone_number(text: str) -> bool:
    if sum(ch.isdigit() for ch in text) < 9:
        return False
    for region in ("GB", "US", "AU", "IN"):
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE, max_tries=20):
            if sum(ch.isdigit() for ch in match.raw_string) >= 9:
                return True
    return False


def evidence_features(text: str) -> dict[str, float]:
    """Each signal of `text` as a number (0/1, or a small count); the two models' slots are left at 0."""
    links = find_links(text)
    shapes = [link_shape(link) for link in links]
    without_links = _without(text, links)
    features = {name: 0.0 for name in FEATURE_NAMES}
    features["link"] = float(bool(shapes))
    for name in ("shortener", "ip_host", "brand_lookalike", "brand_domain", "odd_host", "risky_tld", "punycode", "random_path"):
        features[name] = float(any(getattr(shape, name) for shape in shapes))
    features["obfuscation"] = float(_is_obfuscated(text, without_links))
    features["phone"] = float(_has_phone_number(without_links))
    features["code_request"] = float(bool(_CODE_REQUEST.search(text)))
    features["code_warning"] = float(bool(_CODE_WARNING.search(text)) and "code" in text.lower())
    features["red_flags"] = float(min(len(flagged_rules(text)), 3))
    features["names_a_scam"] = float(bool(_NAMES_A_SCAM.search(text)))
    return features


def model_features(features: dict[str, float], encoder_probability: float, ngram_logit: float) -> dict[str, float]:
    """`features` with the encoder's and the n-gram model's log-odds in their slots."""
    return {**features, "encoder": encoder_logit(encoder_probability), "ngrams": ngram_logit}


def encoder_logit(probability: float) -> float:
    """The encoder's spam probability as a log-odds, clipped so that 0 and 1 stay finite."""
    clipped = min(max(probability, 1e-6), 1 - 1e-6)
    return math.log(clipped / (1 - clipped))


@dataclass(frozen=True)
class EvidenceModel:
    """Logistic regression over the signals and the encoder's logit; `weights` follow `FEATURE_NAMES`."""

    weights: tuple[float, ...]
    bias: float

    def to_dict(self) -> dict:
        """A JSON-ready form (saved in the classifier's config)."""
        return {"features": list(FEATURE_NAMES), "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_dict(cls, data: dict) -> EvidenceModel:
        """The model saved by `to_dict`; a changed signal list is an error, not a silent mismatch."""
        if tuple(data["features"]) != FEATURE_NAMES:
            raise ValueError("The classifier's evidence model was fitted on other signals; rebuild the classifier.")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]))

    def weight_of(self, name: str) -> float:
        """The weight of one signal."""
        return self.weights[FEATURE_NAMES.index(name)]

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Each signal's push on the log-odds (positive: towards scam)."""
        return {name: weight * features[name] for name, weight in zip(FEATURE_NAMES, self.weights)}

    def assess(self, text: str, encoder_probability: float, ngram_logit: float) -> tuple[float, dict]:
        """The combined spam probability and the evidence behind it (the main evidence named first)."""
        features = model_features(evidence_features(text), encoder_probability, ngram_logit)
        pushes = self.contributions(features)
        log_odds = self.bias + sum(pushes.values())
        probability = 1.0 / (1.0 + math.exp(-max(min(log_odds, 40.0), -40.0)))
        towards_scam = probability >= 0.5
        ranked = sorted((name for name in pushes if pushes[name] and (pushes[name] > 0) == towards_scam),
                        key=lambda name: -abs(pushes[name]))
        evidence = [{"signal": name, "says": _describe(name, pushes[name]), "weight": round(pushes[name], 3)} for name in ranked]
        main = evidence[0]["says"] if evidence else _describe("encoder", features["encoder"])
        return probability, {"main_evidence": main, "evidence": evidence[:4]}


    def probability_from_row(self, row: np.ndarray) -> float:
        """The combined probability for one row of `feature_matrix`."""
        return float(self.probabilities(row[None, :])[0])

    def probabilities(self, rows: np.ndarray) -> list[float]:
        """The combined probabilities for rows of `feature_matrix`."""
        log_odds = np.clip(rows @ np.asarray(self.weights) + self.bias, -40, 40)
        return (1.0 / (1.0 + np.exp(-log_odds))).tolist()


def _describe(name: str, push: float) -> str:
    signal = _SIGNALS_BY_ID[name]
    return signal.as_scam if push > 0 else signal.as_safe


def feature_matrix(texts: Sequence[str], encoder_probabilities: Sequence[float], ngram_logits: Sequence[float]) -> np.ndarray:
    """Rows of signals in `FEATURE_NAMES` order, with the two models' log-odds in their columns."""
    rows = []
    for text, probability, ngram_logit in zip(texts, encoder_probabilities, ngram_logits, strict=True):
        features = model_features(evidence_features(text), probability, ngram_logit)
        rows.append([features[name] for name in FEATURE_NAMES])
    return np.asarray(rows, dtype=np.float64)


def fit_evidence_model(features: np.ndarray, is_spam: Sequence[bool], l2: float = 1.0, steps: int = 200) -> EvidenceModel:
    """L2-regularised logistic regression by Newton's method.

    Rows are not re-weighted by class: the fitted probabilities stay calibrated on the data they were fitted on."""
    labels = np.asarray(is_spam, dtype=np.float64)
    design = np.hstack([features, np.ones((len(features), 1))])
    params = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        predicted = 1.0 / (1.0 + np.exp(-np.clip(design @ params, -40, 40)))
        gradient = design.T @ (predicted - labels) + penalty * params
        hessian = (design * (predicted * (1 - predicted))[:, None]).T @ design + np.diag(penalty + 1e-9)
        update = np.linalg.solve(hessian, gradient)
        params -= update
        if np.abs(update).max() < 1e-8:
            break
    return EvidenceModel(tuple(float(w) for w in params[:-1]), float(params[-1]))
