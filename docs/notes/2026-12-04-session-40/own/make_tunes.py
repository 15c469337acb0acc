"""Write a folk band's "own" repertoire: 36 small AABB tunes (reels, jigs, waltzes) in D, G, A
and E minor as ABC, a few also as MusicXML and MIDI (via music21), plus 3 broken files.

    .venv/bin/python docs/notes/2026-12-04-session-40/own/make_tunes.py runs/s40/own/tunes

Deterministic (seeded). Tunes are built from a few motifs on scale degrees, varied by
transposition along the scale, inversion and rhythm; each strain is 8 bars, the A strain ends
on the tonic, the B strain sits higher.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

# Scale (ABC note names, two octaves up from the tonic) per key.
SCALES = {
    "D": ["D", "E", "F", "G", "A", "B", "c", "d", "e", "f", "g", "a", "b", "c'", "d'"],
    "G": ["G", "A", "B", "c", "d", "e", "f", "g", "a", "b", "c'", "d'", "e'", "f'", "g'"],
    "A": ["A", "B", "c", "d", "e", "f", "g", "a", "b", "c'", "d'", "e'", "f'", "g'", "a'"],
    "Em": ["E", "F", "G", "A", "B", "c", "d", "e", "f", "g", "a", "b", "c'", "d'", "e'"],
}
# Where the tonic sits in each scale list (motifs may dip below it, clamped to the lowest note).
START = {"D": 0, "G": 0, "A": 0, "Em": 0}

# Motifs: scale-degree offsets (0 = tonic) per beat group.
REEL_MOTIFS = [  # 8 eighths a bar, in two groups of 4
    [0, 2, 4, 2], [4, 3, 2, 1], [0, 1, 2, 0], [2, 4, 7, 4], [5, 4, 3, 2], [4, 2, 0, 2],
]
JIG_MOTIFS = [  # 6 eighths a bar, two groups of 3
    [0, 2, 4], [4, 2, 0], [2, 1, 0], [0, 1, 2], [4, 5, 4], [7, 4, 2],
]
WALTZ_MOTIFS = [  # 3 quarters a bar
    [0, 2, 4], [4, 3, 2], [2, 4, 7], [5, 4, 2],
]
NAMES_A = ["Miller's", "Lantern", "Riverside", "Old Barn", "Heron", "Salt Road", "Quarry",
           "Gable", "Hawthorn", "Cobbler's", "Ferry", "Weaver's"]
NAMES_B = {"reel": "Reel", "jig": "Jig", "waltz": "Waltz"}


def note(scale: list[str], base: int, deg: int) -> str:
    i = max(0, min(len(scale) - 1, base + deg))
    return scale[i]


def bar(rng: random.Random, kind: str, scale: list[str], base: int, motifs: list[list[int]],
        shift: int, end: bool = False) -> str:
    if kind == "waltz":
        if end:
            return note(scale, base, 0) + "3"
        m = rng.choice(motifs)
        notes = [note(scale, base, d + shift) for d in m]
        if rng.random() < 0.3:  # a half then a quarter
            return notes[0] + "2" + notes[2]
        return "".join(notes)
    group = 4 if kind == "reel" else 3
    groups = []
    for g in range(2):
        if end and g == 1:  # the strain ends on a long tonic: "d2d2" (reel), "d3" (jig)
            t = note(scale, base, 0)
            groups.append(t + "2" + t + "2" if kind == "reel" else t + "3")
            continue
        m = list(rng.choice(motifs))
        if rng.random() < 0.3:
            m = [4 - d for d in m]  # inversion around the fifth: stays above the tonic
        notes = [note(scale, base, d + shift) for d in m[:group]]
        if kind == "jig" and rng.random() < 0.3:
            groups.append(notes[0] + "2" + notes[2])  # quarter-eighth
        else:
            groups.append("".join(notes))
    return " ".join(groups) if kind == "reel" else "".join(groups[:1]) + " " + "".join(groups[1:])


def strain(rng: random.Random, kind: str, scale: list[str], base: int, motifs, high: bool) -> str:
    shifts = [0, 1, 2, 0, 3, 2, 1, 0] if not high else [4, 5, 4, 2, 4, 3, 1, 0]
    bars = [bar(rng, kind, scale, base, motifs, s, end=(i == 7)) for i, s in enumerate(shifts)]
    return "|".join(bars)


def tune(idx: int, rng: random.Random) -> tuple[str, str]:
    kind = ["reel", "jig", "waltz"][idx % 3]
    key = ["D", "G", "A", "Em"][(idx // 3) % 4]
    scale = SCALES[key]
    base = START[key]
    motifs = {"reel": REEL_MOTIFS, "jig": JIG_MOTIFS, "waltz": WALTZ_MOTIFS}[kind]
    meter = {"reel": "4/4", "jig": "6/8", "waltz": "3/4"}[kind]
    title = f"The {NAMES_A[idx % len(NAMES_A)]} {NAMES_B[kind]} No. {idx // len(NAMES_A) + 1}"
    a = strain(rng, kind, scale, base, motifs, high=False)
    b = strain(rng, kind, scale, base, motifs, high=True)
    text = (f"X:{idx + 1}\nT:{title}\nC:The Hawthorn Band\nR:{kind}\nM:{meter}\nL:1/8\n"
            f"Q:{ {'reel': '1/4=108', 'jig': '3/8=112', 'waltz': '1/4=132'}[kind] }\n"
            f"K:{key}\n|:{a}:|\n|:{b}:|\n")
    if kind == "waltz":
        text = text.replace("L:1/8", "L:1/4")
    stem = f"{idx + 1:02d}-{kind}-{key.lower()}"
    return stem, text


def main(out: Path) -> None:
    rng = random.Random(40)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(36):
        stem, text = tune(i, rng)
        path = out / f"{stem}.abc"
        path.write_text(text)
        written.append(path)
    # A few also as MusicXML / MIDI (the band exported them from their notation program); those
    # tunes are moved out of the ABC set so the same tune is not there twice.
    import music21

    xml_dir = out / "exported"
    xml_dir.mkdir(exist_ok=True)
    for path in written[30:]:
        score = music21.converter.parse(path.read_text(), format="abc")
        if int(path.stem[:2]) % 2:
            score.write("musicxml", fp=xml_dir / f"{path.stem}.musicxml")
        else:
            score.write("midi", fp=xml_dir / f"{path.stem}.mid")
        path.unlink()
    broken = out / "broken"
    broken.mkdir(exist_ok=True)
    (broken / "empty.abc").write_text("")
    (broken / "not-really.mid").write_text("this is a set list, not a MIDI file\n")
    (broken / "no-key.abc").write_text(
        "X:1\nT:The Tune Without a Key\nM:4/4\nL:1/8\nDEFG ABcd|edcB AGFE|DEFG ABcd|e2d2 d4:|\n")
    print(f"wrote {len(list(out.rglob('*.*')))} files under {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "runs/s40/own/tunes"))
