#!/usr/bin/env python
"""Evaluate co-creation against the real thing and against the simple baseline.

    .venv/bin/python scripts/eval_cocreate.py --model default --out eval_cocreate.json

1. Chorale harmonization of the JSB test-split sopranos (czhuang/JSB-Chorales-dataset standard
   split): parallel fifths, parallel octaves, voice crossings and range violations per 100 beats
   (`metrics.harmony_rules`), for the model with its voice-leading mask, the model with only the
   range constraint (the mask off: what the network itself does), the count baseline
   (`baselines.harmony_baseline.ChoraleBaseline`, fitted on the JSB train split), and Bach's
   own chorales. Chord-symbol agreement with Bach: a chord read per beat from the four voices
   (`harmony_baseline.chord_of_pitches`, triad/seventh templates) of each harmonization against
   the same reading of Bach's, compared by root and triad quality (`harmony_rules.chord_agreement`).
2. Lead-sheet harmonization of held-out melodies (and inpaint of bars 5-8 keeping the melody:
   new chords only, from the harmonizer or the composer, scored inside the range) (Nottingham: tunes whose work id
   `corpus.splits.split_of` puts in "test"; POP909: songs in "test"), 16-bar excerpts: chord
   accuracy per beat against the annotated chords, by root and by root + triad quality, for the
   model (a chord on every downbeat; each bar's chords chosen among 8 proposals by the likelihood
   of the bar's melody; ablation: without that lookahead) and the baseline (`LeadSheetBaseline`,
   fitted on the train split of the same corpus, per bar and per half bar).
3. Latency of every command on a 16-bar piece (model loaded; median of 5 after a warm-up), and
   the whole CLI run (load, read, generate, write MIDI + MusicXML) once.

Prints a table and writes everything as JSON (`--out`).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import io
import json
import math
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from tunesmith import cocreate
from tunesmith.baselines.harmony_baseline import ChoraleBaseline, LeadSheetBaseline, chord_at, chords_per_beat
from tunesmith.corpus.splits import split_of
from tunesmith.metrics import harmony_rules
from tunesmith.paths import shared_data
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, TimeSignature, Track
from tunesmith.tokenizer import METERS

RULES = ("parallel_fifths", "parallel_octaves", "voice_crossings", "range_violations")


# --------------------------------------------------------------------------- pieces
def bar_grid(piece: Piece) -> list[float]:
    starts = list(piece.bars())
    if starts and starts[0] > 1e-6:
        starts = [0.0, *starts]
    return starts


def excerpt(piece: Piece, bars: int, *, from_melody: bool = False, rebar: bool = False) -> Piece | None:
    """Bars [b0, b0 + bars) of `piece`, moved to start at 0 (b0 = 0, or the first bar with melody).

    `rebar`: a piece in a meter the tokenizer cannot write (POP909's reader gives some songs
    1/4) is cut into 4/4 bars from b0 instead."""
    grid = bar_grid(piece)
    melody = piece.melody()
    if melody is None or not melody.notes:
        return None
    b0 = 0
    if from_melody:
        first = min(n.onset for n in melody.notes)
        b0 = max(0, sum(1 for s in grid if s <= first + 1e-9) - 1)
    ts = piece.time_signature
    num, den = ts.numerator, ts.denominator
    if f"{num}/{den}" not in METERS:
        if not rebar or b0 >= len(grid):
            return None
        num, den = 4, 4
        grid = [grid[b0] + 4.0 * i for i in range(bars + 1)]
        b0 = 0
        if grid[-1] > piece.duration() + 1e-9:
            return None
    if b0 + bars > len(grid):
        return None
    start = grid[b0]
    end = grid[b0 + bars] if b0 + bars < len(grid) else max(piece.duration(), grid[-1] + num * 4.0 / den)

    def cut(notes):
        out = []
        for n in notes:
            if start - 1e-9 <= n.onset < end - 1e-9:
                out.append(Note(n.pitch, n.onset - start, min(n.duration, end - n.onset), n.velocity))
        return out

    chords = sorted(piece.chords, key=lambda c: c.onset)
    kept = [ChordSymbol(c.onset - start, c.figure) for c in chords if start - 1e-9 <= c.onset < end - 1e-9]
    before = chord_at(chords, start)
    if before is not None and (not kept or kept[0].onset > 1e-9) and start > 0:
        kept.insert(0, ChordSymbol(0.0, before.figure))
    key = piece.key
    for k in sorted(piece.keys, key=lambda k: k.onset):
        if k.onset <= start + 1e-9:
            key = k
    return Piece(
        piece_id=f"{piece.piece_id}@{b0}",
        work_id=piece.work_id,
        title=piece.title,
        style=piece.style,
        path=piece.path,
        tracks=[Track(t.name, t.role, t.program, t.is_drum, cut(t.notes)) for t in piece.tracks],
        chords=kept,
        keys=[KeySignature(0.0, key.tonic, key.mode)] if key else [],
        time_signatures=[TimeSignature(0.0, num, den)],
        tempos=list(piece.tempos[:1]),
        bar_onsets=[s - start for s in grid[b0 : b0 + bars]],
        end=end - start,
    )


def melody_only(piece: Piece, role: str = "melody") -> Piece:
    melody = piece.melody()
    return Piece(
        piece_id=piece.piece_id,
        work_id=piece.work_id,
        title=piece.title,
        style=piece.style,
        path=piece.path,
        tracks=[Track(melody.name, role, melody.program, False, list(melody.notes))],
        keys=list(piece.keys),
        time_signatures=list(piece.time_signatures),
        tempos=list(piece.tempos),
        bar_onsets=list(piece.bar_onsets),
        end=piece.end,
    )


def usable(piece: Piece, verb: str = "harmonize") -> bool:
    try:
        cocreate.check_input(verb, piece)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- chorales
def eval_chorales(model, tok, args) -> dict:
    from tunesmith.inputs.jsb import read_jsb_json

    path = Path(args.data) / "jsb" / "jsb-chorales-16th.json"
    pieces = read_jsb_json(path)
    train = [p for p in pieces if p.split == "train"]
    test = [p for p in pieces if p.split == args.split]
    if args.chorales:
        test = test[: args.chorales]
    baseline = ChoraleBaseline().fit(train)
    systems = ["model", "model_no_plan", "model_no_mask", "baseline", "bach"] if args.ablation else ["model", "baseline", "bach"]
    counts = {s: defaultdict(float) for s in systems}
    agree = {s: [0, 0] for s in systems}
    seconds = []
    for i, bach in enumerate(test):
        soprano = melody_only(bach, "soprano")
        outs = {"bach": bach, "baseline": baseline.harmonize(soprano)}
        t0 = time.perf_counter()
        (take,) = cocreate.harmonize(model, tok, soprano, style="chorale", seed=args.seed + i,
                                     harmonizer=args.chorale_harmonizer,
                                     temperature=args.temperature, top_p=args.top_p,
                                     rhythm_feedback=args.rhythm_feedback)  # fmt: skip
        seconds.append(time.perf_counter() - t0)
        outs["model"] = take.piece
        if args.ablation:
            (plain,) = cocreate.harmonize(model, tok, soprano, style="chorale", seed=args.seed + i, chords_from="model",
                                          temperature=args.temperature, top_p=args.top_p,
                                     rhythm_feedback=args.rhythm_feedback)  # fmt: skip
            outs["model_no_plan"] = plain.piece
            (raw,) = cocreate.harmonize(model, tok, soprano, style="chorale", seed=args.seed + i, voice_leading=False,
                                        temperature=args.temperature, top_p=args.top_p,
                                     rhythm_feedback=args.rhythm_feedback)  # fmt: skip
            outs["model_no_mask"] = raw.piece
        ref = chords_per_beat(bach)
        for name in systems:
            piece = outs[name]
            rates = harmony_rules.harmony_rule_rates(piece)
            for k in (*RULES, "beats"):
                counts[name][k] += rates[k]
            pred = chords_per_beat(piece)
            pairs = [(p, r) for p, r in zip(pred, ref) if r is not None]
            if pairs:
                a = harmony_rules.chord_agreement([p or "N.C." for p, _ in pairs], [r for _, r in pairs])
                agree[name][0] += a * len(pairs)
                agree[name][1] += len(pairs)
        if args.verbose:
            print(f"  chorale {i + 1}/{len(test)}: {seconds[-1]:.2f} s", file=sys.stderr)
    table = {}
    for name in systems:
        beats = counts[name]["beats"]
        row = {f"{k}_per_100_beats": round(100.0 * counts[name][k] / beats, 3) for k in RULES}
        row["chord_agreement_with_bach"] = round(agree[name][0] / max(1, agree[name][1]), 4)
        row["beats"] = beats
        table[name] = row
    return {
        "dataset": f"{path} (test split: {len(test)} chorales; baseline fitted on {len(train)} train chorales)",
        "systems": table,
        "seconds_per_chorale": {"mean": round(statistics.mean(seconds), 3), "max": round(max(seconds), 3)},
        "notes": [
            "JSB voices are read from a 16th-note grid sorted high to low, so Bach's own voice crossings are 0 by "
            "construction and repeated notes are merged.",
            "chord agreement: per-beat chord read from the four voices by triad/seventh templates, compared by "
            "root and triad quality; Bach's row compares the reading with itself (1.0).",
        ],
    }


# --------------------------------------------------------------------------- lead sheets
def score_chords(
    pred: list[ChordSymbol], ref: list[ChordSymbol], end: float, start: float = 0.0
) -> tuple[int, int, int]:
    """(beats with a reference chord, root matches, root + triad quality matches)."""
    ref = sorted(ref, key=lambda c: c.onset)
    pred = sorted(pred, key=lambda c: c.onset)
    n = root = full = 0
    t = math.ceil(start - 1e-9)
    while t < end - 1e-9:
        r = chord_at(ref, t)
        if r is not None:
            try:
                rr = harmony_rules.parse_chord_figure(r.figure)
            except ValueError:
                rr = None
            if rr is not None and rr != harmony_rules.NO_CHORD:
                n += 1
                p = chord_at(pred, t)
                pp = harmony_rules.parse_chord_figure(p.figure) if p is not None else harmony_rules.NO_CHORD
                root += pp[0] == rr[0]
                full += pp == rr
        t += 1.0
    return n, root, full


def eval_lead(model, tok, name: str, train: list[Piece], test: list[Piece], style: str, args) -> dict:
    baselines = {unit: LeadSheetBaseline(unit).fit(train) for unit in ("bar", "half")}
    names = (["model", "model_no_lookahead"] if args.ablation else ["model"]) if args.model_chords else []
    totals = {s: [0, 0, 0] for s in (*names, "harmonizer", "shipped_table", "baseline_bar", "baseline_half")}
    seconds, used = [], 0
    inpaint_totals = {"harmonizer": [0, 0, 0], "model": [0, 0, 0]}
    for i, piece in enumerate(test):
        ex = excerpt(piece, args.lead_bars, from_melody=(name == "pop909"), rebar=(name == "pop909"))
        if ex is None or not ex.chords or not usable(ex):
            continue
        melody = melody_only(ex)
        t0 = time.perf_counter()
        preds = {}
        if args.model_chords:
            (take,) = cocreate.harmonize(model, tok, melody, style=style, seed=args.seed + i, chords_from="model",
                                         temperature=args.temperature, top_p=args.top_p,
                                     rhythm_feedback=args.rhythm_feedback)  # fmt: skip
            preds["model"] = take.piece.chords
        seconds.append(time.perf_counter() - t0)
        # what `tunesmith harmonize` does by default: the harmonizer shipped with the model (trained
        # on the shippable training split only: Nottingham + pre-1931 OpenEWLD, no POP909)
        preds["harmonizer"] = cocreate.harmonize(model, tok, melody, style=style, seed=args.seed + i,
                                                 harmonizer=args.harmonizer)[0].piece.chords  # fmt: skip
        # the count table shipped before it (fitted on the same data)
        preds["shipped_table"] = cocreate.harmonize(model, tok, melody, style=style, seed=args.seed + i,
                                                    chords_from="table")[0].piece.chords  # fmt: skip
        if args.ablation and args.model_chords:
            (plain,) = cocreate.harmonize(model, tok, melody, style=style, seed=args.seed + i, lookahead=0,
                                          chords_from="model",
                                          temperature=args.temperature, top_p=args.top_p,
                                     rhythm_feedback=args.rhythm_feedback)  # fmt: skip
            preds["model_no_lookahead"] = plain.piece.chords
        for unit, b in baselines.items():
            preds[f"baseline_{unit}"] = b.predict(melody)
        starts = ex.bars()
        if len(starts) >= 9:  # inpaint bars 5-8 keeping the melody (new chords only), scored inside the range
            r0, r1 = starts[4], starts[8]
            for src in ("harmonizer", "model"):
                (take,) = cocreate.inpaint(model, tok, ex, (5, 8), keep="melody", seed=args.seed + i, style=style,
                                           chords_from=src, harmonizer=args.harmonizer)  # fmt: skip
                n, r, f = score_chords(take.piece.chords, ex.chords, r1, start=r0)
                row = inpaint_totals[src]
                row[0], row[1], row[2] = row[0] + n, row[1] + r, row[2] + f
        start = ex.bar_onsets[1] if len(ex.bar_onsets) > 1 and ex.bar_onsets[1] < ex.time_signature.bar_length else 0.0
        for s, pred in preds.items():
            n, r, f = score_chords(pred, ex.chords, ex.duration(), start=start if name == "nottingham" else 0.0)
            totals[s][0] += n
            totals[s][1] += r
            totals[s][2] += f
        used += 1
        if args.verbose:
            print(f"  {name} {used}: {seconds[-1]:.2f} s", file=sys.stderr)
        if used >= args.lead:
            break
    return {
        "pieces": used,
        "train_pieces_for_baseline": len(train),
        "excerpt_bars": args.lead_bars,
        "systems": {
            s: {
                "beats": t[0],
                "root_accuracy": round(t[1] / max(1, t[0]), 4),
                "root_quality_accuracy": round(t[2] / max(1, t[0]), 4),
            }
            for s, t in totals.items()
        },
        "seconds_per_piece": {"mean": round(statistics.mean(seconds), 3) if seconds else None},
        "inpaint_bars_5_8_keep_melody": {
            s: {"beats": t[0], "root_accuracy": round(t[1] / max(1, t[0]), 4),
                "root_quality_accuracy": round(t[2] / max(1, t[0]), 4)}
            for s, t in inpaint_totals.items()
        },  # fmt: skip
    }


def nottingham(args) -> tuple[list[Piece], list[Piece]]:
    from tunesmith.harmony import settle_modal_final
    from tunesmith.inputs import read_file

    pieces = []
    for f in sorted(glob.glob(str(Path(args.data) / "nottingham" / "ABC_cleaned" / "*.abc"))):
        pieces += read_file(f)
    # keyed as the corpus keys them (its source says `keys_by_signature`): a tune in E dorian
    # written with D major's signature is in E dorian for the harmonizer, as it was in training
    for piece in pieces:
        if piece.keys:
            settle_modal_final(piece)
    train = [p for p in pieces if split_of(p.work_id) == "train"]
    test = [p for p in pieces if split_of(p.work_id) == args.split]
    return train, test


def pop909(args) -> tuple[list[Piece], list[Piece]]:
    from tunesmith.inputs import read_file

    folders = sorted(d for d in glob.glob(str(Path(args.data) / "pop909" / "[0-9]*")) if os.path.isdir(d))
    train, test = [], []
    for d in folders:
        split = split_of(f"pop909:{Path(d).name}")
        if split == args.split and len(test) < 3 * args.lead:
            test += read_file(d)
        elif split == "train" and len(train) < args.pop909_train:
            train += read_file(d)
    return train, test


# --------------------------------------------------------------------------- latency
def eval_latency(model, tok, args, model_path: str) -> dict:
    from tunesmith.inputs import read_file
    from tunesmith.inputs.jsb import read_jsb_json

    tunes = []
    for f in sorted(glob.glob(str(Path(args.data) / "nottingham" / "ABC_cleaned" / "*.abc")))[:3]:
        tunes += read_file(f)
    lead = next(ex for p in tunes if (ex := excerpt(p, 16)) is not None and usable(ex) and ex.chords)
    chorales = [p for p in read_jsb_json(Path(args.data) / "jsb" / "jsb-chorales-16th.json") if p.split == "test"]
    chorale = next(ex for p in chorales if (ex := excerpt(p, 16)) is not None and usable(ex))
    soprano = melody_only(chorale, "soprano")
    cases = {
        "continue (16 bars + 8 new, lead sheet)": lambda s: cocreate.continue_piece(model, tok, lead, 8, seed=s),
        "harmonize lead sheet (16 bars)": lambda s: cocreate.harmonize(
            model, tok, melody_only(lead), style="folk", seed=s
        ),
        "harmonize chorale (16 bars)": lambda s: cocreate.harmonize(model, tok, soprano, style="chorale", seed=s),
        "inpaint bars 5-8 (lead sheet)": lambda s: cocreate.inpaint(model, tok, lead, (5, 8), seed=s),
        "inpaint bars 9-12 keep melody": lambda s: cocreate.inpaint(model, tok, lead, (9, 12), keep="melody", seed=s),
        "inpaint bars 5-8 (chorale)": lambda s: cocreate.inpaint(model, tok, chorale, (5, 8), seed=s),
        "continue (16 bars + 8 new, chorale)": lambda s: cocreate.continue_piece(model, tok, chorale, 8, seed=s),
    }
    out = {}
    for name, fn in cases.items():
        fn(999)
        times = []
        for s in range(5):
            t0 = time.perf_counter()
            fn(s)
            times.append(time.perf_counter() - t0)
        out[name] = {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}
    # the whole command line once per verb (model load + read + generate + MIDI/MusicXML), in process
    from tunesmith.cli.cocreate import main
    from tunesmith.outputs.midi import write_midi

    cli = {}
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "lead16.mid"
        write_midi(lead, src)
        ch = Path(d) / "soprano16.mid"
        write_midi(soprano, ch)
        runs = {
            "continue": ["continue", src, "--bars", "8"],
            "harmonize": ["harmonize", ch, "--style", "chorale"],
            "inpaint": ["inpaint", src, "--bars", "5-8"],
        }
        for verb, argv in runs.items():
            t0 = time.perf_counter()
            common = ["--model", model_path, "--seed", "1", "--no-audio", "--no-svg", "--out", str(Path(d) / verb)]
            with contextlib.redirect_stdout(io.StringIO()):
                rc = main(argv[0], [str(a) for a in argv[1:]] + common)
            cli[verb] = {"wall_s": round(time.perf_counter() - t0, 3), "exit": rc}
    return {"api": out, "cli_no_audio_no_svg": cli, "lead_piece": lead.piece_id, "chorale_piece": chorale.piece_id}


# --------------------------------------------------------------------------- main
def print_table(result: dict) -> None:
    ch = result.get("chorales")
    if ch:
        print("\nChorale harmonization, JSB test sopranos (per 100 beats)")
        print(f"{'system':<20}{'par. 5ths':>10}{'par. 8ves':>10}{'crossings':>10}{'range':>8}{'chord agr.':>12}")
        for name, row in ch["systems"].items():
            print(
                f"{name:<20}{row['parallel_fifths_per_100_beats']:>10.2f}{row['parallel_octaves_per_100_beats']:>10.2f}"
                f"{row['voice_crossings_per_100_beats']:>10.2f}{row['range_violations_per_100_beats']:>8.2f}"
                f"{row['chord_agreement_with_bach']:>12.3f}"
            )
    for corpus in ("nottingham", "pop909"):
        lead = result.get(corpus)
        if lead:
            print(
                f"\nLead-sheet harmonization, {corpus} held-out ({lead['pieces']} excerpts of {lead['excerpt_bars']} bars)"
            )
            print(f"{'system':<20}{'root acc.':>10}{'root+qual.':>12}{'beats':>8}")
            for name, row in lead["systems"].items():
                print(f"{name:<20}{row['root_accuracy']:>10.3f}{row['root_quality_accuracy']:>12.3f}{row['beats']:>8}")
            for name, row in lead.get("inpaint_bars_5_8_keep_melody", {}).items():
                print(f"{'inpaint 5-8 ' + name:<20}{row['root_accuracy']:>10.3f}{row['root_quality_accuracy']:>12.3f}"
                      f"{row['beats']:>8}")  # fmt: skip
    lat = result.get("latency")
    if lat:
        print("\nLatency, 16-bar piece (model loaded; median of 5)")
        for name, row in lat["api"].items():
            print(f"  {name:<42}{row['median_s']:>7.3f} s  (max {row['max_s']:.3f})")
        for verb, row in lat["cli_no_audio_no_svg"].items():
            print(f"  CLI {verb:<38}{row['wall_s']:>7.3f} s  (load + read + write MIDI/MusicXML)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="default", help="model folder, or 'default'")
    parser.add_argument("--data", default=str(shared_data()), help="shared corpora folder")
    parser.add_argument("--chorales", type=int, default=0, help="JSB test chorales to use (0 = all)")
    parser.add_argument("--lead", type=int, default=50, help="held-out lead-sheet excerpts per corpus")
    parser.add_argument("--lead-bars", type=int, default=16)
    parser.add_argument("--pop909-train", type=int, default=300, help="POP909 train songs for the baseline")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--harmonizer", default=None, help="harmonizer folder (default: the one beside the model)")
    parser.add_argument("--chorale-harmonizer", default=None,
                        help="chorale harmonizer folder or file (default: the one beside the model)")
    parser.add_argument("--no-model-chords", dest="model_chords", action="store_false",
                        help="skip the composer's own chords (lead sheets): only harmonizer, table, baselines")
    parser.add_argument(
        "--split", default="test", choices=("test", "valid"), help="held-out lead sheets from this split (valid: tuning)"
    )
    parser.add_argument("--temperature", type=float, default=None,
                        help="default: the model's tuned temperature for the style, as a user gets it (1.0 before session 7)")
    parser.add_argument("--top-p", type=float, default=None, help="default: the model's for the style")
    parser.add_argument("--rhythm-feedback", type=float, default=None,
                        help="weight of the style's rhythm feedback on the voices written (default 1; 0: off)")
    parser.add_argument(
        "--no-ablation", dest="ablation", action="store_false", help="skip the runs without mask / lookahead"
    )
    parser.add_argument("--skip", nargs="*", default=[], choices=("chorales", "nottingham", "pop909", "latency"))
    parser.add_argument("--out", default="runs/eval_cocreate.json")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    from tunesmith import pretrained

    model, tok, info = pretrained.load(args.model)
    result: dict = {
        "model": {
            "path": info.get("path"),
            "sha256": info.get("sha256"),
            "step": info.get("step"),
            "val_loss": info.get("val_loss"),
            "config": info.get("model_config"),
        },  # fmt: skip
        "settings": {k: v for k, v in vars(args).items() if k not in ("skip",)},
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    t_all = time.perf_counter()
    if "chorales" not in args.skip:
        result["chorales"] = eval_chorales(model, tok, args)
    if "nottingham" not in args.skip:
        train, test = nottingham(args)
        result["nottingham"] = eval_lead(model, tok, "nottingham", train, test, "folk", args)
    if "pop909" not in args.skip:
        train, test = pop909(args)
        result["pop909"] = eval_lead(model, tok, "pop909", train, test, "pop", args)
    if "latency" not in args.skip:
        result["latency"] = eval_latency(model, tok, args, info["path"])
    result["seconds_total"] = round(time.perf_counter() - t_all, 1)
    from tunesmith.paths import atomic_write_text

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)  # runs/ (ignored by git) by default
    atomic_write_text(
        args.out, json.dumps(result, indent=1, default=lambda o: o.tolist() if isinstance(o, np.ndarray) else str(o)) + "\n"
    )
    print_table(result)
    print(f"\nwrote {args.out} ({result['seconds_total']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
