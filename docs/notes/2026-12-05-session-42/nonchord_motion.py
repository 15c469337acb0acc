"""How a melody's notes outside the chord move, in takes composed over real tunes' chords and in
the tunes themselves: the share of notes outside the chord sounding at their onset (on the beat,
off it, by time), and of those notes how many are approached by a leap, left by a leap, or reached
and left by step (passing and neighbour notes).

    python docs/notes/2026-12-05-session-42/nonchord_motion.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE ...]

The tunes and their chords are session 41's (`real_chords.tunes_and_chords`: the first N major-key
pieces with a melody and chords, the chord on each downbeat of the first 16 bars). `--set` puts
VALUE (a float, or floats joined by / for a tuple) in `automaton.TABLE[STYLE]` before composing, for a before/after."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.harmony import chord_pitch_classes
from tunesmith.sampling import automaton
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
from real_chords import tunes_and_chords  # noqa: E402


def beat_length(piece) -> float:
    ts = piece.time_signature
    if ts.denominator == 8 and ts.numerator in (6, 9, 12):
        return 1.5
    return 4.0 / ts.denominator


def note_rows(piece, end):
    """For each melody note starting before `end` but the first and last: (outside the chord at its
    onset, on the beat, duration, |interval in|, |interval out|)."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    notes = sorted((n for n in piece.melody().notes if n.onset < end), key=lambda n: n.onset)
    beat = beat_length(piece)
    bar_starts = piece.bars()
    rows = []
    for a, n, b in zip(notes, notes[1:], notes[2:]):
        now = [c for c in chords if c.onset <= n.onset + 1e-6]
        if not now:
            continue
        tones = set(chord_pitch_classes(now[-1].figure))
        start = max(s for s in bar_starts if s <= n.onset + 1e-6)
        on_beat = abs(((n.onset - start) / beat) - round((n.onset - start) / beat)) < 1e-6
        rows.append((n.pitch % 12 not in tones, on_beat, n.duration, abs(n.pitch - a.pitch), abs(b.pitch - n.pitch)))
    return rows


def summary(rows) -> str:
    r = np.array(rows, dtype=float)
    out, beat, dur, into, leave = r.T
    nct = out == 1
    def share(mask):
        return float(mask.mean()) if len(mask) else float("nan")
    return (f"outside the chord: on the beat {share(nct[beat == 1]):.3f}, off {share(nct[beat == 0]):.3f}, "
            f"by time {float((dur * nct).sum() / dur.sum()):.3f}; of those: leapt into {share(into[nct] > 2):.3f}, "
            f"left by leap {share(leave[nct] > 2):.3f}, stepped in and out {share((into[nct] <= 2) & (into[nct] > 0) & (leave[nct] <= 2) & (leave[nct] > 0)):.3f}; "
            f"chord tones leapt into {share(into[~nct] > 2):.3f}; steps {share((into > 0) & (into <= 2)):.3f}, "
            f"mean interval {into.mean():.2f}; notes {len(r)}")


def apply_sets(style: str, args: list[str]) -> None:
    """Each `--set TABLE=VALUE` of `args` into `automaton.TABLE[style]` (floats joined by / a tuple)."""
    for i, a in enumerate(args):
        if a == "--set":
            table, value = args[i + 1].split("=")
            parts = tuple(float(x) for x in value.split("/"))
            getattr(automaton, table)[style] = parts if len(parts) > 1 else parts[0]


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    apply_sets(style, args)
    jobs = tunes_and_chords(style, split, n, shippable="--shippable" in args)
    model = tunesmith.load_model("default")
    real, takes = [], []
    for i, (piece, figures, meter, bars, _scale) in enumerate(jobs):
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real += note_rows(piece, end)
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars,
                                 chords=figures, seed=i, model=model, check=False)
        takes += note_rows(take.piece, take.piece.duration())
    print(f"{style} {split}: {len(jobs)} tunes {' '.join(args)}")
    print("  tunes:", summary(real))
    print("  takes:", summary(takes), flush=True)


if __name__ == "__main__":
    main()
