"""Read a harmonized hymn's MusicXML as an organist would, and list what a teacher would mark.

usage: .venv/bin/python docs/notes/2026-12-04-session-40/hymns/check_satb.py INPUT TAKE.musicxml [...]
(INPUT: the hymn as given, to check that the soprano is the tune, pitch and rhythm.)
"""

import sys

from music21 import converter, expressions, note

RANGES = {"S": (60, 81), "A": (55, 74), "T": (48, 69), "B": (40, 62)}  # C4-A5, G3-D5, C3-A4, E2-D4
NAMES = "SATB"


def part_notes(part):
    """[(onset in quarters from the first note, midi, dur, fermata)] of a part, ties merged."""
    out = []
    for n in part.flatten().notesAndRests:
        if isinstance(n, note.Rest):
            continue
        if n.tie is not None and n.tie.type in ("stop", "continue") and out:
            o, p, d, f = out[-1]
            out[-1] = (o, p, d + float(n.quarterLength), f or _ferm(n))
            continue
        out.append((float(n.getOffsetInHierarchy(part)), n.pitch.midi, float(n.quarterLength), _ferm(n)))
    return out


def _ferm(n):
    return any(isinstance(e, expressions.Fermata) for e in n.expressions)


def sounding(notes, t):
    for o, p, d, _ in notes:
        if o <= t < o + d:
            return p
    return None


def main(given_path, take_paths):
    import tunesmith as ts  # the given tune as tunesmith reads it (music21's ABC reader drops notes after H)

    given = ts.read(given_path)
    gnotes = [(n.onset, n.pitch, n.duration, n.onset in given.fermatas) for n in given.tracks[0].notes]
    for path in take_paths:
        s = converter.parse(path)
        print(f"\n#### {path}: parts {[p.partName for p in s.parts]}")
        ks = s.parts[0].flatten().getElementsByClass("KeySignature")
        ts = s.parts[0].flatten().getElementsByClass("TimeSignature")
        print("key sig", [k.sharps for k in ks][:3], "meter", [t.ratioString for t in ts][:3],
              "first bar", s.parts[0].getElementsByClass("Measure")[0].number,
              "bar lengths", sorted({float(m.duration.quarterLength) for m in s.parts[0].getElementsByClass("Measure")}))
        voices = [part_notes(p) for p in s.parts[:4]]
        t0 = gnotes[0][0] - voices[0][0][0]
        sop = [(o + t0, p, d) for o, p, d, _ in voices[0]]
        g = [(o, p, d) for o, p, d, _ in gnotes]
        if sop != g:
            diffs = [(a, b) for a, b in zip(g, sop) if a != b][:3]
            print("SOPRANO DIFFERS from the tune:", len(sop), len(g), diffs)
        gf = [o for o, _, _, f in gnotes if f]
        sf = [o + t0 for o, _, _, f in voices[0] if f]
        if gf != sf:
            print("fermatas given", gf, "written", sf)
        onsets = sorted({o for v in voices for o, *_ in v})
        bar_of = {}
        for m in s.parts[0].getElementsByClass("Measure"):
            bar_of[float(m.offset)] = m.number
        starts = sorted(bar_of)

        def where(t, starts=starts, bar_of=bar_of):
            b = max([x for x in starts if x <= t], default=starts[0])
            return f"bar {bar_of[b]} beat {t - b + 1:g}"

        chords = [(t, [sounding(v, t) for v in voices]) for t in onsets]
        # ranges and spacing
        for i, name in enumerate(NAMES):
            lo, hi = RANGES[name]
            bad = [(where(o), p) for o, p, *_ in voices[i] if not lo <= p <= hi]
            if bad:
                print(f"range {name}: {len(bad)} notes out, e.g. {bad[:3]}")
        sp = [(where(t), "S-A" if c[0] - c[1] > 12 else "A-T") for t, c in chords
              if None not in c and (c[0] - c[1] > 12 or c[1] - c[2] > 12)]
        if sp:
            print(f"spacing over an octave: {len(sp)}: {sp[:6]}")
        cross = [where(t) for t, c in chords if None not in c and any(c[i] < c[i + 1] for i in range(3))]
        if cross:
            print(f"crossings: {len(cross)}: {cross[:5]}")
        # parallels between consecutive onsets, every voice pair
        par = []
        for (_t1, c1), (t2, c2) in zip(chords, chords[1:]):
            if None in c1 or None in c2:
                continue
            for i in range(4):
                for j in range(i + 1, 4):
                    a1, a2 = (c1[i] - c1[j]) % 12, (c2[i] - c2[j]) % 12
                    if a1 == a2 and a1 in (0, 7) and c1[i] != c2[i] and c1[j] != c2[j]:
                        par.append((where(t2), NAMES[i] + NAMES[j], "8ve" if a1 == 0 else "5th"))
        if par:
            print(f"parallels: {len(par)}: {par[:8]}")
        # fermata chords
        for o, _p, _d, f in voices[0]:
            if not f:
                continue
            c = [sounding(v, o) for v in voices]
            pcs = sorted({x % 12 for x in c if x is not None})
            print(f"  fermata {where(o)}: {[_n(x) for x in c]} pcs {pcs}")
        last = chords[-1][1]
        print("  last sonority", [_n(x) for x in last])


def _n(m):
    if m is None:
        return "-"
    return note.Note(midi=m).nameWithOctave


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
