"""Loading models through accelerate: device and dtype decisions, GGUF conversion, errors, a shared cache.

Every model is loaded with `device_map` so one GPU, several GPUs or CPU offload work unchanged.
Each model is loaded once per process (`ModelCache`) and shared by concurrent requests.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from scamlab.config import Settings, SettingsError
from scamlab.engine.errors import ModelLoadError

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]
T = TypeVar("T")


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that only logs."""
    log.info("%3.0f%% %s", fraction * 100, message)


@dataclass
class LoadedModel:
    """A model ready to use, with what a user or a log wants to know about it."""

    model: Any
    tokenizer: Any
    name: str
    device: str
    dtype: str
    load_seconds: float

    def describe(self) -> str:
        """One line for the UI: which model answers, where, in which precision."""
        return f"{self.name} on {self.device} ({self.dtype}), loaded in {self.load_seconds:.1f}s"


def resolve_device(requested: str) -> str:
    """The device to run on: `auto` picks CUDA, then Apple's MPS, then the CPU."""
    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if requested == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if (requested == "cuda" and not cuda) or (requested == "mps" and not mps):
        raise SettingsError(f"SCAMLAB_DEVICE={requested} but no such device is visible; use auto or cpu.")
    return requested


def resolve_dtype(requested: str, device: str) -> torch.dtype:
    """bf16 on GPUs that support it (else fp16); float32 on the CPU (also under int8 or bfloat16 Linear weights,
    which `load_pretrained` applies to the chat model afterwards)."""
    if requested == "int8":
        return torch.float32
    if requested != "auto":
        return getattr(torch, requested)
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "mps":
        return torch.float16
    return torch.float32


def device_map_for(device: str) -> str | dict[str, str]:
    """`auto` lets accelerate spread a model over every GPU and offload to the CPU; else pin one device."""
    return "auto" if device == "cuda" else {"": device}


def quantize_linear_int8(model: torch.nn.Module) -> torch.nn.Module:
    """Dynamic int8 weights (per output channel) for every Linear layer but the output head.

    On the CPU, decoding is bound by reading weights; int8 reads a quarter of the bytes. Opt-in
    (`SCAMLAB_DTYPE=int8`): on the 135M model it costs visible quality (see the benchmark). The output
    head stays float32 because quantizing it changed greedy answers even more in our trials.
    """
    with warnings.catch_warnings():
        # torch.ao's eager quantization is deprecated in favour of torchao (one more dependency);
        # it still works in torch 2.13 and is what we measured. See the benchmark notes in README.md.
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=UserWarning)
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        layers = {
            name: per_channel_dynamic_qconfig
            for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and name != "lm_head"
        }
        return quantize_dynamic(model, layers, dtype=torch.qint8, inplace=True)


class BFloat16WeightLinear(torch.nn.Module):
    """A Linear layer that keeps its weights in bfloat16 and computes in bfloat16 (float32 accumulation), taking
    and giving float32: half the bytes to read per decode step. Norms, attention and the key/value cache stay
    float32 (PyTorch's bfloat16 attention on the CPU was slower than float32 at batch 16 and more)."""

    def __init__(self, linear: torch.nn.Linear) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(linear.weight.detach().to(torch.bfloat16), requires_grad=False)
        self.bias = None if linear.bias is None else torch.nn.Parameter(linear.bias.detach().to(torch.bfloat16), requires_grad=False)

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.linear(inputs.to(torch.bfloat16), self.weight, self.bias).to(inputs.dtype)


def cpu_has_bfloat16() -> bool:
    """True where oneDNN runs bfloat16 matrix products natively (AVX-512 or Arm bf16 CPUs); False elsewhere."""
    return torch.backends.mkldnn.is_available() and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


def linear_weights_to_bfloat16(model: torch.nn.Module) -> torch.nn.Module:
    """Every Linear layer (the output head too) as a `BFloat16WeightLinear`, in place.

    A 135M chat model's decode step on 2 cores is bound by reading its 540 MB of float32 weights: measured side
    by side, a best-of-4 reply of 16 tokens took 2.1 s instead of 3.3 s (median of 10). The bundled weights
    come from a 4-bit GGUF, so bfloat16's rounding (3 significant digits) is far below what they already carry.
    """
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(parent, name, BFloat16WeightLinear(child))
    return model


def describe_load_error(model_name: str, error: BaseException, token_given: bool) -> ModelLoadError:
    """Turn what transformers or huggingface_hub raised into one message naming the model and the fix.

    The original message is not repeated: it may carry URLs with credentials or long tracebacks.
    """
    from huggingface_hub.errors import GatedRepoError, LocalEntryNotFoundError, RepositoryNotFoundError

    text = str(error)
    offline = os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes")
    if isinstance(error, torch.OutOfMemoryError) or "out of memory" in text.lower():
        return ModelLoadError(model_name, "there is not enough memory for it.", "choose a smaller model, or set SCAMLAB_DEVICE=cpu.")
    if isinstance(error, GatedRepoError) or "gated" in text.lower():
        fix = "accept its licence on the Hub and set HF_TOKEN to a token of that account."
        return ModelLoadError(model_name, "it is gated on the Hugging Face Hub.", fix)
    if "401" in text or "Invalid credentials" in text or "invalid user token" in text.lower():
        problem = "the Hub refused the token." if token_given else "the Hub asks for a token."
        return ModelLoadError(model_name, problem, "set HF_TOKEN to a valid read token.")
    if isinstance(error, LocalEntryNotFoundError) or offline or "offline" in text.lower() or "couldn't connect" in text.lower():
        return ModelLoadError(
            model_name,
            "it is not in the local cache and the Hub cannot be reached (offline).",
            "connect to the network once (unset HF_HUB_OFFLINE) to download it, or point the setting at a local folder.",
        )
    if isinstance(error, RepositoryNotFoundError) or "not a valid model identifier" in text or "does not appear to have" in text:
        return ModelLoadError(model_name, "no such model or folder was found.", "check the Hub id or the folder path.")
    return ModelLoadError(model_name, f"{type(error).__name__} while loading.", "check the model id and the logs.")


@contextmanager
def exclusive_file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` so one process at a time builds or converts a cached model.

    Uses `fcntl` where it exists (Linux, macOS); elsewhere the lock is a no-op and the atomic renames
    in the builders still keep half-written models out of sight.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            import fcntl
        except ImportError:
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def converted_gguf_dir(gguf_path: Path, settings: Settings) -> Path:
    """The cache folder that holds a GGUF file once de-quantized into the Hugging Face format."""
    return settings.converted_dir / f"{gguf_path.stem}-{gguf_path.stat().st_size}"


def convert_gguf(gguf_path: Path, target: Path, progress: ProgressFn = no_progress) -> Path:
    """De-quantize a GGUF file once and save it as a normal Hugging Face folder (safetensors).

    transformers de-quantizes GGUF at every load (~20 s here); the saved folder loads in well under a second.
    Writes into a temporary folder and renames it, so an interrupted run never leaves half a model.
    """
    with exclusive_file_lock(target.with_name(target.name + ".lock")):
        if not (target / "config.json").exists():
            _convert_gguf_unlocked(gguf_path, target, progress)
    return target


def _convert_gguf_unlocked(gguf_path: Path, target: Path, progress: ProgressFn) -> None:
    progress(0.1, f"Converting {gguf_path.name} once (later starts reuse it)...")
    tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name)
    model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name, dtype=torch.float32)
    # The weights are plain float32 now; drop the GGUF marker so save_pretrained accepts the model.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    partial = target.with_name(f"{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by an interrupted run; we hold the lock
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial.rename(target)


def load_pretrained(
    model_class: Any,
    source: str | Path,
    settings: Settings,
    token: str | None,
    display_name: str,
    progress: ProgressFn = no_progress,
    quantize_on_cpu: bool = False,
) -> LoadedModel:
    """Load tokenizer and model from a Hub id or folder through accelerate's `device_map`."""
    started = time.perf_counter()
    device = resolve_device(settings.device)
    dtype = resolve_dtype(settings.dtype, device)
    progress(0.5, f"Loading {display_name} on {device}...")
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, token=token)
        model = model_class.from_pretrained(source, dtype=dtype, device_map=device_map_for(device), token=token)
    except Exception as error:  # noqa: BLE001 - translated into one actionable message
        raise describe_load_error(display_name, error, token_given=bool(token)) from None
    model.eval()
    dtype_label = str(dtype).removeprefix("torch.")
    if quantize_on_cpu and device == "cpu" and settings.dtype == "int8":
        progress(0.9, "Quantizing Linear layers to int8 for the CPU...")
        quantize_linear_int8(model)
        dtype_label = "int8 weights, float32 activations"
    elif quantize_on_cpu and device == "cpu" and settings.dtype == "auto" and cpu_has_bfloat16():
        linear_weights_to_bfloat16(model)
        dtype_label = "bfloat16 Linear weights, float32 activations"
    seconds = time.perf_counter() - started
    loaded = LoadedModel(model, tokenizer, display_name, device, dtype_label, seconds)
    progress(1.0, f"Ready: {loaded.describe()}")
    log.info("loaded %s", loaded.describe())
    return loaded


# One load at a time in the whole process: transformers' lazy imports and loading are not thread-safe (two
# first uses at once, say a chat reply and a spam check, failed with "cannot import name ...").
LOADING_LOCK = threading.RLock()


class ModelCache:
    """Loads each model once per process; concurrent callers of one key wait for the same load.

    Loads of different models run one after another (`LOADING_LOCK`); models already loaded answer at once.
    """

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: str, loader: Callable[[], T]) -> T:
        """The model under `key`, loading it with `loader` on first use."""
        with self._guard:
            if key in self._models:
                return self._models[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._models:
                with LOADING_LOCK:
                    self._models[key] = loader()
            return self._models[key]

    def forget(self, key: str) -> None:
        """Drop a model so the next `get` loads it again (used when switching models)."""
        with self._guard:
            self._models.pop(key, None)
