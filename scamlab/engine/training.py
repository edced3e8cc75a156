"""Building the bundled spam classifier: MiniLM-L6 fine-tuned on SMS spam plus modern scam messages.

Fixed seed; 20% of the SMS collection is held out (saved beside the model as `heldout_sms.csv`) and never
trained on. Speed on 2 CPU cores comes from length-sorted batches (little padding) and a short maximum
length (SMS are short).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

from scamlab.engine import bundled
from scamlab.engine.evaluation import LabelledMessage, read_labelled_csv, spam_metrics, write_labelled_csv

MODERN_MESSAGES_CSV = Path(__file__).resolve().parent.parent / "data" / "modern_messages.csv"
HELDOUT_FILENAME = "heldout_sms.csv"
REPORT_FILENAME = "training_report.json"
ID2LABEL = {0: "not_spam", 1: "spam"}


@dataclass(frozen=True)
class TrainingConfig:
    """The knobs of one classifier build; the defaults are the shipped recipe."""

    seed: int = 13
    heldout_fraction: float = 0.2
    epochs: int = 2
    batch_size: int = 32
    max_length: int = 64
    learning_rate: float = 1e-4
    warmup_fraction: float = 0.06
    freeze_word_embeddings: bool = True


def recipe_fingerprint(config: TrainingConfig = TrainingConfig()) -> str:
    """A short hash of the recipe and the training data: a changed recipe builds a new classifier."""
    digest = hashlib.sha256(repr(sorted(config.__dict__.items())).encode())
    for path in (bundled.sms_collection_path(), bundled.encoder_dir() / "model.safetensors", MODERN_MESSAGES_CSV):
        digest.update(f"{path.name}:{path.stat().st_size if path.exists() else 0}".encode())
    if MODERN_MESSAGES_CSV.exists():
        digest.update(MODERN_MESSAGES_CSV.read_bytes())
    return digest.hexdigest()[:12]


def read_sms_collection(path: Path | None = None) -> list[LabelledMessage]:
    """The bundled SMS Spam Collection (`label<TAB>text` lines)."""
    messages = []
    for line in (path or bundled.sms_collection_path()).read_text(encoding="utf-8", errors="replace").splitlines():
        label, _, text = line.partition("\t")
        if text.strip() and label in ("spam", "ham"):
            messages.append(LabelledMessage(text.strip(), label == "spam"))
    return messages


def split_heldout(messages: Sequence[LabelledMessage], fraction: float, seed: int) -> tuple[list, list]:
    """A stratified, seeded split into (train, held-out)."""
    rng = random.Random(seed)
    train, heldout = [], []
    for label in (True, False):
        group = [m for m in messages if m.is_spam == label]
        rng.shuffle(group)
        cut = round(len(group) * fraction)
        heldout += group[:cut]
        train += group[cut:]
    return train, heldout


def length_sorted_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped into batches of similar length (little padding), batch order shuffled."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], rng.random()))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def _predict(model, tokenizer, texts: Sequence[str], max_length: int) -> list[float]:
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    probabilities = [0.0] * len(texts)
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            batch = order[start : start + 64]
            encoded = tokenizer([texts[i] for i in batch], padding=True, truncation=True, max_length=max_length, return_tensors="pt")
            spam = torch.softmax(model(**encoded).logits, dim=-1)[:, 1].tolist()
            for index, value in zip(batch, spam):
                probabilities[index] = value
    return probabilities


def build_classifier(
    output_dir: Path,
    config: TrainingConfig = TrainingConfig(),
    progress: Callable[[float, str], None] | None = None,
) -> dict:
    """Fine-tune the bundled encoder and save a Hugging Face model folder at `output_dir`.

    Returns the training report (also saved as `training_report.json`), with held-out SMS figures.
    """
    report_progress = progress or (lambda fraction, message: None)
    started = time.perf_counter()
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)

    sms_train, sms_heldout = split_heldout(read_sms_collection(), config.heldout_fraction, config.seed)
    modern = read_labelled_csv(MODERN_MESSAGES_CSV) if MODERN_MESSAGES_CSV.exists() else []
    train = sms_train + modern

    encoder = bundled.encoder_dir()
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    model = AutoModelForSequenceClassification.from_pretrained(
        encoder, num_labels=2, id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()}
    )
    if config.freeze_word_embeddings:
        # The 30k-row embedding table is half the encoder's weights; leaving it as pre-trained saves
        # backward and optimizer time and keeps words unseen in SMS where the encoder put them.
        model.get_input_embeddings().weight.requires_grad_(False)
    encoded = tokenizer([m.text for m in train], truncation=True, max_length=config.max_length)["input_ids"]
    labels = torch.tensor([int(m.is_spam) for m in train])

    steps_per_epoch = -(-len(train) // config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(total_steps * config.warmup_fraction), total_steps)

    step = 0
    model.train()
    for epoch in range(config.epochs):
        for batch in length_sorted_batches([len(ids) for ids in encoded], config.batch_size, rng):
            inputs = tokenizer.pad({"input_ids": [encoded[i] for i in batch]}, return_tensors="pt")
            loss = model(**inputs, labels=labels[batch]).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            if step % 10 == 0 or step == total_steps:
                report_progress(step / total_steps * 0.95, f"Training epoch {epoch + 1}/{config.epochs}, loss {loss.item():.3f}")

    report_progress(0.96, "Scoring the held-out SMS messages...")
    heldout_probabilities = _predict(model, tokenizer, [m.text for m in sms_heldout], config.max_length)
    report = {
        "heldout_sms": spam_metrics([m.is_spam for m in sms_heldout], heldout_probabilities),
        "train_messages": {"sms": len(sms_train), "modern": len(modern)},
        "config": config.__dict__,
        "seconds": round(time.perf_counter() - started, 1),
        "torch_threads": torch.get_num_threads(),
    }

    partial = output_dir.with_name(output_dir.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    write_labelled_csv(partial / HELDOUT_FILENAME, sms_heldout)
    (partial / REPORT_FILENAME).write_text(json.dumps(report, indent=2))
    shutil.rmtree(output_dir, ignore_errors=True)
    partial.rename(output_dir)
    report_progress(1.0, f"Classifier built in {report['seconds']}s; held-out SMS F1 {report['heldout_sms']['f1']}")
    return report
