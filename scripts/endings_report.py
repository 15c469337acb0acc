"""How pieces end, takes beside real music: the last melody note's length and whether it repeats.

    python scripts/endings_report.py [--model default] [--split valid] [--per-style 60] [--json FILE]
    python scripts/endings_report.py --split train --real-only --shippable --per-style 0   # the shares to draw from
    python scripts/endings_report.py --split train --real-only --shippable --per-style 0 --final-chords

Per style, one take per real piece under its header (`evaluation.musicality.compose_like`), and
for takes and real pieces alike: the share of pieces whose last melody note lasts at most a
quarter, the most common last-note lengths (quarter notes), the share whose last two notes
(and last three) have the same pitch (an ending struck again instead of held), and how the last
note is approached: the interval from the note before it, as a share of pieces per class
(`APPROACH_CLASSES`: repeat 0, step 1-2, third 3-4, leap 5-7, wide 8+ semitones), the share whose last
note is a tone of the chord symbol under it, and, per mode family, how a last note on the tonic
is reached (from the 2nd above, from the leading tone, otherwise). `--final-chords` adds, pooled over the styles, the
degree of the last chord under a melody that closes on the fifth or off the tonic triad
(`sampling.FINAL_CHORD_SHARES`), among the pieces whose last note is a tone of it. Every run
also gives the share of pieces whose first chord is on the tonic (`sampling.OPENING_TONIC_SHARES`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

import numpy as np

from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, real_pieces
from tunesmith.metrics._common import melody_line
from tunesmith.paths import atomic_write_text
from tunesmith.score import STYLES

# interval classes (semitones, either direction) from the last note but one to the last note
# as `sampling.MELODY_APPROACH_INTERVALS`, whose "wide" stops at an octave (a wider one is counted here)
APPROACH_CLASSES = {"repeat": (0, 0), "step": (1, 2), "third": (3, 4), "leap": (5, 7), "wide": (8, 127)}


def approach_class(interval: int) -> str:
    """The `APPROACH_CLASSES` name of an interval in semitones."""
    return next(name for name, (lo, hi) in APPROACH_CLASSES.items() if lo <= abs(interval) <= hi)


def _last_chord(piece):
    """(closing degree name, the last note a tone of the chord under it, that chord's degree name
    or None) of a piece with a key and chord symbols, else None. Degree names as
    `sampling.FINAL_CHORD_DEGREES`: the step of the piece's mode's seven-note scale the root stands
    on ("bVII": ten semitones up; None for another chromatic root)."""
    from tunesmith.harmony import chord_pitch_classes, parse_chord
    from tunesmith.sampling.request import FINAL_CHORD_DEGREES, seven_note_scale
    from tunesmith.score import pitch_class_of

    line = melody_line(piece)
    if not line or piece.key is None or not piece.chords:
        return None
    last = line[-1]
    under = [c for c in piece.chords if c.onset <= last.onset + 1e-6]
    if not under:
        return None
    try:
        pcs = chord_pitch_classes(under[-1].figure)
        root = (parse_chord(under[-1].figure)[0] - pitch_class_of(piece.key.tonic)) % 12
    except ValueError:
        return None
    scale = seven_note_scale((piece.key.mode or "major").lower())
    by_step = {step: name for name, step in FINAL_CHORD_DEGREES.items() if step is not None}
    chord = "bVII" if root == 10 else by_step.get(scale.index(root)) if root in scale else None
    degree = {0: "root", 3: "third", 4: "third", 7: "fifth"}.get((last.pitch - pitch_class_of(piece.key.tonic)) % 12, "other")
    return degree, last.pitch % 12 in pcs, chord


def final_chord_shares(pieces) -> dict:
    """Per closing degree "fifth" / "other": how many pieces, how many end on a tone of their last
    chord, and the shares of that chord's degree among those."""
    rows = [r for r in (_last_chord(p) for p in pieces) if r and r[0] in ("fifth", "other")]
    out = {}
    for degree in ("fifth", "other"):
        mine = [r for r in rows if r[0] == degree]
        held = Counter(chord for _, tone, chord in mine if tone and chord)
        total = sum(held.values())
        out[degree] = {"pieces": len(mine), "last_note_a_chord_tone": sum(1 for _, t, _ in mine if t),
                       "chord_shares": {c: round(n / total, 3) for c, n in held.most_common()} if total else {}}  # fmt: skip
    return out


# `sampling.FINAL_LENGTH_SHARES`: each last note's length rounded down to one of these (quarter
# notes), with a tolerance for files that end notes a tick early (abc2midi: the irish/ tunes'
# quarter notes last 0.998 of a beat, and rounded down they counted as eighths)
FINAL_LENGTHS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
LENGTH_TOLERANCE = 0.02


def final_length_shares(lines) -> dict:
    """Shares of the melodies' last-note lengths, each rounded down to `FINAL_LENGTHS` (within
    `LENGTH_TOLERANCE`; shorter than an eighth counts as an eighth)."""
    counts = Counter(max([g for g in FINAL_LENGTHS if g <= ln[-1].duration + LENGTH_TOLERANCE], default=FINAL_LENGTHS[0])
                     for ln in lines)  # fmt: skip
    return {str(k): round(counts[k] / len(lines), 3) for k in FINAL_LENGTHS} if lines else {}


def last_note_on_a_beat(pieces) -> float | None:
    """Share of the pieces in one meter whose last melody note is struck on a beat of it (the dotted
    quarter of 6/8; within `LENGTH_TOLERANCE` of it, for files a tick late)."""
    hits = []
    for p in pieces:
        line = melody_line(p)
        if not line or len(p.time_signatures) > 1:
            continue
        last = line[-1]
        start = max((b for b in p.bars() if b <= last.onset + 1e-6), default=0.0)
        beat = p.time_signature.beat_length
        into = (last.onset - start) / beat
        hits.append(abs(into - round(into)) * beat < LENGTH_TOLERANCE)
    return round(float(np.mean(hits)), 3) if hits else None


def endings(pieces) -> dict:
    lines = [melody_line(p) for p in pieces]
    lines = [ln for ln in lines if len(ln) >= 3]
    last = [round(ln[-1].duration, 2) for ln in lines]
    common = Counter(last).most_common(5)
    return {
        "n": len(lines),
        "last_note_at_most_a_quarter": round(float(np.mean([d <= 1.0 for d in last])), 3),
        "last_note_lengths": {str(k): round(v / len(last), 3) for k, v in common},
        "final_length_shares": final_length_shares(lines),
        "last_note_on_a_beat": last_note_on_a_beat(pieces),
        "last_two_same_pitch": round(float(np.mean([ln[-1].pitch == ln[-2].pitch for ln in lines])), 3),
        "last_three_same_pitch": round(float(np.mean([len({n.pitch for n in ln[-3:]}) == 1 for ln in lines])), 3),
        "last_approach": {name: round(float(np.mean([approach_class(ln[-1].pitch - ln[-2].pitch) == name
                                                       for ln in lines])), 3) for name in APPROACH_CLASSES},
        "last_note_a_chord_tone": _chord_tone_share(pieces),
        "tonic_approach": tonic_approach(pieces),
        "first_chord_on_the_tonic": opening_tonic_share(pieces),
        "final_chord_thirds": final_chord_thirds(pieces),
    }


def opening_tonic_share(pieces) -> dict | None:
    """Among the pieces with a key and chord symbols: how many, and the share whose first chord at
    or after the first full bar (a pickup's chord does not count) has its root on the tonic
    (`sampling.OPENING_TONIC_SHARES`)."""
    from tunesmith.harmony import parse_chord
    from tunesmith.score import pitch_class_of

    hits = []
    for p in pieces:
        if p.key is None or not p.chords:
            continue
        bars = p.bars()
        start = bars[1] if p.pickup_beats() > 0 and len(bars) > 1 else 0.0
        chords = sorted((c for c in p.chords if c.onset >= start - 1e-6), key=lambda c: c.onset)
        try:
            root = parse_chord(chords[0].figure)[0] if chords else None
        except ValueError:
            continue
        if root is not None:
            hits.append((root - pitch_class_of(p.key.tonic)) % 12 == 0)
    return {"n": len(hits), "share": round(float(np.mean(hits)), 3)} if hits else None


def tonic_approach(pieces) -> dict:
    """Per mode family, how the melody reaches a last note on the tonic: from the 2nd above
    ("above", a whole step down), from the leading tone ("below", a half step up) or otherwise
    ("other"), as shares of the pieces that end on the tonic (`sampling.FINAL_SOPRANO_APPROACH_SHARES`
    for chorales)."""
    from tunesmith.sampling import mode_family
    from tunesmith.sampling.request import SOPRANO_APPROACH_STEPS
    from tunesmith.score import pitch_class_of

    kinds = {step: name for name, step in SOPRANO_APPROACH_STEPS.items()}  # -2: "above", 1: "below"

    counts: dict[str, Counter] = {}
    for p in pieces:
        line = melody_line(p)
        if p.key is None or len(line) < 2 or (line[-1].pitch - pitch_class_of(p.key.tonic)) % 12:
            continue
        step = line[-1].pitch - line[-2].pitch
        kind = kinds.get(step, "other")
        counts.setdefault(mode_family((p.key.mode or "major").lower()), Counter())[kind] += 1
    return {fam: {"n": sum(c.values()), **{k: round(c[k] / sum(c.values()), 3) for k in ("above", "below", "other")}}
            for fam, c in sorted(counts.items())}  # fmt: skip


def final_chord_thirds(pieces) -> dict:
    """Four-part pieces whose last chord stands on the tonic (every voice's last note; the bass on
    the key's tonic): per mode family, how many, and the shares whose final chord has a major
    third above the bass, a minor third, or none (a bare fifth or octave) (`sampling.FINAL_THIRD_SHARES`).
    Measured on the sounding end, not at the strike: a voice that reaches the third late counts."""
    from tunesmith.sampling import mode_family
    from tunesmith.score import pitch_class_of

    counts: dict[str, Counter] = {}
    for p in pieces:
        voices = [tr.notes for tr in p.tracks[:4] if tr.notes]
        if p.key is None or len(voices) < 4:
            continue
        tonic = pitch_class_of(p.key.tonic)
        last = [notes[-1].pitch for notes in voices]
        if last[-1] % 12 != tonic:  # closes on another chord (a half close; a key the annotation missed)
            continue
        above = {(x - tonic) % 12 for x in last}
        third = "major" if 4 in above else "minor" if 3 in above else "none"
        counts.setdefault(mode_family((p.key.mode or "major").lower()), Counter())[third] += 1
    return {fam: {"n": sum(c.values()), **{k: round(c[k] / sum(c.values()), 3) for k in ("major", "minor", "none")}}
            for fam, c in sorted(counts.items())}  # fmt: skip


def _chord_tone_share(pieces) -> float | None:
    rows = [r for r in (_last_chord(p) for p in pieces) if r]
    return round(float(np.mean([tone for _, tone, _ in rows])), 3) if rows else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--styles", default=",".join(STYLES))
    ap.add_argument("--split", default="valid", choices=("train", "valid", "test"))
    ap.add_argument("--per-style", type=int, default=60, help="real pieces a style (0: all)")
    ap.add_argument("--real-only", action="store_true", help="measure the real pieces only (no takes)")
    ap.add_argument("--shippable", action="store_true", help="only pieces whose license lets them train a shipped model")
    ap.add_argument("--final-chords", action="store_true",
                    help="the degree of the last chord under endings on the fifth or off the triad, pooled over the styles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR if args.model == "default" else args.model)
    corpus = load_corpus(None)
    report: dict = {"split": args.split, "styles": {}}
    pooled = []
    for style in [s for s in args.styles.split(",") if s]:
        pool = list(corpus.filter(split=args.split, style=style, shippable=True if args.shippable else None))
        reals = real_pieces({style: pool}, style, args.per_style or len(pool), 0)
        report["styles"][style] = {"real": endings(reals)}
        pooled += reals
        if not args.real_only:
            takes = compose_like(model, tok, reals, style, MusicalityConfig(per_style=max(4, len(reals)), seed=args.seed))
            report["styles"][style]["takes"] = endings(takes)
        for name in report["styles"][style]:
            print(style, name, json.dumps(report["styles"][style][name]), flush=True)
    if args.final_chords:
        report["final_chords"] = final_chord_shares(pooled)
        print("final chords (pooled)", json.dumps(report["final_chords"]), flush=True)
    if args.json:
        atomic_write_text(args.json, json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
