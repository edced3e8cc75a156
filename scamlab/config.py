"""Settings from environment variables and a `.env` file, validated once.

Every variable is documented in README.md and `.env.example`. A bad value raises
`SettingsError` naming the variable and the values it accepts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

DEVICES = ("auto", "cpu", "cuda", "mps")
DTYPES = ("auto", "float32", "bfloat16", "float16", "int8")
DEFAULT_MAX_INPUT_CHARS = 10_000


class SettingsError(ValueError):
    """A setting has a value scamlab cannot use; the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    """Everything scamlab reads from its environment, checked once at start-up."""

    chat_model: str | None = None
    classifier_model: str | None = None
    chat_endpoint: str | None = None
    device: str = "auto"
    dtype: str = "auto"
    cache_dir: Path = field(default_factory=lambda: _default_cache_dir({}))
    data_dir: Path = field(default_factory=lambda: _default_data_dir({}))  # the classroom database (SQLite)
    max_input_chars: int = DEFAULT_MAX_INPUT_CHARS
    host: str = "127.0.0.1"
    port: int = 7860
    rate_limit_per_minute: int = 10
    reply_limit_per_minute: int = 24  # chat replies one person may have written per minute (auto-play: each)
    message_limit_per_minute: int = 500  # messages a student may have checked per minute (a batch: each; teachers 10x)
    running_limit: int = 1  # long model actions (a reply, a batch) one person may have running at once
    batching: bool = True  # chat replies from every session share batched decoding steps (SCAMLAB_BATCHING)
    mcp: bool = False  # also serve the public API as an MCP server at /gradio_api/mcp/ (SCAMLAB_MCP=1)
    chat_runtime: str = "transformers"  # what runs a GGUF chat model: transformers, llama.cpp, or auto (SCAMLAB_CHAT_RUNTIME)
    # Endpoints a teacher may pick in the Models tab (besides chat_endpoint); base URLs without a trailing "/".
    allowed_endpoints: tuple[str, ...] = ()
    on_space: bool = False  # running on Hugging Face Spaces (SPACE_ID is set)
    # Tokens and passwords never appear in repr(), logs or errors.
    chat_token: str | None = field(default=None, repr=False)
    classifier_token: str | None = field(default=None, repr=False)
    users: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    teachers: frozenset[str] = frozenset()  # login names that may switch models (all in `users`)

    @property
    def converted_dir(self) -> Path:
        """Where de-quantized GGUF chat models are kept between runs."""
        return self.cache_dir / "converted"

    @property
    def classifier_dir(self) -> Path:
        """Where the bundled spam classifier is built and kept."""
        return self.cache_dir / "spam-classifier"


def _default_data_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "scamlab"


def _default_cache_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "scamlab"


CHAT_RUNTIMES = ("auto", "llama.cpp", "transformers")


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str:
    value = (env.get(name) or "auto").strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name}={value!r} is not valid; use one of: {', '.join(allowed)}.")
    return value


def _optional(env: Mapping[str, str], name: str) -> str | None:
    value = (env.get(name) or "").strip()
    return value or None


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise SettingsError(f"{name}={raw!r} is not valid; use a whole number above 0.")
    return value


def _users(env: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    raw = _optional(env, "SCAMLAB_USERS")
    if not raw:
        return ()
    users = []
    for entry in raw.split(","):
        name, _, password = entry.strip().partition(":")
        if not name or not password:
            raise SettingsError("SCAMLAB_USERS is not valid; use name:password pairs separated by commas.")
        users.append((name, password))
    return tuple(users)


def _teachers(env: Mapping[str, str], users: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """Names from SCAMLAB_TEACHERS; each must be a login name from SCAMLAB_USERS."""
    names = [name.strip() for name in (_optional(env, "SCAMLAB_TEACHERS") or "").split(",") if name.strip()]
    unknown = [name for name in names if name not in {user for user, _ in users}]
    if unknown:
        raise SettingsError(f"SCAMLAB_TEACHERS names {', '.join(map(repr, unknown))}, who are not in SCAMLAB_USERS; "
                            "use login names from SCAMLAB_USERS, separated by commas.")
    return frozenset(names)


def on_space(env: Mapping[str, str]) -> bool:
    """True on a Hugging Face Space, which sets SPACE_ID for the app."""
    return bool(env.get("SPACE_ID"))


def _host(env: Mapping[str, str]) -> str:
    """Loopback unless asked; a Hugging Face Space must listen on every interface."""
    return _optional(env, "SCAMLAB_HOST") or ("0.0.0.0" if on_space(env) else "127.0.0.1")


def _base_url(name: str, url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise SettingsError(
            f"{name}={url!r} is not valid; use the base URL of an OpenAI-compatible server, "
            "starting with http:// or https://."
        )
    return url.rstrip("/")


def _endpoint(env: Mapping[str, str]) -> str | None:
    url = _optional(env, "SCAMLAB_CHAT_ENDPOINT")
    return _base_url("SCAMLAB_CHAT_ENDPOINT", url) if url else None


def _allowed_endpoints(env: Mapping[str, str]) -> tuple[str, ...]:
    """SCAMLAB_ALLOWED_ENDPOINTS: comma-separated base URLs a teacher may choose in the Models tab."""
    raw = _optional(env, "SCAMLAB_ALLOWED_ENDPOINTS") or ""
    return tuple(_base_url("SCAMLAB_ALLOWED_ENDPOINTS", url.strip()) for url in raw.split(",") if url.strip())


def load_settings(env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env") -> Settings:
    """Read settings from `env` (default: the process environment) over the values in `dotenv_path`.

    Real environment variables win over the `.env` file, as python-dotenv does by default.
    """
    merged: dict[str, str] = {}
    if dotenv_path is not None and Path(dotenv_path).is_file():
        merged.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
    merged.update(os.environ if env is None else env)

    shared_token = _optional(merged, "HF_TOKEN")
    cache_dir = _optional(merged, "SCAMLAB_CACHE_DIR")
    users = _users(merged)
    return Settings(
        chat_model=_optional(merged, "SCAMLAB_CHAT_MODEL"),
        classifier_model=_optional(merged, "SCAMLAB_CLASSIFIER_MODEL"),
        chat_endpoint=_endpoint(merged),
        device=_choice(merged, "SCAMLAB_DEVICE", DEVICES),
        dtype=_choice(merged, "SCAMLAB_DTYPE", DTYPES),
        cache_dir=Path(cache_dir).expanduser() if cache_dir else _default_cache_dir(merged),
        data_dir=Path(_optional(merged, "SCAMLAB_DATA_DIR") or _default_data_dir(merged)).expanduser(),
        max_input_chars=_positive_int(merged, "SCAMLAB_MAX_INPUT_CHARS", DEFAULT_MAX_INPUT_CHARS),
        host=_host(merged),
        on_space=on_space(merged),
        port=_positive_int(merged, "SCAMLAB_PORT", _positive_int(merged, "GRADIO_SERVER_PORT", 7860)),
        rate_limit_per_minute=_positive_int(merged, "SCAMLAB_RATE_LIMIT", 10),
        reply_limit_per_minute=_positive_int(merged, "SCAMLAB_REPLY_LIMIT", 24),
        message_limit_per_minute=_positive_int(merged, "SCAMLAB_MESSAGE_LIMIT", 500),
        running_limit=_positive_int(merged, "SCAMLAB_RUNNING_LIMIT", 1),
        batching=_choice(merged, "SCAMLAB_BATCHING", ("auto", "1", "0")) != "0",
        mcp=_choice(merged, "SCAMLAB_MCP", ("0", "1")) == "1" if merged.get("SCAMLAB_MCP") else False,
        chat_runtime=_choice(merged, "SCAMLAB_CHAT_RUNTIME", CHAT_RUNTIMES) if merged.get("SCAMLAB_CHAT_RUNTIME") else "transformers",
        allowed_endpoints=_allowed_endpoints(merged),
        users=users,
        teachers=_teachers(merged, users),
        chat_token=_optional(merged, "HF_TOKEN_GEN") or shared_token,
        classifier_token=_optional(merged, "HF_TOKEN_PRED") or shared_token,
    )
