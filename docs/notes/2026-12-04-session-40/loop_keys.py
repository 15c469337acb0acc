"""How often a 4-chord loop's key is read right from its chords (`harmony.estimate_key_from_chords`).

    python docs/notes/2026-12-04-session-40/loop_keys.py valid|test [N_CHORDS]

For each keyed piece with chord symbols (POP909, Billboard, the jazz progressions, Nottingham) of
the split: its first N_CHORDS chord changes (default 4) as a musician would type them for
`compose --chords`; N_CHORDS 0: every change, the whole progression. Prints, per source and for loops whose first chord is minor / major: the
share whose tonic and mode are read right, by the shipped rule and by variants."""

from __future__ import annotations

import sys
from collections import defaultdict

import numpy as np

from tunesmith import harmony
from tunesmith.corpus.store import load_corpus
from tunesmith.score import pitch_class_of


def changes(piece, n):
    out = []
    for c in sorted(piece.chords, key=lambda c: c.onset):
        if not out or out[-1] != c.figure:
            out.append(c.figure)
        if len(out) == n:
            break
    return out


def is_minor(figure):
    try:
        q = harmony.parse_chord(figure)[1]
    except ValueError:
        return None
    return q.startswith("m") and not q.startswith("maj")


def main():
    split = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    corpus = load_corpus().filter(split=split, source={"pop909", "billboard", "progressions", "nottingham"})
    variants = {"harmony.estimate_key_from_chords": harmony.estimate_key_from_chords}
    extra = getattr(harmony, "_LOOP_VARIANTS", {})
    variants.update(extra)
    tally = defaultdict(lambda: defaultdict(list))
    for piece in corpus:
        if not piece.keys or not piece.chords:
            continue
        figs = changes(piece, n)
        if len(figs) < max(n, 2) or is_minor(figs[0]) is None:
            continue
        truth = (pitch_class_of(piece.keys[0].tonic), piece.keys[0].mode in ("minor", "aeolian", "dorian", "phrygian"))
        group = "first minor" if is_minor(figs[0]) else "first major"
        src = piece.source
        for name, fn in variants.items():
            try:
                k = fn(figs)
            except ValueError:
                continue
            ok = (pitch_class_of(k.tonic), k.mode == "minor") == truth
            tally[(src, group)][name].append(ok)
            tally[("all", group)][name].append(ok)
        first_root = harmony.parse_chord(figs[0])[0]
        tally[(src, group)]["first chord is the tonic"].append(first_root == truth[0] and is_minor(figs[0]) == truth[1])
        tally[("all", group)]["first chord is the tonic"].append(first_root == truth[0] and is_minor(figs[0]) == truth[1])
    for (src, group), by in sorted(tally.items()):
        cells = "  ".join(f"{name} {np.mean(v):.3f}" for name, v in by.items())
        print(f"{split} {src:12s} {group:12s} n={len(next(iter(by.values()))):5d}  {cells}")


if __name__ == "__main__":
    main()
