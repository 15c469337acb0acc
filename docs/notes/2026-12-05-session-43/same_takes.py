"""Whether composed takes are note for note the same as another checkout's (run it under each, compare
the two JSON files): the default path in folk, pop, jazz and chorale and one given chord a bar, 3 seeds
each.

    PYTHONPATH=/tmp/wt/src python docs/notes/2026-12-05-session-43/same_takes.py before.json
    python docs/notes/2026-12-05-session-43/same_takes.py after.json; cmp before.json after.json
"""

import json
import sys

import tunesmith

REQUESTS = [("folk", {}), ("pop", {}), ("jazz", {}), ("chorale", {"bars": 8}),
            ("pop", {"chords": "C Am F G", "key": "C"}), ("jazz", {"chords": "Dm7 G7 Cmaj7 A7", "key": "C"}),
            ("folk", {"chords": "D G A D", "key": "D", "meter": "6/8"}), ("chorale", {"chords": "C F G C", "key": "C", "bars": 8})]


def main():
    out = []
    for style, kw in REQUESTS:
        for seed in (0, 1, 2):
            t = tunesmith.compose(style, seed=seed, check=False, **kw)
            out.append([(tr.name, [(n.onset, n.pitch, n.duration) for n in tr.notes]) for tr in t.piece.tracks]
                       + [[(c.onset, c.figure) for c in t.piece.chords]])  # fmt: skip
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
