"""How a melody meets the chromatic tone of a chord a musician gives (`compose --chords`).

    python docs/notes/2026-12-04-session-41/chromatic_chord_clash.py [TAKES] [STYLE]

Loops with a secondary dominant or a borrowed chord, each composed TAKES times: for every
melody note sounding over the chromatic chord, whether it is the chord's chromatic tone (C# over
A7 in C), the scale tone a semitone from it (C over A7: a clash), another chord tone, or another
tone; shares of time, on beats and overall."""

from __future__ import annotations

import sys
from collections import Counter

import tunesmith
from tunesmith.harmony import chord_pitch_classes
from tunesmith.score import pitch_class_of
from tunesmith.tokenizer import scale_pitch_classes

LOOPS = {  # loop, key, the chromatic chord
    "C A7 Dm G7": ("C", "A7"),
    "C E7 Am F": ("C", "E7"),
    "G B7 Em C": ("G", "B7"),
    "C Fm C G": ("C", "Fm"),
    "F D7 Gm C7": ("F", "D7"),
    "D Bb C D": ("D", "Bb"),
}
n = int(sys.argv[1]) if len(sys.argv) > 1 else 12
style = sys.argv[2] if len(sys.argv) > 2 else "pop"
model = tunesmith.load_model("default")
total = Counter()
for loop, (key, chromatic) in LOOPS.items():
    scale = set(scale_pitch_classes(pitch_class_of(key), "major"))
    tones = set(chord_pitch_classes(chromatic))
    outside = tones - scale  # the chord's chromatic tones (C# of A7 in C)
    clash = {(p + d) % 12 for p in outside for d in (-1, 1)} & scale - tones  # the scale tones a semitone away
    tally = Counter()
    for seed in range(n):
        take = tunesmith.compose(style=style, key=key, chords=loop, bars=8, seed=seed, model=model, check=False)
        piece = take.piece
        chords = sorted(piece.chords, key=lambda c: c.onset)
        ends = [c.onset for c in chords[1:]] + [piece.duration()]
        spans = [(c.onset, e) for c, e in zip(chords, ends) if c.figure == chromatic]
        for note in piece.melody().notes:
            for a, b in spans:
                lo, hi = max(a, note.onset), min(b, note.onset + note.duration)
                if hi <= lo:
                    continue
                pc = note.pitch % 12
                kind = "chromatic tone" if pc in outside else "clash" if pc in clash else \
                    "chord tone" if pc in tones else "other"
                tally[kind] += hi - lo
    time = sum(tally.values()) or 1
    total.update(tally)
    print(f"{loop:12s} over {chromatic:3s}: " + ", ".join(f"{k} {tally[k] / time:.2f}" for k in
                                                        ("chromatic tone", "clash", "chord tone", "other")))
time = sum(total.values()) or 1
print(f"{'all':12s}        : " + ", ".join(f"{k} {total[k] / time:.2f}" for k in ("chromatic tone", "clash", "chord tone", "other")))
