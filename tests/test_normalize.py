"""Tests for scamlab.normalize (the view recognisers read) and scamlab.domains (the public-suffix list, offline)."""

import socket

import pytest

from scamlab import domains
from scamlab.normalize import normalized_view

# (original, its normalized view)
VIEWS = [
    ("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com"),
    ("help＠evil-bank．com", "help@evil-bank.com"),
    ("evil。com", "evil.com"),
    ("раураl.сом", "paypal.com"),
    ("pay\u200bpal.com", "paypal.com"),
    ("h t t p s : / / x . com", "https://x.com"),
    ("bit . ly / x", "bit.ly/x"),
    ("help [ at ] x . com", "help@x.com"),
    ("name [at] domain [dot] com", "name@domain.com"),
    ("example dot com", "example.com"),
    ("hxxp[:]//x[.]com", "hxxp://x.com"),
    ("07700 – 900 – 123", "07700-900-123"),
    ("call oh seven seven double oh nine oh oh one two three", "call 07700900123"),
    ("0 7 7 0 0 9 0 0 1 2 3", "07700900123"),
    # left alone: ordinary words in other scripts, counting, prose punctuation
    ("Привет, мир", "Привет, мир"),
    ("你好。中国", "你好。中国"),
    ("one, two, three", "one, two, three"),
    ("resolved - all done : yes", "resolved - all done : yes"),
]


@pytest.mark.parametrize(("original", "view"), VIEWS)
def test_view_is_the_plain_form(original: str, view: str) -> None:
    assert normalized_view(original).text == view


@pytest.mark.parametrize("original", [original for original, _ in VIEWS])
def test_every_view_character_maps_back_into_the_original(original: str) -> None:
    view = normalized_view(original)
    assert len(view.starts) == len(view.ends) == len(view.text)
    assert all(0 <= start < end <= len(original) for start, end in zip(view.starts, view.ends, strict=True))
    assert list(view.starts) == sorted(view.starts)


def test_a_find_in_the_view_names_exactly_its_stretch_of_the_original() -> None:
    original = "Пишите: ｈｅｌｐ＠ｅｖｉｌ．ｃｏｍ, спасибо"
    view = normalized_view(original)
    start = view.text.index("help@evil.com")
    assert view.original_text(start, start + len("help@evil.com")) == "ｈｅｌｐ＠ｅｖｉｌ．ｃｏｍ"


@pytest.mark.parametrize(
    ("host", "is_web_host"),
    [("paypal.com", True), ("evil.bank", True), ("x.zip", True), ("пример.рф", True), ("gov.uk", True),
     ("e.g", False), ("u.s", False), ("thanks.see", False), ("12.03", False)],
)
def test_hosts_are_judged_by_the_public_suffix_list(host: str, is_web_host: bool) -> None:
    assert domains.is_web_host(host) is is_web_host


def test_domain_prefix_drops_a_sentence_run_on() -> None:
    assert domains.domain_prefix_length("x.com.Then") == len("x.com")
    assert domains.domain_prefix_length("e.g") == 0


def test_the_suffix_list_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **_kwargs: object) -> None:
        attempts.append(args)
        raise OSError("offline")

    for name in ("getaddrinfo", "create_connection"):
        monkeypatch.setattr(socket, name, refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    domains._extractor.cache_clear()  # build a fresh extractor under the guard
    try:
        assert domains.split_host("login.paypal.co.uk") == domains.HostParts("login", "paypal", "co.uk")
    finally:
        domains._extractor.cache_clear()
    assert attempts == []
