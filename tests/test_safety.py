"""Tests for scamlab.safety: every contact point is scrubbed, ordinary text is not."""

import pytest

from scamlab.safety import (
    CONTACT_PATTERNS,
    CONTACT_PLACEHOLDERS,
    contains_contact_point,
    scrub_contact_points,
)

# (original, expected after scrubbing)
SCRUBBED_EXAMPLES = [
    # links
    ("Visit https://secure-bank.com/login now.", "Visit [LINK] now."),
    ("Go to http://example.org", "Go to [LINK]"),
    ("hxxp://evil.example/pay", "[LINK]"),
    ("hxxps://login.paypa1.xyz/verify?id=7", "[LINK]"),
    ("hxxp[:]//evil[.]com/x", "[LINK]"),
    ("go to example[.]com today", "go to [LINK] today"),
    ("example(dot)com", "[LINK]"),
    ("type example dot com in your browser", "type [LINK] in your browser"),
    ("www.paypa1-secure.info/verify.", "[LINK]."),
    ("see www.example.com", "see [LINK]"),
    ("tap bit.ly/abc123 now", "tap [LINK] now"),
    ("join t.me/fastcash", "join [LINK]"),
    ("amazon.co.uk/refund?id=3", "[LINK]"),
    ("secure-login.example.com/account/verify", "[LINK]"),
    # e-mails (caught before their domain)
    ("mail me at john.smith@gmail.com.", "mail me at [EMAIL]."),
    ("name [at] domain [dot] com", "[EMAIL]"),
    ("user(at)mail(dot)ru", "[EMAIL]"),
    ("name@domain[.]com", "[EMAIL]"),
    # phones
    ("Call +44 7700 900123 today", "Call [PHONE] today"),
    ("(555) 010-1234", "[PHONE]"),
    ("+1 (555) 010-1234", "[PHONE]"),
    ("07700900123", "[PHONE]"),
    ("text 0 7 7 0 0 9 0 0 1 2 3 now", "text [PHONE] now"),
    ("555-010-1234", "[PHONE]"),
    ("555.010.1234", "[PHONE]"),
    ("call 0800-123-4567.", "call [PHONE]."),
    ("+44 (0)20 7946 0958", "[PHONE]"),
    # wallets
    ("send to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "send to [WALLET]"),
    ("1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "[WALLET]"),
    ("0x52908400098527886E0F7030069857D2E4169EE7", "[WALLET]"),
    ("USDT to TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "USDT to [WALLET]"),
    # IBANs (caught before phones)
    ("GB29 NWBK 6016 1331 9268 19", "[IBAN]"),
    ("GB29NWBK60161331926819 please", "[IBAN] please"),
    ("DE89 3704 0044 0532 0130 00", "[IBAN]"),
    # cards (caught before phones)
    ("4111 1111 1111 1111", "[CARD]"),
    ("4111-1111-1111-1111", "[CARD]"),
    ("card 4111111111111111 exp", "card [CARD] exp"),
    ("378282246310005", "[CARD]"),
    # accounts
    ("sort code 12-34-56 account 12345678", "sort code [ACCOUNT] account [ACCOUNT]"),
    ("12-34-56 12345678", "[ACCOUNT]"),
    ("account number: 12345678", "account number: [ACCOUNT]"),
    ("acc no. 0012345678", "acc no. [ACCOUNT]"),
    # street addresses
    ("Send it to 221B Baker Street please", "Send it to [ADDRESS] please"),
    ("42 High St", "[ADDRESS]"),
    ("10 Downing Street", "[ADDRESS]"),
]

INNOCENT_TEXTS = [
    "It costs £2.99 and 50% off",
    "£1,250.00 or $3.50 or €10",
    "pay £1,000,000 now",
    "Meet at 10:30 on 12/03/2025",
    "Meet at 10.30 a.m. on 12.03.2025",
    "12.03.2025 10.30",
    "on 2025-03-12",
    "within 3 days or 24 hours",
    "e.g. a.m. i.e. p.m. etc.",
    "U.S. and U.K.",
    "Mr. Smith and Dr. Jones went to St. Ives.",
    "Call me.Please",
    "Call 999 or 111 in an emergency",
    "Version 2.0.1 and chapter 3.2",
    "Score: 9/10",
    "5-10 minutes",
    "Room 12B",
    "order 123456789",
    "1.5 2.5 3.5 4.5 5.5 6.5",
    "In 2023 prices rose 3.5% to 4.2%",
    "My PIN is 1234 and the code is 482913",
    "Your account is locked",
    "I have 2 accounts",
    "the dot com bubble",
    "Send it by email or post",
    "Meet me at the station",
    " ".join(CONTACT_PLACEHOLDERS),
    "Pay at [LINK] or call [PHONE] and email [EMAIL]",
    "",
]


@pytest.mark.parametrize(("original", "expected"), SCRUBBED_EXAMPLES)
def test_contact_point_is_replaced(original: str, expected: str) -> None:
    assert scrub_contact_points(original) == expected
    assert contains_contact_point(original)


@pytest.mark.parametrize("text", INNOCENT_TEXTS)
def test_innocent_text_is_unchanged(text: str) -> None:
    assert scrub_contact_points(text) == text
    assert not contains_contact_point(text)


@pytest.mark.parametrize(
    "text", [original for original, _ in SCRUBBED_EXAMPLES] + INNOCENT_TEXTS
)
def test_scrubbing_is_idempotent(text: str) -> None:
    once = scrub_contact_points(text)
    assert scrub_contact_points(once) == once


def test_every_placeholder_is_exercised() -> None:
    produced = {
        placeholder
        for _, expected in SCRUBBED_EXAMPLES
        for placeholder in CONTACT_PLACEHOLDERS
        if placeholder in expected
    }
    assert produced == set(CONTACT_PLACEHOLDERS)


def test_placeholders_come_from_the_pattern_table() -> None:
    assert set(CONTACT_PLACEHOLDERS) == {rule.placeholder for rule in CONTACT_PATTERNS}
    assert len(CONTACT_PLACEHOLDERS) == len(set(CONTACT_PLACEHOLDERS))
    assert all(
        placeholder.startswith("[") and placeholder.endswith("]")
        for placeholder in CONTACT_PLACEHOLDERS
    )


def test_many_contact_points_in_one_message() -> None:
    message = (
        "Pay £1.45 at hxxps://royal-mail.redelivery.top/pay or call 07700 900123, "
        "email help@royal-mail-support.com, card 4111 1111 1111 1111."
    )
    assert scrub_contact_points(message) == (
        "Pay £1.45 at [LINK] or call [PHONE], email [EMAIL], card [CARD]."
    )
