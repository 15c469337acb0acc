"""Reel takes against held-out reels: a fresh classifier's two-sample accuracy
(`metrics.c2st.c2st_accuracy`, 0.5 = cannot tell) for 16-bar takes asked `--dance reel` under the
held-out reels' keys (seed = index), over classifier seeds 0-3, for each arm: "before" (session 64:
`SECOND_LONG_NOTE_PENALTIES` and `RHYTHM_RULES_AT_CADENCES` off), "shipped", and "all:P" (a second
long note in a bar loses P, with the rules at cadences on). With each, the share of notes of a
beat or more and the quarter-eighth alternations per 100 beats (test_shipped_model's measure; the
tunes' beside). (Session 65 also ran "cad:2", the penalty in the cadence bars only, through a
switch since removed.)

    .venv/bin/python docs/notes/2026-12-07-session-65/reel_c2st.py [--split valid,test] [--arms before,shipped,all:2]
"""

from __future__ import annotations

import argparse

import numpy as np

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line
from tunesmith.metrics.c2st import c2st_accuracy
from tunesmith.sampling import feedback
from tunesmith.sampling.feedback import length_class


def long_share(pieces) -> float:
    d = np.array([n.duration for p in pieces for n in melody_line(p)])
    return float((d >= 1 - 1e-6).mean())


def alternations(pieces) -> float:
    """Quarter-eighth-quarter and eighth-quarter-eighth per 100 beats of melody."""
    eighth, quarter = length_class(6), length_class(12)
    count = beats = 0.0
    for p in pieces:
        line = melody_line(p)
        c = [length_class(n.duration * 12) for n in line]
        count += sum(
            (a, b, d) in ((quarter, eighth, quarter), (eighth, quarter, eighth)) for a, b, d in zip(c, c[1:], c[2:])
        )
        beats += line[-1].onset - line[0].onset
    return 100 * count / beats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="valid,test")
    ap.add_argument("--arms", default="before,shipped")
    args = ap.parse_args()
    corpus = load_corpus(None)
    reels = [p for split in args.split.split(",") for p in corpus.filter(style="folk", split=split)
             if p.key is not None and "reel" in (p.title or "").lower()
             and p.time_signature.numerator in (2, 4) and melody_line(p)]  # fmt: skip
    model = ts.load_model("default")
    shipped = (dict(feedback.SECOND_LONG_NOTE_PENALTIES), feedback.RHYTHM_RULES_AT_CADENCES)
    arms = {}
    for name in args.arms.split(","):
        if name == "shipped":
            setting = shipped
        elif name == "before":
            setting = ({}, frozenset())
        else:
            setting = ({"reel": float(name.split(":")[1])}, frozenset({"reel"}))
        feedback.SECOND_LONG_NOTE_PENALTIES, feedback.RHYTHM_RULES_AT_CADENCES = setting
        arms[name] = [ts.compose("folk", dance="reel", key=p.key.tonic, mode=p.key.mode, bars=16, seed=i,
                                 model=model, check=False).piece for i, p in enumerate(reels)]  # fmt: skip
    print(
        f"{len(reels)} held-out reels: notes of a beat or more {long_share(reels):.3f}, "
        f"alternations {alternations(reels):.1f} per 100 beats"
    )
    for name, takes in arms.items():
        accs = [c2st_accuracy(reels, takes, seed=s) for s in range(4)]
        print(
            f"{name}: classifier {np.mean(accs):.3f} +- {np.std(accs):.3f} ({', '.join(f'{a:.3f}' for a in accs)}); "
            f"notes of a beat or more {long_share(takes):.3f}, alternations {alternations(takes):.1f}"
        )


if __name__ == "__main__":
    main()
