"""How often a seventh chord's seventh lies a semitone from the melody: per half-bar unit whose
chord has a seventh ('7', 'm7', 'maj7', 'm7b5'), the melody's time on the pitch class a semitone
above the seventh (not a chord tone; a semitone below it is the common 6th or 13th, E over G7, in a
quarter of real folk's seventh-chord units) as a share of the unit's melody time, at thresholds:
real chords (the share the harmonizer's rule would refuse) and the harmonizer's chords for
composed takes. A folk-song scholar had found D7 under a melody's "d c# d" (C against C#).

    python docs/notes/2026-12-06-session-54/seventh_clash.py --styles folk,pop,jazz --split valid
    python docs/notes/2026-12-06-session-54/seventh_clash.py --styles folk --takes 60
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from tunesmith import harmonizer as H

SEVENTHS = {"7", "m7", "maj7", "m7b5"}


def seventh_clash_mask() -> np.ndarray:
    """(N_LABELS, 12) bool: per seventh-chord label, the pitch class a semitone above its seventh
    where it is not one of its tones (relative to the tonic); no row for triads."""
    m = np.zeros((H.N_LABELS, 12), bool)
    for lab in range(H.N_LABELS):
        if H.QUALITY_NAMES[lab % len(H.QUALITY_NAMES)] not in SEVENTHS:
            continue
        tones = H.chord_tones(lab, 0)
        seventh = tones[3]
        m[lab, sorted({(seventh + 1) % 12} - set(tones))] = True
    return m


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--styles", default="folk,pop,jazz")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--takes", type=int, default=0)
    ap.add_argument("--model", default="default")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    mask = seventh_clash_mask()
    corpus = load_corpus(None)
    for style in a.styles.split(","):
        shares = []
        if a.takes:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-48"))
            from takes import compose_takes

            pieces = compose_takes(style, a.takes, model=a.model)
        else:
            pieces = list(corpus.filter(split=a.split, style=style))
        sevenths = 0
        for p in pieces:
            if not p.chords:
                continue
            key = H.piece_key(p)
            units = H.units_for(p, "half")
            x = H.unit_features(p, units, key)
            labels = H.unit_labels(p, units, key)
            time = x[:, :12].astype(np.float64)
            tot = time.sum(1)
            for u, lab in enumerate(labels):
                if lab < 0 or tot[u] <= 0 or not mask[lab].any():
                    continue
                sevenths += 1
                shares.append(float(time[u, mask[lab]].sum() / tot[u]))
        s = np.array(shares) if shares else np.zeros(1)
        print(f"{style} {f'takes {a.model}' if a.takes else a.split}: {sevenths} seventh-chord units; clash share >= "
              + ", ".join(f"{t}: {np.mean(s >= t - 1e-9):.4f}" for t in (0.01, 0.1, 0.2, 0.34, 0.5)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
