"""Three unseen D major reels in C| (2/2) written as MusicXML by tunesmith's own writer, to render
beside takes asked for as the evaluation asks (meter 2/2, 32 bars, tempo 120 quarters).

    python docs/notes/2026-12-04-session-41/unseen/write_reals.py runs/s41/unseen/render
"""

import sys
from pathlib import Path

from tunesmith.inputs import read_file
from tunesmith.outputs.musicxml import write_musicxml

M21 = Path(__file__).resolve().parents[4] / ".venv/lib/python3.11/site-packages/music21/corpus"
TUNES = [("oneills1850/1176-1275.abc", 28, "real-maude-miller"), ("ryansMammoth/CupOfTeaReel.abc", 0, "real-cup-of-tea"),
         ("ryansMammoth/SalamancaReel.abc", 0, "real-salamanca")]  # fmt: skip
for rel, index, stem in TUNES:
    piece = read_file(M21 / rel)[index]
    print(stem, piece.title, piece.key, piece.time_signature, len(piece.bars()), "bars", piece.meta.get("left_out"))
    write_musicxml(piece, Path(sys.argv[1]) / f"{stem}.musicxml", repeats=True)
