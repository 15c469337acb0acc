"""A style's takes' chords under two models' decoding (a chord idiom on and off), against the
valid split's tunes: the chord-only classifier (docs/notes/2026-12-05-session-47/chord_c2st.py),
per degree the share of a triad's time written with an added tone, secondary dominants
(secondary_dominants.py), and melody time on chord tones.

    python docs/notes/2026-12-05-session-48/chord_idioms.py --style pop --model default --model /tmp/m48_pop7 [--per-style 120]
    python docs/notes/2026-12-05-session-48/chord_idioms.py --style jazz --model default --model /tmp/m48_sec --seeds 0,1

/tmp/m48_sec: the default model's files, its decoding.json's jazz given "secondary_dominants": true.
/tmp/m48_pop7 (tried, not shipped): the default model's files, its decoding.json's pop given
"sevenths": true and "seventh_shares" from `cocreate.chords.seventh_shares` over the 165
shippable training pop lead sheets, with `harmonizer.harmonize_takes` applying the sevenths after
the harmonizer too (to the key's own triads only).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "2026-12-05-session-47"))

from chord_c2st import chord_c2st  # noqa: E402
from jazz_sevenths import report, shares  # noqa: E402

sys.path.insert(0, str(HERE))
from secondary_dominants import counts  # noqa: E402
from secondary_dominants import report as report_dominants  # noqa: E402

from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, length_matched, real_pieces  # noqa: E402
from tunesmith.metrics.musicality import chord_tone_share  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", action="append", required=True)
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--style", default="pop")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.inference import load_numpy_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    test = {a.style: list(load_corpus(None).filter(split="valid", style=a.style))}
    seeds = [int(x) for x in a.seeds.split(",")]
    configs = [MusicalityConfig(per_style=a.per_style, seed=seed) for seed in seeds]
    heads = [real_pieces(test, a.style, c.per_style, c.seed) for c in configs]
    reals = [p for c, real in zip(configs, heads) for p in length_matched(real, a.style, c.max_bars)]
    lead = [i for i, p in enumerate(reals) if p.source == "openewld"]
    report("real (valid)", shares(reals))
    report_dominants("real (valid) secondary dominants", counts(reals))
    for path in a.model:
        model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR if path == "default" else path)
        takes = [t for c, real in zip(configs, heads) for t in compose_like(model, tok, real, a.style, c)]
        print(f"{path}: chord C2ST {chord_c2st(reals, takes):.3f} (all {len(reals)}), "
              f"{chord_c2st([reals[i] for i in lead], [takes[i] for i in lead]):.3f} (the {len(lead)} OpenEWLD lead sheets); "
              f"melody on chord tones {sum(map(chord_tone_share, takes)) / len(takes):.3f} "
              f"(real {sum(map(chord_tone_share, reals)) / len(reals):.3f})")
        report(f"  {path} takes", shares(takes))
        report_dominants(f"  {path} secondary dominants", counts(takes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
