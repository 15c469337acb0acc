"""Why a harmonized bass still strikes its note again: for the first N JSB validation sopranos
(seed i), each bass note struck at once on the note before's pitch, by what the bass's tiers did
there (`VoiceLeading._leaving_a_struck_pitch`): "offered" (the octave or a chord tone was offered
too, and the model struck again), "cadence" (a fermata chord's own rules), "others in first" (the
first tier held other pitches), "nothing to add" (nothing else kept the rules), "not asked" (no
planned chord there: an off-beat note, or after a fermata's hold).

    .venv/bin/python docs/notes/2026-12-07-session-65/restrike_causes.py 20
"""

from __future__ import annotations

import collections
import copy
import sys

import numpy as np

import tunesmith as ts
from tunesmith import voice_leading
from tunesmith.corpus import load_corpus

log: dict = {}
_leaving = voice_leading.VoiceLeading._leaving_a_struck_pitch


def _logged(self, v, p, cands, masks, tones, ok):
    out = _leaving(self, v, p, cands, masks, tones, ok)
    prev = self.pitch_at(v, p - 1)
    first = next((m for m in masks if m.any()), None)
    c = np.asarray(cands)
    if out:
        why = "offered"
    elif p in self.cadence_ticks:
        why = "cadence"
    elif prev is None:
        why = "no note before"
    elif first is not None and (c[first] != prev).any():
        why = "others in first"
    else:
        why = "nothing to add"
    log.setdefault(p, why)
    log.setdefault("ticks", []).append(p)
    return out


def main(n: int) -> None:
    voice_leading.VoiceLeading._leaving_a_struck_pitch = _logged
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:n]
    counts = collections.Counter()
    for i, chorale in enumerate(chorales):
        log.clear()
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=3000 + i).piece
        bass = sorted(piece.tracks[3].notes, key=lambda x: x.onset)
        # the guard's ticks count from the harmonized region's first bar line (a pickup's offset)
        offset = round(bass[0].onset * 12) - min(log.get("ticks", [0]))
        for a, b in zip(bass, bass[1:]):
            if a.pitch == b.pitch and abs(a.onset + a.duration - b.onset) < 1e-6:
                counts[log.get(round(b.onset * 12) - offset, "not asked")] += 1
    print(f"{sum(counts.values())} notes struck again: {dict(counts.most_common())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
