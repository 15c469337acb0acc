"""How a Billboard song's bridge opens (CC0, shippable): the chord on the bridge's first downbeat
by its degree in the key sounding there, and whether the bridge holds a chord its verses and
choruses lack.

    python docs/notes/2026-12-05-session-48/billboard_bridges.py --split train
"""

from __future__ import annotations

import argparse
import collections

from tunesmith.harmony import parse_chord

NAMES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]
TONIC = {"", "6", "maj7", "m", "m7", "m6", "69", "maj9", "sus2", "add9"}


def chord_at(piece, t: float):
    sounding = [c for c in sorted(piece.chords, key=lambda c: c.onset) if c.onset <= t + 1e-6]
    keys = [k for k in piece.keys if k.onset <= t + 1e-6] or piece.keys[:1]
    if not sounding or not keys:
        return None
    try:
        root, quality, _ = parse_chord(sounding[-1].figure)
    except ValueError:
        return None
    return (root - keys[-1].tonic_pc) % 12, quality


def spans(piece):
    onsets = piece.bars()
    secs = piece.meta["sections"]
    out = []
    for (bar, label), nxt in zip(secs, secs[1:] + [[len(onsets), None]]):
        if bar < len(onsets):
            out.append((label, onsets[bar], onsets[nxt[0]] if nxt[0] < len(onsets) else piece.duration()))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--label", default="bridge")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    ps = [p for p in load_corpus(None).filter(split=a.split, style="pop") if p.source == "billboard"]
    opening = collections.Counter()
    new = n = tonic = 0
    for p in ps:
        sp = spans(p)
        body = {chord_at(p, c.onset) for lab, s, e in sp if lab in ("verse", "chorus")
                for c in p.chords if s <= c.onset < e}  # fmt: skip
        for label, s, e in sp:
            if label != a.label:
                continue
            first = chord_at(p, s)
            if first is None:
                continue
            n += 1
            opening[NAMES[first[0]] + first[1]] += 1
            tonic += first[0] == 0 and first[1] in TONIC
            new += any(chord_at(p, c.onset) not in body for c in p.chords if s <= c.onset < e)
    print(f"billboard {a.split}: {n} {a.label} sections in {len(ps)} songs; opens on the tonic chord {tonic}/{n} "
          f"({tonic / max(n, 1):.2f}); holds a chord its verses and choruses lack {new}/{n}")
    print("  first chord: " + ", ".join(f"{k} {v}" for k, v in opening.most_common(14)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
