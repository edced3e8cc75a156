"""The Gradio layout: one module per tab, assembled here. No model code lives in the UI."""

from __future__ import annotations

from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from scamlab.access import LoginGuard, RateLimiter
from scamlab.config import Settings
from scamlab.engine import Engine

TITLE = "scamlab: scam-awareness lab"


def build_demo(engine: Engine, limiter: RateLimiter) -> gr.Blocks:
    """The whole app: a simulation banner, the chat tab, the classifier tab and the models tab; `limiter`
    holds one allowance per person, across the tabs."""
    from scamlab.ui.chat_tab import build_chat_tab
    from scamlab.ui.classifier_tab import build_classifier_tab
    from scamlab.ui.models_tab import build_models_tab
    from scamlab.ui.quiz_tab import build_quiz_tab

    # Gradio's copies of uploads and downloads: checked every 30 minutes, removed after an hour.
    with gr.Blocks(title=TITLE, delete_cache=(1800, 3600)) as demo:
        gr.Markdown(f"# {TITLE}\nLearn to spot scams: chat with an AI that plays a scammer or a victim, "
                    "or check any message with the spam classifier. **Everything here is a simulation.**")
        with gr.Tabs() as tabs:
            chat = build_chat_tab(engine, limiter)
            build_classifier_tab(engine, chat, tabs, limiter)
            build_quiz_tab(engine, limiter)
            build_models_tab(engine)
    return demo


def launch_options(settings: Settings, limiter: RateLimiter | None = None) -> dict[str, Any]:
    """Arguments for `Blocks.launch`: loopback by default, no share link, optional classroom login (which slows
    down after failed attempts), the MCP server when `SCAMLAB_MCP=1`, and with `limiter` a door that refuses a
    spent person's calls from new sessions before Gradio builds them (`early_refusal`)."""
    from scamlab.ui.early_refusal import RefuseAtTheDoor

    door = [Middleware(RefuseAtTheDoor, limiter=limiter)] if limiter is not None else []
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "auth": LoginGuard(settings.users).check if settings.users else None,
        "max_file_size": "5mb",
        "show_error": True,
        # MCP clients (agents, IDE assistants) get the public API as tools; needs the `mcp` package.
        "mcp_server": settings.mcp,
        "app_kwargs": {"middleware": door},
    }
