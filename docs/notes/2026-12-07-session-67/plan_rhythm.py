"""Session 67: the chorale harmonizer's most likely plan (take 1 of `tunesmith harmonize --style
chorale`) against Bach's chords on the same JSB sopranos, beat by beat: how often the chord stays
from one beat to the next (all beats, and beats under a soprano note held from the beat before),
and how often the plan's label and root are Bach's; per self-transition penalty `--stay` (the best
path with each beat's staying on the chord before costing that many log-units; 0 = as shipped,
each beat's most likely chord); and of drawn plans (three a soprano) per `--drawn-stay`.

    .venv/bin/python docs/notes/2026-12-07-session-67/plan_rhythm.py [--split valid] [--stay 0,0.5,1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_chorale_plan import plan_inputs  # noqa: E402

from tunesmith.cocreate.chords import _harmonizer_of  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.harmonizer import QUALITY_NAMES, units_for  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="valid")
    ap.add_argument("--stay", default="0,0.5,1,1.5,2")
    ap.add_argument("--drawn-stay", default="0", help="stay costs for drawn plans")
    a = ap.parse_args()
    net = _harmonizer_of(None, kind="chorale")
    pieces = [p for p in load_corpus(None).filter(split=a.split, style="chorale")
              if p.source == "jsb" and p.keys and len(p.tracks) >= 4]  # fmt: skip
    rows = []
    for p, (logp, bach) in zip(pieces, plan_inputs(net, pieces)):
        notes = sorted(p.tracks[0].notes, key=lambda n: n.onset)
        held = np.array([any(n.onset < s - 1e-6 < s + 1e-6 < n.onset + n.duration for n in notes)
                         for s, _ in units_for(p, "beat")])  # fmt: skip
        rows.append((logp, bach, held))
    print(f"{len(rows)} JSB {a.split} chorales, {sum(len(r[1]) for r in rows)} beats")
    nq = len(QUALITY_NAMES)

    def stays(labels, mask):
        same = labels[1:] == labels[:-1]
        ok = (labels[1:] >= 0) & (labels[:-1] >= 0) & mask[1:]
        return same[ok].sum(), ok.sum()

    tot = np.zeros(2)
    tot_held = np.zeros(2)
    for _, bach, held in rows:
        tot += stays(bach, np.ones_like(held))
        tot_held += stays(bach, held)
    print(f"Bach: chord stays {tot[0] / tot[1]:.3f} of beats; under a held soprano note {tot_held[0] / tot_held[1]:.3f}"
          f" ({int(tot_held[1])} beats)")  # fmt: skip
    for stay in (float(x) for x in a.stay.split(",")):
        s_all, s_held, agree, roots, n = np.zeros(2), np.zeros(2), 0, 0, 0
        for logp, bach, held in rows:
            path = net.decode(logp, style="chorale", stay_cost=stay)
            s_all += stays(path, np.ones_like(held))
            s_held += stays(path, held)
            ok = bach >= 0
            agree += int((path[ok] == bach[ok]).sum())
            roots += int((path[ok] // nq == bach[ok] // nq).sum())
            n += int(ok.sum())
        print(f"stay cost {stay:g}: chord stays {s_all[0] / s_all[1]:.3f}; under a held note {s_held[0] / s_held[1]:.3f};"
              f" labels as Bach's {agree / n:.3f}, roots {roots / n:.3f}", flush=True)  # fmt: skip
    for stay in (float(x) for x in a.drawn_stay.split(",")):
        s_all, s_held, agree, n = np.zeros(2), np.zeros(2), 0, 0
        for i, (logp, bach, held) in enumerate(rows):  # drawn plans, as takes 2 and later have (`plan(rng=...)`)
            for draw in range(3):
                path = net.decode(logp, rng=np.random.default_rng([i, draw]), style="chorale", stay_cost=stay)
                s_all += stays(path, np.ones_like(held))
                s_held += stays(path, held)
                ok = bach >= 0
                agree += int((path[ok] == bach[ok]).sum())
                n += int(ok.sum())
        print(f"drawn plans (3 a soprano), stay cost {stay:g}: chord stays {s_all[0] / s_all[1]:.3f}; under a held note"
              f" {s_held[0] / s_held[1]:.3f}; labels as Bach's {agree / n:.3f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
