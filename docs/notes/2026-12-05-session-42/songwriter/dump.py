"""Bar-by-bar dump of a tunesmith lead sheet: chord, notes (beat:pitch:dur), flags.
Flags: '!' note on a strong beat (beat 1, or 3 in 4/4; 1 and 2 (dotted-quarter beats) in 6/8) not in chord;
'~' tied into this bar; 'X' same letter as a chord tone, other accidental (C# over C); 'L' non-chord tone approached or left by leap (>2 semitones)."""

import sys

from music21 import converter, harmony

for path in sys.argv[1:]:
    s = converter.parse(path)
    p = s.parts[0]
    ts = p.recurse().getElementsByClass("TimeSignature").first()
    num, den = ts.numerator, ts.denominator
    strong = {1.0, 3.0} if (num, den) == (4, 4) else ({1.0, 2.0} if (num, den) == (6, 8) else {1.0})
    print(path, ts.ratioString, p.recurse().getElementsByClass("KeySignature").first())
    cur = None
    cnt = {"strongNCT": 0, "leapNCT": 0, "notes": 0}
    allnotes = []
    for m in p.getElementsByClass("Measure"):
        cs = list(m.getElementsByClass(harmony.ChordSymbol))
        if cs:
            cur = cs[0]
        pcs = {x.pitch.pitchClass for x in cur.notes} if cur is not None else set()
        items = []
        for n in m.notesAndRests:
            if isinstance(n, harmony.ChordSymbol):
                continue
            allnotes.append((m.number, n, pcs, cur))
        names = " ".join(c.figure for c in cs)
        print(f"  m{m.number:>2} [{names:>8}]", end=" ")
        for n in m.notesAndRests:
            if isinstance(n, harmony.ChordSymbol):
                continue
            b = n.beat
            if n.isRest:
                print(f"{float(b):g}:r/{float(n.quarterLength):g}", end=" ")
                continue
            fl = ""
            if n.tie is not None and n.tie.type in ("stop", "continue"):
                fl += "~"
            if n.pitch.pitchClass not in pcs and float(b) in strong:
                fl += "!"
            if cur is not None and any(
                x.pitch.step == n.pitch.step and x.pitch.pitchClass != n.pitch.pitchClass for x in cur.notes
            ):
                fl += "X"
            print(f"{float(b):g}:{n.pitch.nameWithOctave}/{float(n.quarterLength):g}{fl}", end=" ")
        print()
    # leap NCT
    ns = [(mn, n, pcs) for mn, n, pcs, c in allnotes if not n.isRest]
    lst = []
    for i, (mn, n, pcs) in enumerate(ns):
        if n.pitch.pitchClass in pcs:
            continue
        a = abs(n.pitch.midi - ns[i - 1][1].pitch.midi) if i else 0
        b = abs(ns[i + 1][1].pitch.midi - n.pitch.midi) if i + 1 < len(ns) else 0
        if a > 2 and b > 2:
            lst.append(f"m{mn}:{n.pitch.nameWithOctave}")
    print("  NCT leapt to and from:", " ".join(lst))
