"""Compose takes under a style's shippable training tunes' headers (the first 72 with a melody, a
key and chords; seed 0) and save (tunes cut to the takes' length, takes) to runs/s47/STYLE_train.pkl,
printing the chord C2ST against them (`chord_c2st.py`).

    python docs/notes/2026-12-05-session-47/jazz_train_takes.py jazz
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

sys.path.insert(0, "docs/notes/2026-12-05-session-47")

from chord_c2st import chord_c2st  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.evaluation.musicality import MusicalityConfig, as_a_take_has, compose_like, length_matched  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402


def main() -> int:
    style = sys.argv[1]
    tunes = [p for p in load_corpus(None).filter(split="train", style=style, shippable=True)
             if p.melody() is not None and p.key is not None and len(p.chords) >= 4][:72]  # fmt: skip
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    config = MusicalityConfig(per_style=len(tunes), seed=0)
    takes = compose_like(model, tok, tunes, style, config)
    reals = length_matched([as_a_take_has(p, style) for p in tunes], style, config.max_bars)
    Path(f"runs/s47/{style}_train.pkl").write_bytes(pickle.dumps((reals, takes)))
    print(style, len(tunes), "chord C2ST against the shippable training tunes", round(chord_c2st(reals, takes), 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
