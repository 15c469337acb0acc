"""The melody's time on a chromatic chord's outside tones (and the clash, chord-tone and other
shares) over given loops, at each gain of `automaton.CHROMATIC_TONE_GAINS` for one style.

    python docs/notes/2026-12-04-session-41/chromatic_gains.py STYLE GAIN[,GAIN...] [TAKES]

The loops and shares are chromatic_chord_clash.py's; compare with chromatic_chord_real.py's
training tunes."""

from __future__ import annotations

import sys
from collections import Counter

import tunesmith
from tunesmith.harmony import chord_pitch_classes
from tunesmith.sampling import automaton
from tunesmith.score import pitch_class_of
from tunesmith.tokenizer import scale_pitch_classes

LOOPS = {"C A7 Dm G7": ("C", "A7"), "C E7 Am F": ("C", "E7"), "G B7 Em C": ("G", "B7"),
         "C Fm C G": ("C", "Fm"), "F D7 Gm C7": ("F", "D7"), "D Bb C D": ("D", "Bb")}
KINDS = ("chromatic tone", "clash", "chord tone", "other")
style, gains = sys.argv[1], [float(g) for g in sys.argv[2].split(",")]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 8
model = tunesmith.load_model("default")
for gain in gains:
    automaton.CHROMATIC_TONE_GAINS[style] = gain
    total = Counter()
    for loop, (key, chromatic) in LOOPS.items():
        scale = set(scale_pitch_classes(pitch_class_of(key), "major"))
        tones = set(chord_pitch_classes(chromatic))
        outside = tones - scale
        clash = {(p + d) % 12 for p in outside for d in (-1, 1)} & scale - tones
        for seed in range(n):
            take = tunesmith.compose(style=style, key=key, chords=loop, bars=8, seed=seed, model=model, check=False)
            piece = take.piece
            chords = sorted(piece.chords, key=lambda c: c.onset)
            ends = [c.onset for c in chords[1:]] + [piece.duration()]
            spans = [(c.onset, e) for c, e in zip(chords, ends) if c.figure == chromatic]
            for note in piece.melody().notes:
                for a, b in spans:
                    lo, hi = max(a, note.onset), min(b, note.onset + note.duration)
                    if hi > lo:
                        pc = note.pitch % 12
                        total["chromatic tone" if pc in outside else "clash" if pc in clash else
                              "chord tone" if pc in tones else "other"] += hi - lo
    time = sum(total.values()) or 1
    print(f"{style} gain {gain}: " + ", ".join(f"{k} {total[k] / time:.2f}" for k in KINDS), flush=True)
