"""How the melody fits chords the musician gives: compose over them against continue's new bars
over them (the given music a composed take of 8 bars in the same key and style). Per style, the
melody's time on tones of the chord sounding, on the beat, and notes held over a bar line into
a chord they are not a tone of, per 100 bars.

    python docs/notes/2026-12-05-session-44/continue_fit.py STYLE N"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.convert.common import chord_durations
from tunesmith.harmony import chord_pitch_classes
from tunesmith.score import ChordSymbol

LOOPS = {"pop": ("C | Am | F | G", "C"), "jazz": ("Dm7 | G7 | Cmaj7 | A7", "C"), "folk": ("G | C | D | G", "G")}


def fit(piece, start: float):
    chords = chord_durations([ChordSymbol(c.onset, c.figure, c.duration) for c in piece.chords], piece.duration())
    on = tot = beat_on = beat_tot = held_into = 0.0
    bars = [b for b in piece.bars() if b >= start - 1e-6]
    for x in piece.melody().notes:
        if x.onset < start - 1e-6:
            continue
        for c in chords:
            a, b = max(x.onset, c.onset), min(x.onset + x.duration, c.onset + (c.duration or 0.0))
            if b > a:
                tones = chord_pitch_classes(c.figure)
                tot += b - a
                on += (b - a) * (x.pitch % 12 in tones)
        now = [c for c in chords if c.onset <= x.onset + 1e-6]
        if now and abs(x.onset - round(x.onset)) < 1e-6:
            beat_tot += 1
            beat_on += x.pitch % 12 in chord_pitch_classes(now[-1].figure)
        for bl in bars:
            if x.onset < bl - 1e-6 < x.onset + x.duration - 1e-3:
                into = [c for c in chords if c.onset <= bl + 1e-6]
                held_into += bool(into) and x.pitch % 12 not in chord_pitch_classes(into[-1].figure)
    return on, tot, beat_on, beat_tot, held_into, len(bars)


def main():
    style, n = sys.argv[1], int(sys.argv[2])
    loop, key = LOOPS[style]
    model = tunesmith.load_model("default")
    rows = {"compose": [0.0] * 6, "continue": [0.0] * 6}
    for s in range(n):
        composed = tunesmith.compose(style, key=key, chords=loop, bars=8, seed=s, model=model, pickup=0, check=False)
        rows["compose"] = [a + b for a, b in zip(rows["compose"], fit(composed.piece, 0.0))]
        given = tunesmith.compose(style, key=key, bars=8, seed=100 + s, model=model, pickup=0, check=False).piece
        cont = tunesmith.continue_(given, bars=8, chords=loop, seed=s, model=model)
        rows["continue"] = [a + b for a, b in zip(rows["continue"], fit(cont.piece, given.duration()))]
    for name, (on, tot, bon, btot, held, bars) in rows.items():
        print(f"{style} {name} over '{loop}' ({n} takes): chord tones {on / tot:.3f}, on the beat {bon / btot:.3f}, "
              f"held into a chord it is not a tone of {100 * held / bars:.1f} per 100 bars")


if __name__ == "__main__":
    main()
