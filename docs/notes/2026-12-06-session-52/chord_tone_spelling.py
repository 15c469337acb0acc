"""Melody notes that are tones of the chord symbol over them but written under another name than the
chord's own (G-flat over D7 where the chord has F-sharp), and notes written with a double flat or
sharp, in a jazz pianist's D-flat chart (10 takes, seed 70) and the same changes a semitone lower in C, as
music21 reads the written MusicXML.

    python docs/notes/2026-12-06-session-52/chord_tone_spelling.py [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import music21

import tunesmith as ts

CHARTS = {
    "Db": "Dbmaj7 | Bb7 | Ebm7 | Ab7 | Dbmaj7 | D7 | Dbmaj7 | Dbmaj7 | Fm7 | E7 | Ebm7 | Ab7 | A7 | Ab7 | Dbmaj7 | Dbmaj7",
    "C": "Cmaj7 | A7 | Dm7 | G7 | Cmaj7 | C#7 | Cmaj7 | Cmaj7 | Em7 | Eb7 | Dm7 | G7 | Ab7 | G7 | Cmaj7 | Cmaj7",
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp())
    model = ts.load_model("default")
    for name, chart in CHARTS.items():
        notes = other_name = double = 0
        for i, take in enumerate(ts.compose("jazz", chords=chart, bars=16, seed=70, n=10, model=model, check=False)):
            take.write(out / f"{name}{i}", audio=False, svg=False, force=True)
            score = music21.converter.parse(out / f"{name}{i}.musicxml")
            for n in score.recurse().notes:
                if n.isChord:
                    continue
                notes += 1
                double += "--" in n.pitch.name or "##" in n.pitch.name
                symbol = n.getContextByClass(music21.harmony.ChordSymbol)
                if symbol is not None and symbol.pitches:
                    names = {p.name for p in symbol.pitches}
                    if n.pitch.pitchClass in {p.pitchClass for p in symbol.pitches} and n.pitch.name not in names:
                        other_name += 1
        print(f"{name} chart: {notes} notes, chord tones named otherwise than the chord names them {other_name}, "
              f"double accidentals {double}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
