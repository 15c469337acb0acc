"""A chorale's chromatic notes, per voice: the share of notes (by count) outside the key's scale
(major: its seven degrees; minor: natural minor with the raised sixth and seventh), and the share
of a voice's moves that are a chromatic semitone (the same letter altered: F then F#, as pitch
classes a semitone apart with one of them outside the scale). Bach's validation chorales
(music21 corpus, research-only, measured) against composed 8-bar chorales.

    python docs/notes/2026-12-05-session-50/chorale_chromatic.py --n 80
"""

from __future__ import annotations

import argparse


def chromatic(pieces) -> dict:
    from tunesmith.metrics.harmony_rules import VOICES

    out = {}
    for role in VOICES:
        notes = outside = moves = altered = 0
        for p in pieces:
            track = next((t for t in p.tracks if t.role == role), None)
            if track is None or not p.keys:
                continue
            key = p.keys[0]
            steps = (0, 2, 3, 5, 7, 8, 9, 10, 11) if key.mode == "minor" else (0, 2, 4, 5, 7, 9, 11)
            scale = {(key.tonic_pc + s) % 12 for s in steps}
            ns = sorted(track.notes, key=lambda n: n.onset)
            notes += len(ns)
            outside += sum(n.pitch % 12 not in scale for n in ns)
            for a, b in zip(ns, ns[1:]):
                moves += 1
                altered += abs(b.pitch - a.pitch) == 1 and (a.pitch % 12 not in scale or b.pitch % 12 not in scale)
        out[role] = {"outside_scale": round(outside / max(notes, 1), 4), "chromatic_steps": round(altered / max(moves, 1), 4)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=80)
    a = ap.parse_args()
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    keys = [("C", "major"), ("G", "major"), ("F", "major"), ("D", "minor"), ("A", "minor"), ("Bb", "major"),
            ("E", "minor"), ("D", "major")]  # fmt: skip
    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    print("bach", chromatic(bach))
    model = ts.load_model("default")
    takes = [ts.compose("chorale", key=keys[s % 8][0], mode=keys[s % 8][1], bars=8, seed=900 + s, model=model,
                        check=False).piece for s in range(a.n)]  # fmt: skip
    print("composed", chromatic(takes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
