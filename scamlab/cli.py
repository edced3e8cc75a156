"""The command line: train the classifier, classify, evaluate, write a reply, serve the chat model, benchmark.

Commands that produce figures print ONE JSON object as their last line, for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from scamlab.config import SettingsError, load_settings
from scamlab.engine.training import SHIPPED_RECIPE, ModernTrainingConfig, TrainingConfig
from scamlab.engine.errors import ModelLoadError
from scamlab.personas import DEFAULT_PERSONA_ID, DEFAULT_STYLE_ID, PERSONAS, STYLES
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

    if args.output is None and args.recipe != SHIPPED_RECIPE:
        raise ValueError(f"The app builds the {SHIPPED_RECIPE!r} recipe; give --output to build the {args.recipe!r} one elsewhere.")
    config = ModernTrainingConfig() if args.recipe == "modern" else TrainingConfig()
    if args.epochs is not None:
        config = replace(config, epochs=args.epochs if args.recipe == "modern" else round(args.epochs))
    output = Path(args.output) if args.output else _engine().bundled_classifier_dir()
    bar, update = _tqdm_progress("train-classifier")
    report = build_classifier(output, config, progress=update)
    bar.close()
    print(f"saved to {output}", file=sys.stderr)
    print(json.dumps(report))
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    texts = args.text if args.text != ["-"] else [line for line in sys.stdin.read().splitlines() if line.strip()]
    failed = 0
    for number, (text, result) in enumerate(zip(texts, _engine().batch_classify(texts)), start=1):
        if "error" in result:
            failed += 1
            print(f"error: message {number}: {result['error']}", file=sys.stderr)
        else:
            print(json.dumps({"text": text, **result}))
    return 2 if failed else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from scamlab.batch import labelled_probabilities
    from scamlab.engine.evaluation import evaluation_report, read_labelled_csv
    from scamlab.engine.training import HELDOUT_FILENAME

    engine = _engine()
    engine.classifier()  # builds the bundled classifier (and its held-out split) when missing
    data = Path(args.data) if args.data else engine.bundled_classifier_dir() / HELDOUT_FILENAME
    messages = read_labelled_csv(data)
    probabilities = labelled_probabilities(engine, messages, batch_size=32)
    metrics = evaluation_report(messages, probabilities, args.threshold)
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


def cmd_eval_chat(args: argparse.Namespace) -> int:
    from scamlab.chat_eval import report_markdown, run_chat_eval

    report = run_chat_eval(_engine(), (args.seed, args.seed + 1), args.turns, args.candidates, args.replay_cells,
                           args.scenarios, args.playbook_only,
                           progress=lambda message: print(message, file=sys.stderr, flush=True))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(report_markdown(report), encoding="utf-8")
    output.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {output} and {output.with_suffix('.json')}", file=sys.stderr)
    print(json.dumps(report["measures"]))
    return 0


def _conversation_messages(data: object) -> list:
    """Messages from a conversation file: a list of messages, or an object with `messages` or `turns`."""
    if isinstance(data, dict):
        data = data.get("messages", data.get("turns"))
    if not isinstance(data, list) or not all(isinstance(m, dict) for m in data):
        raise ValueError('Expected a JSON list of {"role", "content"} messages, or {"turns": [{"speaker", "text"}]}.')
    return data


def cmd_score_conversation(args: argparse.Namespace) -> int:
    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    print(json.dumps(_engine().score_conversation(_conversation_messages(data))))
    return 0


def cmd_evaluate_conversations(args: argparse.Namespace) -> int:
    from scamlab.engine.conversation import normalize_messages
    from scamlab.engine.conversation_build import conversation_metrics, read_dialogue_jsonl

    if args.data:
        labelled = read_dialogue_jsonl(args.data)
    else:
        from scamlab.dialogues import generate_dialogues

        labelled = [(d.is_scam, d.as_record()["turns"]) for d in generate_dialogues(args.count, "validation", seed=args.seed)]
    engine = _engine()
    results = [engine.score_conversation(turns) for _, turns in labelled]
    roles = [[role for role, _ in normalize_messages(turns)] for _, turns in labelled]
    metrics = conversation_metrics([is_scam for is_scam, _ in labelled], results, roles)
    print(f"evaluated {metrics['n']} conversations from {args.data or 'the held-out dialogue scripts'}: "
          f"AUC {metrics['auc']}, genuine flagged {metrics['genuine_flagged']}, scams flagged {metrics['scams_flagged']}, "
          f"median first flag at message {metrics['median_first_flag_turn']}", file=sys.stderr)
    print(json.dumps(metrics))
    return 0


def cmd_serve_model(args: argparse.Namespace) -> int:
    """Serve the chat model's GGUF file (the bundled one unless SCAMLAB_CHAT_MODEL names a .gguf) through
    llama-cpp-python's OpenAI-compatible server, until stopped."""
    import importlib.util

    from scamlab.engine import bundled

    if importlib.util.find_spec("llama_cpp.server") is None or importlib.util.find_spec("sse_starlette") is None:
        raise ValueError("serve-model needs llama-cpp-python with its server extras: pip install -r requirements-bench.txt")
    chat_model = load_settings().chat_model
    gguf = Path(chat_model).expanduser() if chat_model and chat_model.endswith(".gguf") else bundled.chat_gguf_path()
    if chat_model and not chat_model.endswith(".gguf"):
        print(f"SCAMLAB_CHAT_MODEL={chat_model} is not a GGUF file: serving the bundled model instead.", file=sys.stderr)
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--model_alias", gguf.stem,
               "--host", args.host, "--port", str(args.port), "--n_ctx", "2048", "--n_threads", str(args.threads),
               # Requests wait their turn instead of cutting off the one being answered (a class shares it).
               "--interrupt_requests", "False", *(["--api_key", args.api_key] if args.api_key else [])]
    print(f"Serving {gguf.name} at http://{args.host}:{args.port}/v1 - point SCAMLAB_CHAT_ENDPOINT there.", file=sys.stderr,
          flush=True)
    # The server takes this process's place, so that a stop signal (a service manager's, a test's) reaches it: as a
    # child it outlived a terminated parent and kept the port and the model (2026-12-06).
    os.execv(sys.executable, command)


def cmd_bench(args: argparse.Namespace) -> int:
    from scamlab.bench import run_benchmark

    print(json.dumps(run_benchmark(_engine(), quick=args.quick)))
    return 0


def _add_eval_chat_parser(commands: argparse._SubParsersAction) -> None:
    """The `eval-chat` command and its options."""
    eval_chat = commands.add_parser("eval-chat", help="role-play grid (scenario x style x persona) with measures; "
                                    "writes Markdown + JSON")
    eval_chat.add_argument("--output", default="docs/chat-eval.md", help="Markdown report (the JSON goes beside it)")
    eval_chat.add_argument("--seed", type=int, default=1, help="first seed; the replay uses seed + 1")
    eval_chat.add_argument("--turns", type=int, default=6, help="AI messages per conversation (6: the whole script)")
    eval_chat.add_argument("--candidates", type=int, default=4, help="candidates per reply (1-5)")
    eval_chat.add_argument("--replay-cells", type=int, default=None, help="cells replayed with the second seed (default all)")
    eval_chat.add_argument("--scenarios", nargs="+", choices=list(SCENARIOS), default=list(SCENARIOS),
                           help="scenarios to play (default: all)")
    eval_chat.add_argument("--playbook-only", action="store_true",
                           help="baseline: no model candidates, playbook lines only (seconds, not minutes)")
    eval_chat.set_defaults(run=cmd_eval_chat)


def _add_serve_model_parser(commands: argparse._SubParsersAction) -> None:
    """The `serve-model` command and its options."""
    serve = commands.add_parser("serve-model", help="serve the chat model's GGUF over an OpenAI-compatible API "
                                "(llama.cpp; needs requirements-bench.txt)")
    serve.add_argument("--host", default="127.0.0.1", help="listen address (default: this machine only)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="CPU threads (default: all)")
    serve.add_argument("--api-key", default=None, help="a key clients must send (set one when others can reach it)")
    serve.set_defaults(run=cmd_serve_model)


def build_parser() -> argparse.ArgumentParser:
    """The `python -m scamlab` argument parser."""
    parser = argparse.ArgumentParser(prog="python -m scamlab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train-classifier", help="build the bundled spam classifier (about 4 minutes on 2 cores)")
    train.add_argument("--output", help="folder to save it in (default: the cache folder the app uses)")
    train.add_argument("--epochs", type=float, default=None, help="passes over the training data (default: the recipe's)")
    train.add_argument("--recipe", choices=["legacy", "modern"], default=SHIPPED_RECIPE,
                       help=f"legacy: UCI + the written file; modern: + the generated corpus, calibration and evidence "
                       f"(issue 12) (default: {SHIPPED_RECIPE}, the one the app builds)")
    train.set_defaults(run=cmd_train_classifier)

    classify = commands.add_parser("classify", help="classify messages; prints one JSON object per line")
    classify.add_argument("text", nargs="+", help="messages to classify, or - to read one per line from stdin")
    classify.set_defaults(run=cmd_classify)

    evaluate = commands.add_parser("evaluate", help="accuracy, precision, recall, F1, ROC AUC and calibration on a labelled CSV")
    evaluate.add_argument("--data", help="CSV with label,text columns (labels spam/ham, spam/not_spam or 1/0) and an optional "
                          "source column (figures per source); default: the held-out 20%% of the SMS collection")
    evaluate.add_argument("--threshold", type=float, default=0.5, help="spam probability counted as spam (default 0.5)")
    evaluate.set_defaults(run=cmd_evaluate)

    reply = commands.add_parser("reply", help="write the persona's next message to TEXT")
    reply.add_argument("text", help="the other side's last message")
    reply.add_argument("--persona", choices=list(PERSONAS), default=DEFAULT_PERSONA_ID)
    reply.add_argument("--style", choices=list(STYLES), default=DEFAULT_STYLE_ID)
    reply.add_argument("--scenario", choices=list(SCENARIOS), default=None)
    reply.add_argument("--max-new-tokens", type=int, default=80)
    reply.add_argument("--temperature", type=float, default=0.7)
    reply.add_argument("--top-p", type=float, default=0.9)
    reply.add_argument("--seed", type=int, default=None)
    reply.set_defaults(run=cmd_reply)

    _add_eval_chat_parser(commands)

    score_conversation = commands.add_parser("score-conversation", help="P(scam | conversation so far) after each "
                                             "message of a JSON conversation file; prints one JSON object")
    score_conversation.add_argument("file", help='JSON: [{"role": "them"|"me", "content"}] or {"turns": [{"speaker", "text"}]}')
    score_conversation.set_defaults(run=cmd_score_conversation)

    evaluate_conversations = commands.add_parser("evaluate-conversations", help="AUC, genuine and scam conversations "
                                                 "flagged, median first flag; the last line is JSON")
    evaluate_conversations.add_argument("--data", help='JSONL, one dialogue a line: {"label": "scam"|"non-scam", "turns": '
                                        '[{"speaker": "caller"|"receiver"|"them"|"me", "text"}]}; default: dialogues '
                                        "generated from the held-out scripts")
    evaluate_conversations.add_argument("--count", type=int, default=200, help="generated dialogues when --data is not given")
    evaluate_conversations.add_argument("--seed", type=int, default=1, help="seed of the generated dialogues")
    evaluate_conversations.set_defaults(run=cmd_evaluate_conversations)

    _add_serve_model_parser(commands)

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
