"""Natural signs in takes' MusicXML with and without `notation._mark_accidentals_made`.

    python docs/notes/2026-12-04-session-41/spurious_naturals.py [TAKES_PER_STYLE]

music21's exporter re-made the accidentals of a part none of whose pitches showed one, counting
the chord symbols' pitches (an A7's C-sharp put a natural on the melody's C). Prints, per style,
the natural signs written and the takes with any, before (the mark turned off) and after."""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.convert import notation
from tunesmith.outputs.musicxml import musicxml_bytes

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
real_mark = notation._mark_accidentals_made
model = tunesmith.load_model("default")
for style in ("folk", "pop", "jazz", "chorale"):
    counts = {"before": [0, 0], "after": [0, 0]}
    for seed in range(n):
        take = tunesmith.compose(style=style, bars=16, seed=seed, model=model)
        for name, mark in (("before", lambda part: None), ("after", real_mark)):
            notation._mark_accidentals_made = mark
            xml = musicxml_bytes(take.piece)
            k = xml.count(b"<accidental>natural</accidental>")
            counts[name][0] += k
            counts[name][1] += k > 0
    notation._mark_accidentals_made = real_mark
    print(f"{style:8s} {n} takes: natural signs before {counts['before'][0]} (in {counts['before'][1]} takes), "
          f"after {counts['after'][0]} (in {counts['after'][1]} takes)")
