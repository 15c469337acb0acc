"""Print each voice's notes in the given bars of a take's MusicXML: dump_bars.py TAKE.musicxml 5 6 ..."""
import sys

from music21 import converter

s = converter.parse(sys.argv[1])
bars = {int(b) for b in sys.argv[2:]}
for p in s.parts:
    for m in p.getElementsByClass("Measure"):
        if m.number in bars:
            items = []
            for n in m.flatten().notesAndRests:
                name = "r" if n.isRest else n.pitch.nameWithOctave
                items.append(f"{name}@{float(n.offset):g}/{float(n.quarterLength):g}")
            print(f"{p.partName[:1]} bar {m.number}: {' '.join(items)}")
