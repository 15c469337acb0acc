"""Session 59: folk takes at several rhythm temperatures, against the held-out (valid) folk tunes
that may ship (the sources the shipped model learned from) and against the whole valid split:
the classifier (`metrics.c2st`), the note-length shares that told the takes apart
(`what_tells_takes.py`), the mean interval and the diversity of `tune_decoding.py`.

    python docs/notes/2026-12-06-session-59/rhythm_temperature_sweep.py STYLE TEMPS SEEDS [PER_STYLE] [MODEL]
    (e.g. folk 1.0,1.2,1.4 0,1; MODEL: a model folder, default the shipped one)
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from tune_decoding import self_similarity  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.evaluation.musicality import (  # noqa: E402
    MusicalityConfig,
    c2st_accuracy,
    compose_like,
    length_matched,
    measure,
    real_pieces,
)
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.metrics.yang_lerch import note_length_histogram  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402

SHOWN = {"8th": 3, "16th": 4, "quarter": 2, "dotted 8th": 7, "dotted quarter": 6, "8th triplet": 11}


def shares(pieces) -> str:
    h = np.mean([note_length_histogram(p) for p in pieces], axis=0)
    return " ".join(f"{k} {h[i]:.3f}" for k, i in SHOWN.items())


def main(style: str, temps: str, seeds: str, per_style: int = 120, model_dir: str = "default") -> None:
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR if model_dir == "default" else model_dir)
    corpus = load_corpus(None)
    sets = {"shippable": {style: list(corpus.filter(split="valid", style=style, shippable=True))},
            "all": {style: list(corpus.filter(split="valid", style=style))}}  # fmt: skip
    for seed in (int(s) for s in seeds.split(",")):
        config = MusicalityConfig(per_style=int(per_style), seed=seed)
        for name, test in sets.items():
            reals = real_pieces(test, style, config.per_style, seed)
            cut = length_matched(reals, style, config.max_bars)
            print(
                f"seed {seed} {name:9s} real          {shares(cut)}  interval {measure(reals)['mean_abs_interval']:.3f}"
            )
            for t in (float(x) for x in temps.split(",")):
                takes = compose_like(model, tok, reals, style, config, rhythm_temperature=t)
                acc = c2st_accuracy(cut, takes, config.folds, seed)
                print(f"seed {seed} {name:9s} rt {t:.2f} c2st {acc:.3f} {shares(takes)}  interval "
                      f"{measure(takes)['mean_abs_interval']:.3f} diversity {self_similarity(takes):.3f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:4], *(int(a) for a in sys.argv[4:5]), *sys.argv[5:6])
