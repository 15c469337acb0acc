"""How often the harmonizer's clash rule would rule out the chord a real piece has: per half-bar
unit, the melody's time on pitch classes a semitone above a tone of the unit's chord (not its own
tones; a dominant's flat ninth left out) as a share of the unit's melody time, at thresholds.

    python docs/notes/2026-12-05-session-49/clash_rule.py --styles folk,pop,jazz --split valid
    python docs/notes/2026-12-05-session-49/clash_rule.py --styles folk,pop,jazz --takes 60
"""

from __future__ import annotations

import argparse

import numpy as np

from tunesmith import harmonizer as H


def clash_mask() -> np.ndarray:
    """(N_LABELS, 12) bool: per label, the pitch classes relative to the tonic that clash with it."""
    m = np.zeros((H.N_LABELS, 12), bool)
    for lab in range(H.N_LABELS):
        tones = H.chord_tones(lab, 0)
        above = {(t + 1) % 12 for t in tones} - set(tones)
        if H.QUALITY_NAMES[lab % len(H.QUALITY_NAMES)] == "7":
            above.discard((tones[0] + 1) % 12)
        m[lab, sorted(above)] = True
    return m


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--styles", default="folk,pop,jazz")
    ap.add_argument("--split", default="valid")
    ap.add_argument("--takes", type=int, default=0, help="measure this many composed takes a style instead")
    ap.add_argument("--model", default="default")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    mask = clash_mask()
    corpus = load_corpus(None)
    for style in a.styles.split(","):
        shares = []
        if a.takes:
            import sys
            from pathlib import Path

            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-48"))
            from takes import compose_takes

            pieces = compose_takes(style, a.takes, model=a.model)
        else:
            pieces = list(corpus.filter(split=a.split, style=style))
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
                if lab < 0 or tot[u] <= 0:
                    continue
                shares.append(float(time[u, mask[lab]].sum() / tot[u]))
        s = np.array(shares)
        print(f"{style} {f'takes {a.model}' if a.takes else a.split}: {len(s)} units; real chord ruled out at share >= "
              + ", ".join(f"{t}: {np.mean(s >= t - 1e-9):.4f}" for t in (0.25, 0.34, 0.4, 0.5, 0.6, 0.75)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
