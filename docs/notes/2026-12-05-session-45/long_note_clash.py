"""Long melody notes outside their chord (the songwriter's clashes): per 8 bars, melody notes struck
on a beat and lasting at least a beat whose pitch class is not a tone of the chord sounding where
they start; and the share of such long notes that clash. Real folk tunes with chords (the valid
split, bars 9-16), those tunes' first 8 bars continued by 8 new bars (chords by the model), and
composed folk takes (first 16 bars).

    python docs/notes/2026-12-05-session-45/long_note_clash.py N [--split valid] [--meter 3/4]"""

from __future__ import annotations

import sys

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.evaluation.musicality import first_bars
from tunesmith.harmony import chord_pitch_classes


def clashes(piece, b0: int, b1: int) -> tuple[int, int]:
    """(long notes clashing, long notes) struck in bars [b0, b1) of `piece` (pickup bar excluded)."""
    bars = [*piece.bars(), piece.duration()]
    first = 1 if piece.pickup_beats() else 0
    ts = piece.time_signature
    beat = 1.5 if ts.denominator == 8 and ts.numerator % 3 == 0 else 4 / ts.denominator
    chords = sorted(piece.chords, key=lambda c: c.onset)
    melody = piece.melody()
    bad = total = 0
    for i in range(first + b0, min(first + b1, len(bars) - 1)):
        s0, s1 = bars[i], bars[i + 1]
        for x in melody.notes:
            if not s0 - 1e-6 <= x.onset < s1 - 1e-6 or x.duration < beat - 1e-6:
                continue
            if abs(((x.onset - s0) / beat) - round((x.onset - s0) / beat)) > 1e-3:
                continue
            c = next((c for c in reversed(chords) if c.onset <= x.onset + 1e-6), None)
            if c is None or (c.duration is not None and c.onset + c.duration <= x.onset + 1e-6):
                continue
            try:
                pcs = chord_pitch_classes(c.figure)
            except ValueError:
                continue
            total += 1
            bad += x.pitch % 12 not in pcs
    return bad, total


def main():
    n = int(sys.argv[1])
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    meter = sys.argv[sys.argv.index("--meter") + 1] if "--meter" in sys.argv else None
    model = tunesmith.load_model("default")
    rows = {"real bars 9-16": [], "continued bars 9-16": [], "composed bars 1-16": []}
    done = 0
    for p in load_corpus().filter(split=split, style="folk"):
        if done >= n:
            break
        ts = p.time_signature
        if p.melody() is None or len(p.chords) < 8 or (meter and f"{ts.numerator}/{ts.denominator}" != meter):
            continue
        bars = p.bars()
        first = 1 if p.pickup_beats() else 0
        if len(bars) < first + 16:
            continue
        rows["real bars 9-16"].append(clashes(p, 8, 16))
        given = first_bars(p, first + 8)  # its first 8 full bars, as a musician gives them
        try:
            take = tunesmith.continue_(given, bars=8, seed=done, model=model, contrast=False)
        except ValueError as e:
            print("skip", p.title, e)
            continue
        rows["continued bars 9-16"].append(clashes(take.piece, 8, 16))
        composed = tunesmith.compose("folk", seed=done, model=model, check=False, meter=f"{ts.numerator}/{ts.denominator}").piece
        rows["composed bars 1-16"].append(clashes(composed, 0, 16))
        done += 1
    for name, r in rows.items():
        bad = np.array([b for b, _ in r], float)
        tot = np.array([t for _, t in r], float)
        per8 = bad.sum() / (len(r) * (2 if "1-16" in name else 1))
        print(f"{name:22s} {len(r)} pieces: long notes on a beat outside the chord {per8:.2f} per 8 bars, "
              f"{bad.sum() / max(tot.sum(), 1):.3f} of long notes")


if __name__ == "__main__":
    main()
