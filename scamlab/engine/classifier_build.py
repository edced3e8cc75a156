"""The bundled classifier's folder in the cache, built there first when it is missing."""

from __future__ import annotations

from pathlib import Path

from scamlab.engine.loading import LOADING_LOCK, ProgressFn, exclusive_file_lock


def built_bundled_classifier(folder: Path, progress: ProgressFn) -> Path:
    """`folder`, with the bundled classifier built into it first when missing (one build per folder at a time)."""
    with LOADING_LOCK:  # importing the trainer pulls in transformers modules: not beside another load
        from scamlab.engine.training import build_classifier

    folder.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_file_lock(folder.with_name(folder.name + ".lock")):
        if not (folder / "config.json").exists():
            progress(0.0, "Building the spam classifier (first run only, about 4 minutes)...")
            build_classifier(folder, progress=lambda f, m: progress(f * 0.9, m))
    return folder
