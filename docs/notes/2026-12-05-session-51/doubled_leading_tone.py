"""How often a chorale doubles its key's leading tone: the share of beats (the four sounding pitches,
`metrics.harmony_rules.beat_sonorities`) where two voices or more sing the pitch class a semitone
below the tonic, of those where it sounds at all, and of the beats on the key's V or V7 (its root and
third sounding, nothing outside it). Bach's validation chorales (music21 corpus,
research-only, measured), harmonizations of the first `--n` of their sopranos and `--n` composed
chorales (`musician_checks`). A choir director had found harmonize doubling it in 15 of 50 takes.

    python docs/notes/2026-12-05-session-51/doubled_leading_tone.py --n 40
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import composed_chorales, harmonized_sopranos  # noqa: E402


def doubled(pieces) -> dict:
    from tunesmith.metrics.harmony_rules import beat_sonorities

    beats = sounding = twice = dominant = dominant_twice = 0
    where = []
    for i, p in enumerate(pieces):
        tonic = p.keys[0].tonic_pc
        leading = (tonic + 11) % 12
        v7 = {(tonic + 7) % 12, leading, (tonic + 2) % 12, (tonic + 5) % 12}
        for k, now in enumerate(beat_sonorities(p)):
            if now is None:
                continue
            beats += 1
            count = sum(x % 12 == leading for x in now)
            sounding += count > 0
            twice += count > 1
            pcs = {x % 12 for x in now}
            if pcs <= v7 and (tonic + 7) % 12 in pcs and leading in pcs:  # the key's V or V7
                dominant += 1
                dominant_twice += count > 1
                if count > 1:
                    where.append((i, k))
    return {"beats": beats, "doubled": round(twice / max(beats, 1), 4),
            "doubled_where_sounding": round(twice / max(sounding, 1), 4), "dominant_beats": dominant,
            "doubled_on_the_dominant": round(dominant_twice / max(dominant, 1), 4), "first": where[:8]}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    print("bach", doubled(bach))
    print("harmonized", doubled(harmonized_sopranos(bach[: a.n])))
    print("composed", doubled(composed_chorales(a.n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
