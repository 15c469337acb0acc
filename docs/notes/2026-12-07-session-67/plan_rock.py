"""Session 67: how the chorale plan's chords rock, against Bach's on the same JSB sopranos. Over the
sequence of chord changes (a chord held over several beats counted once): X-Y-X per change, and
of X-Y-X the share going on to Y (X-Y-X-Y); with the share of beats keeping the chord of the beat
before and the labels' agreement with Bach's. Per (stay cost, return cost) on the best path
(`chord_paths.best_path`; return cost 0 is `Harmonizer.decode`'s path).

    .venv/bin/python docs/notes/2026-12-07-session-67/plan_rock.py [--split valid] [--stay 0.25] [--ret 0,0.5,1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_chorale_plan import kept_share, plan_inputs  # noqa: E402

from tunesmith.chord_paths import best_path  # noqa: E402
from tunesmith.cocreate.chords import _harmonizer_of  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.harmonizer import N_LABELS  # noqa: E402


def changes(path) -> list[int]:
    out: list[int] = []
    for x in path:
        if x >= 0 and (not out or out[-1] != x):
            out.append(int(x))
    return out


def rocking(paths) -> tuple[float, float]:
    """(X-Y-X per chord change, of X-Y-X the share going on to Y)."""
    xyx = xyxy = n = 0
    for p in paths:
        s = changes(p)
        n += len(s)
        for i in range(len(s) - 2):
            if s[i] == s[i + 2]:
                xyx += 1
                xyxy += i + 3 < len(s) and s[i + 1] == s[i + 3]
    return xyx / max(n, 1), xyxy / max(xyx, 1)


def jsb_inputs(split: str) -> tuple[list, list]:
    """(the four-part JSB chorales of `split`, their `plan_inputs`), with Bach's line printed."""
    net = _harmonizer_of(None, kind="chorale")
    pieces = [p for p in load_corpus(None).filter(split=split, style="chorale")
              if p.source == "jsb" and p.keys and len(p.tracks) >= 4]  # fmt: skip
    inputs = plan_inputs(net, pieces)
    bach = [labels for _, labels in inputs]
    xyx, on = rocking(bach)
    print(f"{len(pieces)} JSB {split} chorales. Bach: kept {kept_share(bach):.3f}, X-Y-X per change {xyx:.3f}, "
          f"going on to Y {on:.3f}")  # fmt: skip
    return pieces, inputs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="valid")
    ap.add_argument("--stay", default="0,0.25")
    ap.add_argument("--ret", default="0,0.5,1")
    a = ap.parse_args()
    _, inputs = jsb_inputs(a.split)
    bach = [labels for _, labels in inputs]
    zeros_t, zeros_s = np.zeros((N_LABELS, N_LABELS)), np.zeros(N_LABELS)
    for stay in (float(x) for x in a.stay.split(",")):
        for ret in (float(x) for x in a.ret.split(",")):
            paths = [best_path(logp, zeros_t, zeros_s, stay_cost=stay, return_cost=ret) for logp, _ in inputs]
            xyx, on = rocking(paths)
            agree = sum(int((p[b >= 0] == b[b >= 0]).sum()) for p, b in zip(paths, bach)) / sum(
                int((b >= 0).sum()) for b in bach
            )
            print(f"stay {stay:g} return {ret:g}: kept {kept_share(paths):.3f}, X-Y-X per change {xyx:.3f}, going on to Y "
                  f"{on:.3f}, labels as Bach's {agree:.3f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
