"""Where a style's melodies leave the key's scale, and how: real tunes against takes.

    python docs/notes/2026-12-05-session-47/chromatic_notes.py pop --source openewld --split train
    python docs/notes/2026-12-05-session-47/chromatic_notes.py pop --load runs/s47/pop.pkl --source openewld

A note is chromatic when its degree is outside the key's seven-note scale (minor: the natural
minor with the raised 6th and 7th also counted in). Each chromatic note is sorted by whether it is
a tone of the chord sounding at its onset, struck on a beat, approached / left by a semitone, and
(on the beat, not a chord tone) whether the next note resolves it by step.
"""

from __future__ import annotations

import argparse
import collections
import pickle
import sys
from pathlib import Path

from tunesmith.harmony import chord_pitch_classes
from tunesmith.metrics._common import melody_notes

SCALE = {"major": {0, 2, 4, 5, 7, 9, 11}, "minor": {0, 2, 3, 5, 7, 8, 9, 10, 11}}


def chord_at(piece, t):
    best = None
    for c in piece.chords:
        if c.onset <= t + 1e-6:
            best = c
        else:
            break
    return best


def report(pieces, name: str) -> None:
    c = collections.Counter()
    for p in pieces:
        k = p.key
        if k is None:
            continue
        scale = {(k.tonic_pc + d) % 12 for d in SCALE.get((k.mode or "major").lower(), SCALE["major"])}
        beat = p.time_signature.beat_length if p.time_signature else 1.0
        ns = sorted(melody_notes(p), key=lambda n: n.onset)
        chords = sorted(p.chords, key=lambda ch: ch.onset)
        for i, n in enumerate(ns):
            c["notes"] += 1
            if n.pitch % 12 in scale:
                continue
            c["chromatic"] += 1
            ch = chord_at(p, n.onset) if chords else None
            try:
                tones = chord_pitch_classes(ch.figure) if ch is not None else frozenset()
            except Exception:
                tones = frozenset()
            rel = n.onset - (p.bar_onsets[0] if p.bar_onsets else 0.0)
            on_beat = abs(rel / beat - round(rel / beat)) < 1e-3
            prev = ns[i - 1].pitch if i else None
            nxt = ns[i + 1].pitch if i + 1 < len(ns) else None
            if n.pitch % 12 in tones:
                c["chord tone"] += 1
                continue
            c["non-chord"] += 1
            c["non-chord on beat" if on_beat else "non-chord off beat"] += 1
            if prev is not None and abs(n.pitch - prev) == 1:
                c["non-chord, in by semitone"] += 1
            if nxt is not None and abs(nxt - n.pitch) in (1, 2):
                c["non-chord, out by step"] += 1
            if on_beat and nxt is not None and abs(nxt - n.pitch) in (1, 2):
                c["non-chord on beat, resolved by step"] += 1
    n = c["notes"]
    print(f"{name}: {n} notes; per 100 notes: " + ", ".join(f"{k} {100 * v / n:.2f}" for k, v in c.items() if k != "notes"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("style")
    ap.add_argument("--source", default=None)
    ap.add_argument("--split", default="train")
    ap.add_argument("--load", default=None, help="a (reals, takes) pickle of c2st_features.py")
    a = ap.parse_args()
    if a.load:
        reals, takes = pickle.loads(Path(a.load).read_bytes())
        idx = [i for i, p in enumerate(reals) if a.source is None or p.source == a.source]
        report([reals[i] for i in idx], "real")
        report([takes[i] for i in idx], "takes")
        return 0
    from tunesmith.corpus import load_corpus

    pieces = list(load_corpus(None).filter(split=a.split, style=a.style, **({"source": a.source} if a.source else {})))
    report([p for p in pieces if p.melody() is not None], f"{a.style} {a.split} {a.source or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
