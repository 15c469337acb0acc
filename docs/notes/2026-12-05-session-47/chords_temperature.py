"""Jazz takes' chords drawn at other temperatures than the melody's: a classifier on the chords
alone (`chord_c2st.py`) and on the melody (the musicality C2ST), and the chord time on chords that
leave the key, against real tunes.

    python docs/notes/2026-12-05-session-47/chords_temperature.py 1.0,1.2 runs/s47/jazz_train.pkl[,runs/s47/jazz.pkl]

Each pickle holds (real pieces, takes) as `c2st_features.py --save` (valid: seeds 0 and 1, half
each) or `/tmp`-style training headers (`jazz_train` in the name: seed 0); the takes are composed
again under the real pieces' headers with the chord tokens (roots, qualities, basses) at each
temperature ("None": the style's decoding as it is).
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

sys.path.insert(0, "docs/notes/2026-12-05-session-47")

import chord_vocabulary as cv  # noqa: E402
from chord_c2st import chord_c2st  # noqa: E402

import tunesmith.sampling.decode as dec  # noqa: E402
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.metrics.c2st import c2st  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402

_original = dec.token_temperatures
_chords: list[float | None] = [None]


def _token_temperatures(tokenizer, temperature, rhythm_temperature):
    temps = _original(tokenizer, temperature, rhythm_temperature)
    if _chords[0] is not None:
        temps[tokenizer.root_base : tokenizer.voice_base] = _chords[0]
    return temps


def main() -> int:
    dec.token_temperatures = _token_temperatures
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    model.decoding.get("jazz", {}).pop("chords_temperature", None)  # the grid below decides
    for path in sys.argv[2].split(","):
        reals, _ = pickle.loads(Path(path).read_bytes())
        half = len(reals) if "train" in path else len(reals) // 2
        for value in [None] + [float(x) for x in sys.argv[1].split(",")]:
            _chords[0] = value
            takes = compose_like(model, tok, reals[:half], "jazz", MusicalityConfig(per_style=max(4, half), seed=0))
            if half < len(reals):
                takes += compose_like(model, tok, reals[half:], "jazz", MusicalityConfig(per_style=len(reals) - half, seed=1))
            print(f"{path} chords at {value}: chord C2ST {chord_c2st(reals, takes):.3f}, melody C2ST "
                  f"{c2st(reals, takes, folds=5, seed=0)['accuracy']:.3f}", flush=True)  # fmt: skip
            cv.report(takes, "   ")
    return 0


if __name__ == "__main__":
    sys.exit(main())
