"""The Passion chorale's soprano (BWV 244.62, music21's corpus) harmonized with seeds 1-40: the takes
whose close moves in parallels (`tests/test_chorale_planned_close.closes`). Run from the repository
root; flags by `/tmp/toggle.py "module:NAME=VALUE" THIS`.

python docs/notes/2026-12-06-session-58/passion_closes.py
"""

import sys
import tempfile
from pathlib import Path

import music21

sys.path.insert(0, "tests")
import test_chorale_planned_close as planned_close  # noqa: E402

path = Path(tempfile.mkdtemp()) / "passion.musicxml"
music21.corpus.parse("bach/bwv244.62").parts[0].write("musicxml", fp=str(path))
takes = planned_close.closes(path, seeds=range(1, 41))
bad = [i + 1 for i, (_, parallels) in enumerate(takes) if parallels]
print("parallels in", len(bad), "of", len(takes), bad, "not held", sum(not held for held, _ in takes))
