"""Four songs written as a songwriter would hand them in, for `tunesmith analyze --compare`:
a reel (ABC, melody only), a pop verse-chorus lead sheet (MusicXML, melody + chord symbols), a
Bach-like chorale (MusicXML, four voices, no chord symbols) and a jazz-ish head (ABC with chords).
Written into runs/s40/compare/ (ignored by git). Run: .venv/bin/python THIS_FILE"""

from __future__ import annotations

from pathlib import Path

from tunesmith.outputs import write_musicxml
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

OUT = Path(__file__).resolve().parents[4] / "runs" / "s40" / "compare"
OUT.mkdir(parents=True, exist_ok=True)

REEL = """X:1
T:The Session Forty Reel
R:reel
M:4/4
L:1/8
Q:1/4=112
K:D
|:A|d2fd AdFA|dfaf gfed|cBAc BAGB|AFDF EDB,A,|
d2fd AdFA|dfaf gfed|cBAG FAEF|D2FE D3:|
|:g|fafd AdFA|fafd e2ef|gbge cege|gbge fedg|
fafd AdFA|fafd e2ef|gfed cAGB|AFEF D3:|
"""

JAZZ = """X:1
T:Blue Session
M:4/4
L:1/8
Q:1/4=160
K:Bb
"Cm7"z2 GB dcBG|"F7"A2 F2- F2 zE|"Bbmaj7"D2 FA cBAF|"Ebmaj7"G4- G2 z2|
"Am7b5"zc ec "D7"^FA c2|"Gm7"B2 G2- G2 zB|"C7"A2 GE "F7"=E_E DC|"Bbmaj7"D6 z2|
"Cm7"z2 GB dcBG|"F7"A2 F2- F2 zE|"Bbmaj7"D2 FA cBAF|"Ebmaj7"G4- G2 z2|
"Am7b5"zc ec "D7"^FA c2|"Gm7"B2 G2 "C7"E2 G2|"Cm7"F2 E2 "F7"C2 A,2|"Bb6"B,8|]
"""


def pop_lead_sheet() -> Piece:
    """16 bars in C: an 8-bar verse (Am F C G) and an 8-bar chorus (C G Am F), syncopated melody."""
    verse_chords = ["Am", "F", "C", "G"] * 2
    chorus_chords = ["C", "G", "Am", "F"] * 2
    chords = [ChordSymbol(4.0 * i, f, 4.0) for i, f in enumerate(verse_chords + chorus_chords)]
    E, G, A, C5, D5, E5, F, D = 64, 67, 69, 72, 74, 76, 65, 62
    # (pitch, length in beats); each bar 4 beats, pushes on the "and" of 2 and 4
    verse_bar_a = [(E, 0.5), (E, 0.5), (E, 0.5), (D, 1.0), (C5 - 12, 0.5), (D, 0.5), (E, 0.5)]
    verse_bar_b = [(A - 12 + 12, 1.0), (G, 0.5), (E, 1.0), (E, 0.5), (D, 1.0)]
    verse_bar_c = [(E, 0.5), (G, 0.5), (G, 0.5), (A, 1.0), (G, 0.5), (E, 1.0)]
    verse_bar_d = [(D, 1.5), (E, 0.5), (D, 2.0)]
    chorus_bar_a = [(G, 0.5), (C5, 1.0), (C5, 0.5), (C5, 1.0), (D5, 0.5), (E5, 0.5)]
    chorus_bar_b = [(D5, 1.5), (C5, 0.5), (D5, 1.0), (G, 1.0)]
    chorus_bar_c = [(E5, 0.5), (E5, 1.0), (D5, 0.5), (C5, 1.0), (A, 1.0)]
    chorus_bar_d = [(A, 1.5), (G, 0.5), (F, 1.0), (E, 1.0)]
    bars = [verse_bar_a, verse_bar_b, verse_bar_c, verse_bar_d] * 2 + [chorus_bar_a, chorus_bar_b, chorus_bar_c, chorus_bar_d] * 2
    notes, t = [], 0.0
    for bar in bars:
        assert abs(sum(d for _, d in bar) - 4.0) < 1e-9, bar
        for p, d in bar:
            notes.append(Note(p, t, d))
            t += d
    return Piece(piece_id="song:pop", work_id="song:pop", title="Session Forty (verse and chorus)", style="pop",
                 source="mine", license="CC0-1.0", tracks=[Track("melody", "melody", notes=notes)], chords=chords,
                 keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, 100.0)], end=t)


def chorale() -> Piece:
    """8 bars in G major, a chord per beat, four voices voiced by nearest chord tones, half and
    full cadences, soprano halves at the phrase ends."""
    pcs = {"I": (7, 11, 2), "ii": (9, 0, 4), "IV": (0, 4, 7), "V": (2, 6, 9), "vi": (4, 7, 11), "V7": (2, 6, 9, 0),
           "iii": (11, 2, 6)}
    roman = ["I", "V", "I", "IV", "V", "ii", "I", "I",
             "I", "IV", "V", "vi", "V", "IV", "V", "V",
             "I", "V", "IV", "iii", "ii", "I", "V", "V",
             "V", "IV", "I", "ii", "vi", "V7", "I", "I"]
    soprano = [67, 69, 71, 72, 74, 72, 71, 71, 71, 72, 74, 76, 74, 72, 69, 69,
               71, 74, 72, 71, 69, 67, 66, 66, 74, 72, 71, 69, 71, 69, 67, 67]
    ranges = {"alto": (55, 74), "tenor": (48, 67), "bass": (36, 60)}
    prev = {"alto": 62, "tenor": 55, "bass": 43}
    voices = {v: [] for v in ("soprano", "alto", "tenor", "bass")}
    for rn, s in zip(roman, soprano):
        chord = pcs[rn]
        voices["soprano"].append(s)
        bass_pc = chord[0]
        b = min((p for p in range(*ranges["bass"]) if p % 12 == bass_pc), key=lambda p: abs(p - prev["bass"]))
        voices["bass"].append(b)
        for v in ("alto", "tenor"):
            lo, hi = ranges[v]
            cand = [p for p in range(lo, hi) if p % 12 in chord and p < (s if v == "alto" else voices["alto"][-1] + 1)]
            p = min(cand, key=lambda p: abs(p - prev[v]))
            voices[v].append(p)
            prev[v] = p
        prev["bass"] = b
    tracks = []
    for v, pitches in voices.items():
        notes = []
        for i, p in enumerate(pitches):
            if i > 0 and i % 8 == 7 and v == "soprano":  # phrase end: hold over the last beat
                continue
            dur = 2.0 if (v == "soprano" and i % 8 == 6) else 1.0
            notes.append(Note(p, float(i), dur))
        tracks.append(Track(v, v, notes=notes))
    return Piece(piece_id="song:chorale", work_id="song:chorale", title="Chorale for Session Forty", style="chorale",
                 source="mine", license="CC0-1.0", tracks=tracks, keys=[KeySignature(0.0, "G", "major")],
                 time_signatures=[TimeSignature(0.0, 4, 4)], end=32.0)


(OUT / "reel.abc").write_text(REEL)
(OUT / "blue_session.abc").write_text(JAZZ)
write_musicxml(pop_lead_sheet(), OUT / "verse_chorus.musicxml")
write_musicxml(chorale(), OUT / "chorale.musicxml")
(OUT / "notes.txt").write_text("not music\n")
(OUT / "empty.mid").write_bytes(b"")
print("\n".join(sorted(str(p) for p in OUT.iterdir())))
