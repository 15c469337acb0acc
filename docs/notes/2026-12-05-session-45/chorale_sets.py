"""The two sets of chorales this session's chorale scripts compare: Bach's own scores (music21's
corpus, the first M that read as four voices) and composed chorales as `compose` gives them."""

from __future__ import annotations

from pathlib import Path

import tunesmith

KEYS = ["F", "g minor", "D", "a minor", "Bb", "e minor"]


def bach_scores(m: int) -> list:
    """Bach's chorales from music21's own scores (its corpus, first `m` files, four voices only)."""
    import music21

    from tunesmith.inputs import read_file

    out = []
    for f in sorted((Path(music21.__file__).parent / "corpus" / "bach").glob("bwv*.mxl"))[:m]:
        try:
            p = read_file(f)[0]
        except ValueError:
            continue
        if len(p.tracks) == 4:
            out.append(p)
    return out


def composed_chorales(n: int, meters: tuple[str, ...] = ("4/4", "3/4"), model=None) -> list:
    """Composed chorales of 12 bars, seeds 0..n-1, keys (`KEYS`) and `meters` by turns."""
    model = model or tunesmith.load_model("default")
    return [tunesmith.compose("chorale", key=KEYS[s % len(KEYS)], meter=meters[s % len(meters)], bars=12, seed=s,
                              model=model, check=False).piece for s in range(n)]  # fmt: skip
