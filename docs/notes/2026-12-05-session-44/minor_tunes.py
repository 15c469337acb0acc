"""The same measures as `minor_takes.py` on a style's minor-key pieces (a split; --shippable for
those a shipped model may learn from): music21's key of the melody, and time on the minor third
against the major third over the tonic.

    python docs/notes/2026-12-05-session-44/minor_tunes.py STYLE SPLIT [--shippable]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from minor_takes import minor_figures  # noqa: E402

from tunesmith.corpus.store import load_corpus  # noqa: E402
from tunesmith.licenses import may_ship  # noqa: E402


def main():
    style, split = sys.argv[1], sys.argv[2]
    pieces = [p for p in load_corpus().filter(split=split, style=style)
              if ("--shippable" not in sys.argv or may_ship(p.license)) and p.melody() is not None and p.keys
              and len(p.keys) == 1 and p.keys[0].mode == "minor" and len(p.melody().notes) >= 16]
    print(f"{style} {split} minor pieces {' '.join(sys.argv[3:])}: {minor_figures(pieces)}")


if __name__ == "__main__":
    main()
