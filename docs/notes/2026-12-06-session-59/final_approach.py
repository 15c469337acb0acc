"""Session 59: how a lead sheet's melody steps into its last note, takes against real tunes: the
share of pieces whose last melodic interval is a step (1-2 semitones), a third, a fourth or fifth,
a tritone or another leap (>= 8), and how many reach the last note from a chromatic note (outside
the key's scale). Takes are composed under the real pieces' headers (the musicality takes).

    python docs/notes/2026-12-06-session-59/final_approach.py STYLE [PER_STYLE] [SEED] [shippable]
"""

import collections
import sys

from tunesmith.corpus import load_corpus
from tunesmith.evaluation.musicality import MusicalityConfig, compose_like, real_pieces
from tunesmith.inference import load_numpy_model
from tunesmith.metrics._common import melody_line
from tunesmith.pretrained import DEFAULT_MODEL_DIR
from tunesmith.tokenizer import scale_pitch_classes

NAMES = {0: "repeat", 1: "step", 2: "step", 3: "third", 4: "third", 5: "4th/5th", 6: "tritone", 7: "4th/5th"}
PCS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def tonic_pc(name: str) -> int:
    pc = PCS[name[0].upper()]
    return (pc + name[1:].count("#") - name[1:].count("b") - name[1:].count("-")) % 12


def approach(pieces) -> dict:
    kinds, chromatic, n = collections.Counter(), 0, 0
    for p in pieces:
        line = melody_line(p)
        if len(line) < 2 or p.key is None:
            continue
        a, b = line[-2].pitch, line[-1].pitch
        n += 1
        kinds[NAMES.get(abs(b - a), "leap 8+")] += 1
        scale = set(scale_pitch_classes(tonic_pc(p.key.tonic), (p.key.mode or "major").lower()))
        chromatic += a % 12 not in scale
    return {
        "n": n,
        **{k: round(v / n, 3) for k, v in sorted(kinds.items())},
        "from a chromatic note": round(chromatic / n, 3),
    }


def main(style: str, per_style: int = 120, seed: int = 0, which: str = "all") -> None:
    model, tok, _ = load_numpy_model(DEFAULT_MODEL_DIR)
    corpus = load_corpus(None)
    test = {style: list(corpus.filter(split="valid", style=style, shippable=True if which == "shippable" else None))}
    reals = real_pieces(test, style, int(per_style), int(seed))
    print("real ", approach(reals))
    takes = compose_like(model, tok, reals, style, MusicalityConfig(per_style=int(per_style), seed=int(seed)))
    print("takes", approach(takes))


if __name__ == "__main__":
    main(*sys.argv[1:])
