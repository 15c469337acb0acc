"""How often the four voices keep the same pitch classes from one beat to the next, split by whether
the soprano strikes on the later beat or holds: Bach's settings of the first 40 JSB validation
chorales (four parts; their grids merge his repeated notes into held ones) against the same
sopranos harmonized (seed 3000 + i).

    .venv/bin/python docs/notes/2026-12-07-session-65/harmonic_rhythm.py
"""

from __future__ import annotations

import collections
import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from repeated_chord_bass import sounding  # noqa: E402


def count(piece, c: collections.Counter) -> None:
    voices = [[(n.onset, n.duration, n.pitch) for n in tr.notes] for tr in piece.tracks[:4]]
    for beat in range(1, int(round(max(n.onset + n.duration for n in piece.tracks[0].notes)))):
        a, b = sounding(voices, beat - 1), sounding(voices, beat)
        if not a or not b:
            continue
        k = "soprano holds" if not any(abs(on - beat) < 1e-6 for on, d, p in voices[0]) else "soprano strikes"
        c[k] += 1
        c[(k, "same chord")] += a == b


def main() -> None:
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:40]
    bach, ours = collections.Counter(), collections.Counter()
    for i, chorale in enumerate(chorales):
        count(chorale, bach)
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        count(ts.harmonize(soprano, style="chorale", seed=3000 + i).piece, ours)
    for name, c in (("Bach (JSB)", bach), ("harmonized", ours)):
        same = c[("soprano holds", "same chord")] + c[("soprano strikes", "same chord")]
        beats = c["soprano holds"] + c["soprano strikes"]
        print(
            f"{name}: the chord stays on {same} of {beats} beats ({same / beats:.3f}); under a held soprano "
            f"{c[('soprano holds', 'same chord')]} of {c['soprano holds']}, under a struck one "
            f"{c[('soprano strikes', 'same chord')]} of {c['soprano strikes']}"
        )


if __name__ == "__main__":
    main()
