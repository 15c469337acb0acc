"""Minor-key melodies over their chords: the time on a raised 7th or 6th (G# in A minor) under a
chord that holds the natural one (G, Em7, C), in takes composed over the tunes' chords and in the
tunes (their first 16 bars), and the time on chord tones.

    python docs/notes/2026-12-05-session-42/raised_in_minor.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE]"""

from __future__ import annotations

import sys
from pathlib import Path

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import chord_pitch_classes
from tunesmith.licenses import may_ship
from tunesmith.tokenizer import METERS, spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nonchord_motion import apply_sets  # noqa: E402
from real_chords import downbeat_chords  # noqa: E402


def minor_tunes(style, split, n, shippable):
    out = []
    for piece in load_corpus().filter(split=split, style=style):
        if len(out) >= n:
            break
        if (shippable and not may_ship(piece.license)) or piece.melody() is None or not piece.keys:
            continue
        if piece.keys[0].mode != "minor" or len(piece.keys) > 1:
            continue
        ts = piece.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        bars = min(16, len(piece.bars()))
        figures = downbeat_chords(piece, bars) if meter in METERS and bars >= 4 else None
        try:
            if not figures or not all(chord_pitch_classes(f) for f in figures):
                continue
        except ValueError:
            continue
        out.append((piece, figures, meter, bars))
    return out


def shares(piece, tonic, end):
    """(time on a raised 6th/7th under a chord with the natural one, time on chord tones, time)."""
    raised = {(tonic + 11) % 12: (tonic + 10) % 12, (tonic + 9) % 12: (tonic + 8) % 12}
    chords = sorted((c for c in piece.chords if c.onset < end), key=lambda c: c.onset)
    ends = [c.onset for c in chords[1:]] + [end]
    clash = on = total = 0.0
    for c, e in zip(chords, ends):
        tones = set(chord_pitch_classes(c.figure))
        for n in piece.melody().notes:
            lo, hi = max(c.onset, n.onset), min(e, n.onset + n.duration)
            if hi > lo:
                pc = n.pitch % 12
                total += hi - lo
                on += (hi - lo) * (pc in tones)
                clash += (hi - lo) * (pc in raised and raised[pc] in tones and pc not in tones)
    return clash, on, total


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    model = tunesmith.load_model("default")
    real, got = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
    jobs = minor_tunes(style, split, n, "--shippable" in sys.argv)
    for i, (piece, figures, meter, bars) in enumerate(jobs):
        tonic = piece.keys[0].tonic_pc
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real = [a + b for a, b in zip(real, shares(piece, tonic, end))]
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic) + " minor", meter=meter, bars=bars,
                                 chords=figures, seed=i, model=model, check=False)
        got = [a + b for a, b in zip(got, shares(take.piece, tonic, take.piece.duration()))]
    for name, (clash, on, total) in (("tunes", real), ("takes", got)):
        print(f"{style} {split} {name} ({len(jobs)}): raised 6th/7th over the natural one {clash / total:.4f} of the time, "
              f"chord tones {on / total:.3f}")


if __name__ == "__main__":
    main()
