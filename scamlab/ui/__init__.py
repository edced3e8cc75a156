"""The Gradio layout: one module per tab, assembled here. No model code lives in the UI."""

from __future__ import annotations

from typing import Any

import gradio as gr

from scamlab.config import Settings
from scamlab.engine import Engine

TITLE = "scamlab: scam-awareness lab"


def build_demo(engine: Engine) -> gr.Blocks:
    """The whole app: a simulation banner, the chat tab, the classifier tab and the models tab."""
    from scamlab.ui.chat_tab import build_chat_tab
    from scamlab.ui.classifier_tab import build_classifier_tab
    from scamlab.ui.models_tab import build_models_tab
    from scamlab.ui.rate_limit import RateLimiter

    limiter = RateLimiter(engine.settings.rate_limit_per_minute)  # one allowance per session, across the tabs
    with gr.Blocks(title=TITLE) as demo:
        gr.Markdown(f"# {TITLE}\nLearn to spot scams: chat with an AI that plays a scammer or a victim, "
                    "or check any message with the spam classifier. **Everything here is a simulation.**")
        with gr.Tabs() as tabs:
            chat = build_chat_tab(engine, limiter)
            build_classifier_tab(engine, chat, tabs, limiter)
            build_models_tab(engine)
    return demo


def launch_options(settings: Settings) -> dict[str, Any]:
    """Arguments for `Blocks.launch`: loopback by default, no share link, optional classroom login."""
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "auth": list(settings.users) or None,
        "max_file_size": "5mb",
        "show_error": True,
    }
