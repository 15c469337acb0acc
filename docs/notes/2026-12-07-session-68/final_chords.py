"""Session 68: the final chords of the first `--n` JSB validation sopranos harmonized (seed i), at
each `feedback.INNER_SPACING_GAIN` given, against Bach's: how many sound the chord's third, its
fifth, and all three tones.

    .venv/bin/python docs/notes/2026-12-07-session-68/final_chords.py [--gains 0,4] [--n 40]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from inner_spacing import per_gain  # noqa: E402


def final_chord(piece) -> tuple[int, set[int]]:
    """(the bass's pitch class, the pitch classes sounding) at the last onset of the soprano."""
    tracks = piece.tracks[:4]
    at = max(n.onset for n in tracks[0].notes)
    pcs = {n.pitch % 12 for t in tracks for n in t.notes if n.onset <= at + 1e-6 < n.onset + n.duration}
    bass = [n.pitch % 12 for n in tracks[3].notes if n.onset <= at + 1e-6 < n.onset + n.duration]
    return (bass[0] if bass else -1), pcs


def tally(pieces) -> str:
    third = fifth = whole = 0
    for p in pieces:
        root, pcs = final_chord(p)
        has3 = (root + 3) % 12 in pcs or (root + 4) % 12 in pcs
        has5 = (root + 7) % 12 in pcs
        third += has3
        fifth += has5
        whole += has3 and has5
    return f"{len(pieces)} final chords: third {third}, fifth {fifth}, all three tones {whole}"


def main() -> None:
    per_gain(tally)


if __name__ == "__main__":
    main()
