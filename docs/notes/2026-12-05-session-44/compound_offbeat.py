"""Notes struck between a compound meter's eighths (a sixteenth off them) in lead-sheet takes, and
the longest run of such notes in a row (a melody slipped a sixteenth off the beat for a bar or more).

    python docs/notes/2026-12-05-session-44/compound_offbeat.py STYLE METER N [--eighth-return on|off]

`--eighth-return on` sets `_Tables.eighth_return` for the style as folk has it (a note that starts
between eighths ends on one)."""

from __future__ import annotations

import sys

import numpy as np

import tunesmith
from tunesmith.sampling import tables


def main():
    style, meter, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if "--eighth-return" in sys.argv:
        on = sys.argv[sys.argv.index("--eighth-return") + 1] == "on"
        init = tables._Tables.__init__

        def patched(self, *a, **k):
            init(self, *a, **k)
            if self.voices[0] == "M" and int(meter.split("/")[0]) % 3 == 0 and meter.endswith("/8"):
                self.eighth_return = tables._EIGHTH if on else 0

        tables._Tables.__init__ = patched
    model = tunesmith.load_model("default")
    off = total = 0
    runs = []
    for s in range(n):
        notes = tunesmith.compose(style, meter=meter, seed=s, model=model, check=False).piece.melody().notes
        flags = [abs(x.onset * 2 - round(x.onset * 2)) > 1e-6 for x in notes]
        off += sum(flags)
        total += len(flags)
        run = best = 0
        for f in flags:
            run = run + 1 if f else 0
            best = max(best, run)
        runs.append(best)
    print(f"{style} {meter} {n} takes {' '.join(sys.argv[4:])}: off the eighths {off / total:.4f}; takes with a run of "
          f"3+ such notes {np.mean(np.array(runs) >= 3):.2f}, mean longest run {np.mean(runs):.2f}")


if __name__ == "__main__":
    main()
