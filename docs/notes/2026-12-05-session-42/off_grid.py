"""Jigs' notes that start off the eighth-note grid (on a sixteenth between two eighths) and do not
end on it (a sixteenth syncopation: G at a sixteenth's offset held a quarter), in 6/8 folk tunes of a
split and in `--dance jig` takes: per 100 bars, and as a share of the notes that start off the grid.

    python docs/notes/2026-12-05-session-42/off_grid.py SPLIT N"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.licenses import may_ship
from tunesmith.tokenizer import spell_name

EIGHTH = 0.5


def off(x: float) -> bool:
    return abs(x / EIGHTH - round(x / EIGHTH)) > 1e-6


def count(piece):
    """(notes starting off the eighth grid, of those ending off it too, bars)."""
    notes = piece.melody().notes
    starts = [n for n in notes if off(n.onset - piece.pickup_beats())]
    ends = [n for n in starts if off(n.onset + n.duration - piece.pickup_beats())]
    return len(starts), len(ends), len(piece.bars())


def main():
    split, n = sys.argv[1], int(sys.argv[2])
    tunes = [p for p in load_corpus().filter(split=split, style="folk") if may_ship(p.license) and p.melody() is not None
             and p.time_signature.numerator == 6 and p.time_signature.denominator == 8 and p.keys]  # fmt: skip
    model = tunesmith.load_model("default")
    rows = {"tunes": [0, 0, 0], "takes": [0, 0, 0]}
    for i, piece in enumerate(tunes[:n]):
        rows["tunes"] = [a + b for a, b in zip(rows["tunes"], count(piece))]
        take = tunesmith.compose(style="folk", key=spell_name(piece.keys[0].tonic), mode=piece.keys[0].mode, dance="jig",
                                 seed=i, model=model, check=False)
        rows["takes"] = [a + b for a, b in zip(rows["takes"], count(take.piece))]
    for name, (starts, ends, bars) in rows.items():
        print(f"{name} ({min(n, len(tunes))} {split}): off the eighth grid {100 * starts / bars:.2f} per 100 bars; "
              f"of those ending off it too {ends}/{starts} ({100 * ends / bars:.2f} per 100 bars; {bars} bars)")


if __name__ == "__main__":
    main()
