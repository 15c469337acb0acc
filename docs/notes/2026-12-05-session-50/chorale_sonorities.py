"""A chorale's harsh beats, counted: per beat (the four sounding pitches), the share that is an
augmented triad (every tone of an augmented triad and no other) and the share that holds a minor
second or major seventh between two voices; and the bass's chromatic steps (a semitone to a pitch
outside the key's scale) per 100 beats. Bach's validation chorales (music21 corpus, research-only, measured), harmonizations of
their sopranos and composed 8-bar chorales (`scripts/musician_checks.py`'s).

    python docs/notes/2026-12-05-session-50/chorale_sonorities.py --n 40
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import composed_chorales, harmonized_sopranos  # noqa: E402


def harsh(pieces) -> dict:
    from tunesmith.metrics.harmony_rules import VOICES, _voices

    beats = aug = second = chromatic_bass = 0
    for piece in pieces:
        voices, t, before = _voices(piece), 0.0, None
        while t < piece.duration() - 1e-6:
            now = [voices[r].pitch_at(t) for r in VOICES]
            if None not in now:
                beats += 1
                pcs = {p % 12 for p in now}
                aug += any(pcs == {r, (r + 4) % 12, (r + 8) % 12} for r in range(12))
                second += any((a - b) % 12 in (1, 11) for i, a in enumerate(now) for b in now[i + 1:])
                if before is not None:
                    chromatic_bass += (now[3] - before[3]) in (1, -1) and (now[3] % 12) not in _diatonic(piece)
                before = now
            else:
                before = None
            t += 1.0
    per = lambda x: round(x / max(beats, 1), 4)  # noqa: E731
    return {"beats": beats, "augmented": per(aug), "minor_second": per(second),
            "chromatic_bass_steps_per_100": round(100 * chromatic_bass / max(beats, 1), 2)}  # fmt: skip


def _diatonic(piece) -> set[int]:
    key = piece.keys[0]
    steps = (0, 2, 3, 5, 7, 8, 10, 11) if key.mode == "minor" else (0, 2, 4, 5, 7, 9, 11)
    return {(key.tonic_pc + s) % 12 for s in steps}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    print("bach", harsh(bach))
    print("harmonized", harsh(harmonized_sopranos(bach[: a.n])))
    print("composed", harsh(composed_chorales(a.n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
