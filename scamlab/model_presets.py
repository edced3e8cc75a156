"""The models a teacher can pick in the Models tab: a table, with what each one needs and where it runs well."""

from __future__ import annotations

from dataclasses import dataclass

BUNDLED = "bundled"
CUSTOM = "custom"
ENDPOINT = "endpoint"


@dataclass(frozen=True)
class ModelPreset:
    """One choice in a models dropdown. `model` is a Hub id; None for the bundled model or a typed-in one."""

    id: str
    label: str
    model: str | None
    note: str
    needs_token: bool = False


CHAT_PRESETS: dict[str, ModelPreset] = {
    preset.id: preset
    for preset in (
        ModelPreset(BUNDLED, "SmolLM2-135M-Instruct (bundled, offline)", None,
                    "Ships with scamlab and runs on any laptop without a network. Small: replies are short and "
                    "sometimes odd, which is fine for spotting red flags."),
        ModelPreset("qwen2.5-0.5b", "Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-0.5B-Instruct",
                    "Good on a CPU: about 1 GB to download once, a few words per second on a laptop."),
        ModelPreset("qwen2.5-1.5b", "Qwen2.5-1.5B-Instruct", "Qwen/Qwen2.5-1.5B-Instruct",
                    "Better replies, still usable on a CPU (about 3 GB, slower); quick on any GPU."),
        ModelPreset("llama-3.2-3b", "Llama-3.2-3B-Instruct (gated)", "meta-llama/Llama-3.2-3B-Instruct",
                    "The original demo's model. Gated: accept Meta's licence on the Hub and set HF_TOKEN "
                    "(or HF_TOKEN_GEN). About 6 GB; a GPU (T4 or better) is recommended.", needs_token=True),
        ModelPreset(ENDPOINT, "Remote endpoint (OpenAI-compatible server)", None,
                    "A llama.cpp server, vLLM, TGI or the Hugging Face router answers; this machine only sends "
                    "requests. The token is HF_TOKEN_GEN (or HF_TOKEN). The AI judge needs a local chat model."),
        ModelPreset(CUSTOM, "Another model: Hub id, local folder or .gguf file", None,
                    "Any chat (instruct) model transformers can load. Offline, it must already be in the Hub "
                    "cache or on disk."),
    )
}

CLASSIFIER_PRESETS: dict[str, ModelPreset] = {
    preset.id: preset
    for preset in (
        ModelPreset(BUNDLED, "MiniLM-L6 spam classifier (bundled, offline)", None,
                    "Built on this machine from the SMS Spam Collection plus modern scam messages."),
        ModelPreset("bert-tiny-sms", "BERT-tiny fine-tuned on SMS spam",
                    "mrm8488/bert-tiny-finetuned-sms-spam-detection",
                    "A tiny Hub model trained on the 2011 SMS collection only: fast, but misses modern scams more "
                    "often."),
        ModelPreset(CUSTOM, "Another model: Hub id or local folder", None,
                    "A two-label text-classification model whose labels name spam (spam, scam, LABEL_1, ...)."),
    )
}


def preset_for_model(presets: dict[str, ModelPreset], model: str | None) -> str:
    """The id of the preset that names `model` (None: bundled); a model no preset names is custom."""
    if model is None:
        return BUNDLED
    return next((preset.id for preset in presets.values() if preset.model == model), CUSTOM)
