"""Session 67 (measured only, not shipped): a chorale plan whose return cost counts at the chord
change, whatever the length of the chord between, against the shipped one (a chord coming back
after one beat of another). The state is (the chord now, the chord before the last change); a move
to a new chord that is the one before the last change costs `return`. On the JSB validation
sopranos: the share of beats keeping the chord before, X-Y-X per chord change, of those the share
going on to Y, and the labels' agreement with Bach's.

    .venv/bin/python docs/notes/2026-12-07-session-67/change_returns.py [--split valid] [--pairs 0.4:0.75,0.3:0.5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_chorale_plan import kept_share  # noqa: E402
from plan_rock import jsb_inputs, rocking  # noqa: E402

from tunesmith.chord_paths import best_path  # noqa: E402
from tunesmith.harmonizer import N_LABELS  # noqa: E402

NONE = N_LABELS  # "no chord before the last change" (the path's first chord)


def change_level_path(emit: np.ndarray, stay: float, ret: float, top: int = 12) -> np.ndarray:
    """The best path with keeping a label costing `stay` and a change to the label before the last
    change costing `ret`; each unit's `top` labels by `emit` (Viterbi over (before, now))."""
    T = len(emit)
    cands = [np.sort(np.argsort(-row, kind="stable")[:top]) for row in emit]
    score = np.full((N_LABELS + 1, len(cands[0])), -np.inf)  # [label before the last change, candidate now]
    score[NONE] = emit[0, cands[0]]
    backs = []  # per unit: (before index, previous candidate) for each state
    for t in range(1, T):
        new = np.full((N_LABELS + 1, len(cands[t])), -np.inf)
        back_a = np.zeros(new.shape, np.int64)
        back_j = np.zeros(new.shape, np.int64)
        for k, c in enumerate(cands[t]):
            for j, b in enumerate(cands[t - 1]):
                if b == c:  # stay: the label before the last change is kept
                    cand = score[:, j] - stay
                    better = cand > new[:, k]
                    new[better, k], back_a[better, k], back_j[better, k] = cand[better], np.flatnonzero(better), j
                else:  # change to c: the label before the last change becomes b
                    vals = score[:, j] - ret * (np.arange(N_LABELS + 1) == c)
                    a = int(vals.argmax())
                    if vals[a] > new[b, k]:
                        new[b, k], back_a[b, k], back_j[b, k] = vals[a], a, j
            new[:, k] += emit[t, c]
        score = new
        backs.append((back_a, back_j))
    a, k = np.unravel_index(int(np.argmax(score)), score.shape)
    path = [int(cands[T - 1][k])]
    for t in range(T - 1, 0, -1):
        back_a, back_j = backs[t - 1]
        a, k = int(back_a[a, k]), int(back_j[a, k])
        path.append(int(cands[t - 1][k]))
    return np.array(path[::-1], np.int64)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="valid")
    ap.add_argument("--pairs", default="0.4:0.75,0.3:0.5,0.4:0.5,0.5:0.5")
    a = ap.parse_args()
    _, inputs = jsb_inputs(a.split)
    bach = [labels for _, labels in inputs]
    n = sum(int((b >= 0).sum()) for b in bach)

    def report(name, paths):
        xyx, on = rocking(paths)
        agree = sum(int((p[b >= 0] == b[b >= 0]).sum()) for p, b in zip(paths, bach)) / n
        print(f"{name}: kept {kept_share(paths):.3f}, X-Y-X per change {xyx:.3f}, going on {on:.3f}, "
              f"labels as Bach's {agree:.3f}", flush=True)  # fmt: skip

    zeros_t, zeros_s = np.zeros((N_LABELS, N_LABELS)), np.zeros(N_LABELS)
    report("shipped (beat-level, 0.4 / 0.75)",
           [best_path(logp, zeros_t, zeros_s, stay_cost=0.4, return_cost=0.75) for logp, _ in inputs])  # fmt: skip
    for pair in a.pairs.split(","):
        stay, ret = (float(x) for x in pair.split(":"))
        report(f"change-level {stay:g} / {ret:g}", [change_level_path(logp, stay, ret) for logp, _ in inputs])


if __name__ == "__main__":
    main()
