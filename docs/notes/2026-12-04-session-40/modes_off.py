"""Notes and chord symbols outside a church mode's scale in 16-bar takes (8 per style and mode, seeds
0-3, two takes each). Session 40.
    python docs/notes/2026-12-04-session-40/modes_off.py"""

from tunesmith import api, harmony
from tunesmith.score import pitch_class_of
from tunesmith.tokenizer import scale_pitch_classes

CASES = [("jazz", "E", "phrygian"), ("folk", "B", "locrian"), ("folk", "E", "phrygian"), ("pop", "F", "lydian"),
         ("folk", "D", "dorian"), ("folk", "G", "mixolydian"), ("chorale", "E", "phrygian"), ("chorale", "B", "locrian")]

for style, key, mode in CASES:
    scale = scale_pitch_classes(pitch_class_of(key), mode)
    bad_notes = bad_chords = chords = 0
    figures = set()
    for seed in range(4):
        for take in api.compose(style, key=key, mode=mode, bars=16, seed=seed, n=2, check=False):
            bad_notes += sum(1 for tr in take.piece.tracks for n in tr.notes if n.pitch % 12 not in scale)
            for c in take.piece.chords:
                chords += 1
                if not harmony.chord_pitch_classes(c.figure) <= scale:
                    bad_chords += 1
                    figures.add(c.figure)
    print(style, key, mode, "notes off", bad_notes, "chords off", bad_chords, "/", chords, sorted(figures), flush=True)
