"""Tiny fixtures of every input kind, written by code into a folder (no shared data copied).

`write_all(folder) -> dict[kind, Path]`; each `write_<kind>(folder) -> Path` writes one.
The expected content is documented next to each writer so tests can pin it.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import mido

# --------------------------------------------------------------------------- ABC
ABC_TEXT = """% two tunes, chord symbols, a pickup, a tie, a triplet, broken rhythm, a key change
X: 1
T:Test Jig
C:Trad.
R:jig
M:6/8
L:1/8
K:G
D|"G"G2B d2B|"C"c2e "D7"d2c|"G"B>AG "Em"(3EFG A|"D"A3- A2:|
|:"G"g2f "Am"e2d|"D7"d3 "G"G3||
X: 2
T:Test Reel
M:4/4
L:1/8
K:Dmix
"D"DEFG A2dc|"C"c2BA "D"A2FD|[K:D]"A7"[CEA]2E2 "D"D4|]
"""


def write_abc(folder: Path) -> Path:
    p = Path(folder) / "tunes.abc"
    p.write_text(ABC_TEXT, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- MusicXML
def _note(step: str, octave: int, dur: int, typ: str, alter: int = 0, rest: bool = False) -> str:
    if rest:
        return f"<note><rest/><duration>{dur}</duration><voice>1</voice><type>{typ}</type></note>"
    alt = f"<alter>{alter}</alter>" if alter else ""
    return (f"<note><pitch><step>{step}</step>{alt}<octave>{octave}</octave></pitch>"
            f"<duration>{dur}</duration><voice>1</voice><type>{typ}</type></note>")


def _harmony(step: str, kind: str, alter: int = 0, text: str | None = None) -> str:
    alt = f"<root-alter>{alter}</root-alter>" if alter else ""
    t = f' text="{text}"' if text is not None else ""
    return f"<harmony><root><root-step>{step}</root-step>{alt}</root><kind{t}>{kind}</kind></harmony>"


# 4/4 in F, divisions 2; measures: Dm7 | G7 | Cmaj7 Bb7 | F ; melody below
MUSICXML_CHORDS = [(0.0, "Dm7"), (4.0, "G7"), (8.0, "Cmaj7"), (10.0, "Bb7"), (12.0, "F")]


def musicxml_text() -> str:
    m1 = _harmony("D", "minor-seventh", text="m7") + _note("D", 5, 2, "quarter") + _note("F", 5, 2, "quarter") + _note("A", 5, 4, "half")
    m2 = _harmony("G", "dominant", text="7") + _note("B", 4, 3, "quarter") + _note("C", 5, 1, "eighth") + _note("D", 5, 4, "half")
    m3 = (_harmony("C", "major-seventh", text="maj7") + _note("E", 5, 4, "half")
          + _harmony("B", "dominant", alter=-1, text="7") + _note("D", 5, 2, "quarter") + _note("B", 4, 2, "quarter", alter=-1))
    m4 = _harmony("F", "major", text="") + _note("A", 4, 6, "half") + _note("", 0, 2, "quarter", rest=True)
    m4 = m4.replace("<type>half</type>", "<type>half</type><dot/>", 1)
    attrs = ("<attributes><divisions>2</divisions><key><fifths>-1</fifths><mode>major</mode></key>"
             "<time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef></attributes>"
             '<direction placement="above"><direction-type><metronome><beat-unit>quarter</beat-unit>'
             '<per-minute>100</per-minute></metronome></direction-type><sound tempo="100"/></direction>')
    measures = "".join(
        f'<measure number="{i + 1}">{(attrs if i == 0 else "")}{body}</measure>' for i, body in enumerate([m1, m2, m3, m4])
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<score-partwise version="3.1"><work><work-title>Test Lead Sheet</work-title></work>'
        '<part-list><score-part id="P1"><part-name>Melody</part-name></score-part></part-list>'
        f'<part id="P1">{measures}</part></score-partwise>\n'
    )


def write_musicxml(folder: Path) -> Path:
    p = Path(folder) / "leadsheet.musicxml"
    p.write_text(musicxml_text(), encoding="utf-8")
    return p


def write_mxl(folder: Path) -> Path:
    p = Path(folder) / "leadsheet.mxl"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.recordare.musicxml")
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container><rootfiles><rootfile full-path="score.xml"/></rootfiles></container>')
        z.writestr("score.xml", musicxml_text())
    return p


# --------------------------------------------------------------------------- MIDI (written with mido)
# melody: C4 D4 E4 F4 quarters then G4 half; bass: C3 whole, G2 half; 3/4? no: 4/4, D major sig, 96 qpm
MIDI_MELODY = [(60, 0.0, 1.0), (62, 1.0, 1.0), (64, 2.0, 1.0), (65, 3.0, 1.0), (67, 4.0, 2.0)]
MIDI_BASS = [(48, 0.0, 4.0), (43, 4.0, 2.0)]


def _mido_track(name: str, program: int, channel: int, notes: list[tuple[int, float, float]], tpq: int) -> mido.MidiTrack:
    tr = mido.MidiTrack()
    tr.append(mido.MetaMessage("track_name", name=name, time=0))
    tr.append(mido.Message("program_change", program=program, channel=channel, time=0))
    events = []
    for pitch, on, dur in notes:
        events.append((round(on * tpq), 1, mido.Message("note_on", note=pitch, velocity=90, channel=channel)))
        events.append((round((on + dur) * tpq), 0, mido.Message("note_off", note=pitch, velocity=0, channel=channel)))
    now = 0
    for tick, _, msg in sorted(events, key=lambda e: (e[0], e[1])):
        tr.append(msg.copy(time=tick - now))
        now = tick
    return tr


def write_midi(folder: Path) -> Path:
    tpq = 480
    mid = mido.MidiFile(type=1, ticks_per_beat=tpq)
    meta = mido.MidiTrack()
    meta.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    meta.append(mido.MetaMessage("key_signature", key="D", time=0))
    meta.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(96), time=0))
    mid.tracks.append(meta)
    mid.tracks.append(_mido_track("Flute", 73, 0, MIDI_MELODY, tpq))
    mid.tracks.append(_mido_track("Bass", 32, 1, MIDI_BASS, tpq))
    p = Path(folder) / "song.mid"
    mid.save(str(p))
    return p


# --------------------------------------------------------------------------- **kern like jazz/omnibook
KERN_3SPINE = """!!!OTL: Test Head
**kern\t**kern\t**quality
*clefG2\t*clefG2\t*clefG2
*k[b-]\t*k[b-]\t*k[b-]
*F:\t*F:\t*F:
*M4/4\t*M4/4\t*M4/4
=1-\t.\t.
8g/L\t1G:\t:min
8b-/J\t.\t.
4a/\t.\t.
[4g/\t.\t.
4g/]\t.\t.
=2\t.\t.
12f/L\t2C:\t:dom
12g/\t.\t.
12a/J\t.\t.
4b-/\t.\t.
8qcc\t.\t.
4cc\\\t2F:\t:maj
4r\t.\t.
==\t.\t.
*-\t*-\t*-
"""
KERN_CHORDS = [(0.0, "Gm"), (4.0, "C7"), (6.0, "F")]
KERN_NOTES = [(67, 0.0, 0.5), (70, 0.5, 0.5), (69, 1.0, 1.0), (67, 2.0, 2.0),
              (65, 4.0, 1 / 3), (67, 4 + 1 / 3, 1 / 3), (69, 4 + 2 / 3, 1 / 3), (70, 5.0, 1.0), (72, 6.0, 1.0)]


def write_kern(folder: Path) -> Path:
    p = Path(folder) / "head.krn"
    p.write_text(KERN_3SPINE, encoding="utf-8")
    return p


KERN_2SPINE = """**kern\t**kern
*M3/4\t*M3/4
*B-:\t*B-:
4f\t2B-:dom
4d\t.
4B-\t4E-:maj
=1\t=1
2.b-\t2.F:dom:9-
==\t==
*-\t*-
"""


def write_kern_2spine(folder: Path) -> Path:
    p = Path(folder) / "two.krn"
    p.write_text(KERN_2SPINE, encoding="utf-8")
    return p


# --------------------------------------------------------------------------- JSB json (16th grid)
JSB = {
    "train": [[[72, 67, 64, 48]] * 4 + [[74, 67, 65, 47]] * 4 + [[76, 67, 60, 48]] * 8],
    "valid": [[[67, 64, 60, 48]] * 8 + [[67, 62, 59, 43]] * 8],
    "test": [[[69, 64, 60, 45]] * 2 + [[71, 64, 59, 44]] * 2 + [[72, 64, 57, 45]] * 12],
}


def write_jsb(folder: Path) -> Path:
    p = Path(folder) / "jsb-chorales-16th.json"
    p.write_text(json.dumps(JSB), encoding="utf-8")
    return p


# --------------------------------------------------------------------------- POP909-like song folder
# 120 qpm: 0.5 s per beat. Chords in seconds: C (0-2 s = beats 0-4), Am7 (2-3 s), F/A (3-4 s)
POP909_CHORDS = [(0.0, "C"), (4.0, "Am7"), (6.0, "F/A")]


def write_pop909(folder: Path) -> Path:
    song = Path(folder) / "001"
    song.mkdir(parents=True, exist_ok=True)
    tpq = 480
    mid = mido.MidiFile(type=1, ticks_per_beat=tpq)
    meta = mido.MidiTrack()
    meta.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    meta.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(120), time=0))
    mid.tracks.append(meta)
    mid.tracks.append(_mido_track("MELODY", 0, 0, [(72, 0.0, 2.0), (69, 2.0, 2.0), (72, 4.0, 4.0)], tpq))
    mid.tracks.append(_mido_track("BRIDGE", 0, 1, [(64, 4.0, 2.0), (65, 6.0, 2.0)], tpq))
    mid.tracks.append(_mido_track("PIANO", 0, 2, [(48, 0.0, 4.0), (52, 0.0, 4.0), (45, 4.0, 2.0), (53, 6.0, 2.0)], tpq))
    mid.save(str(song / "001.mid"))
    (song / "chord_midi.txt").write_text("0.0\t1.0\tC:maj\n1.0\t2.0\tC:maj\n2.0\t3.0\tA:min7\n3.0\t4.0\tF:maj/3\n4.0\t5.0\tN\n")
    (song / "beat_midi.txt").write_text("".join(f"{i * 0.5} {1.0 if i % 2 == 0 else 0.0} {1.0 if i % 4 == 0 else 0.0}\n" for i in range(10)))
    (song / "key_audio.txt").write_text("0.0\t5.0\tC:maj\n")
    return song


# --------------------------------------------------------------------------- progressions text
PROGRESSION = """Title = Test Changes
ComposedBy = Nobody
DBKeySig = Bb
TimeSig = 4 4
Bars = 4
 Cm7 F7 | BbM7 | Eo7 A7+ | Dm7b5 G7b9 |
"""
PROGRESSION_CHORDS = [(0.0, "Cm7"), (2.0, "F7"), (4.0, "Bbmaj7"), (8.0, "Edim7"), (10.0, "A7#5"), (12.0, "Dm7b5"), (14.0, "G7b9")]


def write_progressions(folder: Path) -> Path:
    p = Path(folder) / "TestChanges.txt"
    p.write_text(PROGRESSION, encoding="utf-8")
    return p


WRITERS = {
    "abc": write_abc,
    "musicxml": write_musicxml,
    "mxl": write_mxl,
    "midi": write_midi,
    "kern": write_kern,
    "kern2": write_kern_2spine,
    "jsb": write_jsb,
    "pop909": write_pop909,
    "progressions": write_progressions,
}


def write_all(folder: Path) -> dict[str, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {kind: writer(folder) for kind, writer in WRITERS.items()}
