"""Session 67: the harmonized rows of several `chorale_census.py --json` files side by side (one
column a file, named by its stem), the measures that differ between them by more than `--min`.

    .venv/bin/python docs/notes/2026-12-07-session-67/census_table.py runs/s67/rep_*_3000.json [--min 0.05]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--min", type=float, default=0.0, help="show a measure only where its values span this much")
    ap.add_argument("--section", default="harmonized")
    a = ap.parse_args()
    rows = {Path(f).stem: json.loads(Path(f).read_text())["measures"][a.section] for f in a.files}
    names = list(rows)
    print(f"{'measure':<44}" + "".join(f"{n[-14:]:>15}" for n in names))
    for key in rows[names[0]]:
        values = [rows[n].get(key, {}).get("value") for n in names]
        if not all(isinstance(v, int | float) for v in values):
            continue
        if max(values) - min(values) < a.min:
            continue
        print(f"{key:<44}" + "".join(f"{v:>15.3f}" for v in values))


if __name__ == "__main__":
    main()
