"""How much a melody dwells on one pitch, in takes composed over real tunes' chords and in the tunes
(their first 16 bars): the share of notes that repeat the note before, and the share of the notes on
the piece's most frequent pitch.

    python docs/notes/2026-12-05-session-42/monotony.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE]"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nonchord_motion import apply_sets  # noqa: E402
from real_chords import tunes_and_chords  # noqa: E402


def dwell(piece, end):
    notes = [n for n in piece.melody().notes if n.onset < end]
    pitches = [n.pitch for n in notes]
    repeats = np.mean([a == b for a, b in zip(pitches, pitches[1:])])
    top = Counter(pitches).most_common(1)[0][1] / len(pitches)
    return repeats, top


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    model = tunesmith.load_model("default")
    real, got = [], []
    jobs = tunes_and_chords(style, split, n, shippable="--shippable" in sys.argv)
    for i, (piece, figures, meter, bars, _scale) in enumerate(jobs):
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real.append(dwell(piece, end))
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars, chords=figures,
                                 seed=i, model=model, check=False)
        got.append(dwell(take.piece, take.piece.duration()))
    for name, rows in (("tunes", real), ("takes", got)):
        r = np.array(rows)
        print(f"{style} {split} {name} ({len(r)}): repeated notes {r[:, 0].mean():.3f}, on the commonest pitch "
              f"{r[:, 1].mean():.3f} (the most in one piece {r[:, 1].max():.3f})")


if __name__ == "__main__":
    main()
