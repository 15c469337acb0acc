"""Minor-key takes composed without chords (the composer's own chords): the melody time on a raised
7th or 6th (B in C minor) under a chord that holds the natural one (E-flat, C minor 7, G minor), and
on a tone a semitone above a chord tone (a minor ninth against it), beside the minor tunes with their
own chords (session 42's `raised_in_minor.shares`), per style.

    python docs/notes/2026-12-06-session-52/own_chord_minor.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import tunesmith
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-42"))
from nonchord_motion import apply_sets  # noqa: E402
from raised_in_minor import minor_tunes, shares  # noqa: E402


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    model = tunesmith.load_model("default")
    real, got = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    jobs = minor_tunes(style, split, n, "--shippable" in sys.argv)
    for i, (piece, _figures, meter, bars) in enumerate(jobs):
        tonic = piece.keys[0].tonic_pc
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real = [a + b for a, b in zip(real, shares(piece, tonic, end))]
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic) + " minor", meter=meter, bars=bars,
                                 seed=i, model=model, check=False)  # fmt: skip
        got = [a + b for a, b in zip(got, shares(take.piece, tonic, take.piece.duration()))]
    for name, (clash, on, total) in (("tunes", real), ("takes, own chords", got)):
        print(f"{style} {split} {name} ({len(jobs)}): raised 6th/7th over the natural one {clash / total:.4f} of the time, "
              f"chord tones {on / total:.3f}")


if __name__ == "__main__":
    main()
