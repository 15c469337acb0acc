"""Does the take's request explain the rhythm gap to the unseen dance tunes? (session 41, issue #9)

The same 120 unseen real tunes per seed as `scripts/evaluate_musicality.py --real folk=...`, the
same takes' seeds, but each request changed in one way:

- as_run: `musicality.request_for` as the run asks (the ABC has no Q: field: tempo 120, which the
  model is told as 120, the tempo its Nottingham tunes carry; the Irish training tunes carry 144-180);
- dance_tempo: the tempo of the tune's type (R: field, else its meter) as `tunesmith compose
  --dance` sets it (`request.DANCE_TEMPOS_QPM`: reel 180, hornpipe 150, jig/slip jig 160.5);
  a 3/4, 2/4 or untyped 4/4 tune keeps 120;
- dance_tempo_4_4: as dance_tempo, and a 2/2 (C|) tune asked for in 4/4 (the same bar, 4 beats);
- dance: as dance_tempo_4_4, and `dance=` the tune's type where it is one `--dance` knows and its
  meter fits (reel 4/4 or 2/2, jig 6/8, hornpipe 4/4, slip-jig 9/8);
- renotated: a diagnosis, not a request the composer could be given: the REAL tunes change. Reels,
  hornpipes and clogs written in 2/4 in sixteenths (Ryan's, O'Neill's) are written out again in
  4/4 in eighths (every time doubled: a 2/4 bar of 8 sixteenths is the 4/4 bar of 8 eighths the
  training reels have), then asked for as dance_tempo. What the classifier still finds is not the
  2/4 notation.

    python docs/notes/2026-12-04-session-41/unseen/request_variants.py --seeds 0 --out runs/s41/unseen/variants.json
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import evaluate_musicality as em  # noqa: E402
from per_piece import M21, facts, meter, tune_type  # noqa: E402

from tunesmith.evaluation import musicality as mu  # noqa: E402
from tunesmith.metrics.c2st import feature_vector  # noqa: E402
from tunesmith.sampling.request import DANCE_METERS, DANCE_TEMPOS_QPM  # noqa: E402

KIND_TEMPO = {"reel": "reel", "hornpipe": "hornpipe", "clog": "hornpipe", "jig": "jig", "slip jig": "slip-jig",
              "meter 6/8": "jig", "meter 9/8": "slip-jig", "meter 2/2": "reel"}  # fmt: skip
DANCE_OF = {"reel": "reel", "hornpipe": "hornpipe", "jig": "jig", "slip jig": "slip-jig"}


def varied(req, real, variant: str):
    if variant == "as_run":
        return req
    if variant == "renotated":
        variant = "dance_tempo"
    kind = KIND_TEMPO.get(tune_type(real))
    change = {"tempo": DANCE_TEMPOS_QPM[kind]} if kind else {}
    m = change.get("meter", req.meter)
    if variant in ("dance_tempo_4_4", "dance") and req.meter == "2/2":
        change["meter"] = m = "4/4"
    dance = DANCE_OF.get(tune_type(real))
    if variant == "dance" and dance and m in DANCE_METERS[dance]:
        change["dance"] = dance
    return dataclasses.replace(req, **change)


def renotated(piece):
    """A 2/4 reel or hornpipe in sixteenths written in 4/4 in eighths (all times doubled)."""
    from tunesmith.score import ChordSymbol, TimeSignature, Track

    if meter(piece) != "2/4" or tune_type(piece) not in ("reel", "hornpipe", "clog"):
        return piece
    out = copy.deepcopy(piece)
    out.tracks = [Track(t.name, t.role, t.program, t.is_drum,
                        [dataclasses.replace(n, onset=2 * n.onset, duration=2 * n.duration) for n in t.notes])
                  for t in piece.tracks]  # fmt: skip
    out.chords = [ChordSymbol(2 * c.onset, c.figure) for c in piece.chords]
    out.keys = [dataclasses.replace(k, onset=2 * k.onset) for k in piece.keys]
    out.time_signatures = [TimeSignature(0.0, 4, 4)]
    out.bar_onsets = [2 * b for b in piece.bar_onsets]
    out.end = 2 * piece.end
    if "pickup" in out.meta:
        out.meta["pickup"] = 2 * out.meta["pickup"]
    return out


def compose(model, tok, reals, config, variant):
    from tunesmith.harmonizer import harmonize_takes
    from tunesmith.sampling import generate

    takes, reqs = [], []
    for i, p in enumerate(reals):
        req = varied(mu.request_for(p, "folk", config.max_bars, config.seed * 100_003 + i), p, variant)
        got = generate(model, tok, req, n=1, temperature=config.temperature, top_p=config.top_p)
        harmonize_takes(got, req, model)
        takes.append(got[0].piece)
        reqs.append(req)
    return takes, reqs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--variants", default="as_run,dance_tempo,dance_tempo_4_4,dance")
    ap.add_argument("--out", required=True)
    ap.add_argument("--features", action="store_true", help="keep every piece's classifier features")
    args = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    model, tok, info = load_numpy_model(DEFAULT_MODEL_DIR)
    training = em.training_pieces(load_corpus(None), "folk", info["train_config"])
    pool, _ = em.read_real("folk", [str(M21 / "oneills1850"), str(M21 / "ryansMammoth")], training)
    out = {}
    for seed in [int(s) for s in args.seeds.split(",")]:
        config = mu.MusicalityConfig(seed=seed)
        reals = mu.real_pieces({"folk": pool}, "folk", config.per_style, seed)
        cut = mu.length_matched(reals, "folk", config.max_bars)
        plain = (reals, cut)
        for variant in args.variants.split(","):
            t0 = time.time()
            reals, cut = plain
            if variant == "renotated":
                reals = [renotated(p) for p in reals]
                cut = mu.length_matched(reals, "folk", config.max_bars)
            takes, reqs = compose(model, tok, copy.deepcopy(reals), config, variant)
            row = {**mu.measure(takes), "c2st": mu.c2st_accuracy(cut, takes, config.folds, seed),
                   "real": mu.measure(reals), "real_vs_real_c2st": mu.c2st_accuracy(cut[::2], cut[1::2], config.folds, seed)}
            f = [facts(t) for t in takes]
            row["notes_per_bar"] = float(np.mean([x["notes_per_bar"] for x in f]))
            row["pitch_range"] = float(np.mean([x["pitch_range"] for x in f]))
            row["nlh"] = [float(v) for v in np.mean([x["nlh"] for x in f], axis=0)]
            by_meter = {}
            for m in sorted({meter(p) for p in reals}):
                idx = [i for i, p in enumerate(reals) if meter(p) == m]
                by_meter[m] = {"n": len(idx), "take_notes_per_bar": float(np.mean([f[i]["notes_per_bar"] for i in idx])),
                               "real_notes_per_bar": float(np.mean([facts(cut[i])["notes_per_bar"] for i in idx]))}  # fmt: skip
            row["by_meter"] = by_meter
            if args.features:  # what the classifier sees, per piece (`metrics.c2st.feature_vector`)
                row["fv_real"] = [[round(float(x), 5) for x in feature_vector(p)] for p in cut]
                row["fv_take"] = [[round(float(x), 5) for x in feature_vector(p)] for p in takes]
                row["meters"] = [meter(p) for p in reals]
            row["told"] = dict(__import__("collections").Counter(
                f"{r.meter} {r.tempo:g}{' ' + r.dance if r.dance else ''}" for r in reqs).most_common(8))  # fmt: skip
            out.setdefault(variant, {})[seed] = row
            print(f"seed {seed} {variant}: c2st {row['c2st']:.3f}, notes/bar {row['notes_per_bar']:.2f}, "
                  f"16ths {row['nlh'][4]:.3f}, quarters {row['nlh'][2]:.3f}, range {row['pitch_range']:.1f}, "
                  f"ends_on_tonic {row['ends_on_tonic']:.3f}, repeated bars {row['repeated_bar_share']:.3f}, "
                  f"{time.time() - t0:.0f} s", flush=True)  # fmt: skip
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
