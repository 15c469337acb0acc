"""Session 60: takes asked for a church mode against real tunes in it. The real tunes: held-out
(valid and test split) folk tunes whose final names a dorian or mixolydian tonic on their
signature (`modal_finals.modal_final`; the corpus labels them by signature, D major for E dorian).
Each is matched by a take of the shipped model under its header with the mode named (compose's
`--key "E dorian"`): key tonic, mode, meter, bars (at most 32), pickup. Measured on both:
- ends on the mode's tonic;
- the mode's own degree against the neighbour its family's key would use (dorian: the major
  sixth against the minor sixth; mixolydian: the flat seventh against the leading tone), as a
  share of those two degrees' time;
- time outside the mode's scale;
- the mean absolute interval.

    python docs/notes/2026-12-06-session-60/modal_takes.py [SOURCES]   # default irish,nottingham
"""

import sys

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line
from tunesmith.tokenizer import scale_pitch_classes

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from modal_finals import modal_final  # noqa: E402

OWN = {"dorian": (9, 8), "mixolydian": (10, 11)}  # (the mode's degree, the family key's)


def measures(piece, tonic_pc: int, mode: str) -> dict:
    line = melody_line(piece)
    time = {}
    for n in line:
        d = (n.pitch - tonic_pc) % 12
        time[d] = time.get(d, 0.0) + n.duration
    total = sum(time.values())
    own, other = OWN[mode]
    scale = {(pc - tonic_pc) % 12 for pc in scale_pitch_classes(tonic_pc, mode)}
    pair = time.get(own, 0.0) + time.get(other, 0.0)
    iv = np.abs(np.diff([n.pitch for n in line]))
    return {"tonic_end": (line[-1].pitch - tonic_pc) % 12 == 0,
            "own": time.get(own, 0.0) / pair if pair else np.nan,
            "outside": sum(t for d, t in time.items() if d not in scale) / total,
            "interval": float(iv.mean()) if len(iv) else np.nan}  # fmt: skip


def main(sources: str = "irish,nottingham") -> None:
    wanted = set(sources.split(","))
    corpus = load_corpus(None)
    pairs = []
    for split in ("valid", "test"):
        for p in corpus.filter(split=split, style="folk"):
            if p.source not in wanted:
                continue
            key = modal_final(p)
            if key is None or key.mode not in OWN:
                continue
            pairs.append((p, key))
    rows = {"real": [], "take": []}
    for i, (p, key) in enumerate(pairs):
        bars = max(4, min(32, len(p.bars()) - (1 if p.pickup_beats() else 0)))
        meter = f"{p.time_signature.numerator}/{p.time_signature.denominator}"
        pick = round(float(p.pickup_beats() or 0.0) * 12) / 12
        try:
            take = ts.compose("folk", key=key.tonic, mode=key.mode, meter=meter, bars=bars, pickup=pick or None,
                              seed=i, check=False)  # fmt: skip
        except ValueError as e:
            print("skipped:", p.title, e)
            continue
        rows["real"].append((key.mode, measures(p, key.tonic_pc, key.mode)))
        rows["take"].append((key.mode, measures(take.piece, key.tonic_pc, key.mode)))
    for mode in OWN:
        for who, r in rows.items():
            m = [x for md, x in r if md == mode]
            if not m:
                continue
            print(
                f"{mode:<10} {who}: {len(m)} tunes; ends on the tonic {np.mean([x['tonic_end'] for x in m]):.2f}; "
                f"the mode's own degree {np.nanmean([x['own'] for x in m]):.2f}; outside the scale "
                f"{np.mean([x['outside'] for x in m]):.3f}; mean interval {np.nanmean([x['interval'] for x in m]):.2f}"
            )


if __name__ == "__main__":
    main(*sys.argv[1:2])
