"""Unresolved sevenths of dominant-seventh sonorities in the first 40 JSB validation sopranos (as the census; seed
base + i, bases 3000 and 5000), by session 54's `lower_voice_census.census`, with this session's
three co-creation rules ("after") or without them ("before").

    .venv/bin/python docs/notes/2026-12-07-session-64/harmonized_sevenths.py before|after
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.sampling import feedback, part_writing

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location(
    "census54", ROOT / "docs/notes/2026-12-06-session-54/lower_voice_census.py"
)
census54 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(census54)


def main() -> None:
    if sys.argv[1] == "before":
        feedback.BASS_RESTRIKE_LENGTH_PENALTY = 0.0
        feedback.QUICK_ROCKS_IN_COCREATE = False
        part_writing.CLOSING_BASS_APPROACH_CLEAR = False
    bach = [p for p in load_corpus(None).filter(split="valid", source="jsb") if len(p.tracks) >= 4][:40]
    for base in (3000, 5000):
        total: Counter = Counter()
        for i, chorale in enumerate(bach):
            soprano = copy.deepcopy(chorale)
            soprano.tracks = soprano.tracks[:1]
            total += census54.census(ts.harmonize(soprano, style="chorale", seed=base + i).piece)
        print(sys.argv[1], base, "unresolved", total["unresolved_7ths"], "of", total["sevenths"])


if __name__ == "__main__":
    main()
