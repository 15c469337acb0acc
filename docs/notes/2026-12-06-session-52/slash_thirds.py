"""Slash chords whose bass is the third the chord does not have (Cm/E, C/Eb) in composed lead
sheets: per style, 60 takes in a major and 60 in a minor key (seeds 0-59, 16 bars), the slash
chords and how many of them sound the other third in the bass (those named).

    python docs/notes/2026-12-06-session-52/slash_thirds.py
"""

from __future__ import annotations

import tunesmith as ts
from tunesmith.harmony import QUALITIES, parse_chord


def main() -> int:
    model = ts.load_model("default")
    for style, key in (("folk", "D"), ("folk", "E minor"), ("pop", "C"), ("pop", "A minor"), ("jazz", "F"), ("jazz", "C minor")):
        slash = wrong = chords = 0
        named = []
        for seed in range(60):
            for c in ts.compose(style, key=key, bars=16, seed=seed, model=model, check=False).piece.chords:
                chords += 1
                root, quality, bass = parse_chord(c.figure)
                if bass is None or bass == root:
                    continue
                slash += 1
                intervals = set(QUALITIES[quality])
                rel = (bass - root) % 12
                if (rel == 4 and 3 in intervals and 4 not in intervals) or (rel == 3 and 4 in intervals and 3 not in intervals):
                    wrong += 1
                    named.append(f"{c.figure} (seed {seed})")
        print(f"{style:5s} {key:8s} chords {chords:4d} slash {slash:3d} other third in the bass {wrong} {' '.join(named[:6])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
