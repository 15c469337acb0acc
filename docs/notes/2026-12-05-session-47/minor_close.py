"""Minor-key closes of lead sheets: is the chord on the fifth degree before the final tonic chord
major (V, with the leading tone) or minor (v), and what does the melody sing over it?

    python docs/notes/2026-12-05-session-47/minor_close.py STYLE [--split train --shippable] [--compose N]

Real pieces: those whose key is labelled minor (the corpus's own label; dorian and aeolian labels
counted apart). Takes: N composed takes in minor keys (seeds 0..N-1, keys cycled through A, E, D,
G, B, C).  For each close on a tonic chord from a chord on the fifth degree: its quality, and the
melody's time under it on the raised 7th (leading tone) and on the lowered 7th.
"""

from __future__ import annotations

import argparse
import collections
import sys

from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.score import pitch_class_of


def close_on_v(piece):
    """(quality 'V' / 'v' / 'other fifth', melody time on LT, on b7, total) or None."""
    tonic = pitch_class_of(piece.key.tonic)
    runs = []
    for c in sorted(piece.chords, key=lambda c: c.onset):
        try:
            root = parse_chord(c.figure)[0]
        except ValueError:
            continue
        if not runs or runs[-1][0] != root:
            runs.append([root, c.onset, chord_pitch_classes(c.figure), c.figure])
        else:
            runs[-1][2] = runs[-1][2] | chord_pitch_classes(c.figure)
    if len(runs) < 2 or runs[-1][0] != tonic:
        return None
    root, a, pcs, fig = runs[-2]
    b = runs[-1][1]
    if (root - tonic) % 12 != 7:
        return ("not on the fifth", 0, 0, 0, fig)
    lt, sub = (tonic + 11) % 12, (tonic + 10) % 12
    quality = "V" if lt in pcs else ("v" if sub in pcs else "V (no third)")
    on_lt = on_sub = total = 0.0
    for n in piece.melody().notes:
        overlap = min(n.onset + n.duration, b) - max(n.onset, a)
        if overlap > 0:
            total += overlap
            on_lt += overlap * (n.pitch % 12 == lt)
            on_sub += overlap * (n.pitch % 12 == sub)
    return quality, on_lt, on_sub, total, fig


def report(name, pieces) -> None:
    found = collections.Counter()
    lt = sub = tot = 0.0
    clash = 0
    for p in pieces:
        r = close_on_v(p)
        if r is None:
            found["no close on the tonic chord"] += 1
            continue
        found[r[0]] += 1
        if r[0] == "V":
            lt += r[1]
            sub += r[2]
            tot += r[3]
            clash += r[2] > 0
    n = sum(found.values())
    print(f"{name}: {n} pieces: " + ", ".join(f"{k} {v}" for k, v in found.most_common()))
    if tot:
        print(f"  over V: melody time on the leading tone {lt / tot:.3f}, on the lowered 7th {sub / tot:.3f}; "
              f"closes whose melody sings the lowered 7th over V {clash} of {found['V']}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("style")
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--compose", type=int, default=0)
    ap.add_argument("--chords-from", default=None)
    a = ap.parse_args()
    if a.compose:
        import tunesmith

        model = tunesmith.load_model("default")
        keys = ["A", "E", "D", "G", "B", "C"]
        takes = [tunesmith.compose(style=a.style, key=keys[s % 6], mode="minor", seed=s, model=model,
                                   chords_from=a.chords_from).piece for s in range(a.compose)]  # fmt: skip
        report(f"{a.style} composed in minor, {a.compose} takes", takes)
        return 0
    from tunesmith.corpus.store import load_corpus

    by_mode = collections.defaultdict(list)
    for p in load_corpus().filter(split=a.split, style=a.style, shippable=True if a.shippable else None):
        if p.melody() is not None and len(p.chords) >= 4 and p.key is not None and (p.key.mode or "major") != "major":
            by_mode[p.key.mode].append(p)
    for mode, ps in sorted(by_mode.items()):
        report(f"{a.style} {a.split}{' shippable' if a.shippable else ''} {mode}", ps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
