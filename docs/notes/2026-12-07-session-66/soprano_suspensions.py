"""Session 66: where a given soprano could be a 4-3 suspension and what the bass does there. For
the first N JSB validation sopranos (four-part chorales), each soprano note held over a beat and
falling a step next (an opportunity), the interval of the held note over the bass on that beat in
Bach's setting and in the harmonized take (seed 3000 + i): a fourth (a 4-3 made), a third or sixth,
an octave or fifth, other.

    .venv/bin/python docs/notes/2026-12-07-session-66/soprano_suspensions.py 40
"""

from __future__ import annotations

import collections
import copy
import sys

import tunesmith as ts
from tunesmith.corpus import load_corpus

NAMES = {0: "octave", 7: "fifth", 5: "fourth", 3: "third", 4: "third", 8: "sixth", 9: "sixth"}


def bass_at(piece, t: float):
    return next((n.pitch for n in piece.tracks[3].notes if n.onset <= t + 1e-6 < n.onset + n.duration), None)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:n]
    counts = {"bach": collections.Counter(), "take": collections.Counter()}
    opportunities = 0
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        take = ts.harmonize(soprano, style="chorale", seed=3000 + i).piece
        notes = sorted(chorale.tracks[0].notes, key=lambda x: x.onset)
        for a, b in zip(notes, notes[1:]):
            beat = float(int(a.onset) + 1)
            if not (a.onset < beat < a.onset + a.duration - 1e-6 and 1 <= a.pitch - b.pitch <= 2):
                continue
            opportunities += 1
            for who, piece in (("bach", chorale), ("take", take)):
                low = bass_at(piece, beat)
                counts[who][NAMES.get((a.pitch - low) % 12, "other") if low is not None else "none"] += 1
    print(f"{opportunities} soprano notes held over a beat that fall a step next")
    for who, c in counts.items():
        print(f"  {who}: {dict(c.most_common())}")


if __name__ == "__main__":
    main()
