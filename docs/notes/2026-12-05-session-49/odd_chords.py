"""Chords a style's takes write that its tunes hardly do: each chord as (degree of its root in the
key, quality), its share of chord symbols in composed takes against the style's shippable training
tunes (major keys), listed where the takes write it at least `--min` of the time and the tunes at
most a fifth as often (Fm7b5 in F: a jazz chart read in session 48).

    python docs/notes/2026-12-05-session-49/odd_chords.py --style jazz --n 60
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-48"))
from takes import compose_takes  # noqa: E402

from tunesmith.harmony import parse_chord  # noqa: E402

DEGREES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]


def shares(pieces) -> collections.Counter:
    out = collections.Counter()
    for p in pieces:
        k = p.key
        if k is None or (k.mode or "major") != "major":
            continue
        for c in p.chords:
            try:
                root, quality, _ = parse_chord(c.figure)
            except ValueError:
                continue
            out[(DEGREES[(root - k.tonic_pc) % 12], quality or "maj")] += 1
    total = sum(out.values()) or 1
    return collections.Counter({k: v / total for k, v in out.items()})


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--min", type=float, default=0.005)
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.licenses import may_ship

    tunes = [p for p in load_corpus(None).filter(split="train", style=a.style) if p.chords and may_ship(p.license)]
    real, made = shares(tunes), shares(compose_takes(a.style, a.n))
    print(f"{a.style}: {len(tunes)} shippable training tunes, {a.n} takes")
    for chord, share in made.most_common():
        if share >= a.min and real[chord] <= share / 5:
            print(f"  {chord[0]}{'' if chord[1] == 'maj' else chord[1]:<8} takes {share:.3f}  tunes {real[chord]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
