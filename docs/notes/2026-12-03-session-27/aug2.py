import numpy as np, tunesmith as ts
from tunesmith.voice_leading import augmented_seconds
from tunesmith.score import pitch_class_of
steps = found = 0
for s in range(30):
    key = ("C", "G", "D", "A", "E")[s % 5]
    p = ts.compose(style="chorale", key=key, mode="minor", bars=8, seed=700 + s, check=False).piece
    for tr in p.tracks:
        notes = sorted(tr.notes, key=lambda n: n.onset)
        for a, b in zip(notes, notes[1:]):
            steps += 1
            found += bool(augmented_seconds(a.pitch, np.array([b.pitch]), pitch_class_of(key))[0])
print("aug2", found, "of", steps)
