"""Chorales in the two textures (`--texture chorale|hymn`), counted: the lower voices' notes struck
off a beat and where the soprano strikes none, shorter than a beat; beat-to-beat parallels per 100
beats and the voices' motion (`inner_leaps.motion`). Harmonizations of the first `--n` of Bach's
validation sopranos (seed i for the i-th) and `--n` composed 8-bar chorales (`musician_checks`' keys,
seeds 500...).

    python docs/notes/2026-12-05-session-51/hymn_texture.py --n 40
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from inner_leaps import motion  # noqa: E402
from musician_checks import KEYS  # noqa: E402


def strikes(pieces) -> dict:
    lower = off = alone = short = 0
    for p in pieces:
        soprano = {round(n.onset, 6) for n in p.tracks[0].notes}
        for t in p.tracks[1:]:
            for n in t.notes:
                lower += 1
                off += abs(n.onset - round(n.onset)) > 1e-6
                alone += round(n.onset, 6) not in soprano
                short += n.duration < 1 - 1e-6
    per = lambda x: round(x / max(lower, 1), 4)  # noqa: E731
    return {"lower_notes": lower, "off_the_beat": per(off), "without_the_soprano": per(alone), "under_a_beat": per(short)}


def harmonized(chorales, texture: str | None) -> list:
    """Each chorale's soprano harmonized anew in `texture` (seed i for the i-th)."""
    import tunesmith as ts

    out = []
    for i, chorale in enumerate(chorales):
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        out.append(ts.harmonize(soprano, style="chorale", seed=i, texture=texture).piece)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][: a.n]
    for texture in ("chorale", "hymn"):
        composed = [ts.compose(style="chorale", key=KEYS[s % 8][0], mode=KEYS[s % 8][1], bars=8, seed=500 + s,
                               texture=texture, check=False).piece for s in range(a.n)]  # fmt: skip
        for name, pieces in (("harmonized", harmonized(bach, texture)), ("composed", composed)):
            print(texture, name, json.dumps({**strikes(pieces), **motion(pieces)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
