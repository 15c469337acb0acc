"""How the voices of a chorale move, per voice: the share of moves (repeated pitches passed over)
that are steps (one or two semitones) and that are leaps of a fourth or more (five semitones or
more), and the sixths and sevenths (8 to 11 semitones) and tritones among them. Bach's validation
chorales (music21 corpus, research-only, measured), harmonizations of the first `--n` of their
sopranos (seed i for the i-th, `musician_checks.harmonized_sopranos`) and `--n` composed chorales.
Beside them, the share of beats whose four pitches sound a complete triad or seventh chord, and the
share where the alto sings the soprano's pitch class, and the beat-to-beat parallels per 100 beats:
what a smoother line must not cost.

    python docs/notes/2026-12-05-session-51/inner_leaps.py --n 40 [--composed]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import composed_chorales, harmonized_sopranos  # noqa: E402

VOICES = ("soprano", "alto", "tenor", "bass")


def motion(pieces) -> dict:
    out = {}
    for role in VOICES:
        moves = steps = leaps = wide = tritones = 0
        for p in pieces:
            track = next((t for t in p.tracks if t.role == role), None)
            if track is None:
                continue
            ns = [n.pitch for n in sorted(track.notes, key=lambda n: n.onset)]
            ns = [x for i, x in enumerate(ns) if i == 0 or x != ns[i - 1]]
            for a, b in zip(ns, ns[1:]):
                d = abs(b - a)
                moves += 1
                steps += d <= 2
                leaps += d >= 5
                wide += 8 <= d <= 11
                tritones += d == 6
        share = [round(x / max(moves, 1), 4) for x in (steps, leaps, wide, tritones)]
        out[role] = {"moves": moves, **dict(zip(("steps", "leaps_4th_up", "sixths_sevenths", "tritones"), share))}
    out["beats"] = beats(pieces)
    return out


TRIADS = ((0, 4, 7), (0, 3, 7), (0, 3, 6), (0, 4, 8))
SEVENTHS = ((0, 4, 7, 10), (0, 4, 7, 11), (0, 3, 7, 10), (0, 3, 6, 10), (0, 3, 6, 9))


def beats(pieces) -> dict:
    """The share of four-voice beats on a complete triad or seventh chord and of those where the alto
    doubles the soprano's pitch class, and beat-to-beat parallel fifths and octaves per 100 beats
    (`metrics.harmony_rules`)."""
    from tunesmith.metrics.harmony_rules import beat_sonorities, beat_to_beat_parallels

    chords = {frozenset((r + i) % 12 for i in c) for r in range(12) for c in TRIADS + SEVENTHS}
    n = complete = parallels = counted = doubled = 0
    for p in pieces:
        for now in beat_sonorities(p):
            if now is not None:
                n += 1
                complete += frozenset(x % 12 for x in now) in chords
                doubled += now[0] % 12 == now[1] % 12
        found, b = beat_to_beat_parallels(p)
        parallels, counted = parallels + found, counted + b
    return {"beats": n, "complete": round(complete / max(n, 1), 4), "alto_doubles_soprano": round(doubled / max(n, 1), 4),
            "parallels_per_100": round(100 * parallels / max(counted, 1), 2)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--composed", action="store_true")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    rows = {"bach": bach, "harmonized": harmonized_sopranos(bach[: a.n])}
    if a.composed:
        rows["composed"] = composed_chorales(a.n)
    for name, pieces in rows.items():
        print(name, json.dumps(motion(pieces)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
