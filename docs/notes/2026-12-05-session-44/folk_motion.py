"""How a lead sheet's melody moves over its tune's own chords as written: repeated notes, steps
and leaps, beside the tunes (session 43's `bar_chords.py` pieces and takes, the "as written"
condition only).

    python docs/notes/2026-12-05-session-44/folk_motion.py STYLE SPLIT N [--shippable] [--seeds 0,1]
        [--set TABLE=VALUE(/VALUE) ...]

Per row: the share of melodic intervals that repeat the note (0), that step (1-2 semitones), that
leap a third (3-4) or more (5+), the mean absolute interval, the melody's time on tones of the
chord sounding, and on-beat time on chord tones. Takes: one per piece and seed (seed = index +
1000 * seed)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.sampling.request import meter_beats
from tunesmith.tokenizer import TICKS_PER_BEAT, spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-43"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-42"))
from bar_chords import fit, intervals, spans, tunes_and_bars  # noqa: E402
from nonchord_motion import apply_sets  # noqa: E402


def shares(steps):
    a = np.array(steps)
    return (np.mean(a == 0), np.mean((a > 0) & (a <= 2)), np.mean((a >= 3) & (a <= 4)), np.mean(a >= 5), a.mean())


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    seeds = [0]
    if "--seeds" in sys.argv:
        seeds = [int(s) for s in sys.argv[sys.argv.index("--seeds") + 1].split(",")]
    jobs = tunes_and_bars(style, split, n, shippable="--shippable" in sys.argv)
    model = tunesmith.load_model("default")
    rows = {"tunes": [np.zeros(8), []], "takes": [np.zeros(8), []]}
    for i, (piece, entries, meter, bars, start) in enumerate(jobs):
        first, end = piece.bars()[start], piece.bars()[start + bars]
        beat = meter_beats(meter)[1] / TICKS_PER_BEAT
        melody = [x for x in piece.melody().notes if first - 1e-6 <= x.onset < end]
        rows["tunes"][0] += fit(melody, spans(entries, meter, first), beat, first)
        rows["tunes"][1] += intervals(melody, end)
        for s in seeds:
            take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), mode=piece.keys[0].mode,
                                     meter=meter, bars=bars, chords=entries, seed=i + 1000 * s, model=model,
                                     check=False, pickup=0)
            rows["takes"][0] += fit(take.piece.melody().notes, spans(entries, meter), beat)
            rows["takes"][1] += intervals(take.piece.melody().notes, 1e9)
    print(f"{style} {split}: {len(jobs)} pieces, seeds {seeds} {' '.join(a for a in sys.argv[4:] if a != '--seeds')}")
    for name, (f, steps) in rows.items():
        rep, step, third, leap, mean = shares(steps)
        print(f"  {name:6s} repeat {rep:.3f} step {step:.3f} third {third:.3f} leap5+ {leap:.3f} mean {mean:.2f}; "
              f"chord tones {f[0] / f[1]:.3f}, on the beat {f[4] / f[5]:.3f}", flush=True)


if __name__ == "__main__":
    main()
