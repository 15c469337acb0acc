"""Recall if a plant counts as found wherever `check` names its source (top 3) with its own score
over the threshold and its passage on the planted bars: `evaluate_copy_guard.py` run as it is, with
its judge wrapped to note each plant's source match, then read at the test split's thresholds.

    .venv/bin/python docs/notes/2026-12-07-session-64/recall_any_rank.py --plants 200 --takes 0 --seed 0 --json OUT.json
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("ecg", ROOT / "scripts" / "evaluate_copy_guard.py")
ecg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ecg)
judge_named = ecg.judge_named
rows: list[tuple[int, float, bool]] = []  # (plant bars, the source's own score, its passage on the plant)


def judged(index, src, info, matches):
    own = [m for m in matches if m.work["work_id"] == info["source"]]
    lo, hi = info["at_bar"], info["at_bar"] + info["bars"] + 1
    if own:
        first, last = own[0].query_bars
        rows.append((info["bars"], own[0].score, first <= hi and lo <= last))
    else:
        rows.append((info["bars"], 0.0, False))
    return judge_named(index, src, info, matches)


def main() -> None:
    ecg.judge_named = judged
    ecg.main(sys.argv[1:])
    out = next(a for a in sys.argv[1:] if a.endswith(".json"))
    report = json.loads(Path(out).read_text())["recall_right_source_at_test_false_alarm"]
    r = np.array(rows, dtype=float)
    for rate in ("0.010", "0.020", "0.050"):
        t = report[rate]["threshold"]
        hit = (r[:, 1] >= t) & (r[:, 2] > 0)
        by_length = {int(n): round(float(hit[r[:, 0] == n].mean()), 2) for n in range(2, 9) if (r[:, 0] == n).any()}
        print(
            f"{rate} threshold {t}: recall, source named anywhere in the top 3 {hit.mean():.3f}; by length {by_length}"
        )


if __name__ == "__main__":
    main()
