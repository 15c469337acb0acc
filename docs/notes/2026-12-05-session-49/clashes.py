"""Melody notes that clash with the chord under them: a pitch class a semitone above one of the
chord's tones that is not itself a chord tone (a minor ninth against it: F over Cmaj7, B over
Bb6, Ab over G). The flat ninth over a dominant chord (Db over C7) is idiom, not counted.
Shares of melody time under chords, all notes and notes of a beat or longer; real pieces of a
split against takes of the same style.

    python docs/notes/2026-12-05-session-49/clashes.py --style jazz --split valid --n 60
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-48"))
from takes import compose_takes  # noqa: E402

from tunesmith import harmony  # noqa: E402
from tunesmith.metrics.musicality import melody_line  # noqa: E402

DOMINANT = {"7", "9", "13", "7b9", "7#9", "7sus4", "9sus4", "7#5", "7b5", "11"}


def spans(piece):
    chords = sorted(piece.chords, key=lambda c: c.onset)
    out = []
    for i, c in enumerate(chords):
        end = chords[i + 1].onset if i + 1 < len(chords) else math.inf
        if c.duration:
            end = min(end, c.onset + c.duration)
        try:
            root, quality, _ = harmony.parse_chord(c.figure)
            pcs = set(harmony.chord_pitch_classes(c.figure))
        except (ValueError, KeyError):
            continue
        out.append((c.onset, end, pcs, root, quality))
    return out


def clash_times(piece, min_duration: float = 0.0):
    """(clashing time, time under chords) of the melody's notes at least `min_duration` long."""
    sp = spans(piece)
    clash = total = 0.0
    for n in melody_line(piece):
        if n.duration < min_duration:
            continue
        a, b = n.onset, n.onset + n.duration
        for s, e, pcs, root, quality in sp:
            ov = min(b, e) - max(a, s)
            if ov <= 0:
                continue
            total += ov
            pc = n.pitch % 12
            if pc in pcs:
                continue
            below = {(q + 1) % 12 for q in pcs}
            if pc in below and not (quality in DOMINANT and pc == (root + 1) % 12):
                clash += ov
    return clash, total


def report(name, pieces):
    for md in (0.0, 1.0):
        c = t = 0.0
        per = []
        for p in pieces:
            a, b = clash_times(p, md)
            c += a
            t += b
            if b:
                per.append(a / b)
        worst = sum(x > 0.10 for x in per) / max(len(per), 1)
        print(f"{name:<28} notes >= {md} beat: clash {c / max(t, 1e-9):.3f} of melody time; pieces over 10 % {worst:.2f} (n {len(per)})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--model", default="default")
    ap.add_argument("--real-only", action="store_true")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    reals = [p for p in load_corpus(None).filter(split=a.split, style=a.style) if p.chords]
    report(f"{a.style} {a.split} real", reals)
    by_source = {}
    for p in reals:
        by_source.setdefault(p.source, []).append(p)
    for s, ps in sorted(by_source.items()):
        report(f"  {s}", ps)
    if not a.real_only:
        report(f"{a.style} takes ({a.model})", compose_takes(a.style, a.n, model=a.model))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
