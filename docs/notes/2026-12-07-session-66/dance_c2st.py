"""Session 66: a dance's takes against its held-out tunes, as `scripts/fit_dance_profiles.py`
finds them (`dance_pieces`, valid and test splits), each cut to its first 16 bars as the takes are
(`evaluation.musicality.length_matched`: the classifier counts notes, and whole tunes against
16-bar takes were told apart by their note count alone, 0.945 for jigs): a fresh classifier's
two-sample accuracy (`metrics.c2st.c2st_accuracy`, 0.5 = cannot tell) over classifier seeds 0-7,
for 16-bar takes asked `--dance D` under the held-out tunes' keys (seed = index), per model; with
each side's share of notes a beat or more and of eighths, per source.

    .venv/bin/python docs/notes/2026-12-07-session-66/dance_c2st.py --dances reel,jig \
        [--model shipped=default --model before=DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched
from tunesmith.metrics._common import melody_line
from tunesmith.metrics.c2st import c2st_accuracy
from tunesmith.sampling import feedback

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_dance_profiles import dance_pieces  # noqa: E402


def shares(pieces) -> str:
    d = np.array([n.duration for p in pieces for n in melody_line(p)])
    return f"beat or more {float((d >= 1 - 1e-6).mean()):.3f}, eighths {float((np.abs(d - 0.5) < 1e-6).mean()):.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="reel,jig,hornpipe,polka")
    ap.add_argument("--model", action="append", help="NAME=DIR (default: shipped=default)")
    ap.add_argument("--rare-penalties", help="comma-separated feedback.RARE_LENGTH_PENALTIES values to run")
    args = ap.parse_args()
    corpus = load_corpus(None)
    models = dict(m.split("=", 1) for m in (args.model or ["shipped=default"]))
    models = {name: ts.load_model(where) for name, where in models.items()}
    for dance in args.dances.split(","):
        whole = [p for split in ("valid", "test") for p in dance_pieces(corpus, dance, split)
                 if p.key is not None and melody_line(p)]  # fmt: skip
        tunes = length_matched(whole, "folk", 16)
        by_source = "; ".join(
            f"{src} ({sum(p.source == src for p in tunes)}): {shares([p for p in tunes if p.source == src])}"
            for src in sorted({p.source for p in tunes})
        )
        print(f"{dance}: {len(tunes)} held-out tunes, first 16 bars: {shares(tunes)} [{by_source}]", flush=True)
        shipped = feedback.RARE_LENGTH_PENALTIES.get(dance, 0.0)
        penalties = [float(x) for x in args.rare_penalties.split(",")] if args.rare_penalties else [shipped]
        for (name, model), penalty in ((m, x) for m in models.items() for x in penalties):
            feedback.RARE_LENGTH_PENALTIES[dance] = penalty
            name = f"{name}, rare lengths {penalty:g}"
            takes = [ts.compose("folk", dance=dance, key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model,
                                check=False).piece for i, p in enumerate(whole)]  # fmt: skip
            accs = [c2st_accuracy(tunes, takes, seed=s) for s in range(8)]
            print(f"  {name}: classifier {np.mean(accs):.3f} +- {np.std(accs):.3f} "
                  f"({', '.join(f'{a:.3f}' for a in accs)}); takes {shares(takes)}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
