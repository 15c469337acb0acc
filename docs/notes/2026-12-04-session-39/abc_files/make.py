"""Writes the ABC files of session 39's "ABC in the wild" trial into this folder.

Each file shows one feature of ABC as people post it (thesession.org, abcnotation.com, the ABC
standard 2.1); a few are hostile. Run: python make.py (then runall.sh)."""

from pathlib import Path

HERE = Path(__file__).resolve().parent

FILES: dict[str, str] = {
    # two tunes in one file: which one do the verbs take, and do they say so?
    "01_two_tunes.abc": """X: 1
T: The Kesh
R: jig
M: 6/8
L: 1/8
K: G
|:G3 GAB|A3 ABd|edd gdd|edB dBA|
GAG GAB|ABA ABd|edd gdd|BAF G3:|

X: 2
T: Out On The Ocean
R: jig
M: 6/8
L: 1/8
K: G
|:D|G3 GAB|AGE GED|G3 AGA|BGE DED|
G3 GAB|AGE GAB|c2A BGE|DED G2:|
""",
    # P: play order in the header, sections in the body
    "02_parts_order.abc": """X: 1
T: Parts In Order
M: 4/4
L: 1/8
P: AABB
K: D
P:A
|D2FA d2fd|c2ec A2cA|B2dB G2BG|FAdf e2d2|
P:B
|f2af g2bg|a2ag f2e2|d2fd B2dB|A2FE D4|]
""",
    # D.C. al Fine, as decorations and text annotation
    "03_dc_al_fine.abc": """X: 1
T: Da Capo Waltz
M: 3/4
L: 1/4
K: C
C E G|c2 G|A F D|C3 !fine!|
E G c|e2 c|d B G|"^D.C. al Fine"c3 !D.C.!|]
""",
    # D.S. al Coda with segno and coda
    "04_ds_coda.abc": """X: 1
T: Segno Song
M: 4/4
L: 1/4
K: G
G A B c|!segno!d2 B2|c A F A|G4 !coda!|
B c d e|d2 B2|A B c A|G4 !D.S.alcoda!|
!coda!B A G F|G4|]
""",
    # two voices with %%score
    "05_two_voices.abc": """X: 1
T: Two Voices
M: 4/4
L: 1/4
%%score (1 2)
K: G
V:1 clef=treble name="Melody"
V:2 clef=bass name="Bass"
[V:1] G A B c|d2 B2|c A F A|G4|]
[V:2] G,,2 D,2|G,,2 G,2|A,,2 D,2|G,,4|]
""",
    # inline fields: key, meter and length changes
    "06_inline_fields.abc": """X: 1
T: Inline Fields
M: 4/4
L: 1/8
K: D
DFAF d2AF|GBAG F2E2|[K:G] GBdB g2dB|[M:3/4] c2B2A2|[L:1/16][M:4/4] G4B4d4g4|]
""",
    # modal keys
    "07_modes.abc": """X: 1
T: Dorian Tune
M: 4/4
L: 1/8
K: Ador
|:EAAG ABcd|eaag edBd|GFGA GFED|EDEG A2AB:|

X: 2
T: Mixolydian Tune
M: 4/4
L: 1/8
K: D mix
|:A2FA d2fd|c2AB cdec|A2FA d2fe|dcAG FDD2:|

X: 3
T: Edor Tune
M: 6/8
L: 1/8
K:Edor
|:B,EE BEE|FED FGA|B,EE BEE|FDF E3:|
""",
    "08_key_none_hp.abc": """X: 1
T: No Key
M: 4/4
L: 1/8
K: none
C2^F2 G2_B2|c4 ^c4|]

X: 2
T: Pipes
M: 2/4
L: 1/8
K: HP
Ac Bc|dB cA|e2 A2|]
""",
    # missing L: (so 1/8 from the meter) and missing M: (free meter)
    "09_no_L_no_M.abc": """X: 1
T: No Length Field
M: 2/4
K: D
DEF GAB|
""",
    "10_no_meter.abc": """X: 1
T: No Meter Field
L: 1/8
K: D
DEFG ABcd|d2c2 B2A2|]
""",
    "11_common_cut_time.abc": """X: 1
T: Cut Time
M: C|
L: 1/8
K: G
GABc dBGB|cedc BGGB|]

X: 2
T: Common Time
M: C
L: 1/8
K: G
GABc dBGB|cedc BGGB|]
""",
    "12_tempo.abc": """X: 1
T: Plain Tempo
M: 4/4
L: 1/8
Q: 1/4=120
K: C
CDEF GABc|]

X: 2
T: Named Tempo
M: 4/4
L: 1/8
Q: "Allegro" 1/4=144
K: C
CDEF GABc|]
""",
    # tuplets, broken rhythm, ties over bar lines
    "13_rhythms.abc": """X: 1
T: Rhythms
M: 4/4
L: 1/8
K: D
(3DEF (3GAB A2 d2|(3:2:3 d2c BA A>B A<F|F>>E D2 D4-|D8|]
""",
    # ornaments: rolls, grace notes, trills, staccato
    "14_ornaments.abc": """X: 1
T: Ornaments
M: 6/8
L: 1/8
K: G
~G3 {A}GAB|!trill!A3 .A.B.d|{gf}e2d ~B2A|G3 G3|]
""",
    # chord symbols: slash chords, alternatives, annotations
    "15_chord_symbols.abc": """X: 1
T: Chord Symbols
M: 4/4
L: 1/4
K: C
"C" c2 "Am7/G" A2|"F" "(Dm)" F2 "G7" G2|"^rit." "C" E2 "_softly" C2|"Am" A4|]
""",
    # endings: [1 [2 and |1 :|2 and ::
    "16_endings.abc": """X: 1
T: Endings
M: 4/4
L: 1/8
K: G
|:GABc dBGB|cBAG FGAF|[1 G2B2 d4:|[2 G2F2 G4||
|:gfed BGBd|cBAG FGAF|1 G2B2 d4:|2 G2F2 G4::
B2d2 g4|fedc B4:|
""",
    # lyrics, chords, multi-bar rests, invisible rests, spacers
    "17_lyrics_rests.abc": """X: 1
T: Song With Words
M: 4/4
L: 1/4
K: F
Z4|C F F G|A2 F2|x4|y A B c|d2 c2|[FAc]4|]
w: Hush a-by my ba-by, now sleep *
""",
    # continuation, comments, directives
    "18_continuation_comments.abc": """%abc-2.1
%%pagewidth 21cm
X: 1 % first tune
T: Continued Lines
M: 4/4 % common time
L: 1/8
%%MIDI program 73
K: D
DEFG ABcd|\\
e2d2 c2B2|% a comment
A8|]
""",
    # a title with non-ASCII characters, CRLF line endings, BOM: written as bytes below
    "19_crlf_bom_unicode.abc": None,  # type: ignore[dict-item]
    # a pickup bar
    "20_pickup.abc": """X: 1
T: Pickup Reel
R: reel
M: 4/4
L: 1/8
K: D
A|:d2fd AdFA|dfaf gefg|d2fd AdFA|BGEF D3A:|
""",
    # hostile
    "21_empty.abc": "",
    "22_only_headers.abc": """X: 1
T: Nothing But Headers
M: 4/4
L: 1/8
K: D
""",
    "23_x_no_k.abc": """X: 1
T: No Key Line
M: 4/4
L: 1/8
DEFG ABcd|]
""",
    "24_thousand_notes.abc": "X: 1\nT: One Huge Bar\nM: 4/4\nL: 1/8\nK: C\n" + "CDEF" * 250 + "|]\n",
    "25_two_megabytes.abc": None,  # type: ignore[dict-item]
    "26_garbage.abc": None,  # type: ignore[dict-item]
    # the repeat and P: with B part repeated through P:ABAB
    "27_parts_inline_repeat.abc": """X: 1
T: Parts With Repeats
M: 6/8
L: 1/8
P: ABA
K: G
P:A
|:GAB dBG|c2A BGE|GAB dBG|A3 G3:|
P:B
|:d2e fed|c2A BGE|d2e fed|A3 G3:|
""",
}


def main() -> None:
    for name, text in FILES.items():
        path = HERE / name
        if name == "19_crlf_bom_unicode.abc":
            body = ("X: 1\nT: Ríl an Spáinnigh — Ñandú\nC: Seán Ó Riada\nM: 4/4\nL: 1/8\nK: Em\n"
                    "|:E2BE dEBE|E2BE AFDF:|\n")
            path.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode("utf-8"))
        elif name == "25_two_megabytes.abc":
            tune = "X: {n}\nT: Tune {n}\nM: 4/4\nL: 1/8\nK: G\n|:GABc dBGB|cedc BGGB:|\n\n"
            chunks, size, n = [], 0, 1
            while size < 2_000_000:
                chunks.append(tune.format(n=n))
                size += len(chunks[-1])
                n += 1
            path.write_text("".join(chunks))
        elif name == "26_garbage.abc":
            import random

            rng = random.Random(39)
            path.write_bytes(bytes(rng.randrange(256) for _ in range(3000)))
        else:
            path.write_text(text)
    print(f"wrote {len(FILES)} files to {HERE}")


if __name__ == "__main__":
    main()
