"""The classifier tab's five-level verdict and its scam-type tags.

`VERDICT_BANDS` maps the model's spam probability to a plain-language
verdict; `SCAM_TAGS` names the kind of scam a message looks like, using
keyword patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

from scamlab.text_patterns import Pattern, compile_pattern, searchable, whole_word_matches


@dataclass(frozen=True)
class VerdictBand:
    """Spam probabilities from `lower_bound` up to the next band get `label`."""

    lower_bound: float
    label: str
    meaning: str


LIKELY_SCAM = 0.5  # the scam meter's "likely scam above" line (messages and whole conversations)

# Highest band first: a probability gets the first band whose bound it reaches.
VERDICT_BANDS: tuple[VerdictBand, ...] = (
    VerdictBand(
        0.90, "Most Certainly Scam", "Almost every sign points to a scam: do not reply or click."
    ),
    VerdictBand(0.60, "Scam", "Probably a scam: check with the real company another way."),
    VerdictBand(0.40, "Unknown", "The model cannot tell: look for red flags yourself."),
    VerdictBand(0.10, "Safe", "Probably genuine, but still never share codes or passwords."),
    VerdictBand(0.00, "Most Certainly Safe", "Looks like an ordinary message."),
)


def verdict_for(spam_probability: float) -> str:
    """The verdict label for a spam probability in [0, 1]."""
    if not 0.0 <= spam_probability <= 1.0:
        raise ValueError(f"spam probability must be in [0, 1], got {spam_probability!r}")
    return next(
        band.label for band in VERDICT_BANDS if spam_probability >= band.lower_bound
    )


def verdict_bands_markdown() -> str:
    """A Markdown table (spam probability | verdict | meaning) of the bands."""
    lines = ["| Spam probability | Verdict | Meaning |", "| --- | --- | --- |"]
    upper_bounds = ("1.00", *(f"under {band.lower_bound:.2f}" for band in VERDICT_BANDS))
    for band, upper_bound in zip(VERDICT_BANDS, upper_bounds):
        probability_range = f"{band.lower_bound:.2f} to {upper_bound}"
        lines.append(f"| {probability_range} | {band.label} | {band.meaning} |")
    return "\n".join(lines)


@dataclass(frozen=True)
class ScamTag:
    """A kind of scam and the keywords that suggest it."""

    id: str
    label: str
    pattern: Pattern

    def found_in(self, text: str) -> bool:
        """True when one of the tag's keywords appears in `text` as a whole word."""
        return any(True for _ in whole_word_matches(self.pattern, searchable(text)))


def _tag(tag_id: str, label: str, regex: str) -> ScamTag:
    """Build a tag, compiling `regex` (RE2 syntax, linear time) case-insensitively between word boundaries."""
    return ScamTag(tag_id, label, compile_pattern(rf"\b(?:{regex})\b", ignore_case=True))


SCAM_TAGS: tuple[ScamTag, ...] = (
    _tag(
        "credentials",
        "Credentials / phishing",
        r"passwords?|passcode|pin|otp|one[- ]?time (?:pass)?code|verification code|security code"
        r"|log ?in|sign ?in"
        r"|(?:verify|confirm|update) your (?:account|identity|details|information)",
    ),
    _tag(
        "banking",
        "Banking",
        r"bank(?:ing)?|sort code|account (?:number|details|suspended|locked|blocked)"
        r"|debit card|credit card|new payee|fraud (?:team|department)|transaction",
    ),
    _tag(
        "delivery",
        "Delivery",
        r"parcel|package|redeliver(?:y)?|delivery|courier|shipment|royal mail|dhl|dpd|fedex|usps"
        r"|evri|hermes|postage|customs (?:fee|charge)",
    ),
    _tag(
        "prize",
        "Prize / lottery",
        r"you(?:['’]?ve| have)? won|winner|prize|lottery|jackpot|congratulations|giveaway"
        r"|sweepstakes?|claim your",
    ),
    _tag(
        "investment",
        "Investment / crypto",
        r"invest(?:ment|ing)?|crypto(?:currency)?|bitcoin|btc|usdt|ethereum|trading|forex"
        r"|guaranteed (?:returns?|profits?)|double your money|\d+ ?% (?:returns?|profit|a week)",
    ),
    _tag(
        "romance",
        "Romance",
        r"darling|sweetheart|beautiful|handsome|soulmate|my love|i love you|miss you"
        r"|thinking (?:about|of) you|your profile|dating",
    ),
    _tag(
        "tech_support",
        "Tech support",
        r"virus|malware|infected|hacked|tech(?:nical)? support|microsoft|windows|apple support"
        r"|remote access|anydesk|teamviewer|your (?:computer|laptop|device)",
    ),
    _tag(
        "job",
        "Job / task",
        r"jobs?|hiring|recruit(?:er|ment|ing)?|vacancy|work(?:ing)? from home|part[- ]time|salary"
        r"|earn £?\$?\d+|per (?:day|task)|tasks?|commission|hr (?:team|department)|your cv",
    ),
    _tag(
        "government",
        "Government / tax",
        r"hmrc|irs|tax(?: office| refund| rebate)?|government|gov\.uk|council|dvla"
        r"|national insurance|social security|benefits|court|warrant|arrest|immigration",
    ),
    _tag(
        "family",
        "Family emergency",
        r"hi,? (?:mum|mom|dad|mummy|daddy)|new (?:phone )?number"
        r"|(?:lost|broke|dropped|smashed) my phone|friend['’]?s phone|grandson|granddaughter"
        r"|(?:it['’]?s|this is) (?:me|your son|your daughter)",
    ),
    _tag(
        "toll",
        "Toll / fines",
        r"tolls?|e-?zpass|congestion charge|ulez|dart ?charge|parking (?:fine|charge|ticket)"
        r"|speeding (?:fine|ticket)|penalty(?: charge| notice)?|pcn|unpaid (?:fine|charge)",
    ),
)


def scam_tags(text: str) -> list[str]:
    """Labels of every scam type whose keywords appear in `text`, in table order."""
    return [tag.label for tag in SCAM_TAGS if tag.found_in(text)]
