"""Session 63: Jesu, meine Freude (BWV 227.1) harmonized in hymn texture, 4 takes a seed: takes whose
final chord crosses two voices, with `FINAL_TONE_IN_ORDER` on and off. `python final_tone_crossing.py 11 1 2 3 5`"""

import sys

import music21

import tunesmith as ts
from tunesmith.sampling import automaton as sampling_automaton

soprano = music21.corpus.parse("bach/bwv227.1").parts[0]
path = "/tmp/s63/jesu.musicxml"
soprano.write("musicxml", fp=path)


def crossed(seed):
    count = 0
    for take in ts.harmonize(path, style="chorale", texture="hymn", seed=seed, n=4):
        piece = take.piece
        strike = max(n.onset for n in piece.tracks[0].notes)
        at = [
            next((n.pitch for n in t.notes if n.onset <= strike + 1e-6 < n.onset + n.duration), None)
            for t in piece.tracks
        ]
        count += any(a is not None and b is not None and a < b for a, b in zip(at, at[1:]))
    return count


for seed in map(int, sys.argv[1:]):
    sampling_automaton.FINAL_TONE_IN_ORDER = True
    on = crossed(seed)
    sampling_automaton.FINAL_TONE_IN_ORDER = False
    print(seed, "on", on, "off", crossed(seed), flush=True)
