"""Classifier tab (placeholder until the classifier-tab issue lands)."""

from __future__ import annotations

import gradio as gr

from scamlab.engine import Engine


def build_classifier_tab(engine: Engine, chat: object, tabs: gr.Tabs) -> None:
    """A minimal classifier tab."""
    with gr.Tab("Spam classifier", id="classifier"):
        text = gr.Textbox(label="Message")
        bars = gr.Label(label="Spam probability")
        gr.Button("Check").click(
            lambda t: engine.classify_spam(t)["probabilities"], text, bars, api_name="classify"
        )
