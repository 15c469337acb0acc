"""Session 70: where a composed chorale's notes outside its key fall: inside its drawn modulation's
passage (`resolved.modulation`: the key and bars) or outside it. Per voice, the share of notes
outside the key that holds there (home key outside the passage; inside it the passage's key), and
inside the passage the share outside both keys (E-flat and C-sharp in a G-major chorale's A-minor
passage). `--takes` 16-bar chorales in the census's keys (seeds from `--seed-base`).

    .venv/bin/python docs/notes/2026-12-07-session-70/passage_chromatics.py [--takes 48] [--seed-base 3000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.sampling.request import MODULATION_KEYS
from tunesmith.score import pitch_class_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-07-session-68"))
from chromatic_moves import KEYS, VOICES  # noqa: E402

MAJOR, MINOR = (0, 2, 4, 5, 7, 9, 11), (0, 2, 3, 5, 7, 8, 9, 10, 11)


def scale(tonic_pc: int, family: str) -> set[int]:
    return {(tonic_pc + s) % 12 for s in (MAJOR if family == "major" else MINOR)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=48)
    ap.add_argument("--seed-base", type=int, default=3000)
    args = ap.parse_args()
    model = ts.load_model("default")
    counts = {where: [[0, 0, 0] for _ in VOICES] for where in ("outside", "passage")}  # [notes, off key, off both]
    passages = 0
    for i in range(args.takes):
        tonic, mode = KEYS[i % len(KEYS)]
        take = ts.compose("chorale", key=tonic, mode=mode, bars=16, seed=args.seed_base + i, model=model, check=False)
        piece = take.piece
        home = scale(pitch_class_of(tonic), mode)
        mod = take.provenance["resolved"].get("modulation")
        bars = list(piece.bars()) + [piece.end]
        span, there = None, None
        if mod:
            passages += 1
            shift, family = MODULATION_KEYS[mod["to"]]
            there = scale((pitch_class_of(tonic) + shift) % 12, family)
            first, last = mod["bars"]
            offset = 1 if take.raw.meta.get("pickup") else 0
            span = (bars[first + offset], bars[min(last + offset, len(bars) - 1)])
        for v, track in enumerate(piece.tracks[:4]):
            for n in track.notes:
                inside = span is not None and span[0] - 1e-6 <= n.onset < span[1] - 1e-6
                row = counts["passage" if inside else "outside"][v]
                row[0] += 1
                row[1] += n.pitch % 12 not in (there if inside else home)
                row[2] += inside and n.pitch % 12 not in there and n.pitch % 12 not in home
    print(f"{args.takes} takes, {passages} with a passage")
    for where, rows in counts.items():
        cells = ", ".join(f"{v} {r[1] / max(r[0], 1):.3f}" + (f" (both {r[2] / max(r[0], 1):.3f})" if where == "passage" else "")
                          for v, r in zip(VOICES, rows))  # fmt: skip
        print(f"  {where}: notes outside the key there: {cells}; notes {sum(r[0] for r in rows)}")


if __name__ == "__main__":
    main()
