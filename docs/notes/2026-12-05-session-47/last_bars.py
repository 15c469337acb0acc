"""Print a composed take's last bars: each bar's chords and melody notes (name, beat, length).

    python docs/notes/2026-12-05-session-47/last_bars.py STYLE KEY MODE METER BARS SEED [FORM] [--bars K]
"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.harmony import spell_pitch


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    k = int(sys.argv[sys.argv.index("--bars") + 1]) if "--bars" in sys.argv else 3
    if "--bars" in sys.argv:
        args.remove(str(k))
    style, key, mode, meter, bars, seed, *form = args
    kw = {"form": form[0] if form[0] != "none" else ""} if form else {}
    take = tunesmith.compose(style=style, key=key, mode=mode, meter=meter, bars=int(bars), seed=int(seed), **kw)
    p = take.piece
    onsets = p.bars() + [p.duration()]
    for b in range(len(onsets) - 1 - k, len(onsets) - 1):
        lo, hi = onsets[b], onsets[b + 1]
        chords = " ".join(f"{c.figure}@{c.onset - lo:g}" for c in p.chords if lo - 1e-6 <= c.onset < hi - 1e-6)
        notes = " ".join(f"{spell_pitch(n.pitch, p.key)}@{n.onset - lo:g}/{n.duration:g}" for n in p.melody().notes if lo - 1e-6 <= n.onset < hi - 1e-6)
        print(f"bar {b + 1}: [{chords}] {notes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
