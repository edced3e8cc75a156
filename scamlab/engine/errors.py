"""Named errors with messages a user can act on."""

from __future__ import annotations


class ModelLoadError(RuntimeError):
    """A model could not be loaded; the message names the model and the fix."""

    def __init__(self, model: str, problem: str, fix: str) -> None:
        self.model = model
        self.problem = problem
        self.fix = fix
        super().__init__(f"Could not load model {model!r}: {problem} Fix: {fix}")


class BundledFileMissing(ModelLoadError):
    """A file that ships in one of the offline data packages is not installed."""
