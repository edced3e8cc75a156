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


class EndpointError(ModelLoadError):
    """A remote chat endpoint cannot answer; the message names its URL (never the token) and the fix.

    A `ModelLoadError`, so every place that reports a model that cannot load reports this too. It is never
    answered by a local model instead: the person who set an endpoint must see that it is down.
    """

    def __init__(self, endpoint: str, problem: str, fix: str, status: int | None = None) -> None:
        self.model = endpoint
        self.problem = problem
        self.fix = fix
        self.status = status
        RuntimeError.__init__(self, f"The chat endpoint {endpoint} {problem} Fix: {fix}")


class ClassBusyError(RuntimeError):
    """Too many replies are being written at once; the message says when to try again."""

    def __init__(self, retry_after_seconds: int) -> None:
        self.retry_after_seconds = retry_after_seconds
        super().__init__(
            f"The class is busy: try again in {retry_after_seconds} s (too many replies are being written at once)."
        )
