"""Inpainted chorales: dominant sevenths sounding where a kept passage hands over to the new bars,
and whether the new bars resolve them (`metrics.harmony_rules.unresolved_dominant_sevenths`'s
rule, at the seam only). 40 JSB validation chorales, bars 3-4 inpainted, seed i for the i-th.

    python docs/notes/2026-12-03-session-29/seam_sevenths.py [--n 40] [--bars 3-4]
"""
import argparse

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.metrics import harmony_rules as hr


def is_dominant_seventh(pitch, sounding):
    # as `voice_leading.is_dominant_seventh` (here too, for a checkout from before it: the comparison)
    root = (pitch + 2) % 12
    return root in sounding and (root + 4) % 12 in sounding

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=40)
ap.add_argument("--bars", default="3-4")
args = ap.parse_args()
first = int(args.bars.split("-")[0])
chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) == 4][: args.n]
sevenths = unresolved = leading = leading_left = 0
for i, chorale in enumerate(chorales):
    take = ts.inpaint(chorale, bars=args.bars, seed=i).piece
    starts = take.bars()
    seam = starts[first - 1] if first - 1 < len(starts) else None
    if seam is None:
        continue
    voices = hr._voices(take)
    sounding = {p % 12 for r in hr.VOICES for p in (voices[r].pitch_at(seam - 1e-3),) if p is not None}
    for role in hr.VOICES:
        before, after = voices[role].pitch_at(seam - 1e-3), voices[role].pitch_at(seam + 1e-3)
        if before is None or after is None:
            continue
        if is_dominant_seventh(before, sounding):
            sevenths += 1
            unresolved += (after - before) not in (0, -1, -2)
        seventh = (before + 6) % 12
        if role in ("soprano", "bass") and seventh in sounding and is_dominant_seventh(seventh, sounding):
            # the root's major third: a dominant seventh's leading tone (its seventh a tritone away)
            leading += 1
            leading_left += (after - before) not in (0, 1)
print(f"{len(chorales)} inpainted chorales, bars {args.bars}: at the seam {sevenths} sevenths, {unresolved} not "
      f"held or falling a step; {leading} leading tones in an outer voice, {leading_left} not held or rising a half step")
