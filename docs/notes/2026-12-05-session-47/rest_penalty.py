"""Takes under a style's tunes' headers at several rest penalties (`ComposeRequest.rest_penalty`:
the logit a bar's early close loses): their rests (`rests.py`) and the melody classifier against
those tunes.

    python docs/notes/2026-12-05-session-47/rest_penalty.py jazz runs/s47/jazz_train.pkl 2,1,0.5,0
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

sys.path.insert(0, "docs/notes/2026-12-05-session-47")

from rests import rest_stats, show  # noqa: E402

from tunesmith.evaluation.musicality import MusicalityConfig, compose_like  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.metrics.c2st import c2st  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402


def main() -> int:
    style, path, values = sys.argv[1], sys.argv[2], [float(x) for x in sys.argv[3].split(",")]
    reals, _ = pickle.loads(Path(path).read_bytes())
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    half = len(reals) if "train" in path else len(reals) // 2
    show("tunes", rest_stats(reals))
    for value in values:
        takes = compose_like(model, tok, reals[:half], style, MusicalityConfig(per_style=max(4, half), seed=0), rest_penalty=value)
        if half < len(reals):
            takes += compose_like(model, tok, reals[half:], style, MusicalityConfig(per_style=len(reals) - half, seed=1),
                                  rest_penalty=value)  # fmt: skip
        show(f"rest penalty {value:g} (classifier {c2st(reals, takes, folds=5, seed=0)['accuracy']:.3f})", rest_stats(takes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
