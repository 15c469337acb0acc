"""Fit each folk dance's own interval offsets (one logit offset per melodic interval size) into
decoding.json.

    python scripts/fit_dance_intervals.py [--model default] [--dances jig,polka,hornpipe,waltz]
        [--rounds 4] [--damping 0.8] [--n 150] [--seed 7] [--json runs/dance_intervals.json] [--write]

What it corrects: the folk style's interval offsets (`fit_interval_feedback.py`) were fitted on
folk takes of no dance. Asked for a dance, the dance's rhythm and strain rules change the takes,
and they leap more than the dance's tunes: against the first 16 bars of the held-out tunes, a jig's
mean interval 2.83 semitones against 2.49, its moves of a sixth to an octave 4.5 % against 2.5 %
and its steps 46.7 % against 53.1 %; a polka's mean 2.96 against 2.50, its fourths 9.2 % against
4.6 % (docs/notes/2026-12-07-session-69/dance_intervals.py); a waltz's 3.00 against 2.77, repeating a
note 0.150 of its moves against 0.069 and stepping 0.390 against 0.521. The wide leaps lie all over the
strain, on and off the beat (`dance_leaps.py`): a lean, not one place.

How it is fitted, per dance, on the *shippable training split* only (the dance's tunes as
`fit_dance_profiles.dance_pieces` finds them; no held-out tune is used):
1. the profile: the tunes' melodic intervals in their first 16 bars, as the takes have 16,
   pooled as shares of 0..12 semitones and 13+ (`fit_interval_feedback.pooled_shares`);
2. round 0: 16-bar takes of the dance under `--n` of those tunes' keys and modes with the
   decoding as it is (the style's offsets);
3. each further round starts from the offsets before and adds damping * log(profile / the takes'
   shares) (`feedback_fit.damped_step`: smoothed, clipped to +-CLIP), then composes again;
4. the round whose takes' shares lie nearest the profile (total variation) is chosen; round 0
   (the style's offsets, as before) may win.
The classifier and the held-out tunes judge it afterwards.

`--write` stores "interval_offsets" in each fitted dance's entry of the folk decoding's "dances"
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

MIN_TUNES = 30  # a dance measured on fewer training tunes keeps the style's offsets (the slip jig's 7)
BARS = 16


def fit_dance(model, dance: str, tunes: list, rounds: int, damping: float, n: int, seed: int) -> dict:
    """A dance's rounds (module docstring): 16-bar takes of the dance in its training tunes' keys
    and modes. The dance's entry is put back as it was after."""
    if len(tunes) < MIN_TUNES:
        return {"note": f"{len(tunes)} shippable training tunes, fewer than {MIN_TUNES}: the style's offsets"}
    from fit_interval_feedback import describe, pooled_shares

    from tunesmith.api import compose
    from tunesmith.evaluation.musicality import length_matched

    profile = pooled_shares(length_matched(tunes, "folk", BARS))
    heads = header_sample([p for p in tunes if p.key is not None], n, seed)
    folk = model.model.decoding["folk"]
    entry = folk["dances"][dance]
    kept = entry.pop("interval_offsets", None)
    offsets = np.asarray(folk.get("interval_offsets") or np.zeros(len(profile)), dtype=float)
    rows = []
    try:
        for r in range(rounds + 1):
            t0 = time.time()
            entry.pop("interval_offsets", None)
            if r:
                entry["interval_offsets"] = offsets.tolist()
            takes = [compose(style="folk", dance=dance, key=p.key.tonic, mode=p.key.mode, bars=BARS,
                             seed=seed * 100_003 + i, model=model, check=False).piece
                     for i, p in enumerate(heads)]  # fmt: skip
            row = {"round": r, "offsets": [round(float(v), 4) for v in offsets] if r else None,
                   **describe(takes, profile)}  # fmt: skip
            rows.append(row)
            print(f"[dance-intervals] {dance} round {r}: distance {row['distance']:.4f}, mean interval "
                  f"{row['mean_abs_interval']:.3f}, leaps {row['leap_share']:.4f}  {time.time() - t0:.0f}s",
                  flush=True)  # fmt: skip
            offsets = damped_step(offsets, profile, np.array(row["shares"]), damping)
    finally:
        entry.pop("interval_offsets", None)
        if kept is not None:
            entry["interval_offsets"] = kept
    chosen = min(rows, key=lambda row: row["distance"])
    return {
        "tunes": len(tunes),
        "headers": len(heads),
        "tunes_measures": describe(length_matched(tunes, "folk", BARS), profile),
        "profile": [round(float(v), 4) for v in profile],
        "rounds": rows,
        "chosen_round": chosen["round"],
        "chosen_offsets": chosen["offsets"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_round_fit_arguments(ap, rounds=4, styles=False)
    ap.add_argument("--dances", default="jig,polka,hornpipe,waltz")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))  # the scripts beside this one
    from fit_dance_profiles import fit_each_dance

    return fit_each_dance(ap, args, argv, "fit_dance_intervals.py", fit_dance, "interval_offsets", "dance_interval_offsets_fitted_on")


if __name__ == "__main__":
    sys.exit(main())
