"""Fit each folk dance's note-length moves (a logit offset per class of the next note's length,
after each class of the note before) into decoding.json.

    python scripts/fit_length_moves.py [--model default] [--dances reel,hornpipe,waltz]
        [--rounds 4] [--damping 0.8] [--n 150] [--seed 7] [--json runs/length_moves.json] [--write]

What it corrects: a composed reel had the tunes' share of quarters (0.139 against 0.133 of its
notes) but set them one by one between eighths: quarter-eighth-quarter 16.2 per 100 beats against
8.2 in the held-out reels, quarter after quarter 0.019 of its moves against 0.050. A fiddler's
quarters come in pairs at a phrase's end, its eighths in longer runs; the classifier's strongest
tell of a reel take was this alternation (session 32: d +0.85). A hornpipe's takes alternated twice
as often as its tunes (10.1 against 4.8 per 100 beats; docs/notes/2026-12-04-session-35/reel_lengths.py,
dance_moves_eval.py).
The unigram rhythm feedback (`fit_dance_profiles.py`) already holds each length's share; what the
model gets wrong is which length follows which.

How it is fitted, per dance, on the *shippable training split* only (the dance's tunes as
`fit_dance_profiles.dance_pieces` finds them; no held-out tune is used):
1. the profile: the melody's moves between length classes (`sampling.feedback.LENGTH_CLASS_TICKS`)
   pooled over the tunes, as P(next class | class before);
2. round 0: 16-bar takes of the dance under `--n` of those tunes' keys and modes, with the
   decoding as it is and no length moves;
3. each further round adds damping * log(profile / the takes' P(next | before)) to that row's
   offsets (`feedback_fit.damped_step`: smoothed, clipped to +-CLIP), for the classes before
   that the tunes play at least MIN_ROW_MOVES times; and composes again;
4. the round whose takes' moves lie nearest the tunes' (total variation of the joint shares of
   (before, next)) is chosen; round 0 (no moves) may win.
A dance with fewer than MIN_TUNES training tunes is left without moves. The classifier and the
held-out reels judge it afterwards. The jig is not fitted by default: its takes already moved as its
tunes do, and its fitted moves took the held-out jigs' further away (session 35).

Measured and not kept (session 35): the same fit for a style's lead sheets per meter (folk in six
meters, pop and jazz in 4/4) brought the folk takes' moves nearer the held-out tunes' (0.073 ->
0.049) but made the takes easier to tell (validation classifier 0.578 -> 0.629, all three seeds
up); pop 0.803 -> 0.789 and jazz 0.718 -> 0.740, within their spread.

`--write` stores "length_moves" in each fitted dance's entry of the folk decoding's "dances"
(atomically); without it only the report is printed and written (`--json`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from tunesmith.evaluation.feedback_fit import (
    add_round_fit_arguments,
    damped_step,
    header_sample,
)

MIN_TUNES = 30  # a dance measured on fewer training tunes keeps no moves (the slip jig's 7)
MIN_ROW_MOVES = 50  # a class before that the tunes play fewer times keeps offsets of 0
BARS = 16


def length_moves(pieces) -> np.ndarray:
    """Counts of the melody's moves between note-length classes: (before, next), LENGTH_CLASSES square."""
    from tunesmith.metrics.musicality import melody_line
    from tunesmith.sampling.feedback import LENGTH_CLASSES, length_class
    from tunesmith.tokenizer import TICKS_PER_BEAT

    counts = np.zeros((LENGTH_CLASSES, LENGTH_CLASSES))
    for p in pieces:
        classes = [length_class(n.duration * TICKS_PER_BEAT) for n in melody_line(p)]
        for a, b in zip(classes, classes[1:]):
            counts[a, b] += 1
    return counts


def conditional(counts: np.ndarray) -> np.ndarray:
    """Each row of `counts` as shares (a row with no moves stays 0)."""
    return counts / np.maximum(1.0, counts.sum(axis=1, keepdims=True))


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Total variation between two tables of move counts, as joint shares."""
    return 0.5 * float(np.abs(a / max(1.0, a.sum()) - b / max(1.0, b.sum())).sum())


def fit_rounds(label: str, tunes: list, compose_takes, rounds: int, damping: float) -> dict:
    """The rounds of one fit (module docstring): `compose_takes(offsets)` -> the takes composed
    with those moves (None: none)."""
    from tunesmith.sampling.feedback import LENGTH_CLASSES

    if len(tunes) < MIN_TUNES:
        return {"note": f"{len(tunes)} shippable training tunes, fewer than {MIN_TUNES}: no moves"}
    profile = length_moves(tunes)
    target = conditional(profile)
    fitted_rows = profile.sum(axis=1) >= MIN_ROW_MOVES
    offsets = np.zeros((LENGTH_CLASSES, LENGTH_CLASSES))
    rows = []
    for r in range(rounds + 1):
        t0 = time.time()
        got = length_moves(compose_takes(offsets if r else None))
        row = {"round": r, "offsets": np.round(offsets, 4).tolist(), "distance": round(distance(got, profile), 4)}
        rows.append(row)
        print(f"[length-moves] {label} round {r}: distance {row['distance']:.4f}  {time.time() - t0:.0f}s", flush=True)
        offsets = np.where(fitted_rows[:, None], damped_step(offsets, target, conditional(got), damping), 0.0)
    chosen = min(rows, key=lambda row: row["distance"])
    return {
        "tunes": len(tunes),
        "profile": profile.astype(int).tolist(),
        "rows_fitted": fitted_rows.tolist(),
        "rounds": rows,
        "chosen_round": chosen["round"],
        "chosen_offsets": chosen["offsets"] if chosen["round"] > 0 else None,
    }


def fit_dance(model, dance: str, tunes: list, rounds: int, damping: float, n: int, seed: int) -> dict:
    """A dance's fit: 16-bar takes of the dance in its training tunes' keys and modes."""
    from tunesmith.api import compose

    heads = header_sample([p for p in tunes if p.key is not None], n, seed)
    entry = model.model.decoding["folk"]["dances"][dance]
    kept = entry.pop("length_moves", None)

    def takes(offsets):
        entry.pop("length_moves", None)
        if offsets is not None:
            entry["length_moves"] = offsets.tolist()
        return [compose(style="folk", dance=dance, key=p.key.tonic, mode=p.key.mode, bars=BARS, seed=seed * 100_003 + i,
                        model=model, check=False).piece for i, p in enumerate(heads)]  # fmt: skip

    try:
        return {**fit_rounds(dance, tunes, takes, rounds, damping), "headers": len(heads)}
    finally:
        entry.pop("length_moves", None)
        if kept is not None:
            entry["length_moves"] = kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_round_fit_arguments(ap, rounds=4, styles=False)
    ap.add_argument("--dances", default="reel,hornpipe,waltz")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))  # the scripts beside this one
    from fit_dance_profiles import fit_each_dance

    return fit_each_dance(ap, args, argv, "fit_length_moves.py", fit_dance, "length_moves", "length_moves_fitted_on")


if __name__ == "__main__":
    sys.exit(main())
