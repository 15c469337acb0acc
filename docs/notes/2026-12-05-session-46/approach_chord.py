"""The chord before a lead sheet's final tonic chord: its root as a degree of the key, how many
beats before the final chord it starts, whether it sounds from the downbeat of the bar it ends in
(or before it), and the share of the melody's time under it on its tones
(`chord_tone_share` of that span), in real pieces (a split; the training split's shippable
pieces with --shippable) and in composed takes of the default model.

    python docs/notes/2026-12-05-session-46/approach_chord.py STYLE N [--split train] [--shippable]
        [--compose] [--chords-from harmonizer|model]"""

from __future__ import annotations

import bisect
import sys
from collections import Counter

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.score import pitch_class_of

DEGREES = {0: "I", 7: "V", 5: "IV", 9: "vi", 2: "ii", 4: "iii", 10: "bVII", 8: "bVI", 3: "bIII"}


def approach(piece) -> tuple[str, float, float, bool] | None:
    """(degree of the chord root before the last root, beats it lasts, the melody's time on its
    tones, whether it sounds from the downbeat of the bar it ends in) where the last chord is on
    the tonic; None otherwise."""
    tonic = pitch_class_of(piece.key.tonic)
    runs: list[list] = []  # [root, onset, pitch classes]
    for c in sorted(piece.chords, key=lambda c: c.onset):
        try:
            root = parse_chord(c.figure)[0]
        except ValueError:
            continue
        if not runs or runs[-1][0] != root:
            runs.append([root, c.onset, chord_pitch_classes(c.figure)])
    if len(runs) < 2 or runs[-1][0] != tonic:
        return None
    beat = piece.time_signature.beat_length if piece.time_signature else 1.0
    a, b, pcs = runs[-2][1], runs[-1][1], runs[-2][2]
    on = total = 0.0
    for n in piece.melody().notes:
        overlap = min(n.onset + n.duration, b) - max(n.onset, a)
        if overlap > 0:
            total += overlap
            on += overlap * (n.pitch % 12 in pcs)
    bars = piece.bars()
    downbeat = bars[max(0, bisect.bisect_right(bars, b - 1e-6) - 1)]
    fit = on / total if total else float("nan")
    return DEGREES.get((runs[-2][0] - tonic) % 12, "other"), (b - a) / beat, fit, a <= downbeat + 1e-6


def report(name: str, found: Counter, lengths: Counter, none: int, fits: list, downbeats: int) -> None:
    total = sum(found.values())
    fits = [f for f in fits if f == f]
    print(f"{name}: {total} close on the tonic chord ({none} do not); melody time on the approach chord's tones "
          f"{sum(fits) / max(len(fits), 1):.3f}; from the downbeat {downbeats / max(total, 1):.2f}")
    print("  degree: " + " ".join(f"{k} {v / total:.3f}" for k, v in found.most_common()))
    print("  beats before the final chord: " + " ".join(f"{k:g} {v / total:.2f}" for k, v in sorted(lengths.items())[:10]))


def pieces(style: str, n: int, split: str, shippable: bool | None, compose: bool, chords_from: str | None):
    """Composed takes (seeds 0..n-1), or the split's pieces with chords and a key."""
    if compose:
        model = tunesmith.load_model("default")
        for seed in range(n):
            yield tunesmith.compose(style=style, seed=seed, model=model, chords_from=chords_from).piece
        return
    for p in load_corpus().filter(split=split, style=style, shippable=shippable):
        if p.melody() is not None and len(p.chords) >= 4 and p.key is not None:
            yield p


def main() -> None:
    style, n = sys.argv[1], int(sys.argv[2])
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    shippable = True if "--shippable" in sys.argv else None
    compose = "--compose" in sys.argv
    chords_from = sys.argv[sys.argv.index("--chords-from") + 1] if "--chords-from" in sys.argv else None
    found, lengths, none, fits, downbeats = Counter(), Counter(), 0, [], 0
    for p in pieces(style, n, split, shippable, compose, chords_from):
        if not compose and sum(found.values()) >= n:
            break
        a = approach(p)
        none += a is None
        if a:
            found[a[0]] += 1
            lengths[round(a[1] * 2) / 2] += 1
            fits.append(a[2])
            downbeats += a[3]
    name = (f"{style} composed ({chords_from or 'default chords'}), {n} takes" if compose
            else f"{style} {split}{' shippable' if shippable else ''}")  # fmt: skip
    report(name, found, lengths, none, fits, downbeats)


if __name__ == "__main__":
    main()
