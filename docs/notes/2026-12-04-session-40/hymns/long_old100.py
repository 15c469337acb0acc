"""Old Hundredth sung twice through (two stanzas written out): long enough for co-create's two
chunks. Writes runs/s40/hymns/c/old100x2.musicxml."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_hymns import OLD100, build  # noqa: E402

# the second stanza starts where the first's short last bar leaves off (its pickup)
build("Old Hundredth (twice)", ("G", "major"), "4/4", OLD100 + OLD100, pickup=2).write(
    "musicxml", fp="runs/s40/hymns/c/old100x2.musicxml")
