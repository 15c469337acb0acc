"""`tunesmith compose`: new music in a style, under hard controls, written as a take bundle."""

from __future__ import annotations

import argparse
import time

from tunesmith.cli._common import (
    add_generation_controls,
    model_record,
    parse_chords,
    parse_key,
    parse_range,
    training_record,
    write_and_report,
)

HELP = "compose new pieces (lead sheets or 4-voice chorales) that obey every control"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--style", required=True, help="folk, chorale, pop or jazz")
    parser.add_argument("--meter", default=None, help="time signature, e.g. 4/4, 3/4, 6/8 (default: by style)")
    parser.add_argument("--bars", type=int, default=16)
    parser.add_argument("--tempo", type=float, default=None, help="quarter notes per minute (default: by style)")
    parser.add_argument("--chords", help="one chord symbol per bar, cycling: 'Dm7 G7 Cmaj7 Cmaj7'")
    parser.add_argument(
        "--chords-optional",
        action="store_true",
        help="let the model leave bars without a chord symbol (default: a chord on every downbeat)",
    )
    add_generation_controls(parser)
    parser.add_argument(
        "--rest-penalty",
        type=float,
        default=2.0,
        help="discourage ending a bar early with a rest (0: the model's own choice; default 2)",
    )


STYLE_DEFAULTS = {
    "folk": {"meter": "6/8", "tempo": 110.0, "key": "D"},
    "chorale": {"meter": "4/4", "tempo": 72.0, "key": "G"},
    "pop": {"meter": "4/4", "tempo": 96.0, "key": "C"},
    "jazz": {"meter": "4/4", "tempo": 140.0, "key": "F"},
}


def build_request(args: argparse.Namespace):
    """A validated ComposeRequest from the command line (ValueError names the bad control)."""
    from tunesmith.sampling import ComposeRequest

    defaults = STYLE_DEFAULTS.get(args.style, {})
    tonic, mode = parse_key(args.key, args.mode)
    return ComposeRequest(
        style=args.style,
        key=tonic or defaults.get("key", "C"),
        mode=mode or "major",
        meter=args.meter or defaults.get("meter", "4/4"),
        bars=args.bars,
        tempo=args.tempo if args.tempo is not None else defaults.get("tempo", 120.0),
        pitch_range=parse_range(args.pitch_range),
        chords=parse_chords(args.chords),
        in_scale=args.in_scale,
        temperature=args.temperature,
        top_p=args.top_p,
        rest_penalty=args.rest_penalty,
        chord_every_bar=not args.chords_optional,
        seed=args.seed,
    )


def run(args: argparse.Namespace) -> int:
    if args.n < 1:
        raise ValueError(f"--n must be at least 1, got {args.n}")
    request = build_request(args)  # every check before any heavy work
    from tunesmith import pretrained
    from tunesmith.sampling import generate

    t0 = time.perf_counter()
    model, tokenizer, info = pretrained.load(args.model, torch=False)
    load_seconds = time.perf_counter() - t0
    takes = generate(model, tokenizer, request, n=args.n, seed=request.seed)
    seed = takes[0].seed
    provenance = [
        {
            "request": request.to_dict() | {"seed": seed},
            "model": model_record(info),
            "seed": seed,
            "take_index": i,
            "training_data": training_record(info),
            "timings": {"load_model": load_seconds, "generate": take.seconds},
        }
        for i, take in enumerate(takes)
    ]
    summary = {
        "seed": seed,
        "request": request.to_dict() | {"seed": seed},
        "model": model_record(info),
        "seconds": {"load_model": round(load_seconds, 3), "generate_per_take": round(takes[0].seconds, 3)},
    }
    done = f"seed {seed}; {takes[0].seconds:.2f} s per take to compose"
    return write_and_report(args, [t.piece for t in takes], provenance, summary, t0, done)
