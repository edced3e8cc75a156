"""ZeroGPU support: Hugging Face Spaces that lend a GPU only while a function marked `spaces.GPU` runs.

`gpu_task` marks the functions that run a model. On a Space with the `spaces` package (which ZeroGPU
Spaces have) it is `spaces.GPU`; elsewhere it returns the function unchanged, so laptops, servers and
ordinary GPU Spaces never import `spaces`. On Spaces without ZeroGPU, `spaces.GPU` itself does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from scamlab.config import on_space

F = TypeVar("F", bound=Callable[..., object])


def zerogpu_possible() -> bool:
    """True on a Space with the `spaces` package: a model may then run only inside a `gpu_task` call, so a
    long-lived worker thread (the generation scheduler) must not run it."""
    if not on_space(os.environ):
        return False
    try:
        import spaces  # noqa: F401
    except ImportError:
        return False
    return True


def gpu_task(function: F) -> F:
    """`spaces.GPU(function)` on a Space that has the `spaces` package; `function` itself everywhere else.

    Decided when the function is defined (at import), as ZeroGPU requires.
    """
    if not zerogpu_possible():
        return function
    import spaces

    return spaces.GPU(function)
