"""Pop harmony by time: per degree of the chord's root in the key, its share of the time under
chords, and the share of V's time that is a dominant seventh; Billboard's songs (CC0), the
shippable OpenEWLD lead sheets, POP909 (research-only: measured, never trained on) and composed
pop takes. Major keys.

    python docs/notes/2026-12-05-session-49/pop_degrees.py --n 60
"""

from __future__ import annotations

import argparse
import collections
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-48"))
from takes import compose_takes  # noqa: E402

from tunesmith.harmony import parse_chord  # noqa: E402

DEGREES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]
DOMINANT = ("7", "9", "13", "7sus4", "9sus4")


def degree_time(pieces) -> tuple[dict, float]:
    """({degree: share of chord time}, share of V's time that is a dominant seventh)."""
    time, v7 = collections.Counter(), 0.0
    for p in pieces:
        k = p.key
        if k is None or (k.mode or "major") != "major":
            continue
        chords = sorted(p.chords, key=lambda c: c.onset)
        for i, c in enumerate(chords):
            end = chords[i + 1].onset if i + 1 < len(chords) else p.duration()
            if c.duration:
                end = min(end, c.onset + c.duration)
            length = max(0.0, end - c.onset)
            try:
                root, quality, _ = parse_chord(c.figure)
            except ValueError:
                continue
            if not math.isfinite(length):
                continue
            d = DEGREES[(root - k.tonic_pc) % 12]
            time[d] += length
            if d == "V" and quality in DOMINANT:
                v7 += length
    total = sum(time.values()) or 1.0
    return {d: time[d] / total for d in DEGREES}, v7 / max(time["V"], 1e-9)


def show(name: str, pieces) -> None:
    shares, v7 = degree_time(pieces)
    print(f"{name:<26} " + " ".join(f"{d} {shares[d]:.3f}" for d in DEGREES if shares[d] >= 0.01) + f" | V as V7 {v7:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--model", default="default")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    corpus = load_corpus(None)
    for split in ("train", "valid"):
        pop = [p for p in corpus.filter(split=split, style="pop") if p.chords]
        for source in ("billboard", "openewld", "pop909"):
            show(f"{source} {split}", [p for p in pop if p.source == source])
    show(f"takes ({a.model})", compose_takes("pop", a.n, model=a.model))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
