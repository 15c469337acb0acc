"""A folk melody's compass and wide leaps: shippable training tunes of 32 bars against one take
each composed under the tune's header (key, mode, meter, pickup, 32 bars, AABB). Per tune: the
lowest and highest note, whether it goes below D4 (a fiddle's open D string; G3 is its lowest
note, but tune books keep most dance tunes above D4), and its leaps of a minor seventh or wider
(10+ semitones) per 100 intervals. A folk-song scholar had found 5 of 20 dance takes below D4,
where 10 % of the validation dance tunes go, and leaps of a seventh.

    python docs/notes/2026-12-06-session-55/folk_range.py [--n 80] [--split train] [--model DIR]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

import numpy as np

import tunesmith as ts
from tunesmith.corpus import default_cache_dir, load_corpus
from tunesmith.licenses import may_ship


def compass(piece) -> dict:
    pitches = [n.pitch for n in sorted(piece.melody().notes, key=lambda n: n.onset)]
    moves = np.abs(np.diff(pitches))
    return {"low": min(pitches), "high": max(pitches), "below D4": min(pitches) < 62,
            "sevenths+": float((moves >= 10).sum()) * 100 / max(1, len(moves)),
            "octaves+": float((moves > 12).sum()) * 100 / max(1, len(moves)),
            "low run": low_run(pitches)}


def low_run(pitches) -> float:
    """The share of the notes below D4."""
    return sum(p < 62 for p in pitches) / len(pitches)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--split", default="train")
    ap.add_argument("--model", default="default", help="a model folder, or 'default'")
    args = ap.parse_args()
    reals = []
    for p in load_corpus(default_cache_dir()).pieces():
        if p.style != "folk" or p.split != args.split or not may_ship(str(p.license)) or p.key is None:
            continue
        if p.melody() is None or len(p.time_signatures) > 1 or len(p.keys) > 1:
            continue
        if len(p.bars()) - (1 if p.pickup_beats() else 0) != 32:
            continue
        reals.append(p)
    random.Random(0).shuffle(reals)
    reals = reals[: args.n]
    model = ts.load_model(args.model)
    rows: dict[str, list[dict]] = {"real": [], "take": []}
    lows: dict[str, Counter] = {"real": Counter(), "take": Counter()}
    for i, p in enumerate(reals):
        pick = round(float(p.pickup_beats() or 0.0) * 12) / 12
        meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
        take = ts.compose("folk", key=p.key.tonic, mode=p.key.mode, meter=meter, bars=32, pickup=pick, seed=i,
                          model=model, check=False)
        for who, piece in (("real", p), ("take", take.piece)):
            c = compass(piece)
            rows[who].append(c)
            lows[who][(p.key.tonic, c["low"])] += 1
    print(f"{len(reals)} tunes of 32 bars ({args.split}), one take each under the tune's header")
    for who in ("real", "take"):
        r = rows[who]
        print(f"{who}: below D4 {np.mean([x['below D4'] for x in r]):.3f}; notes below D4 "
              f"{np.mean([x['low run'] for x in r]):.4f}; lowest median {np.median([x['low'] for x in r]):.0f}; "
              f"highest median {np.median([x['high'] for x in r]):.0f}; span median "
              f"{np.median([x['high'] - x['low'] for x in r]):.0f}; sevenths+ per 100 moves "
              f"{np.mean([x['sevenths+'] for x in r]):.2f}; octaves+ {np.mean([x['octaves+'] for x in r]):.2f}")
    by_key: dict[str, dict[str, list]] = {}
    for who in ("real", "take"):
        for (tonic, low), k in lows[who].items():
            by_key.setdefault(tonic, {"real": [], "take": []})[who] += [low] * k
    for tonic, d in sorted(by_key.items(), key=lambda kv: -len(kv[1]["real"])):
        if len(d["real"]) >= 5:
            print(f"  {tonic}: tunes {len(d['real'])}, below D4 real {np.mean(np.array(d['real']) < 62):.2f} "
                  f"take {np.mean(np.array(d['take']) < 62):.2f}; lowest median real {np.median(d['real']):.0f} "
                  f"take {np.median(d['take']):.0f}")


if __name__ == "__main__":
    main()
