"""Where the folk takes differ most from unseen real folk tunes (session 41, issue #9): tables from
the rows `per_piece.py` wrote.

    python docs/notes/2026-12-04-session-41/unseen/analyze.py runs/s41/unseen/rows.json

The classifier figures are `metrics.c2st.cross_validated_accuracy` on `metrics.c2st.feature_vector`
(the run's own classifier: 5 folds, fold seed = the run's seed); groups pool the three seeds.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from tunesmith.metrics.c2st import cross_validated_accuracy

# blocks of `feature_vector`: PC, PCH(12), PCTM(144), PR, PI, NC, IOI, NLH(12), NLTM(144)
BLOCKS = {"pitch (PC, PCH, PCTM, PR, PI)": list(range(0, 159)), "rhythm (NC, IOI, NLH, NLTM)": list(range(159, 317)),
          "note lengths (NLH, NLTM)": list(range(161, 317)), "PCH + PCTM": list(range(1, 157)),
          "PC, PR, PI, NC, IOI": [0, 157, 158, 159, 160]}  # fmt: skip
SCALARS = {"pitch count": 0, "pitch range": 157, "mean interval (PI)": 158, "note count": 159, "mean IOI (beats)": 160}
NLH = ["whole", "half", "quarter", "8th", "16th", "dotted half", "dotted quarter", "dotted 8th", "dotted 16th",
       "half triplet", "quarter triplet", "8th triplet"]  # fmt: skip
MEASURES = ["mean_abs_interval", "stepwise_share", "opening_leap_share", "repeated_bar_share", "key_heard",
            "home_key_share", "ends_on_tonic", "ends_on_estimated_tonic"]  # fmt: skip


def acc(real: list[dict], take: list[dict], seed: int, cols=None) -> float:
    x = np.array([r["fv"] for r in real + take], dtype=float)
    if cols is not None:
        x = x[:, cols]
    y = np.array([0] * len(real) + [1] * len(take))
    return cross_validated_accuracy(x, y, folds=5, seed=seed)[0]


def d(a: list[float], b: list[float]) -> float:
    """Cohen's d of b against a (pooled sd)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    sd = np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
    return float((b.mean() - a.mean()) / sd) if sd > 0 else float("nan")


def mean(rows: list[dict], key: str) -> float:
    vals = np.array([r[key] for r in rows if r[key] is not None], dtype=float)
    vals = vals[np.isfinite(vals)]
    return float(vals.mean()) if len(vals) else float("nan")


def main(path: str) -> int:
    rows = json.loads(Path(path).read_text())
    by = defaultdict(list)
    for r in rows:
        by[(r["set"], r["kind"])].append(r)
    sets = sorted({r["set"] for r in rows}, reverse=True)
    seeds = sorted({r["seed"] for r in rows})

    print("## The classifier, per seed and by feature block (mean over seeds)\n")
    print("| set | all 317 features | " + " | ".join(BLOCKS) + " |")
    print("|---|---|" + "---|" * len(BLOCKS))
    for s in sets:
        cells = []
        for cols in [None, *BLOCKS.values()]:
            vals = [acc([r for r in by[(s, "real_cut")] if r["seed"] == k], [r for r in by[(s, "take")] if r["seed"] == k],
                        k, cols) for k in seeds]  # fmt: skip
            cells.append(f"{np.mean(vals):.3f} ± {np.std(vals):.3f}")
        print(f"| {s} | " + " | ".join(cells) + " |")

    print("\n## Features: takes against the real pieces the classifier saw (Cohen's d, takes - real; 3 seeds pooled)\n")
    print("| feature | " + " | ".join(f"{s} real | {s} takes | {s} d" for s in sets) + " |")
    print("|---|" + "---|---|---|" * len(sets))
    for name, j in SCALARS.items():
        cells = []
        for s in sets:
            a, b = [r["fv"][j] for r in by[(s, "real_cut")]], [r["fv"][j] for r in by[(s, "take")]]
            cells.append(f"{np.mean(a):.2f} | {np.mean(b):.2f} | {d(a, b):+.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for j, name in enumerate(NLH):
        cells = []
        for s in sets:
            a, b = [r["fv"][161 + j] for r in by[(s, "real_cut")]], [r["fv"][161 + j] for r in by[(s, "take")]]
            cells.append(f"{np.mean(a):.3f} | {np.mean(b):.3f} | {d(a, b):+.2f}")
        print(f"| share of {name} notes | " + " | ".join(cells) + " |")
    for key in ("notes_per_bar", "lowest", "highest", "triplet_note_share", "chord_onsets", "grace_left_out"):
        cells = []
        for s in sets:
            a = [r[key] for r in by[(s, "real_cut")] if r[key] is not None]
            b = [r[key] for r in by[(s, "take")] if r[key] is not None]
            cells.append(f"{np.mean(a):.3f} | {np.mean(b):.3f} | {d(a, b):+.2f}")
        print(f"| {key} | " + " | ".join(cells) + " |")

    for s in sets:
        reals = by[(s, "real")]
        print(f"\n## {s}: what the sampled real pieces are (3 seeds x 120)\n")
        print("collections:", dict(Counter(r["collection"] for r in reals).most_common()))
        print("meters:", dict(Counter(r["meter"] for r in reals).most_common()))
        print("types:", dict(Counter(r["type"] for r in reals).most_common(12)))
        print("modes:", dict(Counter(r["mode"] for r in reals).most_common()))
        print("real pieces with chord symbols:", sum(r["has_chords"] for r in reals),
              "| grace notes left out (pieces, notes):", sum(r["grace_left_out"] > 0 for r in reals),
              sum(r["grace_left_out"] for r in reals),
              "| pieces with triplet notes:", sum((r["triplet_note_share"] or 0) > 0 for r in reals),
              "| pieces with chords in the melody:", sum(r["chord_onsets"] > 0 for r in reals))  # fmt: skip

    for s in sets:
        for field in ("meter", "type", "collection"):
            groups = Counter(r[field] for r in by[(s, "real")])
            print(f"\n## {s} by {field} (3 seeds pooled; classifier where a group has >= 40 pieces)\n")
            print(f"| {field} | n | C2ST | " + " | ".join(f"{m} take / real" for m in MEASURES)
                  + " | notes/bar take / real | IOI take / real | range take / real |")  # fmt: skip
            print("|---|---|---|" + "---|" * (len(MEASURES) + 3))
            for g, n in groups.most_common():
                if n < 12:
                    continue
                real = [r for r in by[(s, "real")] if r[field] == g]
                cut = [r for r in by[(s, "real_cut")] if r[field] == g]
                take = [r for r in by[(s, "take")] if r[field] == g]
                c = f"{acc(cut, take, 0):.3f}" if n >= 40 else ""
                cells = [f"{mean(take, m):.3f} / {mean(real, m):.3f}" for m in MEASURES]
                cells += [f"{mean(take, k):.2f} / {mean(cut, k):.2f}" for k in ("notes_per_bar", "avg_ioi", "pitch_range")]
                print(f"| {g} | {n} | {c} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
