"""Messages for batch triage, read from uploaded files or pasted text. Knows nothing of Gradio or models.

Formats: `.txt` (one message per line), `.csv` (one message per row, from a text column that is
detected by name or chosen), `.eml` (one e-mail: subject and body). Every problem with a file
becomes one error item naming the file, so one broken upload never stops the others.

Limits: `MAX_FILE_BYTES` per file (larger files are refused, naming the limit) and
`MAX_BATCH_MESSAGES` per batch (`cap_batch` cuts longer batches and says so). Both hold before the work:
a file is read only up to one message past the batch limit, so a 2 MB file of short lines costs no more
than 2,001 messages. HTML bodies are read with the standard library's `html.parser`, in linear time.
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_BATCH_MESSAGES = 2_000
# The standard e-mail parser spends about a second per 10,000 nested parts' worth of bytes, and parses a header
# in time that grows with the square of its length: both are capped before it starts.
MAX_EMAIL_PARTS = 100
MAX_EMAIL_HEADER_CHARS = 2_000
_READ_HEADERS = frozenset({"subject", "content-type", "content-disposition", "content-transfer-encoding"})
SUPPORTED_SUFFIXES = (".txt", ".csv", ".eml")

# Column names that usually hold the message, most telling first ("v2" is the Kaggle SMS Spam Collection).
TEXT_COLUMN_NAMES = ("text", "message", "messages", "body", "sms", "content", "msg", "email", "v2", "mail", "comment")

_BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Elements whose content a reader never sees, and elements that start a new line.
_HIDDEN_ELEMENTS = frozenset({"script", "style", "head"})
_BLOCK_ELEMENTS = frozenset(
    {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote"}
)


@dataclass(frozen=True)
class BatchItem:
    """One message to check, or one problem to report, with where it came from (`source`)."""

    source: str
    text: str = ""
    error: str | None = None

    @property
    def is_error(self) -> bool:
        return self.error is not None


class _FileProblem(ValueError):
    """A file that cannot be read as messages; the message says why and what to do."""


def _human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes: size-checked, refused when empty or binary."""
    size = path.stat().st_size
    if size > max_bytes:
        raise _FileProblem(f"the file is {_human_size(size)}; the limit is {_human_size(max_bytes)} per file.")
    data = path.read_bytes()
    if not data.strip():
        raise _FileProblem("the file is empty.")
    if data.startswith(_BINARY_SIGNATURES) or (b"\x00" in data[:8192] and not data.startswith(_UTF16_BOMS)):
        raise _FileProblem("this looks like a binary file (a document, image or archive), not text.")
    return data


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused with the fix."""
    try:
        return data.decode("utf-16") if data.startswith(_UTF16_BOMS) else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _FileProblem(
            f"the file is not UTF-8 text (undecodable byte at position {error.start}); "
            "save it as UTF-8 and upload it again."
        ) from None


def guess_text_column(columns: Sequence[str]) -> str | None:
    """The column that most likely holds the messages: a known name, else the only column."""
    by_name = {column.strip().lower(): column for column in columns}
    for name in TEXT_COLUMN_NAMES:
        if name in by_name:
            return by_name[name]
    return columns[0] if len(columns) == 1 else None


def _csv_reader(text: str) -> csv.DictReader:
    """A reader for comma-, tab- or semicolon-separated text, whichever the header line uses."""
    header = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", "\t", ";") if d in header), ",")
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def csv_columns(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> list[str]:
    """The header of a CSV file (empty when the file cannot be read), for choosing the text column."""
    try:
        return [name for name in _csv_reader(_decode(_read_bytes(Path(path), max_bytes))).fieldnames or [] if name]
    except (_FileProblem, csv.Error, OSError):
        return []


def _line_items(name: str, text: str, max_messages: int) -> list[BatchItem]:
    """One item per non-blank line (a line ends at LF, CR LF or CR), read until one past `max_messages`."""
    items: list[BatchItem] = []
    for number, line in enumerate(io.StringIO(text, newline=None), 1):
        if line.strip():
            items.append(BatchItem(f"{name} line {number}", line.strip()))
            if len(items) > max_messages:
                break
    return items


def _parse_csv(name: str, text: str, text_column: str | None, max_messages: int) -> list[BatchItem]:
    reader = _csv_reader(text)
    items = []
    try:
        columns = [column for column in reader.fieldnames or [] if column]
        # A chosen column applies to the files that have it; the others fall back to detection.
        column = text_column if text_column in columns else guess_text_column(columns)
        if column is None:
            raise _FileProblem(
                f"no text column found among: {', '.join(columns) or 'none'}. "
                f"Name it {' / '.join(TEXT_COLUMN_NAMES[:6])}, or choose the column in the list."
            )
        for row in reader:
            value = (row.get(column) or "").strip()
            if value:
                # line_num is the file line where the row ends, as a spreadsheet would number it.
                items.append(BatchItem(f"{name} line {reader.line_num}", value))
                if len(items) > max_messages:
                    break
    except csv.Error as error:
        raise _FileProblem(f"the CSV is malformed near line {reader.line_num}: {error}.") from None
    return items


class _VisibleText(HTMLParser):
    """The text a reader sees in an HTML body: no script, style or head; block elements on their own lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_ELEMENTS:
            self.hidden_depth += 1
        elif tag == "body":  # a body closes a head left open, as a browser does
            self.hidden_depth = 0
        if tag in _BLOCK_ELEMENTS:
            self.pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_ELEMENTS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        if tag in _BLOCK_ELEMENTS:
            self.pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.pieces.append(data)


def _defused_markup(markup: str) -> str:
    """`markup` with each `<` that would make the standard parser rescan to the end of the text escaped.

    Python's `html.parser` looks for the end of an unclosed tag, comment or marked section to the end of
    the text, once for every `<` (quadratic time on `"<a " * n`). Here a `<` stays markup only when its
    construct closes before the next `<` (a comment: when a `-->` follows it); `<![...]>` conditional
    markers are dropped. One pass over the text; the parser then reads each construct once.
    """
    last_comment_close = markup.rfind("-->")
    first, *rest = markup.split("<")
    kept = [first]
    position = len(first)  # index of the `<` before the current piece
    for piece in rest:
        if piece.startswith("!["):
            kept.append(piece[piece.index(">") + 1 :] if ">" in piece else "&lt;" + piece)
        elif piece.startswith("!--"):
            kept.append(("<" if last_comment_close >= position + 4 else "&lt;") + piece)
        else:
            kept.append(("<" if ">" in piece else "&lt;") + piece)
        position += 1 + len(piece)
    return "".join(kept)


def html_text(markup: str) -> str:
    """The visible text of an HTML document, parsed with the standard library in linear time."""
    parser = _VisibleText()
    parser.feed(_defused_markup(markup))
    parser.close()
    return "".join(parser.pieces)


def _email_body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        body = part.get_content()
    except (LookupError, UnicodeError, AttributeError):
        body = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if part.get_content_type() == "text/html":
        body = html_text(body)
    return "\n".join(" ".join(line.split()) for line in body.splitlines() if line.strip())


def _check_email_headers(message: EmailMessage) -> None:
    """Refuse an e-mail with a header that scamlab reads over `MAX_EMAIL_HEADER_CHARS`, before it is parsed."""
    for part in message.walk():
        for header, value in part.raw_items():
            if header.lower() in _READ_HEADERS and len(value) > MAX_EMAIL_HEADER_CHARS:
                raise _FileProblem(
                    f"its {header} header is {len(value):,} characters long; the limit is {MAX_EMAIL_HEADER_CHARS:,}."
                )


def _parse_eml(name: str, data: bytes) -> list[BatchItem]:
    parts = data.lower().count(b"content-type:")
    if parts > MAX_EMAIL_PARTS:
        raise _FileProblem(f"the e-mail has {parts:,} parts (Content-Type headers); the limit is {MAX_EMAIL_PARTS}.")
    message = email.message_from_bytes(data, policy=email.policy.default)
    _check_email_headers(message)  # type: ignore[arg-type]
    subject = " ".join(str(message.get("subject", "")).split())
    body = _email_body_text(message)  # type: ignore[arg-type]
    combined = "\n".join(part for part in (subject, body) if part)
    if not combined:
        raise _FileProblem("the e-mail has no subject and no text body.")
    return [BatchItem(name, combined)]


def parse_upload(
    path: str | Path,
    text_column: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_messages: int = MAX_BATCH_MESSAGES,
) -> list[BatchItem]:
    """The messages in one uploaded file, or a single error item saying why there are none.

    `text_column` picks the CSV column holding the messages (detected from its name when None or absent).
    Reading stops one message past `max_messages`, so `cap_batch` can tell that the batch was cut.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    try:
        if suffix not in SUPPORTED_SUFFIXES:
            raise _FileProblem(f"unsupported file type; upload {', '.join(SUPPORTED_SUFFIXES)} files.")
        data = _read_bytes(path, max_bytes)
        if suffix == ".eml":
            items = _parse_eml(name, data)
        elif suffix == ".csv":
            items = _parse_csv(name, _decode(data), text_column, max_messages)
        else:
            items = _line_items(name, _decode(data), max_messages)
        if not items:
            raise _FileProblem("the file has no messages (only blank lines or empty cells).")
        return items
    except _FileProblem as problem:
        return [BatchItem(name, error=f"{name}: {problem}")]
    except OSError as error:
        return [BatchItem(name, error=f"{name}: the file could not be read ({error.strerror or error}).")]


def parse_pasted(text: str | None, max_messages: int = MAX_BATCH_MESSAGES) -> list[BatchItem]:
    """One message per non-blank pasted line, read until one past `max_messages`."""
    return _line_items("pasted", text or "", max_messages)


def cap_batch(items: Iterable[BatchItem], limit: int = MAX_BATCH_MESSAGES) -> tuple[list[BatchItem], str | None]:
    """The first `limit` messages (error items are always kept), with a notice when some were left out.

    The notice gives no total: files are read only until they pass the limit.
    """
    kept: list[BatchItem] = []
    messages = 0
    for item in items:
        if not item.is_error:
            messages += 1
            if messages > limit:
                continue
        kept.append(item)
    if messages <= limit:
        return kept, None
    return kept, f"The batch has more than {limit:,} messages; only the first {limit:,} were checked (the limit per batch)."


def unique_sources(items: Sequence[BatchItem]) -> list[BatchItem]:
    """Make every `source` unique (two uploads with the same file name get #2, #3...)."""
    seen: dict[str, int] = {}
    unique = []
    for item in items:
        count = seen.get(item.source, 0) + 1
        seen[item.source] = count
        unique.append(item if count == 1 else BatchItem(f"{item.source} #{count}", item.text, item.error))
    return unique
