"""The command line: train the classifier, classify, evaluate, write a reply, benchmark.

Commands that produce figures print ONE JSON object as their last line, for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from scamlab.config import SettingsError, load_settings
from scamlab.engine.training import TrainingConfig
from scamlab.engine.errors import ModelLoadError
from scamlab.personas import PERSONAS, STYLES
from scamlab.scenarios import SCENARIOS


def _engine():
    from scamlab.engine import Engine

    return Engine(load_settings())


def _tqdm_progress(description: str):
    """A progress callback `(fraction, message)` drawing a tqdm bar on stderr."""
    from tqdm import tqdm

    bar = tqdm(total=100, desc=description, unit="%", file=sys.stderr)

    def update(fraction: float, message: str) -> None:
        bar.set_postfix_str(message[:60], refresh=False)
        bar.update(max(0, round(fraction * 100) - bar.n))

    return bar, update


def cmd_train_classifier(args: argparse.Namespace) -> int:
    from scamlab.engine.training import build_classifier

    engine = _engine()
    output = Path(args.output) if args.output else engine.bundled_classifier_dir()
    bar, update = _tqdm_progress("train-classifier")
    report = build_classifier(output, TrainingConfig(epochs=args.epochs), progress=update)
    bar.close()
    print(f"saved to {output}", file=sys.stderr)
    print(json.dumps(report))
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    texts = args.text if args.text != ["-"] else [line for line in sys.stdin.read().splitlines() if line.strip()]
    for text, result in zip(texts, _engine().batch_classify(texts)):
        print(json.dumps({"text": text, **result}))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from scamlab.engine.evaluation import read_labelled_csv, spam_metrics
    from scamlab.engine.training import HELDOUT_FILENAME

    engine = _engine()
    engine.classifier()  # builds the bundled classifier (and its held-out split) when missing
    data = Path(args.data) if args.data else engine.bundled_classifier_dir() / HELDOUT_FILENAME
    messages = read_labelled_csv(data)
    probabilities = [r["probabilities"]["spam"] for r in engine.batch_classify([m.text for m in messages], batch_size=32)]
    metrics = spam_metrics([m.is_spam for m in messages], probabilities, args.threshold)
    print(f"evaluated {metrics['n']} messages from {data}", file=sys.stderr)
    print(json.dumps(metrics))
    return 0


def cmd_reply(args: argparse.Namespace) -> int:
    reply = _engine().generate_reply(
        args.text, args.persona, args.style, args.scenario,
        max_new_tokens=args.max_new_tokens, temperature=args.temperature, top_p=args.top_p, seed=args.seed,
    )
    print(reply)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from scamlab.bench import run_benchmark

    print(json.dumps(run_benchmark(_engine(), quick=args.quick)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The `python -m scamlab` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m scamlab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train-classifier", help="build the bundled spam classifier (about 3 minutes on 2 cores)")
    train.add_argument("--output", help="folder to save it in (default: the cache folder the app uses)")
    train.add_argument("--epochs", type=int, default=TrainingConfig().epochs, help="passes over the training data")
    train.set_defaults(run=cmd_train_classifier)

    classify = commands.add_parser("classify", help="classify messages; prints one JSON object per line")
    classify.add_argument("text", nargs="+", help="messages to classify, or - to read one per line from stdin")
    classify.set_defaults(run=cmd_classify)

    evaluate = commands.add_parser("evaluate", help="accuracy, precision, recall, F1 on a labelled CSV")
    evaluate.add_argument("--data", help="CSV with label,text columns (labels spam/ham, spam/not_spam or 1/0); "
                          "default: the held-out 20%% of the SMS collection")
    evaluate.add_argument("--threshold", type=float, default=0.5, help="spam probability counted as spam (default 0.5)")
    evaluate.set_defaults(run=cmd_evaluate)

    reply = commands.add_parser("reply", help="write the persona's next message to TEXT")
    reply.add_argument("text", help="the other side's last message")
    reply.add_argument("--persona", choices=list(PERSONAS), default="scammer")
    reply.add_argument("--style", choices=list(STYLES), default="neutral")
    reply.add_argument("--scenario", choices=list(SCENARIOS), default=None)
    reply.add_argument("--max-new-tokens", type=int, default=80)
    reply.add_argument("--temperature", type=float, default=0.7)
    reply.add_argument("--top-p", type=float, default=0.9)
    reply.add_argument("--seed", type=int, default=None)
    reply.set_defaults(run=cmd_reply)

    bench = commands.add_parser("bench", help="speed figures; prints one JSON object as the last line")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions (for a smoke test)")
    bench.set_defaults(run=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors a user can fix print one line and exit with status 2."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ModelLoadError, SettingsError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
