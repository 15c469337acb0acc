"""Session 66: inner voices' tritones against chords without their third, in harmonized JSB
sopranos. The first N JSB validation sopranos (four-part chorales), soprano i harmonized with seed
`--seed-base` + i, under each arm (`--arms`); Bach's own settings beside.

Per 100 beats where all four voices sound:
- alto/tenor tritones: melodic leaps of six semitones between touching notes;
- no third: the four voices sound a bare fifth or a unison/octave (pitch classes within {r, r+7});
- no third at fermatas: the same, on the beat of a fermata and the beat before it (share of them);
- no third before the last: the same, on the beat before the soprano's last note (count);
- bass on the third: the sounding set is a triad or seventh chord whose third is in the bass (share
  of beats that sound one).

Arms (a name's parts): "refused" (`part_writing.THIRD_OVER_A_TRITONE` False, else True), "cadence"
(`part_writing.THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE` True, else False), "bass"
(`voice_leading.BASS_TAKES_THE_MISSING_THIRD` True, else False): "before" (none of them, as session
65 shipped), "refused+bass", "cadence+bass" (as shipped since session 66).

    OMP_NUM_THREADS=1 .venv/bin/python docs/notes/2026-12-07-session-66/third_less.py 40 \\
        [--seed-base 3000] [--arms before,cadence+bass] [--bach]
"""

from __future__ import annotations

import argparse
import copy
from collections import Counter

import tunesmith as ts
import tunesmith.sampling.part_writing as part_writing
import tunesmith.voice_leading as voice_leading
from tunesmith.corpus import load_corpus
from tunesmith.metrics.harmony_rules import VOICES, _voices

TRIADS = ((0, 4, 7), (0, 3, 7), (0, 3, 6), (0, 4, 7, 10), (0, 4, 7, 11), (0, 3, 7, 10), (0, 3, 6, 10))


def root_of(pcs: set[int]) -> int | None:
    for r in range(12):
        for shape in TRIADS:
            if pcs == {(r + i) % 12 for i in shape}:
                return r
    return None


def counts(piece) -> Counter:
    out: Counter = Counter()
    for role in ("alto", "tenor"):
        ns = sorted(piece.track(role).notes, key=lambda n: n.onset)
        out[f"{role} tritones"] += sum(
            abs(a.pitch - b.pitch) == 6 and abs(a.onset + a.duration - b.onset) < 1e-6 for a, b in zip(ns, ns[1:])
        )
    voices, t = _voices(piece), 0.0
    fermata_beats = {float(int(f)) for f in piece.fermatas} | {float(int(f)) - 1 for f in piece.fermatas}
    last = max(n.onset for n in piece.track("soprano").notes)
    while t < piece.duration() - 1e-6:
        pitches = [voices[r].pitch_at(t) for r in VOICES]
        if None not in pitches:
            pcs = {p % 12 for p in pitches}
            bare = any(pcs <= {r, (r + 7) % 12} for r in range(12))
            out["beats"] += 1
            out["no third"] += bare
            if t == float(int(last)) - 1:
                out["close beats"] += 1
                out["close no third"] += bare
            if t in fermata_beats:
                out["fermata beats"] += 1
                out["fermata no third"] += bare
            root = root_of(pcs)
            if root is not None:
                out["chord beats"] += 1
                out["bass on third"] += (pitches[-1] - root) % 12 in (3, 4)
        t += 1.0
    return out


def row(c: Counter) -> str:
    per = lambda k: 100 * c[k] / max(1, c["beats"])  # noqa: E731
    return (
        f"alto tritones {per('alto tritones'):.2f}  tenor tritones {per('tenor tritones'):.2f}  "
        f"no third {per('no third'):.2f}  fermata no third {c['fermata no third']}/{c['fermata beats']}  "
        f"beat before the last no third {c['close no third']}/{c['close beats']}  "
        f"bass on third {c['bass on third'] / max(1, c['chord beats']):.3f}  beats {c['beats']}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int, nargs="?", default=40)
    ap.add_argument("--seed-base", type=int, default=3000)
    ap.add_argument("--arms", default="before,cadence+bass")
    ap.add_argument("--bach", action="store_true")
    args = ap.parse_args()
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][: args.n]
    if args.bach:
        c: Counter = Counter()
        for chorale in chorales:
            c += counts(chorale)
        print(f"{'bach':14s} {row(c)}", flush=True)
    for arm in args.arms.split(","):
        part_writing.THIRD_OVER_A_TRITONE = "refused" not in arm
        part_writing.THIRD_OVER_A_TRITONE_ONLY_INTO_A_CADENCE = "cadence" in arm
        if hasattr(voice_leading, "BASS_TAKES_THE_MISSING_THIRD"):
            voice_leading.BASS_TAKES_THE_MISSING_THIRD = "bass" in arm
        c = Counter()
        for i, chorale in enumerate(chorales):
            soprano = copy.deepcopy(chorale)
            soprano.tracks = soprano.tracks[:1]
            c += counts(ts.harmonize(soprano, style="chorale", seed=args.seed_base + i).piece)
        print(f"{arm:14s} {row(c)}", flush=True)


if __name__ == "__main__":
    main()
