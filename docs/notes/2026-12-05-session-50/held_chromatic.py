"""A melody's held chromatic notes and the chord over them: per half bar whose melody dwells (half
its time or more) on one pitch class outside the key's scale (major: its seven degrees; minor: the
natural minor, so that the raised seventh, C-sharp in D minor, counts), whether the chord sounding
there holds that pitch class. Real pieces' own chords (the valid split) against the harmonize verb's
chords for the same melodies (`--n` of them).

    python docs/notes/2026-12-05-session-50/held_chromatic.py --style folk --n 60
"""

from __future__ import annotations

import argparse
import collections


def held_chromatic(pieces) -> dict:
    from tunesmith.baselines.harmony_baseline import chord_at
    from tunesmith.harmonizer import units_for
    from tunesmith.harmony import chord_pitch_classes

    out = collections.Counter()
    for p in pieces:
        mel, key = p.melody(), p.key
        if mel is None or key is None or not p.chords:
            continue
        steps = (0, 2, 3, 5, 7, 8, 10) if key.mode == "minor" else (0, 2, 4, 5, 7, 9, 11)
        scale = {(key.tonic_pc + s) % 12 for s in steps}
        chords = sorted(p.chords, key=lambda c: c.onset)
        for a, b in units_for(p, "half"):
            time = collections.Counter()
            for n in mel.notes:
                overlap = min(b, n.onset + n.duration) - max(a, n.onset)
                if overlap > 1e-6:
                    time[n.pitch % 12] += overlap
            total = sum(time.values())
            if not total:
                continue
            pc, held = time.most_common(1)[0]
            if pc in scale or held < 0.5 * total:
                continue
            chord = chord_at(chords, a + 1e-6)
            if chord is None:
                continue
            try:
                tones = chord_pitch_classes(chord.figure)
            except ValueError:
                continue
            leading = key.mode == "minor" and pc == (key.tonic_pc + 11) % 12
            kind = "leading tone (minor)" if leading else "other chromatic"
            out[kind, pc in tones] += 1
    return {kind: {"units": out[kind, True] + out[kind, False],
                   "in_the_chord": round(out[kind, True] / max(1, out[kind, True] + out[kind, False]), 3)}
            for kind in ("leading tone (minor)", "other chromatic")}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="folk")
    ap.add_argument("--n", type=int, default=60)
    a = ap.parse_args()
    import copy

    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    real = [p for p in load_corpus(None).filter(split="valid", style=a.style) if p.chords and p.melody() is not None]
    # the minor pieces first (they are few), then the rest, up to --n
    real = sorted(real, key=lambda p: (p.key is None or p.key.mode != "minor"))[: a.n]
    print("own chords", held_chromatic(real))
    harmonized, kept = [], []
    for i, p in enumerate(real):
        bare = copy.deepcopy(p)
        bare.chords = []
        try:  # (a piece co-create refuses: a meter change, bars off the meter)
            harmonized.append(ts.harmonize(bare, style=a.style, seed=i).piece)
        except ValueError:
            continue
        kept.append(p)
    print("own chords, the pieces harmonized", held_chromatic(kept))
    print("harmonized", held_chromatic(harmonized))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
