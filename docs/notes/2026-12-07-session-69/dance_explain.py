"""Session 69: what tells a dance's takes from its held-out tunes (`metrics.c2st.explain`: each
group of features alone and without it, the features that differ most), on session 66's sets
(`dance_c2st.py`: held-out tunes cut to 16 bars, 16-bar takes under their keys, seed = index).

    .venv/bin/python docs/notes/2026-12-07-session-69/dance_explain.py --dances jig [--top 12]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import length_matched
from tunesmith.metrics._common import melody_line
from tunesmith.metrics.c2st import explain

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_dance_profiles import dance_pieces  # noqa: E402


def dance_sets(corpus, model, dance: str):
    """(held-out tunes cut to 16 bars, takes asked `--dance` under their keys)."""
    whole = [p for split in ("valid", "test") for p in dance_pieces(corpus, dance, split)
             if p.key is not None and melody_line(p)]  # fmt: skip
    takes = [ts.compose("folk", dance=dance, key=p.key.tonic, mode=p.key.mode, bars=16, seed=i, model=model,
                        check=False).piece for i, p in enumerate(whole)]  # fmt: skip
    return length_matched(whole, "folk", 16), takes


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dances", default="jig")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    corpus, model = load_corpus(None), ts.load_model("default")
    for dance in args.dances.split(","):
        tunes, takes = dance_sets(corpus, model, dance)
        out = explain(tunes, takes, top=args.top)
        print(f"{dance}: accuracy {out['accuracy']:.3f}")
        for name, g in out["groups"].items():
            print(f"  {name}: alone {g['alone']:.3f}, without {g['without']:.3f}")
        for d in out["differences"]:
            print(f"  {d['feature']}: d {d['d']:+.2f} (tunes {d['real']:.3f}, takes {d['generated']:.3f})")


if __name__ == "__main__":
    main()
