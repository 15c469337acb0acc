"""How often held-out human pieces share an L-bar passage with a training work, against how close
planted copies of L bars stay to their source: the ceiling a melodic copy guard meets at 2 % false
alarms (issue #14's "95 % of planted copies at <= 2 % false alarms").

For each held-out test piece of `evaluate_copy_guard.py` (shippable, not indexed, versions of a
training tune left out as that script leaves them out): for L = 2, 3, 4, 6, 8 bars, does any L-bar
window of its melody (the index's reading: `features.melody_of`) appear in an indexed work with
at least 80 % of its intervals exact (`evaluate_copy_guard.works_carrying`: an interval changed,
inserted or deleted counts one edit)? And for each of the script's planted copies (seed 0, the same
draws): how many of its passage's intervals still stand exact against its source (1 - edits /
intervals, `passage_stretches`' alignment)?

    .venv/bin/python docs/notes/2026-12-07-session-64/human_borrowing.py [--pieces 120] [--plants 200]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location("ecg", ROOT / "scripts" / "evaluate_copy_guard.py")
ecg = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ecg)

LENGTHS = (2, 3, 4, 6, 8)


def windows(mel, bars: int):
    """Every `bars`-bar window of a melody (from each bar start), as intervals."""
    from tunesmith.rights.features import intervals_of

    top = int(mel.bars.max()) if len(mel.bars) else -1
    for b in range(0, top - bars + 2):
        sel = (mel.bars >= b) & (mel.bars < b + bars)
        if sel.sum() >= 5:
            yield intervals_of(mel.pitches[sel])


def best_exact_share(passage: np.ndarray, work: np.ndarray) -> float:
    """1 - (fewest edits of the whole passage against any stretch of the work) / its intervals."""
    cost, _ = ecg._edits(passage, work)
    return 1.0 - float(cost[1:].min()) / max(1, len(passage))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pieces", type=int, default=120)
    ap.add_argument("--plants", type=int, default=200)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.rights.check import check_piece, default_index_path
    from tunesmith.rights.features import melody_of
    from tunesmith.rights.index import SimilarityIndex

    index = SimilarityIndex.load(default_index_path("model"))
    indexed = {d["work_id"] for d in index.docs}
    doc_of = {d["work_id"]: i for i, d in enumerate(index.docs)}
    corpus = load_corpus(None)
    test = [p for p in corpus.filter(split="test", shippable=True) if p.work_id not in indexed]
    test = [p for p in test if p.melody() is not None and len(p.melody().notes) >= 8]
    with ecg.reference_scorer():
        kept = [p for p in test if ecg.version_reason(p, check_piece(p, index)) is None]
    rng = np.random.default_rng(0)
    sample = [kept[i] for i in sorted(rng.choice(len(kept), min(args.pieces, len(kept)), replace=False))]
    human = {L: 0 for L in LENGTHS}
    for k, p in enumerate(sample):
        mel = melody_of(p)
        for L in LENGTHS:
            human[L] += any(ecg.works_carrying(index, w) >= 1 for w in windows(mel, L))
        if k % 20 == 0:
            print(f"held out {k}/{len(sample)}", flush=True)
    # the script's plants, the same draws (seed 0): rebuilt as its main loop draws them
    rng = np.random.default_rng(0)
    sources = [p for p in corpus.filter(split="train", shippable=True) if p.work_id in indexed]
    order = rng.permutation(len(sources))
    hosts = kept  # (the script's hosts are every kept test piece: the same list)
    shares: dict[int, list[float]] = {L: [] for L in range(2, 9)}
    for si in order:
        if sum(len(v) for v in shares.values()) >= args.plants:
            break
        src = sources[int(si)]
        host = hosts[int(rng.integers(len(hosts)))]
        made = ecg.plant(src, host, rng)
        if made is None:
            continue
        piece, info = made
        # the planted notes exactly: after the host's notes before the plant's bar line, as many
        # notes as the plant added; repeated pitches merged as the index merges them
        hline = ecg._line(host)
        at = host.bars()[len(host.bars()) // 2]
        first = sum(n.onset < at - 1e-6 for n in hline)
        notes = sorted(piece.melody().notes, key=lambda n: n.onset)[
            first : first + len(piece.melody().notes) - len(hline)
        ]
        pitches = [n.pitch for n in notes]
        pitches = np.array([q for i, q in enumerate(pitches) if i == 0 or q != pitches[i - 1]])
        planted = np.diff(pitches).clip(-24, 24)
        shares[info["bars"]].append(best_exact_share(planted, index.doc_intervals(doc_of[info["source"]])))
    out = {"held_out_pieces": len(sample),
           "held_out_sharing_L_bars_80pct": {L: round(human[L] / len(sample), 3) for L in LENGTHS},
           "plants": {L: {"n": len(v), "median_exact": round(float(np.median(v)), 3) if v else None,
                          "at_least_80pct": round(float(np.mean(np.array(v) >= 0.8)), 3) if v else None}
                      for L, v in shares.items()}}  # fmt: skip
    print(json.dumps(out, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
