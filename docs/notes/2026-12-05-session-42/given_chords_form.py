"""Takes composed over real tunes' chords (as `nonchord_motion.py`): the share of bars whose melody
recurs elsewhere in the piece (`metrics.musicality.repeated_bar_share`) and the melody's time on
chord tones (`chord_tone_share`), beside the tunes' first 16 bars.

    python docs/notes/2026-12-05-session-42/given_chords_form.py STYLE SPLIT N [--shippable]"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.metrics.musicality import chord_tone_share, repeated_bar_share
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
from real_chords import tunes_and_chords  # noqa: E402


def first_bars(piece, end):
    """The piece cut at `end` quarter notes (notes and chords starting before it)."""
    out = copy.deepcopy(piece)
    for track in out.tracks:
        track.notes = [n for n in track.notes if n.onset < end - 1e-6]
    out.chords = [c for c in out.chords if c.onset < end - 1e-6]
    out.end = end
    return out


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    model = tunesmith.load_model("default")
    real, takes = [], []
    for i, (piece, figures, meter, bars, _scale) in enumerate(tunes_and_chords(style, split, n, shippable="--shippable" in sys.argv)):
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        tune = first_bars(piece, end)
        real.append((repeated_bar_share(tune), chord_tone_share(tune)))
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars,
                                 chords=figures, seed=i, model=model, check=False)
        takes.append((repeated_bar_share(take.piece), chord_tone_share(take.piece)))
    for name, rows in (("tunes", real), ("takes", takes)):
        r = np.array(rows, dtype=float)
        print(f"{style} {split} {name} ({len(r)}): bars that recur {np.nanmean(r[:, 0]):.3f}, "
              f"time on chord tones {np.nanmean(r[:, 1]):.3f}")


if __name__ == "__main__":
    main()
