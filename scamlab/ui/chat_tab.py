"""Chat tab (placeholder until the chat-tab issue lands)."""

from __future__ import annotations

import gradio as gr

from scamlab.engine import Engine


def build_chat_tab(engine: Engine) -> None:
    """A minimal chat tab."""
    with gr.Tab("Chat simulator", id="chat"):
        gr.Markdown("The chat simulator is being built.")
