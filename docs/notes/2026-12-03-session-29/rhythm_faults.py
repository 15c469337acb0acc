"""Folk takes: melody notes that overlap the next one, and rests shorter than a sixteenth."""
import sys
import tunesmith as ts
n = int(sys.argv[1])
faults = []
for dance in ("reel", "jig", "hornpipe", "slip-jig", "waltz"):
    for seed in range(n):
        for mode in ("major", "dorian"):
            take = ts.compose(style="folk", dance=dance, mode=mode, bars=16, seed=seed)
            notes = sorted(take.piece.melody().notes, key=lambda x: x.onset)
            for a, b in zip(notes, notes[1:]):
                gap = b.onset - (a.onset + a.duration)
                if gap < -1e-6 or 1e-6 < gap < 0.25 - 1e-6:
                    faults.append((dance, mode, seed, round(a.onset, 3), round(a.duration, 3), round(gap, 3)))
print(len(faults), "faults in", 5 * 2 * n, "takes")
for f in faults[:20]:
    print(f)
