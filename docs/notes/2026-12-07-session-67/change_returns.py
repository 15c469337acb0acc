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


def change_level_path(emit: np.ndarray, stay: float, ret: float, top: int = 12) -> np.ndarray:
    """The best path with keeping a label costing `stay` and a change to the label before the last
    change costing `ret`; each unit's `top` labels by `emit`. (Session 67 wrote it here, a Viterbi
    over (before, now); session 68 shipped it as `chord_paths.best_path`, which gives the same
    paths on the 76 validation sopranos, so this calls that. The "shipped" row below is now the same
    path: session 67's beat-level figures are in its note.)"""
    zeros_t, zeros_s = np.zeros((N_LABELS, N_LABELS)), np.zeros(N_LABELS)
    return best_path(emit, zeros_t, zeros_s, stay_cost=stay, return_cost=ret, top=top)


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
    report("chord_paths.best_path at 0.4 / 0.75 (change-level since session 68; beat-level in session 67)",
           [best_path(logp, zeros_t, zeros_s, stay_cost=0.4, return_cost=0.75) for logp, _ in inputs])  # fmt: skip
    for pair in a.pairs.split(","):
        stay, ret = (float(x) for x in pair.split(":"))
        report(f"change-level {stay:g} / {ret:g}", [change_level_path(logp, stay, ret) for logp, _ in inputs])


if __name__ == "__main__":
    main()
