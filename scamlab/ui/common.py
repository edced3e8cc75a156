"""Small helpers every tab shares: untrusted text shown literally, toasts, the palettes, model status, downloads.

Gradio renders Markdown (and the HTML inside it) in `gr.Markdown`, and sanitized HTML (which still allows images
and links) in toasts and in our chat bubbles (`render_markdown=False`). Text that comes from a person, a file, a
model or an endpoint must never become markup there: no image that loads, no link, no overlay. `escape_markdown` turns such text into
Markdown that displays exactly its characters; `escape_html` does the same where only HTML is rendered (chat
bubbles, toasts), and `user_error` and `warn` use it for what a toast echoes.
No model code.
"""

from __future__ import annotations

import html
import inspect
import json
import shutil
import tempfile
import time
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import closing
from functools import partial
from typing import Any
from pathlib import Path

import gradio as gr

from scamlab.batch import ERROR_VERDICT
from scamlab.engine import EngineStatus
from scamlab.red_flags import RED_FLAG_RULES

# Every UI event that is not part of the documented API.
PRIVATE = {"api_visibility": "private"}

# One fixed color per red flag, so a flag looks the same in every message and every tab (chat, classifier, quiz).
# Dark enough for the white label text that gr.HighlightedText draws on each color.
_PALETTE = ("#dc2626", "#ea580c", "#b45309", "#4d7c0f", "#15803d", "#0f766e", "#1d4ed8", "#6d28d9", "#a21caf", "#be123c")
RED_FLAG_COLORS = {rule.label: _PALETTE[i % len(_PALETTE)] for i, rule in enumerate(RED_FLAG_RULES)}
# One color per verdict, red (scam) to green (safe), in band order; gray for a message that could not be checked.
VERDICT_COLORS = {
    "Most Certainly Scam": "#b91c1c", "Scam": "#f97316", "Unknown": "#a3a3a3", "Safe": "#65a30d",
    "Most Certainly Safe": "#15803d", ERROR_VERDICT: "#6b7280",
}

# Files offered for download live in one app-owned folder; each one is removed after this long.
DOWNLOADS_ROOT = Path(tempfile.gettempdir()) / "scamlab-downloads"
DOWNLOAD_MAX_AGE_S = 3600

# Every ASCII character that Markdown, GFM autolinks, HTML or the LaTeX delimiters give a meaning to. Each
# becomes a numeric character reference: the Markdown parser treats it as plain text (never as syntax), a
# browser shows it as the character, and no Gradio option (LaTeX, "allow tags") sees a delimiter in it.
_MARKUP_CHARACTERS = "\\`*_{}[]()<>#+-.!|~:@$&=^%\"'/"
_LITERAL = {ord(character): f"&#{ord(character)};" for character in _MARKUP_CHARACTERS}
# Indentation at the start of a line makes a code block, which would show the references themselves.
_INDENT = {ord(" "): "&#32;", ord("\t"): "&#9;"}


def _escape_line(line: str) -> str:
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].translate(_INDENT) + body.translate(_LITERAL)


def escape_markdown(text: str) -> str:
    """`text` as Markdown that shows exactly its characters: no markup, image, link, autolink or LaTeX."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_escape_line(line) for line in lines)


def escape_html(text: str) -> str:
    """`text` for a place that renders sanitized HTML (images and links allowed) but no Markdown: toasts, and
    chat bubbles (`render_markdown=False`). Line breaks stay line breaks."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def models_markdown(status: EngineStatus) -> str:
    """Which models answer, and where (or why one is not available). Model ids and errors come from settings,
    endpoints and the Hub: shown as text, never as Markdown."""
    return "  \n".join(
        f"**{name}:** {escape_markdown(text) if ready else 'not available. ' + escape_markdown(text)}"
        for name, text, ready in (("Chat model", status.chat, status.chat_ready),
                                  ("Spam classifier", status.classifier, status.classifier_ready)))


def warnings_markdown(warnings: Iterable[str]) -> str:
    """The engine's warnings (a model that fell back to the bundled one), one quoted line each."""
    return "\n".join(f"> **Warning:** {escape_markdown(warning)}" for warning in warnings)


def keyed(handler: Callable[..., Any], components: Mapping[str, Any],
          expand: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> Callable[..., Any]:
    """`handler`, whose result (or each result it yields) is a dict keyed by output *name*, turned into the
    dict keyed by *component* that Gradio takes. Names it leaves out keep their value; names not in
    `components` are dropped. `expand` may first rewrite the names (one name standing for several outputs).

    Handlers stay plain functions of plain values, testable without components; wire them with
    `outputs=list(components.values())`.
    """
    def by_component(values: dict[str, Any]) -> dict[Any, Any]:
        values = expand(dict(values)) if expand else values
        return {components[name]: value for name, value in values.items() if name in components}

    target = handler.func if isinstance(handler, partial) else handler
    if inspect.isgeneratorfunction(target):
        def run(*args: Any, **kwargs: Any) -> Iterator[dict[Any, Any]]:
            with closing(handler(*args, **kwargs)) as results:
                for values in results:
                    yield by_component(values)
    else:
        def run(*args: Any, **kwargs: Any) -> dict[Any, Any]:
            return by_component(handler(*args, **kwargs))
    # Gradio passes the request to a parameter annotated gr.Request, and progress to a gr.Progress default:
    # keep the handler's signature and type hints.
    run.__signature__ = inspect.signature(handler)  # type: ignore[attr-defined]
    run.__annotations__ = {name: hint for name, hint in typing.get_type_hints(target).items()
                           if name in run.__signature__.parameters}  # type: ignore[attr-defined]
    return run


def user_error(message: str, title: str = "Error") -> gr.Error:
    """An error the person can fix, shown literally (it may echo their input), with no traceback in the log."""
    return gr.Error(escape_html(message), title=title, print_exception=False)


def warn(message: str, title: str = "Warning") -> None:
    """A limit or a "nothing to do" as a toast that shows `message` literally."""
    gr.Warning(escape_html(message), title=title)


def download_folder(kind: str) -> Path:
    """A new folder for one download under `DOWNLOADS_ROOT/kind`, after removing those past `DOWNLOAD_MAX_AGE_S`.

    One folder per download: two people's files never overwrite each other, yet keep their readable names.
    """
    parent = DOWNLOADS_ROOT / kind
    parent.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - DOWNLOAD_MAX_AGE_S
    for old in parent.iterdir():
        try:
            if old.stat().st_mtime >= cutoff:
                continue
            if old.is_dir():
                shutil.rmtree(old)
            else:
                old.unlink()
        except OSError:  # another request removed it first
            continue
    folder = parent / uuid.uuid4().hex
    folder.mkdir()
    return folder


# --- data kept in the browser's localStorage, as plain JSON ---------------------------------------------------
# Read afresh by each event that needs it, so two tabs of one browser see each other's saves.


def read_from_browser_js(storage_key: str, position: int) -> str:
    """An event's `js=` hook: input number `position` replaced by the JSON stored under `storage_key` (or null)."""
    return (
        f"(...inputs) => {{ let stored = null; try {{ stored = JSON.parse(localStorage.getItem({json.dumps(storage_key)})); }}"
        f" catch (error) {{}} inputs[{position}] = stored; return inputs; }}"
    )


def write_to_browser_js(storage_key: str) -> str:
    """A `js=` hook (no Python function) that stores its one input as JSON under `storage_key`."""
    return (
        f"(value) => {{ try {{ localStorage.setItem({json.dumps(storage_key)}, JSON.stringify(value)); }}"
        " catch (error) { console.warn('scamlab: cannot save in this browser', error); } return []; }"
    )
