"""Melody notes held over a barline into a chord they are not a tone of (F held into D7), in takes
composed over real tunes' chords and in the tunes: per 100 bars, and as a share of the notes held
over a barline.

    python docs/notes/2026-12-05-session-42/tied_into.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE ...]

Tunes and chords as `nonchord_motion.py` (session 41's `real_chords.tunes_and_chords`)."""

from __future__ import annotations

import sys
from pathlib import Path

import tunesmith
from tunesmith.harmony import chord_pitch_classes
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nonchord_motion import apply_sets  # noqa: E402
from real_chords import tunes_and_chords  # noqa: E402


def held_over(piece, end):
    """(notes held over a barline into a chord without their pitch, notes held over a barline, bars)."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    starts = [b for b in piece.bars() if b < end - 1e-6]
    bad = held = 0
    for n in piece.melody().notes:
        for b in starts:
            if n.onset < b - 1e-6 < n.onset + n.duration - 1e-6 - 1e-6:
                now = [c for c in chords if c.onset <= b + 1e-6]
                if now:
                    held += 1
                    bad += n.pitch % 12 not in chord_pitch_classes(now[-1].figure)
                break
    return bad, held, len(starts)


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    apply_sets(style, args)
    model = tunesmith.load_model("default")
    real, takes = [0, 0, 0], [0, 0, 0]
    for i, (piece, figures, meter, bars, _scale) in enumerate(tunes_and_chords(style, split, n, shippable="--shippable" in args)):
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real = [a + b for a, b in zip(real, held_over(piece, end))]
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars,
                                 chords=figures, seed=i, model=model, check=False)
        takes = [a + b for a, b in zip(takes, held_over(take.piece, take.piece.duration()))]
    print(f"{style} {split} {' '.join(args)}")
    for name, (bad, held, bars) in (("tunes", real), ("takes", takes)):
        print(f"  {name}: held into a chord without them {100 * bad / bars:.2f} per 100 bars, "
              f"{bad / max(held, 1):.3f} of the {held} notes held over a barline ({bars} bars)")


if __name__ == "__main__":
    main()
