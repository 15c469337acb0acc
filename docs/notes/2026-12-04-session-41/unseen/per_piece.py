"""Per-piece figures behind `scripts/evaluate_musicality.py` (session 41, issue #9): the same real
pieces and the same takes as its runs (same seeds, same requests), one row per piece, so that the
unseen folk tunes (O'Neill's 1850 + Ryan's Mammoth, music21's corpus) and the held-out test split
can be split by collection, tune type and meter.

    python docs/notes/2026-12-04-session-41/unseen/per_piece.py --out runs/s41/unseen/rows.json

Each row: set (unseen | test), seed, kind (real | take), the real piece's index in the seed's
sample, its collection, tune type (the ABC's R: field, else "meter M"), meter, the musicality
measures, and notation facts (grace notes left out by the reader, triplet notes, chords in the
melody, note lengths).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "scripts"))

import evaluate_musicality as em  # noqa: E402

from tunesmith.evaluation import musicality as mu  # noqa: E402
from tunesmith.metrics import yang_lerch as yl  # noqa: E402
from tunesmith.metrics.c2st import feature_vector  # noqa: E402

M21 = ROOT / ".venv/lib/python3.11/site-packages/music21/corpus"
TYPES = {"double jig": "jig", "slipjig": "slip jig", "single jig": "jig", "highland fling": "fling"}


def tune_type(piece) -> str:
    r = str(piece.meta.get("rhythm") or "").strip().lower()
    if r and piece.source in ("", "oneills1850", "ryansMammoth", "nottingham"):
        return TYPES.get(r, r)
    return f"meter {meter(piece)}"


def meter(piece) -> str:
    ts = piece.time_signature
    return f"{ts.numerator}/{ts.denominator}"


def collection(piece) -> str:
    if piece.source:
        return piece.source
    path = str(piece.path or "")
    return "oneills1850" if "oneills1850" in path else "ryansMammoth" if "ryansMammoth" in path else "?"


def facts(piece) -> dict:
    mel = piece.melody()
    notes = mel.notes if mel else []
    durs = np.array([n.duration for n in notes]) if notes else np.zeros(0)
    onsets = [round(n.onset, 4) for n in notes]
    triplet = float(np.mean([abs(d * 3 - round(d * 3)) < 1e-3 and abs(d * 4 - round(d * 4)) > 1e-3 for d in durs])) \
        if len(durs) else float("nan")  # fmt: skip
    bars = max(1, len(piece.bars()))
    pitches = [n.pitch for n in notes]
    nlh = yl.note_length_histogram(piece)
    return {
        "bars": len(piece.bars()),
        "notes_per_bar": len(notes) / bars,
        "beats_per_bar": (piece.time_signature.numerator * 4 / piece.time_signature.denominator),
        "triplet_note_share": triplet,
        "chord_onsets": len(onsets) - len(set(onsets)),  # melody notes sharing an onset ([CEG] in the ABC)
        "grace_left_out": int((piece.meta.get("left_out") or {}).get("grace note(s)", 0)),
        "left_out": piece.meta.get("left_out") or {},
        "lowest": min(pitches) if pitches else None,
        "highest": max(pitches) if pitches else None,
        "pitch_range": yl.pitch_range(piece),
        "avg_ioi": yl.avg_ioi(piece),
        "nlh": [float(x) for x in nlh],
        "dotted_8th_16th_share": float(nlh[7] + nlh[8]),
        "tempo": piece.tempo,
        "mode": (piece.key.mode if piece.key else None),
        "has_chords": bool(piece.chords),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--sets", default="unseen,test")
    args = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    model, tok, info = load_numpy_model(DEFAULT_MODEL_DIR)
    corpus = load_corpus(None)
    pools = {}
    if "unseen" in args.sets:
        training = em.training_pieces(corpus, "folk", info["train_config"])
        pools["unseen"], _ = em.read_real("folk", [str(M21 / "oneills1850"), str(M21 / "ryansMammoth")], training)
    if "test" in args.sets:
        pools["test"] = list(corpus.filter(split="test", style="folk"))
    rows = []
    for name, pool in pools.items():
        for seed in [int(s) for s in args.seeds.split(",")]:
            t0 = time.time()
            config = mu.MusicalityConfig(seed=seed)
            reals = mu.real_pieces({"folk": pool}, "folk", config.per_style, seed)
            cut = mu.length_matched(reals, "folk", config.max_bars)
            takes = mu.compose_like(model, tok, reals, "folk", config)
            for i, (real, short, take) in enumerate(zip(reals, cut, takes)):
                base = {"set": name, "seed": seed, "i": i, "collection": collection(real), "type": tune_type(real),
                        "meter": meter(real), "title": real.title, "piece_id": real.piece_id,
                        "key": f"{real.key.tonic} {real.key.mode}" if real.key else None}  # fmt: skip
                for kind, p in (("real", real), ("real_cut", short), ("take", take)):
                    measures = {k: float(fn(p)) for k, fn in mu.MEASURES.items()}
                    row = {**base, "kind": kind, **measures, **facts(p)}
                    if kind != "real":  # what the classifier sees (`metrics.c2st.feature_vector`)
                        row["fv"] = [round(float(x), 5) for x in feature_vector(p)]
                    rows.append(row)
            print(f"{name} seed {seed}: {len(takes)} takes, {time.time() - t0:.0f} s", flush=True)
    Path(args.out).write_text(json.dumps(rows, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
