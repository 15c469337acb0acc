"""How often `strain_played_twice` finds the strain a real tune's opening plays twice: the valid
split's folk tunes, their first 16 full bars given (as a musician gives the A A), split by what their
own repeat signs say (the reader's sections: A A first, or no section played twice).

    python docs/notes/2026-12-05-session-45/strain_twice_found.py [SPLIT]"""

from __future__ import annotations

import copy
import sys
from collections import Counter

from tunesmith.cocreate.continuation import strain_played_twice
from tunesmith.cocreate.inputs import _grid
from tunesmith.corpus.store import load_corpus
from tunesmith.inputs import played_repeat_labels


def main():
    split = sys.argv[1] if len(sys.argv) > 1 else "valid"
    found: Counter = Counter()
    for p in load_corpus().filter(split=split, style="folk"):
        melody = p.melody()
        ts = p.time_signature
        if melody is None or len(p.bars()) < 17 + bool(p.pickup_beats()):
            continue
        labels = played_repeat_labels(p)
        sections = p.meta.get("sections") or []
        if labels[:2] == ["A", "A"] and sections[0][1] - sections[0][0] in (8, 9):
            kind = "A A of 8 (repeat signs)"
        elif not labels and p.meta.get("repeats_expanded") is not False and len(sections) <= 1:
            kind = "no repeat signs"
        else:
            continue
        cut = p.bars()[16 + bool(p.pickup_beats())]
        notes = [x for x in melody.notes if x.onset < cut - 1e-6]
        given = copy.deepcopy(p)
        for t in given.tracks:
            t.notes = [x for x in t.notes if x.onset < cut - 1e-6]
        given.bar_onsets, given.end = [b for b in p.bars() if b < cut - 1e-6], cut
        try:
            grid = _grid(given, f"{ts.numerator}/{ts.denominator}")
        except ValueError:
            continue
        found[kind, strain_played_twice(notes, grid) == 8] += 1
    for kind in ("A A of 8 (repeat signs)", "no repeat signs"):
        n = found[kind, True] + found[kind, False]
        print(f"{split} folk, {kind}: {n} tunes, a strain played twice found in {found[kind, True]} "
              f"({found[kind, True] / max(n, 1):.3f})")


if __name__ == "__main__":
    main()
