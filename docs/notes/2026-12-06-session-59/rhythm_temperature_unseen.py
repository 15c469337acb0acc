"""Session 59: folk takes at two rhythm temperatures against real tunes the shipped model never
learned from (music21's O'Neill's Music of Ireland, 1850, read as `evaluate_musicality.py --real`
reads files): the classifier and the note-length shares, per seed.

    python docs/notes/2026-12-06-session-59/rhythm_temperature_unseen.py TEMPS SEEDS
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from evaluate_musicality import read_real  # noqa: E402
from rhythm_temperature_sweep import shares  # noqa: E402

from tunesmith.corpus.sources import music21_corpus_dir  # noqa: E402
from tunesmith.evaluation.musicality import (  # noqa: E402
    MusicalityConfig,
    c2st_accuracy,
    compose_like,
    length_matched,
    real_pieces,
)
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402


def main(temps: str, seeds: str) -> None:
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    tunes = read_real("folk", [str(music21_corpus_dir() / "oneills1850")], [])[0]
    for seed in (int(s) for s in seeds.split(",")):
        config = MusicalityConfig(per_style=120, seed=seed)
        reals = real_pieces({"folk": tunes}, "folk", 120, seed)
        cut = length_matched(reals, "folk", config.max_bars)
        print(f"seed {seed} real          {shares(cut)}", flush=True)
        for t in (float(x) for x in temps.split(",")):
            takes = compose_like(model, tok, reals, "folk", config, rhythm_temperature=t)
            print(f"seed {seed} rt {t:.2f} c2st {c2st_accuracy(cut, takes, config.folds, seed):.3f} {shares(takes)}",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:3])
