"""Tests for scamlab.safety: every contact point is scrubbed, whatever its form; ordinary text is not."""

import random
import time

import pytest

from scamlab.safety import (
    CONTACT_PATTERNS,
    CONTACT_PLACEHOLDERS,
    contains_contact_point,
    is_fit_for_class,
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
    # handles
    ("message @fast_cash_uk on Telegram", "message [HANDLE] on Telegram"),
    # only the contact point goes: a spaced dash after a link is prose, not more of the link
    ("The report https://status.example.com/incidents/218 - all resolved", "The report [LINK] - all resolved"),
    ("call 07700 x.com 900123", "call [PHONE]"),
]

# Contact points in forms meant to slip past a scrubber: (text, placeholder, a piece that must not survive).
# Each must come out with its placeholder and without that piece (nor any run of 3+ of its digits).
TRICKY_FORMS = [
    # links: spaced out, fullwidth, ideographic dots, look-alike letters, zero-width characters
    ("h t t p s : / / x . com", "[LINK]", "x . com"),
    ("visit h t t p s : / / evil-bank . c o m now", "[LINK]", "t t p"),
    ("go to https : // evil-bank . com / pay", "[LINK]", "evil-bank"),
    ("e v i l - b a n k . c o m", "[LINK]", "e v i l"),
    ("w w w . e v i l . c o m", "[LINK]", "e v i l"),
    ("www . evil-bank . com", "[LINK]", "evil-bank"),
    ("bit . ly / x7Yz", "[LINK]", "x7Yz"),
    ("ｅｖｉｌ-ｂａｎｋ．ｃｏｍ/pay", "[LINK]", "ｂａｎｋ"),
    ("ＨＴＴＰＳ：／／ｅｖｉｌ．ｃｏｍ", "[LINK]", "ｅｖｉｌ"),
    ("go to evil-bank。com/login", "[LINK]", "evil-bank"),
    ("go to evil-bank｡com", "[LINK]", "evil-bank"),
    ("go to evil-bank．com", "[LINK]", "evil-bank"),
    ("раураl.com/verify", "[LINK]", "раураl"),
    ("paypal.сом/verify", "[LINK]", "paypal"),
    ("log in at paypαl.cοm", "[LINK]", "payp"),
    ("pay\u200bpal-secure.com", "[LINK]", "pal-secure"),
    ("sec\u200cure-login.net", "[LINK]", "ure-login"),
    ("ex\u00adample-bank.com", "[LINK]", "ample-bank"),
    ("evil\u2010bank.com", "[LINK]", "bank"),
    # links: suffixes beyond a fixed list, IDN, IPs, protocol-relative, defanged, spoken
    ("go to secure.bank/login", "[LINK]", "secure"),
    ("open invoice-2291.zip now", "[LINK]", "invoice"),
    ("go to evil-bank.support now", "[LINK]", "evil-bank"),
    ("claim at prize.xn--p1ai", "[LINK]", "prize"),
    ("claim at приз.рф", "[LINK]", "приз"),
    ("https://xn--pypal-4ve.com/login", "[LINK]", "pypal"),
    ("login at 192.168.1.10", "[LINK]", "192.168"),
    ("go to 10.0.0.1:8080/admin", "[LINK]", "8080"),
    ("http://203.0.113.5/pay", "[LINK]", "203.0"),
    ("//evil-bank.com/p", "[LINK]", "evil-bank"),
    ("![a](//198.51.100.7/p)", "[LINK]", "198.51"),
    ("evil-bank (dot) com", "[LINK]", "evil-bank"),
    ("evil-bank{.}com/pay", "[LINK]", "evil-bank"),
    ("evil-bank dot co dot uk", "[LINK]", "evil-bank"),
    ("hxxps[:]//evil-bank[.]com/pay", "[LINK]", "evil-bank"),
    ("HTTPS://EVIL-BANK.COM", "[LINK]", "EVIL"),
    ("EVIL-BANK.COM", "[LINK]", "EVIL"),
    ("visit evil-bank.com.Then pay", "[LINK]", "evil-bank"),
    ("visit evil-bank.co.uk.", "[LINK]", "evil-bank"),
    ("tap t.me/fastcash_uk", "[LINK]", "fastcash"),
    ("wa.me/447700900123", "[LINK]", "447700"),
    # e-mails
    ("help [ at ] x . com", "[EMAIL]", "x . com"),
    ("help [ at ] evil-bank . com", "[EMAIL]", "evil-bank"),
    ("help＠evil-bank．com", "[EMAIL]", "evil-bank"),
    ("help @ evil-bank.com", "[EMAIL]", "evil-bank"),
    ("help(at)evil-bank(dot)com", "[EMAIL]", "evil-bank"),
    ("name{at}mail{dot}ru", "[EMAIL]", "mail"),
    ("h e l p @ e v i l . c o m", "[EMAIL]", "e v i l"),
    ("support@раураl.com", "[EMAIL]", "раураl"),
    ("j.smith+refund@bank-secure.co.uk", "[EMAIL]", "bank-secure"),
    ("HELP@EVIL-BANK.COM", "[EMAIL]", "EVIL"),
    ("write to help at evil-bank dot com", "[LINK]", "evil-bank"),
    # phone numbers: in words, split by separators, in two parts, fullwidth, international
    ("call oh seven seven double oh nine oh oh one two three", "[PHONE]", "seven"),
    ("ring zero seven seven zero zero, nine zero zero, one two three", "[PHONE]", "nine"),
    ("plus four four seven seven double oh nine double oh one two three", "[PHONE]", "four"),
    ("call 07700 - 900 - 123", "[PHONE]", "900"),
    ("call 0770/090/0123", "[PHONE]", "090"),
    ("call 0770–090–0123", "[PHONE]", "090"),
    ("call 0770—090—0123", "[PHONE]", "090"),
    ("call 07700‑900‑123", "[PHONE]", "900"),
    ("call 07700 900 and then 123", "[PHONE]", "900"),
    ("the first part is 07700 9, the rest is 00123", "[PHONE]", "07700"),
    ("text 0 7 7 0 0 9 0 0 1 2 3", "[PHONE]", "0 7 7"),
    ("call ０７７００ ９００１２３", "[PHONE]", "９００"),
    ("call 07700.900.123", "[PHONE]", "900"),
    ("+44 (0) 7700 900 123", "[PHONE]", "7700"),
    ("+1 202-555-0143", "[PHONE]", "202"),
    ("+91 98765 43210", "[PHONE]", "98765"),
    ("0412 345 678", "[PHONE]", "345"),
    ("Call 0800 123 4567", "[PHONE]", "0800"),
    # cards
    ("4111.1111.1111.1111", "[CARD]", "4111"),
    ("card ４１１１ １１１１ １１１１ １１１１", "[CARD]", "１１１１"),
    ("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "[CARD]", "4 1 1"),
    ("3782 822463 10005", "[CARD]", "822463"),
    # wallets
    ("bc1qar0srrr7xfkvy5l6 43lydnw9re59gtzzwf5mdq", "[WALLET]", "43lydnw9"),
    ("bc1qar0srrr7xfkvy5l6-43lydnw9re59gtzzwf5mdq please", "[WALLET]", "43lydnw9"),
    ("52908400098527886E0F7030069857D2E4169EE7", "[WALLET]", "5290"),
    ("0x5290 8400 0985 2788 6E0F 7030 0698 57D2 E416 9EE7", "[WALLET]", "6E0F"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "[WALLET]", "3J98"),
    # messaging handles
    ("DM @crypto_helper_01", "[HANDLE]", "crypto"),
    ("Telegram: @Support_Desk_Official", "[HANDLE]", "Support"),
    # IBANs and accounts
    ("IBAN: gb29 nwbk 6016 1331 9268 19", "[IBAN]", "nwbk"),
    ("sort code 12 34 56, account 1234 5678", "[ACCOUNT]", "5678"),
    # street addresses and postcodes
    ("send it to 221b baker street", "[ADDRESS]", "baker"),
    ("flat 3, 42 high st", "[ADDRESS]", "high"),
    ("12 Acacia Avenue", "[ADDRESS]", "Acacia"),
    ("7 Old Kent Road", "[ADDRESS]", "Kent"),
    ("London SW1A 2AA", "[ADDRESS]", "SW1A"),
    ("manchester m1 1ae", "[ADDRESS]", "1ae"),
    ("Springfield, IL 62704", "[ADDRESS]", "62704"),
    ("zip code 90210", "[ADDRESS]", "90210"),
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
    # numbers that are not contact points
    "£1,234.56 and 3.5% and v2.10.3 at 10.30 on 12.03.2025",
    "from 12.03.25 - 15.03.25, or 1.3.2025 - 5.3.2025",
    "10:30-11:30, 20% off until 31/12",
    "between 9 - 5 daily, 5 - 10 minutes, Score: 9 / 10",
    "My PIN is 1234 and the code is 482913",
    "Room 101 on floor 3, x = 3.14159",
    "one, two, three, go",
    "a PS5 2TB for 499",
    # abbreviations and sentences run together
    "e.g. i.e. U.S. No.1 I.T. support",
    "Thanks.See you",
    "ok.Then",
    "I'm done.Now what?",
    "I'm fine . how are you",
    "It's 2 p.m. in the U.K.",
    # words that look like the start of something else
    "meet @ 5pm",
    "Your Hinge code is 9052 @hinge.example #9052",
    "item RM72XB is held at our depot",
    "working from @home",
    "I walked 3 miles down the road",
    "2 more days to close",
    "we waited 20 minutes in the lane",
    # other scripts stay as written
    "Привет, как дела?",
    "你好。中国很大",
    "Καλημέρα σας",
    "مرحبا، كيف حالك؟",
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


def test_scrubbing_random_mixtures_is_idempotent() -> None:
    pieces = [
        "x.com", " . ", " dot ", "07700", "900123", "4111", "-", "/", "@", "help", "[at]", "(dot)", "ｅ", "．", "а",
        "\u200b", "oh", "seven", "double", "bc1q", "ar0srrr7", "0x", "5290", "221b", "baker", "street", "SW1A", "2AA",
        "http", "://", "www", "1", ".", "[LINK]", "[PHONE]", "and then", "+44", "(0)", "Then", "the", "com", "£",
        "12", "2025", "\n", "@abcde_fg", "IBAN", "GB29", "account", "sort code", "12-34-56",
    ]
    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 14)))
        once = scrub_contact_points(text)
        assert scrub_contact_points(once) == once, text


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


@pytest.mark.parametrize(("text", "placeholder", "piece"), TRICKY_FORMS)
def test_tricky_form_is_caught(text: str, placeholder: str, piece: str) -> None:
    scrubbed = scrub_contact_points(text)
    assert placeholder in scrubbed, scrubbed
    assert piece not in scrubbed, scrubbed
    assert not any(run in scrubbed for run in _digit_runs(text)), scrubbed
    assert scrub_contact_points(scrubbed) == scrubbed


def _digit_runs(text: str, length: int = 3) -> set[str]:
    """Every run of `length` consecutive ASCII digits in `text`."""
    digits_only = "".join(char if char.isascii() and char.isdigit() else " " for char in text)
    return {word[i : i + length] for word in digits_only.split() for i in range(len(word) - length + 1)}


def test_the_tricky_table_is_big_and_covers_every_placeholder() -> None:
    assert len(TRICKY_FORMS) >= 80
    assert {placeholder for _, placeholder, _ in TRICKY_FORMS} == set(CONTACT_PLACEHOLDERS)


def test_only_the_contact_point_is_replaced_and_the_rest_stays_as_written() -> None:
    text = "Привет! Пишите на ｈｅｌｐ＠ｅｖｉｌ．ｃｏｍ или звоните 0 7 7 0 0 9 0 0 1 2 3 — 谢谢。"
    assert scrub_contact_points(text) == "Привет! Пишите на [EMAIL] или звоните [PHONE] — 谢谢。"


# Inputs built to make a backtracking pattern take quadratic time: (name, unit repeated, optional prefix).
ADVERSARIAL_INPUTS = [
    ("spoken dots", "b dot ", ""),
    ("defanged dots", "b (dot) ", ""),
    ("defanged e-mails", "x (at) b dot ", ""),
    ("account and spaces", " ", "account"),
    ("sort code and spaces", " ", "sort code"),
    ("hyphens", "a-", ""),
    ("digits and dashes", "1-", ""),
    ("digits and spaces", "1 ", ""),
    ("digits and dots", "1.", ""),
    ("digit groups and words", "0770 and ", ""),
    ("single letters", "a ", ""),
    ("spaced dots", ". ", ""),
    ("labels", "a.", ""),
    ("numbers in words", "oh ", ""),
    ("fullwidth", "ｅ．", ""),
    ("look-alikes", "а.", ""),
    ("zero-width", "a\u200b", ""),
    ("hex", "ab12 ", ""),
    ("handles", "@abcde", ""),
    ("house numbers", "1 a ", ""),
]


def _scrub_seconds(text: str) -> float:
    """Best of three CPU timings of scrubbing `text` (CPU time and the best run: the least disturbed by the
    other processes of a busy test machine)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        scrub_contact_points(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize(("name", "unit", "prefix"), ADVERSARIAL_INPUTS, ids=[row[0] for row in ADVERSARIAL_INPUTS])
def test_adversarial_input_takes_linear_time(name: str, unit: str, prefix: str) -> None:
    scrub_contact_points("warm up the suffix list: x.com")
    short, long = ((prefix + unit * n)[:n] for n in (10_000, 80_000))
    short_seconds, long_seconds = _scrub_seconds(short), _scrub_seconds(long)
    # Eight times the text: linear time is about 8 times slower, quadratic 64 times. The bound of 24 leaves a busy
    # machine three times the noise (a CI run once read 6.8x on 4x the text); a floor keeps tiny timings from
    # turning noise into a ratio.
    assert long_seconds < 24 * max(short_seconds, 0.02), (name, short_seconds, long_seconds)
    assert long_seconds < 2.0, (name, long_seconds)


def test_a_reply_at_the_length_cap_is_scrubbed_within_50_ms() -> None:
    message = (
        "Hi Mum, I dropped my phone, text me on 07700 900123. Pay £1,249.99 to sort code 12-34-56 account "
        "12345678 by 10.30 today at https://secure-bank.com/login or e-mail help@royal-mail-support.com. "
        "Ref 12.03.2025, v2.10.3, e.g. the U.S. office. Привет, 谢谢. "
    )
    text = (message * (10_000 // len(message) + 1))[:10_000]
    scrub_contact_points(text)  # warm up the suffix list
    assert _scrub_seconds(text) < 0.05


def test_half_an_emoji_pair_is_kept_and_does_not_break_anything() -> None:
    assert scrub_contact_points("\ud83d pay at x.com") == "\ud83d pay at [LINK]"
    assert not is_fit_for_class("\ud83d kill") and is_fit_for_class("\udc00 hello")


def test_is_fit_for_class_is_linear_and_still_catches_topics() -> None:
    assert not is_fit_for_class("He said he would KILL it")
    assert is_fit_for_class("a skilled team")  # "skilled" is not "killed"
    started = time.perf_counter()
    is_fit_for_class("a-" * 20_000 + "sex" * 10_000)
    assert time.perf_counter() - started < 0.5
