"""Write a few small songs of a songwriter's own into runs/s40/analyze/mysongs (ABC, MusicXML, MIDI)."""
from pathlib import Path

from music21 import harmony, key, meter, note, stream, tempo

out = Path("/work/main/runs/s40/analyze/mysongs")
out.mkdir(parents=True, exist_ok=True)

(out / "reel.abc").write_text(
    'X:1\nT:My Reel\nM:4/4\nL:1/8\nQ:1/4=110\nK:G\n'
    '"G"GABc dBGB|"C"c2ec "G"dBGB|"Am"ABcA "D7"FGAF|"G"G2BG G4|\n'
    '"G"GABc dBGB|"Em"e2ge "C"dBGB|"Am"ABcA "D7"FDEF|"G"G4 G4|]\n')


def lead_sheet(title, chords, mel, ks="C", ts="4/4", bpm=96):
    s = stream.Score()
    p = stream.Part()
    p.insert(0, key.Key(ks))
    p.insert(0, meter.TimeSignature(ts))
    p.insert(0, tempo.MetronomeMark(number=bpm))
    beats = meter.TimeSignature(ts).barDuration.quarterLength
    for i, (ch, bar) in enumerate(zip(chords, mel)):
        m = stream.Measure(number=i + 1)
        m.insert(0, harmony.ChordSymbol(ch))
        for pitch, ql in bar:
            m.append(note.Note(pitch, quarterLength=ql) if pitch else note.Rest(quarterLength=ql))
        assert sum(ql for _, ql in bar) == beats
        p.append(m)
    s.insert(0, p)
    s.metadata = __import__("music21").metadata.Metadata(title=title)
    return s


axis = ["C", "G", "Am", "F"] * 4
mel = [[("E4", 1), ("G4", 1), ("C5", 1.5), ("B4", 0.5)], [("D5", 2), ("B4", 1), ("G4", 1)],
       [("C5", 1), ("A4", 1), ("E4", 1.5), ("A4", 0.5)], [("F4", 1), ("A4", 1), ("C5", 2)]] * 4
lead_sheet("Axis Song", axis, mel).write("musicxml", fp=str(out / "axis.musicxml"))
minor = ["Am", "F", "G", "Am"] * 4
mel2 = [[("A4", 1), ("C5", 1), ("E5", 1), ("C5", 1)], [("F4", 1), ("A4", 1), ("C5", 2)],
        [("G4", 1), ("B4", 1), ("D5", 1), ("B4", 1)], [("A4", 4)]] * 4
lead_sheet("Minor Thing", minor, mel2, ks="a").write("musicxml", fp=str(out / "minor.musicxml"))
# melody-only MIDI
s = stream.Stream()
s.append(tempo.MetronomeMark(number=120))
s.append(meter.TimeSignature("3/4"))
for p_ in ["D4", "F#4", "A4", "D5", "C#5", "B4", "A4", "F#4", "E4", "D4", "E4", "F#4"] * 2:
    s.append(note.Note(p_, quarterLength=1))
s.write("midi", fp=str(out / "waltz.mid"))
print(sorted(x.name for x in out.iterdir()))
