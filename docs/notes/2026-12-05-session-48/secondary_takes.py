"""Secondary dominants in composed jazz takes (`cocreate.chords.with_secondary_dominants`): per
degree, the share of the key's own chords moving down a fifth that are written as dominants
(secondary_dominants.py's `counts`), and the takes' melody time on chord tones.

    python docs/notes/2026-12-05-session-48/secondary_takes.py [--model default|/tmp/m48_sec] [--n 80]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from secondary_dominants import counts, report  # noqa: E402
from takes import compose_takes  # noqa: E402

from tunesmith.metrics.musicality import chord_tone_share  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="default")
    ap.add_argument("--n", type=int, default=80)
    a = ap.parse_args()
    takes = compose_takes("jazz", a.n, model=a.model)
    report(f"jazz takes ({a.model}, {a.n})", counts(takes))
    print(f"  melody on chord tones {sum(map(chord_tone_share, takes)) / len(takes):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
