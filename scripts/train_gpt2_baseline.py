#!/usr/bin/env python
"""Train the GPT-2 + REMI baseline for a wall-time budget, then measure it.

    python scripts/train_gpt2_baseline.py --pieces-from jsb-test --params 2M --minutes 2 --out runs/gpt2-jsb

Pieces come from
- `corpus`: tunesmith's cached corpus (`tunesmith.corpus.load_corpus(--data)`, its own
  train/valid/test splits, optionally one `--style`);
- `jsb-test`: the JSB chorales JSON (`--data`, default <shared data>/jsb/jsb-chorales-16th.json)
  read directly with its standard train/valid/test split, for a smoke run;
- `midi-dir`: every .mid/.midi under `--data`, split 80/10/10 by a hash of the file path.

After training it writes `report.json` next to the model: held-out NLL on the test split
(per token, note, bar) and the time to compose `--bars` bars at batch 1 and batch 8.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import symusic
import torch

from tunesmith.baselines.gpt2_remi import build_remi_tokenizer, generate_baseline, heldout_nll, train_baseline
from tunesmith.paths import atomic_write_text, shared_data
from tunesmith.score import Note, Piece, Tempo, TimeSignature, Track

VOICES = ("soprano", "alto", "tenor", "bass")


def parse_count(text: str) -> int:
    """'2M', '500k', '2e6', '2000000' -> int."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def jsb_pieces(path: Path, split: str, step_beats: float = 0.25) -> list[Piece]:
    """Chorales of one split of the JSB JSON grid (time steps of up to 4 MIDI pitches).

    A stopgap reader until the corpus layer lands: pitches of a step are taken top-down
    as soprano, alto, tenor, bass; a voice holding the same pitch on the next step is one
    note (the grid cannot tell a repeated note from a held one). 4/4 at 100 qpm assumed.
    """
    data = json.loads(Path(path).read_text())
    pieces = []
    for index, chorale in enumerate(data[split]):
        open_notes: dict[int, Note] = {}
        tracks = [Track(name=v, role=v, program=0) for v in VOICES]
        for step, pitches in enumerate(chorale):
            voiced = sorted((int(p) for p in pitches), reverse=True)[: len(VOICES)]
            now = {v: p for v, p in enumerate(voiced)}
            for v in range(len(VOICES)):
                held = open_notes.get(v)
                if held is not None and now.get(v) == held.pitch:
                    held.duration += step_beats
                    continue
                open_notes.pop(v, None)
                if v in now:
                    note = Note(pitch=now[v], onset=step * step_beats, duration=step_beats)
                    tracks[v].notes.append(note)
                    open_notes[v] = note
        pieces.append(
            Piece(
                piece_id=f"jsb-json:{split}:{index}",
                work_id=f"jsb-json:{split}:{index}",
                style="chorale",
                source="jsb-json",
                path=str(path),
                license="public-domain",
                tracks=tracks,
                time_signatures=[TimeSignature(0.0, 4, 4)],
                tempos=[Tempo(0.0, 100.0)],
                end=len(chorale) * step_beats,
                split=split,
            )
        )
    return pieces


def midi_dir_pieces(folder: Path) -> dict[str, list[symusic.Score]]:
    splits: dict[str, list[symusic.Score]] = {"train": [], "valid": [], "test": []}
    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() in (".mid", ".midi"))
    for f in files:
        bucket = int(hashlib.sha1(str(f.relative_to(folder)).encode()).hexdigest(), 16) % 10
        split = "test" if bucket == 0 else "valid" if bucket == 1 else "train"
        try:
            splits[split].append(symusic.Score(f))
        except Exception as e:  # a broken file should not end a baseline run
            print(f"skipping {f}: {e}", file=sys.stderr)
    return splits


def corpus_pieces(
    directory: Path | None = None, style: str | None = None, shippable_only: bool = False
) -> dict[str, list[Piece]]:
    """The cached tunesmith corpus (`tunesmith corpus build` first), by its own splits;
    `shippable_only` keeps what the default model trains on (licenses.may_ship)."""

    try:
        from tunesmith.corpus import load_corpus
    except ImportError as e:
        raise SystemExit(f"tunesmith.corpus.load_corpus is not available ({e}); use --pieces-from jsb-test") from e
    corpus = load_corpus(directory)
    return {
        split: list(corpus.filter(split=split, style=style, shippable=True if shippable_only else None))
        for split in ("train", "valid", "test")
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pieces-from", choices=("corpus", "jsb-test", "midi-dir"), default="jsb-test")
    ap.add_argument("--data", type=Path, help="JSB JSON file, MIDI folder, or corpus cache folder")
    ap.add_argument("--style", help="corpus only: keep one style (folk, chorale, pop, jazz)")
    ap.add_argument("--shippable-only", action="store_true", help="corpus only: the default model's training data")
    ap.add_argument("--params", type=parse_count, default=2_000_000, help="target parameter count (2M, 500k)")
    ap.add_argument("--minutes", type=float, default=2.0, help="training wall-time budget")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=8)
    # 32 bars are ~2000 REMI tokens for a 4-voice chorale and ~1200 for a folk melody, so the
    # context must exceed the usual 1024 for the baseline to compose 32 bars at all.
    ap.add_argument("--n-positions", type=int, default=2048)
    ap.add_argument("--seq-len", type=int, help="training window (default: --n-positions)")
    ap.add_argument("--no-velocities", action="store_true", help="REMI without Velocity tokens")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--max-steps", type=int)
    ap.add_argument("--device")
    ap.add_argument(
        "--threads", type=int, help="torch CPU threads (on a busy shared machine 1 is far faster than 2: no spin-waits)"
    )
    ap.add_argument("--bars", type=int, default=32, help="bars to compose in the latency check (0: skip)")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    if args.pieces_from == "jsb-test":
        path = args.data or shared_data() / "jsb" / "jsb-chorales-16th.json"
        splits = {s: jsb_pieces(path, s) for s in ("train", "valid", "test")}
    elif args.pieces_from == "midi-dir":
        if not args.data:
            ap.error("--pieces-from midi-dir needs --data FOLDER")
        splits = midi_dir_pieces(args.data)
    else:
        splits = corpus_pieces(args.data, args.style, args.shippable_only)
    print({k: len(v) for k, v in splits.items()}, "pieces", file=sys.stderr)

    run = train_baseline(
        splits["train"],
        splits["valid"],
        out_dir=args.out,
        n_params=args.params,
        max_minutes=args.minutes,
        seed=args.seed,
        batch_size=args.batch_size,
        seq_len=args.seq_len or args.n_positions,
        n_positions=args.n_positions,
        lr=args.lr,
        max_steps=args.max_steps,
        device=args.device,
        tokenizer=build_remi_tokenizer(use_velocities=not args.no_velocities),
        progress=not args.no_progress,
    )
    log = run.log
    report: dict[str, object] = {
        "args": {k: str(v) for k, v in vars(args).items()},  # where the data came from, for the report
        "n_params": log["n_params"],
        "shape": f"{log['n_layer']} x {log['n_embd']} ({log['n_head']} heads)",
        "steps": log["steps"],
        "train_seconds": log["train_seconds"],
        "first_train_loss": log["first_train_loss"],
        "final_train_loss": log["final_train_loss"],
        "valid": log["valid_curve"][-1] if log["valid_curve"] else None,
    }
    if splits["test"]:
        report["test_nll"] = heldout_nll(run.model, run.tokenizer, splits["test"])
    if args.bars:
        for batch in (1, 8):
            generate_baseline(run.model, run.tokenizer, n_bars=2, batch_size=batch, seed=args.seed)  # warm-up
            t = time.perf_counter()
            sample = generate_baseline(run.model, run.tokenizer, n_bars=args.bars, batch_size=batch, seed=args.seed)
            report[f"compose_batch{batch}"] = {
                "seconds": sample.seconds,
                "generate_seconds": sample.generate_seconds,
                "pieces_per_second": batch / (time.perf_counter() - t),
                "bars": sample.n_bars,
                "hit_max_length": sample.hit_max_length,
                "tokens": [len(ids) for ids in sample.token_ids],
                "notes": [s.note_num() for s in sample.scores],
            }
        sample.scores[0].dump_midi(args.out / "sample.mid")
    atomic_write_text(args.out / "report.json", json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
