"""Melody notes held over a barline into a chord they clash with: not a tone of it and a semitone
above one, a minor ninth against it (A held into B-flat 7 against its A-flat, D into E-flat 7, F into
C: the avoid note), but a dominant's flat ninth, against those held into any chord without them, in
takes composed over real tunes' chords and in the tunes (per 100 bars), and in takes over a jazz
pianist's B-flat blues (`--blues N`: seeds 0..N-1).

    python docs/notes/2026-12-06-session-52/held_clash.py STYLE SPLIT N [--shippable] [--blues N] [--set TABLE=VALUE ...]

Tunes and chords as session 42's `tied_into.py` (session 41's `real_chords.tunes_and_chords`)."""

from __future__ import annotations

import sys
from pathlib import Path

import tunesmith
from tunesmith.harmony import QUALITIES, chord_pitch_classes, parse_chord
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-42"))
from nonchord_motion import apply_sets  # noqa: E402
from real_chords import tunes_and_chords  # noqa: E402

BLUES = "Bb7 | Eb7 | Bb7 | Bb7 | Eb7 | Eb7 | Bb7 | G7 | Cm7 | F7 | Bb7 G7 | Cm7 F7"


def held_clash(piece, end):
    """(notes held over a barline into a chord they clash with, into one without them, bars)."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    starts = [b for b in piece.bars() if b < end - 1e-6]
    clash = outside = 0
    for n in piece.melody().notes:
        for b in starts:
            if n.onset < b - 1e-6 < n.onset + n.duration - 2e-6:
                now = [c for c in chords if c.onset <= b + 1e-6]
                if now:
                    pcs = set(chord_pitch_classes(now[-1].figure))
                    pc = n.pitch % 12
                    if pc not in pcs:
                        outside += 1
                        root, quality, _ = parse_chord(now[-1].figure)
                        flat_ninth = pc == (root + 1) % 12 and 10 in QUALITIES[quality] and 4 in QUALITIES[quality]
                        clash += (pc - 1) % 12 in pcs and not flat_ninth
                break
    return clash, outside, len(starts)


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    blues = int(args[args.index("--blues") + 1]) if "--blues" in args else 0
    apply_sets(style, args)
    model = tunesmith.load_model("default")
    real, takes, over_blues = [0, 0, 0], [0, 0, 0], [0, 0, 0]
    for i, (piece, figures, meter, bars, _scale) in enumerate(tunes_and_chords(style, split, n, shippable="--shippable" in args)):
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real = [a + b for a, b in zip(real, held_clash(piece, end))]
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars,
                                 chords=figures, seed=i, model=model, check=False)
        takes = [a + b for a, b in zip(takes, held_clash(take.piece, take.piece.duration()))]
    for seed in range(blues):
        take = tunesmith.compose(style=style, chords=BLUES, bars=12, seed=seed, tempo=120, model=model, check=False)
        over_blues = [a + b for a, b in zip(over_blues, held_clash(take.piece, take.piece.duration()))]
    print(f"{style} {split} {' '.join(args)}")
    rows = [("tunes", real), ("takes", takes)] + ([("blues takes", over_blues)] if blues else [])
    for name, (clash, outside, bars) in rows:
        print(f"  {name}: held into a chord they clash with {100 * clash / max(bars, 1):.2f} per 100 bars, into one "
              f"without them {100 * outside / max(bars, 1):.2f} ({bars} bars)")


if __name__ == "__main__":
    main()
