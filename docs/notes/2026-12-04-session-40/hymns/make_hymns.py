"""Hymn tunes from memory, as a church musician has them: MusicXML (soprano only, key, meter,
fermatas at phrase ends), ABC files (written by hand beside this script) and MIDI.

Run from the repository root: .venv/bin/python docs/notes/2026-12-04-session-40/hymns/make_hymns.py
Writes into this folder (the inputs). Tunes are from memory; a phrase may differ from a hymnal.
"""

from pathlib import Path

from music21 import expressions, key, metadata, meter, note, stream, tempo

HERE = Path(__file__).parent


def build(title, key_sig, ts, notes, pickup=0.0, mode=None):
    """notes: (pitch or 'r', quarterLength, fermata?) triples; pickup: its length in quarters."""
    s = stream.Score()
    s.metadata = metadata.Metadata()
    s.metadata.title = title
    p = stream.Part()
    p.partName = "Soprano"
    m_len = meter.TimeSignature(ts).barDuration.quarterLength
    measures = []
    cur = stream.Measure(number=0 if pickup else 1)
    cur_len = pickup if pickup else m_len
    filled = 0.0
    for pitch, ql, ferm in notes:
        n = note.Rest(quarterLength=ql) if pitch == "r" else note.Note(pitch, quarterLength=ql)
        if ferm:
            n.expressions.append(expressions.Fermata())
        cur.append(n)
        filled += ql
        if abs(filled - cur_len) < 1e-9:
            measures.append(cur)
            cur = stream.Measure(number=len(measures) + (0 if pickup else 1))
            cur_len = m_len
            filled = 0.0
        elif filled > cur_len:
            raise ValueError(f"{title}: a note crosses bar {cur.number}")
    if filled:
        measures.append(cur)  # a short last bar (the pickup's complement)
    k = key.Key(*key_sig) if isinstance(key_sig, tuple) else key.KeySignature(key_sig)
    measures[0].insert(0, k)
    measures[0].insert(0, meter.TimeSignature(ts))
    measures[0].insert(0, tempo.MetronomeMark(number=80))
    if pickup:
        measures[0].paddingLeft = m_len - pickup
    for m in measures:
        p.append(m)
    s.insert(0, p)
    return s


def seq(spec):
    """'G4:2 G4:1 F#4:1f' -> triples; suffix f = fermata."""
    out = []
    for tok in spec.split():
        pitch, dur = tok.split(":")
        ferm = dur.endswith("f")
        out.append((pitch, float(eval(dur.rstrip("f"))), ferm))
    return out


# Old Hundredth (Genevan, Louis Bourgeois 1551), long notes: minims, a minim pickup, G major.
OLD100 = seq(
    "G4:2 "
    "G4:2 F#4:2 E4:2 D4:2 G4:2 A4:2 B4:2f "
    "B4:2 B4:2 B4:2 A4:2 G4:2 C5:2 B4:2 A4:2f "
    "G4:2 A4:2 B4:2 A4:2 G4:2 E4:2 F#4:2 G4:2f "
    "D5:2 B4:2 G4:2 A4:2 C5:2 B4:2 A4:2 G4:2f"
)

# Passion Chorale (Hassler 1601, as hymnals print it): E phrygian, no key signature, a pickup.
PASSION = seq(
    "E4:1 "
    "A4:1 G4:1 F4:1 E4:1 D4:2 E4:1f B4:1 C5:1 C5:1 B4:1 B4:1 A4:3f "
    "E4:1 "
    "A4:1 G4:1 F4:1 E4:1 D4:2 E4:1f B4:1 C5:1 C5:1 B4:1 B4:1 A4:3f "
    "C5:1 B4:1 G4:1 A4:1 B4:1 C5:2 C5:1f G4:1 A4:1 G4:1 F4:1 F4:1 E4:3f "
    "C5:1 B4:1 C5:1 D5:1 C5:1 B4:2 A4:1f B4:1 G4:1 A4:1 F4:1 D4:1 E4:3f"
)

# O come, all ye faithful (Adeste fideles, J. F. Wade): G major, 4/4, a one-beat pickup.
ADESTE = seq(
    "G4:1 "
    "G4:2 D4:1 G4:1 A4:2 D4:2 B4:1 A4:1 B4:1 C5:1 B4:2 A4:1 G4:1 "
    "G4:2 F#4:1 E4:1 F#4:1 G4:1 A4:1 B4:1 F#4:2 E4:1.5 D4:0.5 D4:3f "
    "r:1 "
    "D5:2 C5:1 B4:1 C5:2 B4:2 A4:1 B4:1 G4:1 A4:1 F#4:3 D4:1 "
    "G4:1 G4:1 F#4:1 G4:1 A4:2 G4:1 D4:1 B4:1 B4:1 A4:1 B4:1 C5:2 B4:1 A4:1 "
    "B4:1 C5:1 B4:1 A4:1 G4:2 F#4:1 G4:1 C5:1 B4:1 A4:1.5 G4:0.5 G4:3f"
)

# Austria (Haydn 1797; "Glorious things of thee are spoken"): F major, 4/4, lines 1-2 repeated.
AUSTRIA = seq(
    "F4:1.5 G4:0.5 A4:1 G4:1 Bb4:1 A4:1 G4:0.5 E4:0.5 F4:1 D5:1 C5:1 A4:1 F4:1 G4:1 E4:1 F4:2f "
    "F4:1.5 G4:0.5 A4:1 G4:1 Bb4:1 A4:1 G4:0.5 E4:0.5 F4:1 D5:1 C5:1 A4:1 F4:1 G4:1 E4:1 F4:2f "
    "G4:1 G4:1 A4:1 F4:1 G4:1 A4:0.5 Bb4:0.5 A4:1 F4:1 G4:1 A4:0.5 Bb4:0.5 A4:1 G4:1 F4:1 G4:1 C4:2f "
    "A4:1.5 G4:0.5 F4:1 E4:1 D4:1 A4:1 C5:1 D5:1 C5:1.5 Bb4:0.5 A4:1 G4:1 F4:4f"
)

# Hymn to Joy (Beethoven, "Joyful, joyful"): D major, 4/4, no pickup.
JOY = seq(
    "F#4:1 F#4:1 G4:1 A4:1 A4:1 G4:1 F#4:1 E4:1 D4:1 D4:1 E4:1 F#4:1 F#4:1.5 E4:0.5 E4:2 "
    "F#4:1 F#4:1 G4:1 A4:1 A4:1 G4:1 F#4:1 E4:1 D4:1 D4:1 E4:1 F#4:1 E4:1.5 D4:0.5 D4:2 "
    "E4:1 E4:1 F#4:1 D4:1 E4:1 F#4:0.5 G4:0.5 F#4:1 D4:1 E4:1 F#4:0.5 G4:0.5 F#4:1 E4:1 D4:1 E4:1 A3:2 "
    "F#4:1 F#4:1 G4:1 A4:1 A4:1 G4:1 F#4:1 E4:1 D4:1 D4:1 E4:1 F#4:1 E4:1.5 D4:0.5 D4:2"
)


def main():
    scores = {
        "old_hundredth": build("Old Hundredth", ("G", "major"), "4/4", OLD100, pickup=2),
        "passion_chorale": build("Passion Chorale (Herzlich tut mich verlangen)", 0, "4/4", PASSION, pickup=1),
        "adeste_fideles": build("Adeste fideles", ("G", "major"), "4/4", ADESTE, pickup=1),
        "austria": build("Austria", ("F", "major"), "4/4", AUSTRIA),
    }
    for name, s in scores.items():
        s.write("musicxml", fp=str(HERE / f"{name}.musicxml"))
        print("wrote", name)
    build("Hymn to Joy", ("D", "major"), "4/4", JOY).write("midi", fp=str(HERE / "hymn_to_joy.mid"))
    # MIDI: Old Hundredth as a sequencer exports it (no pickup information in the file).
    scores["old_hundredth"].write("midi", fp=str(HERE / "old_hundredth.mid"))


if __name__ == "__main__":
    main()
