"""How chorale phrases come to a half close: at each fermata whose bass is the key's dominant
(a half cadence on V), the degree of the bass note just before it (semitones over the tonic), in
Bach's chorales (music21's scores, as session 45's `chorale_sets.bach_scores`) and in composed
chorales, by mode. In minor, the Phrygian half close comes from the lowered sixth (8: iv6 - V); a
choir director had missed it in tunesmith's chorales.

    python docs/notes/2026-12-06-session-55/half_close_approach.py [--m 120] [--takes 40]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-45"))
from chorale_sets import bach_scores  # noqa: E402

import tunesmith as ts  # noqa: E402


def approaches(piece, tonic_pc: int) -> Counter:
    bass = sorted(piece.tracks[-1].notes, key=lambda n: n.onset)
    out: Counter = Counter()
    for f in piece.fermatas:
        i = next((k for k, n in enumerate(bass) if n.onset <= f + 1e-6 < n.onset + n.duration), None)
        if i is None or i == 0 or (bass[i].pitch - tonic_pc) % 12 != 7 or abs(f - piece.duration()) < 1e-6:
            continue
        j = i - 1
        while j > 0 and bass[j].pitch == bass[i].pitch:
            j -= 1
        out[(bass[j].pitch - tonic_pc) % 12] += 1
    return out


def show(name: str, c: Counter) -> str:
    total = sum(c.values()) or 1
    return f"{name} ({sum(c.values())} half closes): " + ", ".join(f"{d}: {v / total:.2f}" for d, v in c.most_common())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--m", type=int, default=120)
    ap.add_argument("--takes", type=int, default=40)
    args = ap.parse_args()
    real = {"major": Counter(), "minor": Counter()}
    for p in bach_scores(args.m):
        if p.fermatas and p.keys:
            real[p.key.mode] += approaches(p, p.key.tonic_pc)
    made = {"major": Counter(), "minor": Counter()}
    model = ts.load_model("default")
    keys = (("A", "minor"), ("D", "minor"), ("E", "minor"), ("G", "minor"), ("G", "major"), ("D", "major"), ("F", "major"), ("A", "major"))
    for s in range(args.takes):
        tonic, mode = keys[s % len(keys)]
        piece = ts.compose(style="chorale", key=tonic, mode=mode, bars=12, seed=s, model=model, check=False).piece
        made[mode] += approaches(piece, piece.key.tonic_pc)
    for mode in ("major", "minor"):
        print(mode, show("Bach", real[mode]))
        print(mode, show("composed", made[mode]))


if __name__ == "__main__":
    main()
