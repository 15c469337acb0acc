"""How a 32-bar AABA tune's bridge opens, in real jazz tunes and in takes: the chord on bar 17's
downbeat, by its degree in the key, and how many of the bridge's chords the A sections lack.

A real tune counts as A A B... (AABA, AABB) when its chords in bars 1-8 and 9-16 agree on at least
5 of 8 downbeats and bars 17-24 agree with bars 1-8 on at most 3.

    python docs/notes/2026-12-05-session-48/bridges.py --split train --shippable
    python docs/notes/2026-12-05-session-48/bridges.py --compose 40
"""

from __future__ import annotations

import argparse
import collections

from tunesmith.harmony import parse_chord

NAMES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]


def full_bars(piece) -> list[float]:
    """Onsets of the piece's full bars (a pickup left out)."""
    onsets = piece.bars()
    return onsets[1:] if piece.pickup_beats() > 0 else onsets


def downbeat_chords(piece, onsets: list[float]) -> list[tuple[int, str] | None]:
    """Per bar, (degree, quality) of the chord sounding on its downbeat."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    tonic = piece.key.tonic_pc
    out = []
    for t in onsets:
        sounding = [c for c in chords if c.onset <= t + 1e-6]
        if not sounding:
            out.append(None)
            continue
        try:
            root, quality, _ = parse_chord(sounding[-1].figure)
        except ValueError:
            out.append(None)
            continue
        out.append(((root - tonic) % 12, quality))
    return out


def bridge_of(piece, require_form: bool):
    ts = piece.time_signature
    if ts is None or piece.key is None:
        return None
    onsets = full_bars(piece)
    if len(onsets) != 32:
        return None
    d = downbeat_chords(piece, onsets)
    if require_form:
        same = lambda x, y: sum(a == b for a, b in zip(x, y))  # noqa: E731
        if same(d[0:8], d[8:16]) < 5 or same(d[0:8], d[16:24]) > 3:
            return None
    a_chords = set(d[0:16]) | set(d[24:32])
    new = [c for c in d[16:24] if c not in a_chords]
    return d[16], len(new)


def report(name: str, pieces, require_form: bool) -> None:
    found = [b for b in (bridge_of(p, require_form) for p in pieces) if b]
    print(f"{name}: {len(found)} 32-bar pieces whose third 8 bars contrast")
    if not found:
        return
    opening = collections.Counter((NAMES[c[0]] + c[1]) if c else "-" for c, _ in found)
    tonic = sum(1 for c, _ in found if c and c[0] == 0 and c[1] in ("", "6", "maj7", "m", "m7", "m6", "69", "maj9"))
    print(f"  bridge opens on the tonic chord: {tonic}/{len(found)}; no new chord in the bridge: "
          f"{sum(1 for _, n in found if n == 0)}/{len(found)}")
    print("  bridge's first chord: " + ", ".join(f"{k} {v}" for k, v in opening.most_common(12)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--shippable", action="store_true")
    ap.add_argument("--style", default="jazz")
    ap.add_argument("--compose", type=int, default=0)
    a = ap.parse_args()
    if a.compose:
        from takes import compose_takes

        takes = compose_takes(a.style, a.compose, bars=32)
        report(f"{a.style} composed, 32 bars", takes, require_form=False)
        return 0
    from tunesmith.corpus import load_corpus

    ps = list(load_corpus(None).filter(split=a.split, style=a.style, shippable=True if a.shippable else None))
    report(f"{a.style} {a.split}{' shippable' if a.shippable else ''}", ps, require_form=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
