"""The content files in this folder (tables written for this project), read by the modules that type them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent


def read_json(name: str) -> Any:
    """The parsed JSON file `name` of this folder."""
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


def read_text(name: str) -> str:
    """The text of file `name` of this folder (Markdown notes and help), without its trailing line breaks."""
    return (FOLDER / name).read_text(encoding="utf-8").rstrip("\n")


def read_csv_rows(name: str) -> list[dict[str, str]]:
    """The rows of the CSV file `name` of this folder, keyed by its header."""
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
