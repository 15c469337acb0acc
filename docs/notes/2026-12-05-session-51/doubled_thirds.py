"""Doubled thirds in a chorale's major triads: of the beats whose four sounding pitches are a major
triad (`metrics.harmony_rules.beat_sonorities`), the share where two voices sing its third, and
where the bass is the doubled third. Bach's validation chorales (music21 corpus, research-only,
measured), harmonizations of the first `--n` of their sopranos (both textures) and `--n` composed
chorales (`musician_checks`).

    python docs/notes/2026-12-05-session-51/doubled_thirds.py --n 40
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import composed_chorales  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from hymn_texture import harmonized  # noqa: E402


def doubled_thirds(pieces) -> dict:
    from tunesmith.metrics.harmony_rules import beat_sonorities

    major = doubled = in_bass = 0
    for p in pieces:
        for now in beat_sonorities(p):
            if now is None:
                continue
            pcs = {x % 12 for x in now}
            root = next((r for r in pcs if pcs == {r, (r + 4) % 12, (r + 7) % 12}), None)
            if root is None:
                continue
            major += 1
            thirds = sum(x % 12 == (root + 4) % 12 for x in now)
            doubled += thirds > 1
            in_bass += thirds > 1 and now[3] % 12 == (root + 4) % 12
    return {"major_triad_beats": major, "third_doubled": round(doubled / max(major, 1), 4),
            "doubled_with_the_bass": round(in_bass / max(major, 1), 4)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    print("bach", doubled_thirds(bach))
    for texture in (None, "hymn"):
        print("harmonized", texture or "chorale", doubled_thirds(harmonized(bach[: a.n], texture)))
    print("composed", doubled_thirds(composed_chorales(a.n)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
