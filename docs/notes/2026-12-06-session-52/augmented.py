"""Augmented seconds and diminished fourths sung by the alto, tenor and bass: per 1,000 moves of
each voice (repeated pitches passed over), in minor keys the step between the lowered sixth and the
raised seventh degree (3 semitones: F-G# in A minor) and the leap between the raised seventh and
the third (4 semitones: G#-C), which a textbook forbids and Bach's voices seldom sing. Bach's
validation chorales (music21 corpus, research-only, measured), harmonizations of the first `--n`
of their sopranos (seed i for the i-th, `musician_checks.harmonized_sopranos`), optionally `--n`
composed chorales. The key is the piece's first key signature (tonic and mode).

    python docs/notes/2026-12-06-session-52/augmented.py --n 40 [--composed]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import composed_chorales, harmonized_sopranos  # noqa: E402

VOICES = ("alto", "tenor", "bass")


def augmented_moves(piece) -> dict:
    """{voice: [moves, augmented seconds, diminished fourths, [(onset, a, b), ...]]} of one piece."""
    from tunesmith.score import pitch_class_of

    key = piece.keys[0] if piece.keys else None
    out = {}
    for role in VOICES:
        track = next((t for t in piece.tracks if t.role == role), None)
        if track is None:
            continue
        notes = sorted(track.notes, key=lambda n: n.onset)
        notes = [n for i, n in enumerate(notes) if i == 0 or n.pitch != notes[i - 1].pitch]
        moves, aug, dim, where = len(notes) - 1, 0, 0, []
        if key is not None and key.mode == "minor":
            tonic = pitch_class_of(key.tonic)
            for a, b in zip(notes, notes[1:]):
                degrees = {(a.pitch - tonic) % 12, (b.pitch - tonic) % 12}
                gap = abs(b.pitch - a.pitch)
                if gap == 3 and degrees == {8, 11}:
                    aug += 1
                    where.append((b.onset, a.pitch, b.pitch))
                elif gap == 4 and degrees == {11, 3}:
                    dim += 1
                    where.append((b.onset, a.pitch, b.pitch))
        out[role] = [max(moves, 0), aug, dim, where]
    return out


def table(pieces) -> dict:
    totals = {v: [0, 0, 0] for v in VOICES}
    for p in pieces:
        for role, (moves, aug, dim, _) in augmented_moves(p).items():
            t = totals[role]
            t[0], t[1], t[2] = t[0] + moves, t[1] + aug, t[2] + dim
    minor = sum(bool(p.keys) and p.keys[0].mode == "minor" for p in pieces)
    return {"pieces": len(pieces), "minor": minor,
            **{v: {"moves": m, "aug2_per_1000": round(1000 * a / max(m, 1), 2), "dim4_per_1000": round(1000 * d / max(m, 1), 2)}
               for v, (m, a, d) in totals.items()}}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--composed", action="store_true")
    ap.add_argument("--where", action="store_true", help="list each harmonization's augmented moves")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    rows = {"bach": bach, "harmonized": harmonized_sopranos(bach[: a.n])}
    if a.composed:
        rows["composed"] = composed_chorales(a.n)
    for name, pieces in rows.items():
        print(name, json.dumps(table(pieces)))
        if a.where and name != "bach":
            for i, p in enumerate(pieces):
                found = {r: w for r, (_, _, _, w) in augmented_moves(p).items() if w}
                if found:
                    print("  ", i, p.keys[0].tonic, found)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
