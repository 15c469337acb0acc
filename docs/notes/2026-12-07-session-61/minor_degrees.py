"""Session 61: how folk in a minor key uses its sixth and seventh, raised or not. The shippable
training tunes in a minor key (modal tunes keyed by their final) against takes composed under the
same headers (key, meter, 16 bars, default settings): the melody's time on the natural and raised
sixth and seventh, and the share of tunes that ever raise them.

    python docs/notes/2026-12-07-session-61/minor_degrees.py [N]
"""

import random
import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.licenses import may_ship
from tunesmith.metrics._common import melody_line


def degrees(notes, tonic_pc):
    h = np.zeros(12)
    for n in notes:
        h[(n.pitch - tonic_pc) % 12] += n.duration
    return h / max(h.sum(), 1e-9)


def main(n: int = 60) -> None:
    tunes = [p for p in load_corpus(None).filter(style="folk", split="train")
             if may_ship(str(p.license)) and p.key is not None and p.key.mode == "minor" and len(p.keys) == 1
             and melody_line(p)]  # fmt: skip
    random.Random(0).shuffle(tunes)
    tunes = tunes[:n]
    model = ts.load_model("default")
    rows = {"tunes": [], "takes": []}
    for i, p in enumerate(tunes):
        meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
        take = ts.compose("folk", key=p.key.tonic, mode="minor", meter=meter, bars=16, seed=i, model=model, check=False)
        rows["tunes"].append(degrees(melody_line(p), p.key.tonic_pc))
        rows["takes"].append(degrees(melody_line(take.piece), p.key.tonic_pc))
    print(f"{len(tunes)} shippable minor folk training tunes and as many takes (16 bars)")
    print(f"{'':6s} {'b6 time':>8s} {'6 time':>8s} {'b7 time':>8s} {'7 time':>8s} {'ever 6':>7s} {'ever 7':>7s}")
    for who, hs in rows.items():
        h = np.array(hs)
        print(
            f"{who:6s} {h[:, 8].mean():8.3f} {h[:, 9].mean():8.3f} {h[:, 10].mean():8.3f} {h[:, 11].mean():8.3f} "
            f"{(h[:, 9] > 0).mean():7.2f} {(h[:, 11] > 0).mean():7.2f}"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
