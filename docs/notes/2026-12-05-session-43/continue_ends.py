"""How many continuations end on a note outside the chord sounding at their end: the songwriter helper's
rhythm-changes take over "Dm7 G7 | Cm7 / F7 / | Ebmaj7 Ab7 | Bb6" and its blues with --chords again
(files in /tmp/musician2, not kept), 12 seeds each.

    python docs/notes/2026-12-05-session-43/continue_ends.py
"""

import tunesmith
from tunesmith.harmony import chord_pitch_classes

JOBS = (("/tmp/musician2/rc.musicxml", "Dm7 G7 | Cm7 / F7 / | Ebmaj7 Ab7 | Bb6"), ("/tmp/musician2/blues.musicxml", "again"))


def main():
    bad = n = 0
    for src, chords in JOBS:
        for seed in range(12):
            take = tunesmith.continue_(src, bars=4, chords=chords, seed=seed)
            last = max(take.piece.melody().notes, key=lambda x: x.onset)
            sounding = [c for c in sorted(take.piece.chords, key=lambda c: c.onset) if c.onset <= last.onset + 1e-9][-1]
            n += 1
            if last.pitch % 12 not in chord_pitch_classes(sounding.figure):
                bad += 1
                print(src.split("/")[-1], seed, last.pitch, sounding.figure, take.provenance.get("cocreate", {}).get("final_chord"))
    print(f"{bad} of {n} end off their last chord")


if __name__ == "__main__":
    main()
