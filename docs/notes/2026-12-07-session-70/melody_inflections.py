"""Session 70: a lead sheet's melody inflecting a note within a bar (F then F-sharp in D major: two
pitch classes a semitone apart in one bar, one of them outside the key's scale), per 100 bars, and
the bars whose notes outside the scale sound against a chord that holds the pitch a semitone away
(F over D). The shippable tunes of `--style` and `--split` (cut to 32 bars) against takes under
their headers (seed 0).

    .venv/bin/python docs/notes/2026-12-07-session-70/melody_inflections.py [--style folk] [--split valid] [--n 120]
"""

from __future__ import annotations

import argparse

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched
from tunesmith.harmony import chord_pitch_classes
from tunesmith.metrics._common import melody_line
from tunesmith.score import pitch_class_of

MAJOR, MINOR = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 9, 10, 11)


def count(pieces) -> tuple[int, int, int]:
    """(bars, bars with an inflection, notes outside the scale a semitone off a tone of the chord)."""
    bars_n = inflected = clashes = 0
    for p in pieces:
        tonic = pitch_class_of(p.key.tonic)
        scale = {(tonic + s) % 12 for s in (MINOR if p.key.mode == "minor" else MAJOR)}
        notes = melody_line(p)
        chords = sorted(p.chords, key=lambda c: c.onset)
        edges = list(p.bars()) + [p.end]
        for a, b in zip(edges, edges[1:]):
            pcs = {n.pitch % 12 for n in notes if a - 1e-6 <= n.onset < b - 1e-6}
            if not pcs:
                continue
            bars_n += 1
            inflected += any((pc + 1) % 12 in pcs and not {pc, (pc + 1) % 12} <= scale for pc in pcs)
        for n in notes:
            if n.pitch % 12 in scale:
                continue
            under = [c for c in chords if c.onset <= n.onset + 1e-6]
            if not under:
                continue
            try:
                tones = chord_pitch_classes(under[-1].figure)
            except (ValueError, KeyError):
                continue
            clashes += any((n.pitch - t) % 12 in (1, 11) for t in tones) and n.pitch % 12 not in tones
    return bars_n, inflected, clashes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="folk")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--n", type=int, default=120)
    args = ap.parse_args()
    reals = [p for p in load_corpus(None).filter(split=args.split, style=args.style, shippable=True)
             if p.key is not None and melody_line(p)][: args.n]  # fmt: skip
    for name, pieces in (("tunes", length_matched(reals, args.style, 32)), ("takes", None)):
        if pieces is None:
            model = ts.load_model("default")
            pieces = compose_like(
                model.model, model.tokenizer, reals, args.style, MusicalityConfig(per_style=len(reals), seed=0)
            )
        bars_n, inflected, clashes = count(pieces)
        print(f"{args.style} {name} ({len(pieces)}): bars {bars_n}, inflected per 100 bars {100 * inflected / bars_n:.2f}, "
              f"notes outside the scale a semitone off the chord per 100 bars {100 * clashes / bars_n:.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
