"""Session 66: a harmonized JSB validation soprano (the i-th with four parts, seed 3000 + i) written
as MusicXML and WAV under one arm of `with_arm.py` ("before" / "after"), for MuseScore to render.

    .venv/bin/python docs/notes/2026-12-07-session-66/render_harmonized.py 3 before runs/s66/look
    QT_QPA_PLATFORM=offscreen mscore3 -o runs/s66/look/valid3-before.png runs/s66/look/valid3-before.musicxml
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from with_arm import apply_arm  # noqa: E402


def main() -> None:
    i, arm, out = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    apply_arm(arm)
    chorale = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][i]
    soprano = copy.deepcopy(chorale)
    soprano.tracks = soprano.tracks[:1]
    take = ts.harmonize(soprano, style="chorale", seed=3000 + i)
    out.mkdir(parents=True, exist_ok=True)
    take.write(out / f"valid{i}-{arm}.musicxml", force=True)
    take.write(out / f"valid{i}-{arm}.wav", force=True)
    print(take.piece.title, take.piece.key)


if __name__ == "__main__":
    main()
