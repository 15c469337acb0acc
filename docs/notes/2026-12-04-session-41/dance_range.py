"""A dance tune's melodic range: the shippable tunes of the dance against `compose --dance` takes
in the same keys.

    python docs/notes/2026-12-04-session-41/dance_range.py DANCE SPLIT [TAKES_PER_TUNE]

Tunes: `scripts/fit_dance_profiles.py`'s `dance_pieces` (Nottingham by file, the Irish by title
and meter). For each tune, TAKES_PER_TUNE takes (default 1) of `compose(style="folk",
dance=DANCE, key=its key, mode=its mode)`, seeded by its index. Prints the mean span (highest
minus lowest melody pitch), the mean highest and lowest pitch above the tonic, and the span
of the second half (a B strain) above the first half's highest note, tunes and takes."""

from __future__ import annotations

import sys

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus


def stats(piece, tonic_pc):
    notes = sorted(piece.melody().notes, key=lambda n: n.onset)
    pitches = [n.pitch for n in notes]
    if len(pitches) < 8:
        return None
    tonic = min(p for p in range(36, 96) if p % 12 == tonic_pc and p >= min(pitches) - 11)
    half = piece.duration() / 2
    first = [n.pitch for n in notes if n.onset < half]
    second = [n.pitch for n in notes if n.onset >= half]
    lift = (max(second) - max(first)) if first and second else 0
    return max(pitches) - min(pitches), max(pitches) - tonic, min(pitches) - tonic, lift


def main():
    import importlib.util

    dance, split = sys.argv[1], sys.argv[2]
    per = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    spec = importlib.util.spec_from_file_location("fdp", "scripts/fit_dance_profiles.py")
    fdp = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fdp)
    tunes = [p for p in fdp.dance_pieces(load_corpus(), dance, split) if p.melody() is not None and p.keys]
    model = tunesmith.load_model("default")
    real, takes = [], []
    for i, p in enumerate(tunes):
        k = p.keys[0]
        got = stats(p, k.tonic_pc)
        if got is None:
            continue
        real.append(got)
        for j in range(per):
            mode = k.mode if k.mode in ("major", "minor", "dorian", "mixolydian") else "major"
            take = tunesmith.compose("folk", dance=dance, key=k.tonic, mode=mode, seed=1000 * j + i, model=model,
                                     check=False)
            t = stats(take.piece, k.tonic_pc)
            if t is not None:
                takes.append(t)
    for name, rows in (("tunes", real), ("takes", takes)):
        a = np.array(rows, dtype=float)
        print(f"{dance} {split} {name}: n={len(a)}, span {a[:, 0].mean():.1f}, highest above the tonic "
              f"{a[:, 1].mean():.1f}, lowest {a[:, 2].mean():.1f}, second half's top over the first's {a[:, 3].mean():+.1f}")


if __name__ == "__main__":
    main()
