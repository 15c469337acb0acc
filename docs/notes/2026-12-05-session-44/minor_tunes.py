"""The same measures as `minor_takes.py` on a style's minor-key pieces (a split; --shippable for
those a shipped model may learn from): music21's key of the melody, and time on the minor third
against the major third over the tonic.

    python docs/notes/2026-12-05-session-44/minor_tunes.py STYLE SPLIT [--shippable]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from minor_takes import heard  # noqa: E402

from tunesmith.corpus.store import load_corpus  # noqa: E402
from tunesmith.licenses import may_ship  # noqa: E402


def main():
    style, split = sys.argv[1], sys.argv[2]
    n = ok = relmaj = parmaj = 0
    m3 = M3 = 0.0
    for p in load_corpus().filter(split=split, style=style):
        if "--shippable" in sys.argv and not may_ship(p.license):
            continue
        if p.melody() is None or not p.keys or len(p.keys) > 1 or p.keys[0].mode != "minor" or len(p.melody().notes) < 16:
            continue
        n += 1
        tpc = p.keys[0].tonic_pc
        pc, mode = heard(p)
        ok += pc == tpc and mode == "minor"
        relmaj += pc == (tpc + 3) % 12 and mode == "major"
        parmaj += pc == tpc and mode == "major"
        for x in p.melody().notes:
            d = (x.pitch - tpc) % 12
            m3 += x.duration * (d == 3)
            M3 += x.duration * (d == 4)
    print(f"{style} {split} minor pieces {n} {' '.join(sys.argv[3:])}: heard in their minor key {ok / n:.2f}, relative "
          f"major {relmaj / n:.2f}, parallel major {parmaj / n:.2f}; time on the minor third / major third "
          f"{m3 / max(m3 + M3, 1e-9):.2f} / {M3 / max(m3 + M3, 1e-9):.2f}")


if __name__ == "__main__":
    main()
