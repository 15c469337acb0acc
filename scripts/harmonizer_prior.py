"""How the harmonizer's label-prior correction moves its chords, on held-out melodies of a style.

    python scripts/harmonizer_prior.py --style pop --n 60 --betas 0,0.5 [--source openewld] [--split valid]

For each beta (`harmonizer.Harmonizer.decode`'s `prior_correction`) and for the best path and a
drawn one (temperature 1, what composed takes get), every melody is harmonized afresh and
compared with its own chord symbols, per beat: the root right, the share of beats over the tonic
chord, chord changes per bar, and the melody's time on chord tones (`metrics.musicality
.chord_tone_share`); the melodies' own chords give the real row. Chose pop's 0.5 (decoding.json
"chords_prior_correction_fitted_on").
"""

from __future__ import annotations

import argparse
import copy
import random
import sys

import numpy as np

from tunesmith import harmonizer as H
from tunesmith.baselines.harmony_baseline import chord_at
from tunesmith.harmony import parse_chord
from tunesmith.metrics.musicality import chord_tone_share
from tunesmith.score import pitch_class_of


def measure(pieces, reals) -> dict[str, float]:
    right = total = 0
    tonic, changes = [], []
    for p, r in zip(pieces, reals):
        t = pitch_class_of(r.key.tonic)
        ann, got = sorted(r.chords, key=lambda c: c.onset), sorted(p.chords, key=lambda c: c.onset)
        on = beats = 0
        for b in np.arange(0, r.end, 1.0):
            a, g = chord_at(ann, b), chord_at(got, b)
            if a is None or g is None:
                continue
            try:
                ra, rg = parse_chord(a.figure)[0], parse_chord(g.figure)[0]
            except ValueError:
                continue
            total += 1
            right += ra == rg
            beats += 1
            on += rg == t
        tonic.append(on / max(1, beats))
        changes.append(sum(1 for x, y in zip(got, got[1:]) if x.figure != y.figure) / max(1, len(r.bars())))
    return {"root_right": round(right / max(1, total), 3), "tonic_share": round(float(np.mean(tonic)), 3),
            "changes_per_bar": round(float(np.mean(changes)), 2),
            "chord_tones": round(float(np.nanmean([chord_tone_share(p) for p in pieces])), 3)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--style", default="pop")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--betas", default="0,0.5")
    ap.add_argument("--source", default=None, help="only pieces of this corpus source (e.g. openewld: shippable)")
    ap.add_argument("--split", default="valid")
    args = ap.parse_args(argv)
    from tunesmith.corpus import load_corpus

    net = H.load_harmonizer()
    pool = [p for p in load_corpus(None).filter(split=args.split, style=args.style)
            if p.chords and p.key is not None and p.melody() is not None and args.source in (None, p.source)]  # fmt: skip
    random.Random(0).shuffle(pool)
    pool = pool[: args.n]
    print(f"{args.style} {args.split} ({args.source or 'all sources'}), {len(pool)} pieces; real: {measure(pool, pool)}")
    for beta in (float(b) for b in args.betas.split(",")):
        for drawn in (False, True):
            outs = []
            for i, real in enumerate(pool):
                melody = copy.deepcopy(real)
                melody.chords, melody.tracks = [], [real.melody()]
                rng = np.random.default_rng(i) if drawn else None
                H.reharmonize(melody, net, rng=rng, temperature=1.0 if drawn else None, prior_correction=beta)
                outs.append(melody)
            print(f"beta {beta} {'drawn' if drawn else 'best '}: {measure(outs, pool)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
