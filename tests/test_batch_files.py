"""Batch-triage file parsing: every format, and every broken file turning into one error item."""

from __future__ import annotations

import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from scamlab.batch_files import (
    MAX_BATCH_MESSAGES,
    MAX_EMAIL_HEADER_CHARS,
    MAX_EMAIL_PARTS,
    BatchItem,
    cap_batch,
    csv_columns,
    guess_text_column,
    html_text,
    parse_pasted,
    parse_upload,
    unique_sources,
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def texts(items: list[BatchItem]) -> list[str]:
    return [item.text for item in items]


def only_error(items: list[BatchItem]) -> str:
    assert len(items) == 1 and items[0].is_error, items
    return items[0].error or ""


def test_txt_one_message_per_line_skipping_blanks(tmp_path):
    path = write(tmp_path, "inbox.txt", "\ufeffYou won a prize!\n\n  See you at 6  \r\nPay the fee [LINK]\n")
    items = parse_upload(path)
    assert texts(items) == ["You won a prize!", "See you at 6", "Pay the fee [LINK]"]
    assert [item.source for item in items] == ["inbox.txt line 1", "inbox.txt line 3", "inbox.txt line 4"]
    assert not any(item.is_error for item in items)


def test_utf16_text_with_bom_is_read(tmp_path):
    path = write(tmp_path, "windows.txt", "Hello there\nClaim your £100\n".encode("utf-16"))
    assert texts(parse_upload(path)) == ["Hello there", "Claim your £100"]


def test_csv_detects_a_known_text_column_and_keeps_quoted_newlines(tmp_path):
    content = 'id,Message,sender\n1,"Your parcel is held, pay now",x\n2,"Line one\nline two",y\n3,,z\n'
    items = parse_upload(write(tmp_path, "sms.csv", content))
    assert texts(items) == ["Your parcel is held, pay now", "Line one\nline two"]
    assert items[0].source == "sms.csv line 2"


def test_csv_kaggle_v1_v2_and_semicolons(tmp_path):
    assert texts(parse_upload(write(tmp_path, "spam.csv", "v1,v2\nspam,WINNER!! Claim now\nham,ok\n"))) == ["WINNER!! Claim now", "ok"]
    assert texts(parse_upload(write(tmp_path, "semi.csv", "label;body\nspam;Free entry, text WIN\n"))) == ["Free entry, text WIN"]


def test_csv_chosen_column_wins_and_columns_are_listed(tmp_path):
    path = write(tmp_path, "two.csv", "text,reply\nhello,Send me your PIN\n")
    assert csv_columns(path) == ["text", "reply"]
    assert texts(parse_upload(path, text_column="reply")) == ["Send me your PIN"]
    assert texts(parse_upload(path, text_column="absent")) == ["hello"]  # falls back to detection


def test_csv_without_a_text_column_is_an_error_naming_the_columns(tmp_path):
    error = only_error(parse_upload(write(tmp_path, "numbers.csv", "id,amount\n1,20\n")))
    assert "numbers.csv" in error and "no text column" in error and "id, amount" in error


def test_guess_text_column():
    assert guess_text_column(["ID", " Body "]) == " Body "
    assert guess_text_column(["anything"]) == "anything"
    assert guess_text_column(["a", "b"]) is None


def test_eml_gives_subject_and_plain_body(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Your account is locked"
    message["From"] = "security@bank.example"
    # A latin-1 body sent as 8-bit: the file is not UTF-8, yet the e-mail says which charset it uses.
    message.set_content("Dear customer,\npay the £2 fee at [LINK] today.\n", charset="latin-1", cte="8bit")
    raw = message.as_bytes()
    assert "£".encode("latin-1") in raw
    items = parse_upload(write(tmp_path, "alert.eml", raw))
    assert len(items) == 1 and items[0].source == "alert.eml"
    assert items[0].text == "Your account is locked\nDear customer,\npay the £2 fee at [LINK] today."


def test_eml_html_only_body_loses_its_tags(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Prize"
    message.set_content("<html><style>p{}</style><body><p>You have <b>won</b> &pound;500</p></body></html>", subtype="html")
    [item] = parse_upload(write(tmp_path, "prize.eml", message.as_bytes()))
    assert item.text == "Prize\nYou have won £500"


def test_binary_file_is_an_error(tmp_path):
    error = only_error(parse_upload(write(tmp_path, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")))
    assert "photo.txt" in error and "binary" in error
    assert "binary" in only_error(parse_upload(write(tmp_path, "zeros.csv", b"text\nabc\x00\x00def\n")))


def test_invalid_utf8_is_an_error_saying_how_to_fix_it(tmp_path):
    error = only_error(parse_upload(write(tmp_path, "latin.txt", "Café crème £5".encode("cp1252"))))
    assert "latin.txt" in error and "not UTF-8" in error and "save it as UTF-8" in error


def test_empty_and_blank_files_are_errors(tmp_path):
    assert "empty" in only_error(parse_upload(write(tmp_path, "empty.txt", b"")))
    assert "empty" in only_error(parse_upload(write(tmp_path, "blank.txt", b"\n  \n")))
    assert "no messages" in only_error(parse_upload(write(tmp_path, "header.csv", "text\n\n")))


def test_oversize_file_is_refused_naming_the_limit(tmp_path):
    path = write(tmp_path, "big.txt", "spam spam spam\n" * 200)
    error = only_error(parse_upload(path, max_bytes=1024))
    assert "big.txt" in error and "the limit is 1 KB per file" in error
    assert "2.0 MB" in only_error(parse_upload(write(tmp_path, "huge.txt", b"a\n" * (1024 * 1024 + 1))))


def test_unsupported_type_and_missing_file_are_errors(tmp_path):
    assert "unsupported" in only_error(parse_upload(write(tmp_path, "doc.pdf", "hello")))
    assert "could not be read" in only_error(parse_upload(tmp_path / "gone.txt"))


def test_pasted_lines():
    items = parse_pasted("first\n\n  second  \n")
    assert texts(items) == ["first", "second"]
    assert [item.source for item in items] == ["pasted line 1", "pasted line 3"]
    assert parse_pasted(None) == [] and parse_pasted("") == []


def test_row_cap_cuts_messages_with_a_notice_but_keeps_errors():
    items = [BatchItem(f"m{i}", "hi") for i in range(MAX_BATCH_MESSAGES + 5)] + [BatchItem("bad.txt", error="bad.txt: empty")]
    kept, notice = cap_batch(items)
    assert sum(not item.is_error for item in kept) == MAX_BATCH_MESSAGES
    assert kept[-1].is_error
    assert notice == (
        f"The batch has more than {MAX_BATCH_MESSAGES:,} messages; "
        f"only the first {MAX_BATCH_MESSAGES:,} were checked (the limit per batch)."
    )
    assert cap_batch(items[:10]) == (items[:10], None)


def test_duplicate_sources_are_made_unique():
    items = unique_sources([BatchItem("a.txt line 1", "x"), BatchItem("a.txt line 1", "y"), BatchItem("b", "z")])
    assert [item.source for item in items] == ["a.txt line 1", "a.txt line 1 #2", "b"]


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<head><title>Hidden</title><style>p{}</style></head><body><p>Pay <b>now</b></p>", "Pay now"),
        ("<p>one</p><div>two<br>three</div><ul><li>four</li></ul>", "one\ntwo\nthree\nfour"),
        ("<script>evil()</script>x &amp; y &pound;5", "x & y £5"),
        ("<head><title>Unclosed head</title><body>Still shown", "Still shown"),
        ("<!-- note --><![if !mso]><p>Outlook</p><![endif]>", "Outlook"),
        # Stray angle brackets stay text, whatever follows them.
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("<a <a <a href=x>link</a>", "<a <a link"),
        ("<!-- never closed <p>text", "<!-- never closed\ntext"),
    ],
)
def test_html_text_keeps_what_a_reader_sees(markup, expected):
    lines = [" ".join(line.split()) for line in html_text(markup).splitlines() if line.strip()]
    assert "\n".join(lines) == expected


def test_eml_html_body_of_angle_brackets_is_read_quickly(tmp_path):
    message = EmailMessage()
    message["Subject"] = "Brackets"
    message.set_content("<" * 160_000 + "<a " * 20_000, subtype="html")
    start = time.thread_time()
    [item] = parse_upload(write(tmp_path, "brackets.eml", message.as_bytes()))
    assert time.thread_time() - start < 2 and item.text.startswith("Brackets\n<<<")


def test_eml_with_an_oversized_header_or_too_many_parts_is_refused_before_parsing(tmp_path):
    long_subject = b"Subject: " + b"a\r\n " * MAX_EMAIL_HEADER_CHARS + b"\r\n\r\nHi\r\n"
    error = only_error(parse_upload(write(tmp_path, "long.eml", long_subject)))
    assert "Subject header" in error and f"the limit is {MAX_EMAIL_HEADER_CHARS:,}" in error
    level = b"Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n"
    error = only_error(parse_upload(write(tmp_path, "nested.eml", b"Subject: x\r\n" + level * (MAX_EMAIL_PARTS + 1))))
    assert f"{MAX_EMAIL_PARTS + 1:,} parts" in error and f"the limit is {MAX_EMAIL_PARTS}" in error


@pytest.mark.parametrize("suffix, header", [(".txt", ""), (".csv", "text\n")])
def test_files_are_read_only_to_one_past_the_batch_limit(tmp_path, suffix, header):
    path = write(tmp_path, f"flood{suffix}", header + "a\n" * (1024 * 1024 - 8))  # just under 2 MB of short lines
    items = parse_upload(path)
    assert len(items) == MAX_BATCH_MESSAGES + 1 and not any(item.is_error for item in items)
    kept, notice = cap_batch(items)
    assert len(kept) == MAX_BATCH_MESSAGES and notice and f"more than {MAX_BATCH_MESSAGES:,}" in notice
    assert len(parse_upload(path, max_messages=5)) == 6


def test_pasted_text_is_read_only_to_one_past_the_limit():
    assert len(parse_pasted("hello\n" * 100_000)) == MAX_BATCH_MESSAGES + 1
    assert [item.source for item in parse_pasted("a\rb\r\nc", max_messages=1)] == ["pasted line 1", "pasted line 2"]
