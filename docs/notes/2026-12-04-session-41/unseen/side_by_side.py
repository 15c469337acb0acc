"""The two runs' pooled tables side by side, with each set's gap (takes - real).

    python docs/notes/2026-12-04-session-41/unseen/side_by_side.py runs/s41/unseen/unseen.json runs/s41/unseen/test.json
"""

import json
import sys
from pathlib import Path

from tunesmith.evaluation.musicality import MEASURES

runs = [json.loads(Path(p).read_text())["styles"]["folk"] for p in sys.argv[1:3]]
print("| measure | unseen: takes | unseen: real | unseen gap | test split: takes | test split: real | test gap | further from unseen? |")
print("|---|---|---|---|---|---|---|---|")


def cell(row, who, key):
    v, s = (row[who][key], row["sd"][who][key]) if who != "rr" else (row[key], row["sd"][key])
    return v, f"{v:.3f} ± {s:.3f}"


u, t = runs
uv, uc = cell(u, "new", "c2st")
tv, tc = cell(t, "new", "c2st")
print(f"| C2ST accuracy (real vs real beside it) | {uc} | {cell(u, 'rr', 'real_vs_real_c2st')[1]} | | {tc} | "
      f"{cell(t, 'rr', 'real_vs_real_c2st')[1]} | | {'yes' if uv > tv else 'no'} (+{uv - tv:.3f}) |")
for m in MEASURES:
    a, ac = cell(u, "new", m)
    b, bc = cell(u, "real", m)
    c, cc = cell(t, "new", m)
    d, dc = cell(t, "real", m)
    gu, gt = a - b, c - d
    verdict = "n/a" if gu != gu or gt != gt else ("yes" if abs(gu) > abs(gt) else "no")
    print(f"| {m} | {ac} | {bc} | {gu:+.3f} | {cc} | {dc} | {gt:+.3f} | {verdict} |")
