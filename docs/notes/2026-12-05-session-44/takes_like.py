"""The first N lead-sheet pieces of a style's split (a melody, one major or minor key, a meter
`compose` takes) and, for each, a take with the default settings under its header (key, mode,
meter; seed = its index from 1): the pairs `repeated_notes.py` and `wide_leaps.py` compare."""

from __future__ import annotations

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.tokenizer import METERS, spell_name


def takes_like(style: str, split: str, n: int):
    """Yield (piece, take's piece) for the first `n` fitting pieces of `style`'s `split`."""
    model = tunesmith.load_model("default")
    k = 0
    for p in load_corpus().filter(split=split, style=style):
        if k >= n:
            break
        if p.melody() is None or not p.keys or p.keys[0].mode not in ("major", "minor"):
            continue
        ts = p.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        if meter not in METERS:
            continue
        k += 1
        take = tunesmith.compose(style, key=spell_name(p.keys[0].tonic), mode=p.keys[0].mode, meter=meter, seed=k,
                                 model=model, check=False)
        yield p, take.piece
