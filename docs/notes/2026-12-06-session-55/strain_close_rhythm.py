"""How a dance tune's strains close, as rhythm: in the last bar of each 8-bar strain of 32-bar tunes
(bars 8, 16, 24, 32 as played, after any pickup), the number of crotchets struck on a beat (notes a
beat long or more), against the bars inside the strains. Real shippable training tunes of a dance
(`scripts/fit_dance_profiles.dance_pieces`) against `--dance` takes under their headers. A folk-song
scholar found hornpipe takes without the dance's three-crotchet close ("G2 B2 G2").

    python docs/notes/2026-12-06-session-55/strain_close_rhythm.py [--dance hornpipe] [--n 40]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

import tunesmith as ts
from tunesmith.corpus import default_cache_dir, load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_dance_profiles import dance_pieces  # noqa: E402


def bar_rhythms(piece) -> dict[str, list[int]] | None:
    starts = list(piece.bars())
    pickup = float(piece.pickup_beats() or 0.0)
    if pickup:
        starts = starts[1:]
    if len(starts) != 32:
        return None
    starts.append(piece.duration())
    notes = sorted(piece.melody().notes, key=lambda n: n.onset)
    out: dict[str, list[int]] = {"close": [], "inside": [], "close 3": []}
    for b in range(32):
        s, e = starts[b], starts[b + 1] - (pickup if b % 8 == 7 else 0.0)
        long_on_beat = [n for n in notes if s - 1e-6 <= n.onset < e - 1e-6 and abs(n.onset - s - round(n.onset - s)) < 1e-6
                        and n.duration >= 1.0 - 1e-6]  # fmt: skip
        kind = "close" if b % 8 == 7 else "inside"
        out[kind].append(len(long_on_beat))
        if kind == "close":
            out["close 3"].append(int(len(long_on_beat) >= 3))
    return out


def summary(rows) -> str:
    close = np.array([x for r in rows for x in r["close"]])
    inside = np.array([x for r in rows for x in r["inside"]])
    three = np.array([x for r in rows for x in r["close 3"]])
    hist = Counter(close.tolist())
    return (f"{len(rows)} tunes: crotchets+ on a beat, strain's last bar {close.mean():.2f} (3 or more: {three.mean():.2f}; "
            f"{dict(sorted(hist.items()))}), bars inside {inside.mean():.2f}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dance", default="hornpipe")
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    corpus = load_corpus(default_cache_dir())
    reals = [p for p in dance_pieces(corpus, args.dance, "train") if p.key is not None]
    rows_real, rows_take = [], []
    model = ts.load_model("default")
    for i, p in enumerate(reals):
        r = bar_rhythms(p)
        if r is None:
            continue
        rows_real.append(r)
        if len(rows_take) < args.n:
            meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
            take = ts.compose("folk", dance=args.dance, key=p.key.tonic, mode=p.key.mode, meter=meter, seed=i,
                              model=model, check=False)  # fmt: skip
            t = bar_rhythms(take.piece)
            if t is not None:
                rows_take.append(t)
    print(args.dance, "real", summary(rows_real))
    print(args.dance, "takes", summary(rows_take))


if __name__ == "__main__":
    main()
