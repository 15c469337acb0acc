"""Two `scripts/evaluate_musicality.py --json` reports side by side: per style and measure, the
first's and the second's means (± the SD over seeds) and the real music's.

    python docs/notes/2026-12-05-session-48/compare_evals.py runs/s48/eval_bridge_off.json runs/s48/eval_b_on.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    a, b = (json.loads(Path(p).read_text()) for p in sys.argv[1:3])
    for style in a["styles"]:
        sa, sb = a["styles"][style], b["styles"][style]
        print(f"\n{style}")
        print(f"  {'measure':28s} {'before':>15s} {'after':>15s} {'real':>8s}")
        keys = ["c2st", *[k for k in sa["real"]]]
        for k in keys:
            va, vb = sa["new"].get(k), sb["new"].get(k)
            da = sa.get("sd", {}).get("new", {}).get(k)
            db = sb.get("sd", {}).get("new", {}).get(k)
            real = sa["real"].get(k, sa.get("real_vs_real_c2st") if k == "c2st" else None)
            fa = f"{va:.3f}" + (f" ± {da:.3f}" if da is not None else "")
            fb = f"{vb:.3f}" + (f" ± {db:.3f}" if db is not None else "")
            print(f"  {k:28s} {fa:>15s} {fb:>15s} {real:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
