"""Write small MusicXML files as notation programs export them (session 39's trial of the reader).

    python make.py            # writes the files beside this script; the 100 MB file goes to /tmp/mxl39/

Each file has one feature; the tunes are made up for this trial. Headers follow what MuseScore,
Finale, Sibelius, Dorico and Noteflight write (DOCTYPE, <identification>, <defaults>, <credit>).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIG = Path("/tmp/mxl39/big")

DOCTYPE = ('<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" '
           '"http://www.musicxml.org/dtds/partwise.dtd">')
TYPES = {16: "whole", 12: "half", 8: "half", 6: "quarter", 4: "quarter", 3: "eighth", 2: "eighth", 1: "16th"}
DOTTED = {12, 6, 3}
STEPS = "CDEFGAB"


def head(software: str, title: str, composer: str = "Session 39", date: str = "2026-12-04") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
{DOCTYPE}
<score-partwise version="4.0">
  <work><work-title>{title}</work-title></work>
  <identification>
    <creator type="composer">{composer}</creator>
    <encoding>
      <software>{software}</software>
      <encoding-date>{date}</encoding-date>
      <supports element="accidental" type="yes"/>
      <supports element="beam" type="yes"/>
      <supports element="print" attribute="new-page" type="yes" value="yes"/>
      <supports element="stem" type="yes"/>
    </encoding>
  </identification>
  <defaults>
    <scaling><millimeters>6.99</millimeters><tenths>40</tenths></scaling>
    <page-layout><page-height>1596.77</page-height><page-width>1233.72</page-width>
      <page-margins type="both"><left-margin>85.7</left-margin><right-margin>85.7</right-margin>
      <top-margin>85.7</top-margin><bottom-margin>85.7</bottom-margin></page-margins></page-layout>
    <word-font font-family="Edwin" font-size="10"/>
    <lyric-font font-family="Edwin" font-size="10"/>
  </defaults>
  <credit page="1"><credit-type>title</credit-type>
    <credit-words default-x="616.86" default-y="1511" justify="center" valign="top" font-size="22">{title}</credit-words></credit>
  <credit page="1"><credit-type>composer</credit-type>
    <credit-words default-x="1148" default-y="1411" justify="right" valign="bottom">{composer}</credit-words></credit>
"""


def score_part(pid: str, name: str, program: int = 1, channel: int = 1, extra: str = "", unpitched: str = "") -> str:
    midi = f"<midi-channel>{channel}</midi-channel><midi-program>{program}</midi-program>{unpitched}"
    return (f'<score-part id="{pid}"><part-name>{name}</part-name><part-abbreviation>{name[:4]}.</part-abbreviation>'
            f'<score-instrument id="{pid}-I1"><instrument-name>{name}</instrument-name></score-instrument>{extra}'
            f'<midi-device id="{pid}-I1" port="1"></midi-device>'
            f'<midi-instrument id="{pid}-I1">{midi}<volume>78.7402</volume><pan>0</pan></midi-instrument></score-part>')


def part_list(*parts: str) -> str:
    return "  <part-list>" + "".join(parts) + "</part-list>\n"


def attrs(div: int = 4, fifths: int = 0, beats: int = 4, beat_type: int = 4, clef: str = "G2", extra: str = "") -> str:
    sign, line = clef[0], clef[1:]
    return (f"<attributes><divisions>{div}</divisions><key><fifths>{fifths}</fifths></key>"
            f"<time><beats>{beats}</beats><beat-type>{beat_type}</beat-type></time>"
            f"<clef><sign>{sign}</sign><line>{line}</line></clef>{extra}</attributes>")


def n(tok: str, extra: str = "", notations: str = "", voice: int = 1, staff: int = 0, lyric: str = "",
      chord: bool = False, grace: str = "", div: int = 4) -> str:
    """One note from "C#5:4" (pitch:duration in divisions; "r:16" a rest). Divisions 4 a quarter."""
    pitch, dur = tok.split(":")
    d = int(dur)
    scale = 4 / div  # type from the duration in quarters
    key = int(round(d * scale))
    typ = TYPES.get(key, "quarter")
    dot = "<dot/>" if key in DOTTED else ""
    ch = "<chord/>" if chord else ""
    st = f"<staff>{staff}</staff>" if staff else ""
    nt = f"<notations>{notations}</notations>" if notations else ""
    if pitch == "r":
        return f"<note>{ch}<rest/><duration>{d}</duration><voice>{voice}</voice><type>{typ}</type>{dot}{st}{nt}</note>"
    step, rest = pitch[0], pitch[1:]
    alter = rest.count("#") - rest.count("b")
    octave = rest.strip("#b")
    alt = f"<alter>{alter}</alter>" if alter else ""
    dur_el = "" if grace else f"<duration>{d}</duration>"
    return (f'<note default-x="80">{grace}{ch}<pitch><step>{step}</step>{alt}<octave>{octave}</octave></pitch>{dur_el}'
            f"{extra}<voice>{voice}</voice><type>{typ}</type>{dot}<stem>up</stem>{st}{nt}{lyric}</note>")


def melody(seq: str, **kw) -> str:
    return "".join(n(t, **kw) for t in seq.split())


def harmony(root: str, kind: str, text: str | None = None, bass: str = "", degrees: str = "") -> str:
    def pitch(tag: str, name: str) -> str:
        alter = name[1:].count("#") - name[1:].count("b")
        return (f"<{tag}><{tag}-step>{name[0]}</{tag}-step>" + (f"<{tag}-alter>{alter}</{tag}-alter>" if alter else "")
                + f"</{tag}>")

    t = f' text="{text}"' if text is not None else ""
    r = pitch("root", root) if root else ""
    b = pitch("bass", bass) if bass else ""
    return f'<harmony print-frame="no">{r}<kind{t}>{kind}</kind>{b}{degrees}</harmony>'


def degree(value: int, alter: int, typ: str) -> str:
    return f"<degree><degree-value>{value}</degree-value><degree-alter>{alter}</degree-alter><degree-type>{typ}</degree-type></degree>"


def measure(num, body: str, first: str = "", implicit: bool = False, width: float = 200) -> str:
    imp = ' implicit="yes"' if implicit else ""
    return f'    <measure number="{num}"{imp} width="{width}">{first}{body}</measure>\n'


def light_heavy() -> str:
    return '<barline location="right"><bar-style>light-heavy</bar-style></barline>'


def part(pid: str, measures: list[str]) -> str:
    return f'  <part id="{pid}">\n' + "".join(measures) + "  </part>\n"


def end() -> str:
    return "</score-partwise>\n"


def write(name: str, text: str) -> None:
    (HERE / name).write_text(text, encoding="utf-8")


def one_part(software: str, title: str, name: str, bars: list[str], program: int = 1, first_attrs: str | None = None) -> str:
    ms = [measure(i + 1, b, first=(first_attrs if i == 0 else "") or (attrs() if i == 0 else "")) for i, b in enumerate(bars)]
    return head(software, title) + part_list(score_part("P1", name, program)) + part("P1", ms) + end()


# ---------------------------------------------------------------------------------------------

def f01_lead_sheet():
    """Lead sheet with many chord kinds, as MuseScore 4 writes them."""
    h = harmony
    bars = [
        h("C", "major-seventh", "maj7") + melody("E5:4 G5:4 B5:4 G5:4"),
        h("A", "minor-seventh", "m7") + melody("A5:8") + h("D", "suspended-fourth", "sus4") + melody("G5:8"),
        h("G", "dominant", "7(b9)", degrees=degree(9, -1, "add")) + melody("F5:4 D5:4 B4:4 Ab4:4"),
        h("F", "major", "add9", degrees=degree(9, 0, "add")) + melody("A4:8 G4:8"),
        h("B", "diminished-seventh", "dim7") + melody("D5:8") + h("B", "half-diminished", "m7b5") + melody("A4:8"),
        h("E", "power", "5") + melody("B4:8") + h("C", "major", "", bass="E") + melody("G4:8"),
        '<harmony print-frame="no"><root><root-step text="">C</root-step></root><kind text="N.C.">none</kind></harmony>'
        + melody("r:8") + h("G", "dominant", "7", degrees=degree(5, 1, "alter")) + melody("B4:8"),
        h("C", "major-minor", "m(maj7)") + melody("C5:4 Eb5:4") + h("D", "minor-sixth", "m6") + melody("F5:8"),
        h("Bb", "dominant-13th", "13") + melody("G5:8") + h("Eb", "major-seventh", "maj7", degrees=degree(11, 1, "add"))
        + melody("D5:8"),
        h("Ab", "dominant", "7", degrees=degree(9, 1, "add") + degree(13, -1, "add")) + melody("C5:8")
        + h("Db", "major", "sus2" , degrees=degree(3, 0, "subtract") + degree(2, 0, "add")) + melody("Db5:8"),
        h("C", "major", "6/9", degrees=degree(6, 0, "add") + degree(9, 0, "add")) + melody("C5:16") + light_heavy(),
    ]
    write("01_lead_sheet_chords.musicxml", one_part("MuseScore 4.2.1", "Chord Zoo", "Voice", bars, 53))


def f02_guitar_tab():
    """A guitar with a notation staff and a TAB staff (MuseScore 3 exports a linked TAB so)."""
    a = ('<attributes><divisions>2</divisions><key><fifths>1</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time>'
         '<staves>2</staves><clef number="1"><sign>G</sign><line>2</line><clef-octave-change>-1</clef-octave-change></clef>'
         '<clef number="2"><sign>TAB</sign><line>5</line></clef>'
         '<staff-details number="2"><staff-lines>6</staff-lines>'
         + "".join(f'<staff-tuning line="{i + 1}"><tuning-step>{s}</tuning-step><tuning-octave>{o}</tuning-octave></staff-tuning>'
                   for i, (s, o) in enumerate([("E", 2), ("A", 2), ("D", 3), ("G", 3), ("B", 3), ("E", 4)]))
         + "</staff-details>"
         '<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>-1</octave-change></transpose></attributes>')
    # (pitch, string, fret): G major arpeggio, written an octave above sound
    tune = [[("G4", 3, 0), ("B4", 2, 0), ("D5", 2, 3), ("G5", 1, 3)], [("F#5", 1, 2), ("D5", 2, 3), ("A4", 3, 2), ("D4", 5, 5)],
            [("E4", 4, 2), ("G4", 3, 0), ("B4", 2, 0), ("E5", 1, 0)], [("D4", 4, 0), ("F#4", 4, 4), ("A4", 3, 2), ("G4", 3, 0)]]
    bars = []
    for i, bar in enumerate(tune):
        tech = lambda s, f: f"<technical><string>{s}</string><fret>{f}</fret></technical>"  # noqa: E731
        up = "".join(n(p + ":2", staff=1, notations=tech(s, f), div=2) for p, s, f in bar)
        down = "".join(n(p + ":2", voice=5, staff=2, notations=tech(s, f), div=2) for p, s, f in bar)
        bars.append(measure(i + 1, up + "<backup><duration>8</duration></backup>" + down, first=a if i == 0 else ""))
    bars[-1] = bars[-1].replace("</measure>", light_heavy() + "</measure>")
    text = head("MuseScore 3.6.2", "Arpeggio Study") + part_list(score_part("P1", "Classical Guitar", 25)) + part("P1", bars) + end()
    write("02_guitar_tab.musicxml", text)


def f03_drums():
    """A melody and a drum set (MuseScore 4: <unpitched>, a percussion clef, midi-unpitched)."""
    kit = [("P2-I36", "Bass Drum 1", 36), ("P2-I39", "Acoustic Snare", 39), ("P2-I43", "Closed Hi-Hat", 42)]
    instr = "".join(f'<score-instrument id="{i}"><instrument-name>{nm}</instrument-name></score-instrument>' for i, nm, _ in kit)
    midi = "".join(f'<midi-instrument id="{i}"><midi-channel>10</midi-channel><midi-program>1</midi-program>'
                   f'<midi-unpitched>{u + 1}</midi-unpitched><volume>78</volume><pan>0</pan></midi-instrument>' for i, _, u in kit)
    drum_part = f'<score-part id="P2"><part-name>Drumset</part-name>{instr}{midi}</score-part>'

    def hit(step, octave, inst, dur=2, chord=False, head=""):
        ch = "<chord/>" if chord else ""
        nh = f"<notehead>{head}</notehead>" if head else ""
        typ = "eighth" if dur == 2 else "quarter"
        return (f"<note>{ch}<unpitched><display-step>{step}</display-step><display-octave>{octave}</display-octave></unpitched>"
                f'<duration>{dur}</duration><instrument id="{inst}"/><voice>1</voice><type>{typ}</type><stem>up</stem>{nh}</note>')

    groove = ""
    for k in range(4):
        groove += hit("G", 5, "P2-I43", head="x") + (hit("F", 4, "P2-I36", chord=True) if k % 2 == 0 else hit("C", 5, "P2-I39", chord=True))
        groove += hit("G", 5, "P2-I43", head="x")
    perc = ('<attributes><divisions>4</divisions><key><fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time>'
            "<clef><sign>percussion</sign><line>2</line></clef></attributes>")
    tune = ["G4:4 A4:4 B4:4 D5:4", "C5:4 B4:4 A4:8", "G4:4 E4:4 D4:4 E4:4", "G4:16"]
    p1 = [measure(i + 1, melody(t), first=attrs(fifths=1) if i == 0 else "") for i, t in enumerate(tune)]
    p2 = [measure(i + 1, groove, first=perc if i == 0 else "") for i in range(4)]
    text = head("MuseScore 4.2.1", "Groove Tune") + part_list(score_part("P1", "Alto Saxophone", 66)[:0] or score_part("P1", "Flute", 74), drum_part) \
        + part("P1", p1) + part("P2", p2) + end()
    write("03_drums_melody.musicxml", text)


def f04_multirest():
    """Sibelius: four bars' rest shown as one multi-measure rest, then the tune comes in."""
    rest = melody("r:16").replace("<rest/>", '<rest measure="yes"/>')
    bars = []
    for i in range(4):
        first = (attrs() if i == 0 else "") + ('<attributes><measure-style><multiple-rest>4</multiple-rest></measure-style></attributes>' if i == 0 else "")
        bars.append(measure(i + 1, rest, first=first))
    for i, t in enumerate(["C5:4 D5:4 E5:4 C5:4", "E5:4 F5:4 G5:8", "G5:2 A5:2 G5:2 F5:2 E5:4 C5:4", "C5:16"]):
        bars.append(measure(i + 5, melody(t)))
    text = head("Sibelius 2023.5", "Waiting Tune") + part_list(score_part("P1", "Violin", 41)) + part("P1", bars) + end()
    text = text.replace('<encoding-date>', '<encoder>Sibelius</encoder><encoding-date>')
    write("04_multirest.musicxml", text)


def f05_pickup():
    """Finale: a 3/4 waltz with a one-beat pickup (measure 0, implicit) and a short last bar."""
    a = attrs(div=1024, fifths=-1, beats=3)
    bars = [measure("0", n("C5:1024", div=1024), first=a, implicit=True)]
    for i, t in enumerate(["F5:2048 A5:1024", "G5:1024 F5:1024 E5:1024", "F5:2048 C5:1024", "D5:1024 E5:1024 F5:1024"]):
        bars.append(measure(i + 1, "".join(n(x, div=1024) for x in t.split())))
    bars.append(measure(5, "".join(n(x, div=1024) for x in ["C5:1024", "A4:1024"]) + light_heavy()))
    text = head("Finale v27.4 for Mac", "Little Waltz") + part_list(score_part("P1", "Flute", 74)) + part("P1", bars) + end()
    write("05_pickup.musicxml", text)


def f06_endings():
    """Dorico: |: A B C (1. D :|) (2. E) F with volta brackets."""
    fwd = '<barline location="left"><bar-style>heavy-light</bar-style><repeat direction="forward"/></barline>'
    e1s = '<barline location="left"><ending number="1" type="start">1.</ending></barline>'
    e1e = '<barline location="right"><bar-style>light-heavy</bar-style><ending number="1" type="stop"/><repeat direction="backward"/></barline>'
    e2s = '<barline location="left"><ending number="2" type="start">2.</ending></barline>'
    e2e = '<barline location="right"><ending number="2" type="discontinue"/></barline>'
    tunes = ["D5:4 E5:4 F#5:4 D5:4", "A5:8 G5:8", "F#5:4 E5:4 D5:4 F#5:4", "E5:16", "D5:16", "A5:4 B5:4 A5:8", "D5:16"]
    bars = [measure(1, fwd + melody(tunes[0]), first=attrs(fifths=2)), measure(2, melody(tunes[1])), measure(3, melody(tunes[2])),
            measure(4, e1s + melody(tunes[3]) + e1e), measure(5, e2s + melody(tunes[4]) + e2e),
            measure(6, melody(tunes[5])), measure(7, melody(tunes[6]) + light_heavy())]
    text = head("Dorico 5.1.10.2134", "Two Endings") + part_list(score_part("P1", "Oboe", 69)) + part("P1", bars) + end()
    write("06_repeats_endings.musicxml", text)


def f07_dc_al_fine():
    """MuseScore 3: A (Fine) B then D.C. al Fine (<sound fine="yes"/>, <sound dacapo="yes"/>)."""
    fine = ('<direction placement="above"><direction-type><words>Fine</words></direction-type><sound fine="yes"/></direction>')
    dc = ('<direction placement="above"><direction-type><words>D.C. al Fine</words></direction-type><sound dacapo="yes"/></direction>')
    bars = [measure(1, melody("C5:4 E5:4 G5:8"), first=attrs()), measure(2, melody("F5:4 E5:4 D5:4 C5:4")),
            measure(3, melody("B4:4 D5:4 G5:8")), measure(4, melody("C5:16") + fine + light_heavy().replace("light-heavy", "light-light")),
            measure(5, melody("A4:4 B4:4 C5:8")), measure(6, melody("G4:16") + dc + light_heavy())]
    text = head("MuseScore 3.6.2", "Da Capo Tune") + part_list(score_part("P1", "Piano", 1)) + part("P1", bars) + end()
    write("07_dc_al_fine.musicxml", text)


def f07b_ds_al_coda():
    """Finale: segno at bar 2, To Coda at bar 3, D.S. al Coda at bar 4, coda bars 5-6."""
    segno = '<direction placement="above"><direction-type><segno/></direction-type><sound segno="segno"/></direction>'
    tocoda = '<direction placement="above"><direction-type><words>To Coda</words></direction-type><sound tocoda="coda"/></direction>'
    ds = '<direction placement="above"><direction-type><words>D.S. al Coda</words></direction-type><sound dalsegno="segno"/></direction>'
    coda = '<direction placement="above"><direction-type><coda/></direction-type><sound coda="coda"/></direction>'
    bars = [measure(1, melody("G4:4 A4:4 B4:4 C5:4"), first=attrs(fifths=1)), measure(2, segno + melody("D5:8 B4:8")),
            measure(3, melody("C5:4 A4:4 F#4:8") + tocoda), measure(4, melody("G4:16") + ds + light_heavy().replace("light-heavy", "light-light")),
            measure(5, coda + melody("D5:4 F#5:4 A5:8")), measure(6, melody("G5:16") + light_heavy())]
    text = head("Finale v27.4 for Mac", "Segno Tune") + part_list(score_part("P1", "Flute", 74)) + part("P1", bars) + end()
    write("07b_ds_al_coda.musicxml", text)


def transpose(diatonic: int, chromatic: int, octave: int = 0) -> str:
    oc = f"<octave-change>{octave}</octave-change>" if octave else ""
    return f"<transpose><diatonic>{diatonic}</diatonic><chromatic>{chromatic}</chromatic>{oc}</transpose>"


def f08_trumpet():
    """Finale: a B-flat trumpet alone, written in D major (sounds C major)."""
    bars = [measure(1, melody("D5:4 F#5:4 A5:4 F#5:4"), first=attrs(fifths=2, extra=transpose(-1, -2))),
            measure(2, melody("G5:4 E5:4 C#5:8")), measure(3, melody("D5:4 A4:4 B4:4 C#5:4")), measure(4, melody("D5:16") + light_heavy())]
    text = head("Finale v27.4 for Mac", "Trumpet Call") + part_list(score_part("P1", "Trumpet in Bb", 57)) + part("P1", bars) + end()
    write("08_bb_trumpet.musicxml", text)


def f09_band():
    """Sibelius: alto sax (E-flat), tenor sax (B-flat, an octave more), horn in F and a concert-pitch
    piano, all sounding C major: C E G C."""
    alto = [measure(1, melody("A4:4 C#5:4 E5:4 A5:4"), first=attrs(fifths=3, extra=transpose(-5, -9))), measure(2, melody("A4:16") + light_heavy())]
    tenor = [measure(1, melody("D5:4 F#5:4 A5:4 D5:4"), first=attrs(fifths=2, extra=transpose(-1, -2, -1))), measure(2, melody("D5:16") + light_heavy())]
    horn = [measure(1, melody("G4:4 B4:4 D5:4 G4:4"), first=attrs(fifths=1, extra=transpose(-4, -7))), measure(2, melody("G4:16") + light_heavy())]
    piano = [measure(1, melody("C4:16"), first=attrs(clef="F4")), measure(2, melody("C3:16") + light_heavy())]
    text = (head("Sibelius 2023.5", "Band Unison") + part_list(score_part("P1", "Alto Saxophone", 66), score_part("P2", "Tenor Saxophone", 67),
                                                             score_part("P3", "Horn in F", 61), score_part("P4", "Piano", 1))
            + part("P1", alto) + part("P2", tenor) + part("P3", horn) + part("P4", piano) + end())
    write("09_transposing_band.musicxml", text)


def f10_piano_voices():
    """MuseScore 3: piano grand staff, two voices on each staff, one cross-staff note."""
    a = ('<attributes><divisions>4</divisions><key><fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time>'
         '<staves>2</staves><clef number="1"><sign>G</sign><line>2</line></clef><clef number="2"><sign>F</sign><line>4</line></clef></attributes>')
    bk = "<backup><duration>16</duration></backup>"
    bars = []
    rh1 = ["E5:4 F5:4 G5:8", "A5:4 G5:4 F5:4 E5:4", "D5:8 C5:8"]
    rh2 = ["C5:8 B4:8", "C5:8 C5:8", "B4:8 G4:8"]
    lh1 = ["C4:8 D4:8", "F3:8 C4:8", "G3:8 C4:8"]
    lh2 = ["C3:16", "F2:8 A2:8", "G2:8 C3:8"]
    for i in range(3):
        body = (melody(rh1[i], staff=1, voice=1) + bk + melody(rh2[i], staff=1, voice=2) + bk
                + melody(lh1[i], staff=2, voice=5) + bk + melody(lh2[i], staff=2, voice=6))
        if i == 1:  # the left hand's C4 written on the upper staff (cross-staff)
            body = body.replace("<voice>5</voice><type>half</type><stem>up</stem><staff>2</staff>", "<voice>5</voice><type>half</type><stem>up</stem><staff>1</staff>", 2)
        bars.append(measure(i + 1, body, first=a if i == 0 else ""))
    text = head("MuseScore 3.6.2", "Two Hands") + part_list(score_part("P1", "Piano", 1)) + part("P1", bars) + end()
    write("10_piano_two_voices.musicxml", text)


def f11_lyrics():
    """Noteflight: a song with lyrics, a two-note melisma (extend) and a hyphenated word."""
    def ly(syl, text, extend=False):
        e = "<extend/>" if extend else ""
        return f'<lyric number="1"><syllabic>{syl}</syllabic><text>{text}</text>{e}</lyric>'
    slur_s, slur_e = '<slur type="start" number="1"/>', '<slur type="stop" number="1"/>'
    bars = [
        n("G4:4", lyric=ly("single", "Sing")) + n("A4:4", lyric=ly("begin", "a")) + n("B4:8", lyric=ly("end", "long")),
        n("D5:4", lyric=ly("single", "song"), notations=slur_s) + n("C5:4", notations=slur_e, lyric="") + n("B4:8", lyric=ly("single", "now")),
        n("A4:4", lyric=ly("single", "and")) + n("B4:4", lyric=ly("begin", "for")) + n("A4:8", lyric=ly("end", "ever", True)),
        n("G4:16", lyric=ly("single", "more")) + light_heavy(),
    ]
    ms = [measure(i + 1, b, first=attrs(fifths=1) if i == 0 else "") for i, b in enumerate(bars)]
    text = head("Noteflight version 0.3.2", "Little Song") + part_list(score_part("P1", "Voice", 53)) + part("P1", ms) + end()
    write("11_vocal_lyrics.musicxml", text)


def f12_ties():
    """MuseScore 4: a tie across the barline, a slur across the barline, and a wrong tie (C5 tied
    to D5, as a hasty user writes a slur with the tie tool)."""
    ts, te = '<tie type="start"/>', '<tie type="stop"/>'
    nts, nte = '<tied type="start"/>', '<tied type="stop"/>'
    bars = [
        melody("C5:4 D5:4 E5:4") + n("G5:4", extra=ts, notations=nts),
        n("G5:8", extra=te, notations=nte) + n("F5:4") + n("E5:4", notations='<slur type="start" number="1"/>'),
        n("D5:4", notations='<slur type="stop" number="1"/>') + n("C5:4", extra=ts, notations=nts) + n("D5:8", extra=te, notations=nte),
        n("C5:16") + light_heavy(),
    ]
    write("12_ties_slurs.musicxml", one_part("MuseScore 4.2.1", "Tied Up", "Flute", bars, 74))


def f13_grace():
    """Dorico: an acciaccatura and a two-note appoggiatura group."""
    bars = [
        n("C5:4") + n("E5:1", grace='<grace slash="yes"/>') + n("D5:4") + n("E5:8"),
        n("G5:1", grace="<grace/>") + n("F5:1", grace="<grace/>") + n("E5:8") + n("D5:8"),
        n("C5:16") + light_heavy(),
    ]
    write("13_grace_notes.musicxml", one_part("Dorico 5.1.10.2134", "Little Graces", "Flute", bars, 74))


def f14_nested_tuplets():
    """Finale: a half-note triplet whose middle note is itself a triplet of eighths (4/4, divisions 12)."""
    def tn(p, d, typ, tm, tn_, notations=""):
        nt = f"<notations>{notations}</notations>" if notations else ""
        step, octave = p[0], p[1:]
        return (f"<note><pitch><step>{step}</step><octave>{octave}</octave></pitch><duration>{d}</duration><voice>1</voice>"
                f"<type>{typ}</type><time-modification><actual-notes>{tm}</actual-notes><normal-notes>{tn_}</normal-notes></time-modification>{nt}</note>")
    outer_s = '<tuplet type="start" number="1" bracket="yes"/>'
    outer_e = '<tuplet type="stop" number="1"/>'
    inner_s = '<tuplet type="start" number="2" bracket="yes"/>'
    inner_e = '<tuplet type="stop" number="2"/>'
    # outer: 3 quarters in the time of 2 (each 8/12 = 2/3 beat at divisions 12 -> 8); middle one split in 3 eighths -> 8/3: not integral
    # divisions 36: outer quarter-triplet note 24, inner eighth 8
    a = attrs(div=36)
    bar1 = (tn("C5", 24, "quarter", 3, 2, outer_s) + tn("D5", 8, "eighth", 9, 4, inner_s) + tn("E5", 8, "eighth", 9, 4)
            + tn("F5", 8, "eighth", 9, 4, inner_e) + tn("G5", 24, "quarter", 3, 2, outer_e)
            + n("A5:72", div=36))
    bars = [measure(1, bar1, first=a), measure(2, n("C5:144", div=36) + light_heavy())]
    text = head("Finale v27.4 for Mac", "Triplets in Triplets") + part_list(score_part("P1", "Flute", 74)) + part("P1", bars) + end()
    write("14_nested_tuplets.musicxml", text)


def f15_key_time_change():
    """MuseScore 4: G major 4/4, then E-flat major 3/4 at bar 3, then 6/8 at bar 5."""
    bars = [measure(1, melody("G4:4 B4:4 D5:4 B4:4"), first=attrs(fifths=1)), measure(2, melody("A4:8 G4:8")),
            measure(3, melody("Eb5:4 G5:4 Bb5:4"), first='<attributes><key><fifths>-3</fifths></key><time><beats>3</beats><beat-type>4</beat-type></time></attributes>'),
            measure(4, melody("Ab5:4 G5:4 F5:4")),
            measure(5, melody("Eb5:6 G5:2 F5:2 Eb5:2"), first='<attributes><time><beats>6</beats><beat-type>8</beat-type></time></attributes>'),
            measure(6, melody("Eb5:12") + light_heavy())]
    text = head("MuseScore 4.2.1", "Changes") + part_list(score_part("P1", "Clarinet in A", 72)[:0] or score_part("P1", "Violin", 41)) + part("P1", bars) + end()
    write("15_key_time_change.musicxml", text)


def f16_swing():
    """MuseScore 4: "Swing" with <sound><swing> (eighths 2:1)."""
    sw = ('<direction placement="above"><direction-type><words font-weight="bold">Swing</words></direction-type>'
          '<sound tempo="140"><swing><first>2</first><second>1</second><swing-type>eighth</swing-type></swing></sound></direction>')
    h = harmony
    bars = [sw + h("F", "dominant", "7") + melody("A4:2 C5:2 D5:2 F5:2 Eb5:4 C5:4"),
            h("Bb", "dominant", "7") + melody("D5:2 F5:2 Ab5:2 F5:2 D5:8"),
            h("F", "dominant", "7") + melody("C5:2 A4:2 F4:2 A4:2 C5:8"),
            h("C", "dominant", "7") + melody("E5:2 G5:2 Bb5:2 G5:2") + h("F", "dominant", "7") + melody("F5:8") + light_heavy()]
    write("16_swing.musicxml", one_part("MuseScore 4.2.1", "Swing Blues Head", "Tenor Saxophone", bars, 67)
          .replace("Tenor Saxophone", "Melody"))


def container(rootfile: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><container><rootfiles>'
            f'<rootfile full-path="{rootfile}" media-type="application/vnd.recordare.musicxml+xml"/></rootfiles></container>')


def f17_mxl():
    """MuseScore 4 .mxl: mimetype, META-INF/container.xml, score.xml."""
    text = (HERE / "01_lead_sheet_chords.musicxml").read_text()
    with zipfile.ZipFile(HERE / "17_compressed.mxl", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.recordare.musicxml")
        z.writestr("META-INF/container.xml", container("score.xml"))
        z.writestr("score.xml", text)


def f18_mxl_root_not_first():
    """Sibelius-like .mxl: a part extract and a layout file come first; the rootfile is last."""
    score = (HERE / "15_key_time_change.musicxml").read_text()
    other = (HERE / "08_bb_trumpet.musicxml").read_text()
    with zipfile.ZipFile(HERE / "18_compressed_root_not_first.mxl", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.recordare.musicxml")
        z.writestr("parts/Trumpet.xml", other)
        z.writestr("META-INF/container.xml", container("Scores/Changes.musicxml"))
        z.writestr("Scores/Changes.musicxml", score)


def f19_utf16():
    text = (HERE / "11_vocal_lyrics.musicxml").read_text().replace('encoding="UTF-8"', 'encoding="UTF-16"').replace("Little Song", "Chanson d’été")
    (HERE / "19_utf16.musicxml").write_bytes(text.encode("utf-16"))  # with its BOM, as Finale on Windows saves


def f20_concert():
    """Dorico: six parts (flute, oboe, clarinet in B-flat, bassoon, violin, cello), a C major cadence."""
    parts = [("Flute", 74, "G2", 0, "", ["E5:8 F5:8", "E5:16"]), ("Oboe", 69, "G2", 0, "", ["C5:8 D5:8", "C5:16"]),
             ("Clarinet in B♭", 72, "G2", 2, transpose(-1, -2), ["A4:8 B4:8", "D5:16"]),  # sounds G4 A4 / C5
             ("Bassoon", 71, "F4", 0, "", ["C3:8 G2:8", "C3:16"]),
             ("Violin", 41, "G2", 0, "", ["G4:8 G4:8", "G4:16"]), ("Violoncello", 43, "F4", 0, "", ["C3:8 B2:8", "C3:16"])]
    plist = part_list(*[score_part(f"P{i + 1}", nm, pg) for i, (nm, pg, *_rest) in enumerate(parts)])
    body = ""
    for i, (_nm, _pg, clef, fifths, tr, bars) in enumerate(parts):
        ms = [measure(1, melody(bars[0]), first=attrs(fifths=fifths, clef=clef, extra=tr)), measure(2, melody(bars[1]) + light_heavy())]
        body += part(f"P{i + 1}", ms)
    write("20_concert_six_parts.musicxml", head("Dorico 5.1.10.2134", "Cadence") + plist + body + end())


# ---------------------------------------------------------------------------------------------
# hostile

def small_score(extra_head: str = "", body_word: str = "x") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{extra_head}\n<score-partwise version="4.0"><work><work-title>{body_word}</work-title></work>'
            '<part-list><score-part id="P1"><part-name>Flute</part-name></score-part></part-list>'
            f'<part id="P1"><measure number="1">{attrs()}{melody("C5:16")}</measure></part></score-partwise>\n')


def hostile():
    bomb = ('<!DOCTYPE score-partwise [\n <!ENTITY a "aaaaaaaaaa">\n'
            + "".join(f' <!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9)) + "]>")
    write("h1_xml_bomb.musicxml", small_score(bomb, "&j;"))
    xxe = '<!DOCTYPE score-partwise [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>'
    write("h2_xxe.musicxml", small_score(xxe, "&xxe;"))
    url = ('<!DOCTYPE score-partwise PUBLIC "-//Evil//DTD//EN" "http://127.0.0.1:9/evil.dtd" [ '
           '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote; ]>')
    write("h3_doctype_url.musicxml", small_score(url, "remote"))
    empty = (head("MuseScore 4.2.1", "Empty Part") + part_list(score_part("P1", "Flute", 74), score_part("P2", "Piano", 1))
             + part("P1", [measure(1, melody("C5:4 D5:4 E5:8"), first=attrs()), measure(2, melody("C5:16"))]) + '  <part id="P2"></part>\n' + end())
    write("h4_empty_part.musicxml", empty)
    # part 1: 4/4 bars of 4 beats; part 2's bar 1 holds 3 beats only and bar 2 holds 5 (a hand-edited export)
    uneq = (head("MuseScore 3.6.2", "Uneven") + part_list(score_part("P1", "Flute", 74), score_part("P2", "Cello", 43))
            + part("P1", [measure(1, melody("C5:4 D5:4 E5:4 F5:4"), first=attrs()), measure(2, melody("G5:16")), measure(3, melody("C5:16"))])
            + part("P2", [measure(1, melody("C3:4 G2:4 C3:4"), first=attrs(clef="F4")), measure(2, melody("G2:16 C3:4")), measure(3, melody("C3:16"))])
            + end())
    write("h5_unequal_measures.musicxml", uneq)
    # a zip bomb: one 300 MB member of zeros, compressed to ~300 KB
    with zipfile.ZipFile(HERE / "h7_zip_bomb.mxl", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("META-INF/container.xml", container("score.xml"))
        with z.open("score.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><score-partwise version="4.0"><work><work-title>')
            chunk = b" " * (1 << 20)
            for _ in range(300):
                f.write(chunk)
            f.write(b"</work-title></work></score-partwise>")
    # a MIDI file named .musicxml: one note
    import struct
    trk = bytes([0x00, 0x90, 60, 80, 0x83, 0x60, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00])
    midi = b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(trk)) + trk
    (HERE / "h8_midi_named.musicxml").write_bytes(midi)
    # a 100 MB MusicXML file (kept out of the repository): a real score padded with 2,000 bars x parts
    BIG.mkdir(parents=True, exist_ok=True)
    with open(BIG / "h6_100mb.musicxml", "w") as f:
        f.write(head("MuseScore 4.2.1", "Huge") + part_list(score_part("P1", "Flute", 74)) + '  <part id="P1">\n')
        bar = melody("C5:4 D5:4 E5:4 F5:4")
        i = 0
        while f.tell() < 100 * 1024 * 1024:
            f.write(measure(i + 1, bar, first=attrs() if i == 0 else ""))
            i += 1
        f.write("  </part>\n" + end())


def f21_timewise_noteflight():
    """A score-timewise file (some converters write it): two parts, two measures."""
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE score-timewise PUBLIC "-//Recordare//DTD MusicXML 4.0 Timewise//EN" '
            '"http://www.musicxml.org/dtds/timewise.dtd">\n<score-timewise version="4.0"><work><work-title>Timewise</work-title></work>'
            '<part-list><score-part id="P1"><part-name>Melody</part-name></score-part><score-part id="P2"><part-name>Bass</part-name></score-part></part-list>'
            f'<measure number="1"><part id="P1">{attrs()}{melody("E5:8 G5:8")}</part><part id="P2">{attrs(clef="F4")}{melody("C3:16")}</part></measure>'
            f'<measure number="2"><part id="P1">{melody("C5:16")}</part><part id="P2">{melody("C3:16")}</part></measure></score-timewise>\n')
    write("21_timewise.musicxml", text)


if __name__ == "__main__":
    os.chdir(HERE)
    for f in [f01_lead_sheet, f02_guitar_tab, f03_drums, f04_multirest, f05_pickup, f06_endings, f07_dc_al_fine, f07b_ds_al_coda,
              f08_trumpet, f09_band, f10_piano_voices, f11_lyrics, f12_ties, f13_grace, f14_nested_tuplets, f15_key_time_change,
              f16_swing, f17_mxl, f18_mxl_root_not_first, f19_utf16, f20_concert, f21_timewise_noteflight, hostile]:
        f()
    print("\n".join(sorted(p.name for p in HERE.iterdir() if p.suffix in (".musicxml", ".mxl"))))
    _ = io
