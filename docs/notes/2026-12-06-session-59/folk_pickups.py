"""Session 59: 6/8 folk pickups, default jig takes against the shippable training tunes: the
note lengths before the first bar line, and how many pickups leap more than a fifth (into the
first downbeat included). Irish MIDI tunes' bar lines lie 1/480 beat after their downbeat notes
(646 of 1,195 pieces; the tokenizer snaps them), so the first bar line is read on a 1/24-beat grid.

    python docs/notes/2026-12-06-session-59/folk_pickups.py [TAKES]
"""

import collections
import sys

from tunesmith import api
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line


def pickup(piece):
    """(the pickup's note lengths, whether it leaps more than a fifth), or None without a melody."""
    first = round(piece.pickup_beats() * 24) / 24
    line = melody_line(piece)
    if len(line) < 4:
        return None
    notes = [x for x in line if x.onset < first - 1e-6]
    if not notes:
        return "none", False
    pitches = [x.pitch for x in notes] + [line[len(notes)].pitch]
    return tuple(round(x.duration, 3) for x in notes), any(abs(b - a) > 7 for a, b in zip(pitches, pitches[1:]))


def tally(pickups) -> str:
    pickups = [p for p in pickups if p is not None]
    figures = collections.Counter(f for f, _ in pickups)
    return f"{len(pickups)} pieces, leaps over a fifth {sum(leap for _, leap in pickups)}, {figures.most_common(6)}"


def main(n: int = 60) -> None:
    tunes = [p for p in load_corpus(None).filter(split="train", style="folk", shippable=True)
             if (p.time_signature.numerator, p.time_signature.denominator) == (6, 8)]  # fmt: skip
    print("tunes:", tally(pickup(p) for p in tunes))
    takes = [api.compose(style="folk", seed=seed) for seed in range(n)]
    takes = [t.piece if hasattr(t, "piece") else t[0].piece for t in takes]
    print("takes:", tally(pickup(p) for p in takes if p.time_signature.numerator == 6))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
