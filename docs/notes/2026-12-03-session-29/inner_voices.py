"""How busy the lower voices are: notes per beat, share of notes an eighth or shorter, and share of
notes that repeat the pitch before them (a re-strike where Bach often holds), per voice S A T B.
Bach's first 40 validation chorales, their sopranos harmonized (seed i), and 40 composed chorales.

    python docs/notes/2026-12-03-session-29/inner_voices.py
"""
import sys

import numpy as np

sys.path.insert(0, "scripts")
from musician_checks import composed_chorales, harmonized_sopranos  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) == 4][:40]


def busy(pieces, name):
    rows = []
    for p in pieces:
        d = p.duration()
        row = []
        for t in p.tracks:
            ns = sorted(t.notes, key=lambda n: n.onset)
            row.append([len(ns) / d, np.mean([n.duration <= 0.5 + 1e-6 for n in ns]),
                        np.mean([a.pitch == b.pitch for a, b in zip(ns, ns[1:])])])
        rows.append(row)
    m = np.mean(rows, axis=0)  # voice x measure
    print(f"{name}: notes/beat {np.round(m[:, 0], 2).tolist()}, eighths or shorter {np.round(m[:, 1], 3).tolist()}, "
          f"repeated pitch {np.round(m[:, 2], 3).tolist()}", flush=True)


busy(chorales, "Bach")
busy(harmonized_sopranos(chorales), "harmonized")
busy(composed_chorales(40), "composed")
