"""How many corpus ABC tunes the bar-accidental reading changes: each tune read as ABC 2.1 (the
reader now) and as music21's default ABC 1.3 (before), notes compared.
usage: .venv/bin/python docs/notes/2026-12-04-session-40/hymns/abc_accidentals_count.py ../shared/data/nottingham ../shared/data/irish
"""
import sys
import warnings
from pathlib import Path

from music21 import abcFormat as af

from tunesmith.inputs import abc as A

warnings.simplefilter("ignore")
orig = af.ABCHandler


def read(path, version):
    af.ABCHandler = lambda abcVersion=None: orig(abcVersion=version)  # noqa: ARG005
    A.af = af
    try:
        return A.read_abc(path, on_error="warn")
    except Exception:  # noqa: BLE001
        return []
    finally:
        af.ABCHandler = orig


for root in sys.argv[1:]:
    tunes = changed = notes = changed_notes = 0
    for path in sorted(Path(root).rglob("*.abc")):
        new, old = read(path, (2, 1, 0)), read(path, (1, 3, 0))
        for a, b in zip(new, old):
            pa = [n.pitch for t in a.tracks for n in t.notes]
            pb = [n.pitch for t in b.tracks for n in t.notes]
            tunes += 1
            notes += len(pa)
            d = sum(x != y for x, y in zip(pa, pb)) + abs(len(pa) - len(pb))
            changed += d > 0
            changed_notes += d
    print(f"{root}: {changed} of {tunes} tunes read differently; {changed_notes} of {notes} notes")
