"""The chord-root offsets against the key a listener hears: per variant of a style's root offsets
(`sampling.set_root_offsets`), the composer's chord-root shares (the shipped chords) and music21's
key estimate of the melody (`metrics.musicality.key_heard`) over `--n` takes, keys in turn.

    python docs/notes/2026-12-05-session-50/root_key_tradeoff.py --style jazz --n 60 [--valid --seed 0]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from root_shares import KEYS  # noqa: E402

DIATONIC = (0, 2, 4, 5, 7, 9, 11)


def variants(full: list[float]) -> dict[str, list[float] | None]:
    full = np.asarray(full)
    diatonic = np.where(np.isin(np.arange(12), DIATONIC), full, 0.0)
    return {"off": None, "shipped": full.tolist(), "half": (0.5 * full).tolist(), "diatonic only": diatonic.tolist(),
            "diatonic, half": (0.5 * diatonic).tolist()}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="pop")
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--valid", action="store_true",
                    help="compose under the valid split's headers, as evaluate_musicality.py does (default: keys in turn)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--offsets", default=None, help="a runs/…json fit report to take the offsets from (default: the shipped)")
    a = ap.parse_args()
    import json

    import tunesmith
    from tunesmith.metrics.musicality import key_heard

    sys.path.insert(0, str(Path(__file__).resolve().parents[2].parent / "scripts"))
    from fit_root_offsets import DEGREES, root_shares

    model = tunesmith.load_model("default")
    heads = None
    if a.valid:
        from tunesmith.corpus import load_corpus
        from tunesmith.evaluation.feedback_fit import fit_pieces, header_sample
        from tunesmith.evaluation.musicality import MusicalityConfig, compose_like

        heads = header_sample(fit_pieces(load_corpus(None).filter(split="valid", style=a.style)), a.n, a.seed)
    decoding = model.model.decoding[a.style]
    shipped = decoding.get("root_offsets")
    full = (json.loads(Path(a.offsets).read_text())["styles"][a.style]["chosen_offsets"] if a.offsets
            else shipped["major"])  # fmt: skip
    try:
        for name, row in variants(full).items():
            decoding.pop("root_offsets", None)
            if row is not None:
                decoding["root_offsets"] = {"major": row}
            if heads is not None:
                pieces = compose_like(model.model, model.tokenizer, heads, a.style,
                                      MusicalityConfig(per_style=len(heads), seed=a.seed))  # fmt: skip
            else:
                pieces = [tunesmith.compose(a.style, key=KEYS[s % len(KEYS)], seed=s, model=model, check=False).piece
                          for s in range(a.n)]  # fmt: skip
            shares = root_shares(pieces)
            heard = np.nanmean([key_heard(p) for p in pieces])
            print(f"{name:<16} key heard {heard:.3f} | " + " ".join(f"{d} {v:.2f}" for d, v in zip(DEGREES, shares) if v >= 0.02),
                  flush=True)  # fmt: skip
    finally:
        decoding.pop("root_offsets", None)
        if shipped is not None:
            decoding["root_offsets"] = shipped
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
