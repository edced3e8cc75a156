"""Temperature scaling: one number that makes a fine-tuned classifier's probabilities mean what they say."""

from __future__ import annotations

from collections.abc import Sequence

import torch


def fit_temperature(margins: torch.Tensor, is_spam: Sequence[bool]) -> float:
    """The temperature T minimising the log-loss of sigmoid(margin / T) (a grid: one parameter, no surprises)."""
    labels = torch.tensor([float(s) for s in is_spam])
    best, best_loss = 1.0, float("inf")
    for temperature in torch.logspace(-0.6, 1.2, 90).tolist():
        loss = torch.nn.functional.binary_cross_entropy_with_logits(margins / temperature, labels).item()
        if loss < best_loss:
            best, best_loss = temperature, loss
    return best


def scale_head(model, temperature: float) -> None:
    """Bake the temperature into the classification head: logits / T, so every loader gets calibrated output."""
    with torch.no_grad():
        model.classifier.weight.div_(temperature)
        model.classifier.bias.div_(temperature)
