"""The same shares as chromatic_chord_clash.py, in real lead sheets: for each chord with a tone
outside its key's scale (a secondary dominant, a borrowed chord), the melody's time on that
chromatic tone, on a scale tone a semitone from it (a clash), on the chord's other tones, elsewhere.

    python docs/notes/2026-12-04-session-41/chromatic_chord_real.py STYLE [SPLIT] [SOURCES]

Major keys only (a minor key's raised 6th and 7th would count as chromatic)."""

from __future__ import annotations

import sys
from collections import Counter

from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import chord_pitch_classes
from tunesmith.tokenizer import scale_pitch_classes

style = sys.argv[1]
split = sys.argv[2] if len(sys.argv) > 2 else "train"
sources = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else None
corpus = load_corpus().filter(split=split, style=style)
total, by_source, pieces = Counter(), {}, 0
for piece in corpus:
    if sources and piece.source not in sources:
        continue
    melody = piece.melody()
    if melody is None or not piece.chords or not piece.keys or piece.keys[0].mode != "major" or len(piece.keys) > 1:
        continue
    scale = set(scale_pitch_classes(piece.keys[0].tonic_pc, "major"))
    chords = sorted(piece.chords, key=lambda c: c.onset)
    ends = [c.onset for c in chords[1:]] + [piece.duration()]
    spans = []
    for c, e in zip(chords, ends):
        try:
            tones = set(chord_pitch_classes(c.figure))
        except ValueError:
            continue
        outside = tones - scale
        if outside:
            clash = {(p + d) % 12 for p in outside for d in (-1, 1)} & scale - tones
            spans.append((c.onset, e, tones, outside, clash))
    if not spans:
        continue
    pieces += 1
    tally = by_source.setdefault(piece.source, Counter())
    for note in melody.notes:
        for a, b, tones, outside, clash in spans:
            lo, hi = max(a, note.onset), min(b, note.onset + note.duration)
            if hi <= lo:
                continue
            pc = note.pitch % 12
            kind = "chromatic tone" if pc in outside else "clash" if pc in clash else \
                "chord tone" if pc in tones else "other"
            tally[kind] += hi - lo
            total[kind] += hi - lo
KINDS = ("chromatic tone", "clash", "chord tone", "other")
for name, tally in sorted(by_source.items()):
    time = sum(tally.values()) or 1
    print(f"{style} {split} {name:12s}: " + ", ".join(f"{k} {tally[k] / time:.2f}" for k in KINDS))
time = sum(total.values()) or 1
print(f"{style} {split} all ({pieces} pieces): " + ", ".join(f"{k} {total[k] / time:.2f}" for k in KINDS))
