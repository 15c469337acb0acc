"""Under a chorale's fermatas (the chorale director's 3/4 finding): the share of soprano fermata
notes under which a lower voice strikes a new note, and the share of fermata chords whose lower
voices were not struck with the soprano (held over from before), for composed chorales in a meter
(seeds 0..N-1, keys alternating). The JSB chorales mark no fermatas; the director counted Bach's
own (music21's scores): a lower voice moves under 2.2 % of them.

    python docs/notes/2026-12-05-session-45/fermata_holds.py N [--meter 3/4]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chorale_sets import composed_chorales  # noqa: E402


def fermata_counts(piece) -> tuple[int, int, int]:
    """(fermatas, with a lower voice moving under the soprano's note, with a lower voice held over
    into it) over the piece's fermatas before its last bar."""
    sop = sorted(piece.tracks[0].notes, key=lambda n: n.onset)
    last_bar = piece.bars()[-1]
    n = moving = held = 0
    for f in piece.fermatas:
        if f >= last_bar - 1e-6:
            continue
        note = next((x for x in sop if abs(x.onset - f) < 1e-6), None)
        if note is None:
            continue
        end = note.onset + note.duration
        n += 1
        lower = [x for t in piece.tracks[1:] for x in t.notes]
        moving += any(f + 1e-6 < x.onset < end - 1e-6 for x in lower)
        held += any(x.onset < f - 1e-6 < f + 1e-6 < x.onset + x.duration for x in lower)
    return n, moving, held


def main():
    n = int(sys.argv[1])
    meter = sys.argv[sys.argv.index("--meter") + 1] if "--meter" in sys.argv else "3/4"
    rows = {"composed": [0, 0, 0]}
    for piece in composed_chorales(n, (meter,)):
        rows["composed"] = [a + b for a, b in zip(rows["composed"], fermata_counts(piece))]
    for name, (k, moving, held) in rows.items():
        print(f"{meter} {name:8s} {k:4d} fermatas: a lower voice moves under it {moving / max(k, 1):.3f}, "
              f"a lower voice held over into it {held / max(k, 1):.3f}")


if __name__ == "__main__":
    main()
