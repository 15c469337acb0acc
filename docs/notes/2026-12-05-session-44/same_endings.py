"""First and second endings that are the same notes: for folk takes in AABB (32 bars, strains of
8), whether the last bar of each strain's second time (its second ending) has the same notes
(pitch, place, length) as the first time's, and whether that second ending's last note is the
tonic.

    python docs/notes/2026-12-05-session-44/same_endings.py N [--dance D]"""

from __future__ import annotations

import sys

import tunesmith


def notes_of(piece, bars, b):
    start = bars[b]
    end = bars[b + 1] if b + 1 < len(bars) else piece.duration()
    return [(round(n.onset - start, 3), n.pitch, round(n.duration, 3)) for n in piece.melody().notes
            if start - 1e-6 <= n.onset < end - 1e-6]


def main():
    n = int(sys.argv[1])
    dance = sys.argv[sys.argv.index("--dance") + 1] if "--dance" in sys.argv else None
    model = tunesmith.load_model("default")
    same = endings = tonic = 0
    for s in range(n):
        p = tunesmith.compose("folk", seed=s, model=model, dance=dance, bars=32, pickup=0, check=False).piece
        bars = p.bars()
        for first, second in ((7, 15), (23, 31)):
            endings += 1
            same += notes_of(p, bars, first) == notes_of(p, bars, second)
            last = notes_of(p, bars, second)
            tonic += bool(last) and last[-1][1] % 12 == p.key.tonic_pc
    print(f"folk {dance or 'defaults'}, {n} takes: second endings with the first ending's notes {same} of {endings}; "
          f"second endings on the tonic {tonic} of {endings}")


if __name__ == "__main__":
    main()
