"""How often music21 hears the key a JSB chorale is labelled in, for the two ways of labelling it.

    python docs/notes/2026-12-06-session-57/chorale_keys.py

old: `harmony.estimate_key` (Krumhansl-Schmuckler over the whole chorale, the label until session 57);
new: `harmony.estimate_key_from_close` (the final chord's root; a Phrygian close kept in its minor key).
music21's key finder (`metrics.musicality.music21_key`) is a third, independent opinion. Also: how
far each label's tonic lies from the final chord's lowest note, and the pieces where they differ.
"""

import collections

from tunesmith.corpus import load_corpus
from tunesmith.harmony import estimate_key, estimate_key_from_close
from tunesmith.metrics.musicality import music21_key

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def as_pair(key):
    return key.tonic_pc, ("minor" if key.mode == "minor" else "major")


counts = collections.Counter()
moved = collections.Counter()
for piece in load_corpus(None).filter(source="jsb"):
    old, new = as_pair(estimate_key(piece)), as_pair(estimate_key_from_close(piece))
    heard = music21_key(piece)
    counts[piece.split, "chorales"] += 1
    counts[piece.split, "music21 hears old"] += heard == old
    counts[piece.split, "music21 hears new"] += heard == new
    counts[piece.split, "changed"] += old != new
    if old != new:
        moved[(new[0] - old[0]) % 12, old[1], new[1]] += 1
for split in ("train", "valid", "test"):
    n = counts[split, "chorales"]
    print(
        f"{split}: {n} chorales, labels changed {counts[split, 'changed']}, music21 hears the label: "
        f"old {counts[split, 'music21 hears old'] / n:.3f}, new {counts[split, 'music21 hears new'] / n:.3f}"
    )
print("new tonic above old (semitones), old mode, new mode: chorales")
for k, v in moved.most_common():
    print(" ", k, v)
