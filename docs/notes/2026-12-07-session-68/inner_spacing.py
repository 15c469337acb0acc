"""Session 68: the alto's and the tenor's distance below the voice above, time-weighted (each note's
length times the distance at its start from the voice above, as `Constrainer.spacing_bias` counts
it), and their mean pitches, in Bach's JSB
chorales of a split and in harmonizations of the first `--n` JSB validation sopranos (seed i) at the
gains given (`feedback.INNER_SPACING_GAIN`).

    .venv/bin/python docs/notes/2026-12-07-session-68/inner_spacing.py [--split train] [--gains 0,1,2] [--n 40]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tunesmith.corpus import load_corpus
from tunesmith.sampling import feedback

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from musician_checks import harmonized_sopranos as harmonized  # noqa: E402


def sounding(track, t: float):
    for n in track.notes:
        if n.onset <= t + 1e-6 < n.onset + n.duration:
            return n.pitch
    return None


def jsb_chorales(split: str, n: int | None = None) -> list:
    """The JSB chorales of `split` in four parts (the first `n`)."""
    return [c for c in load_corpus(None).filter(split=split, source="jsb") if len(c.tracks) >= 4][:n]


def per_gain(measure, gains: str = "0,4") -> None:
    """Print `measure` of Bach's first `--n` JSB validation chorales in four parts, then of their
    sopranos harmonized (seed i) at each of `--gains` (`feedback.INNER_SPACING_GAIN`)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--gains", default=gains)
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    chorales = jsb_chorales("valid", args.n)
    print("Bach:", measure(chorales), flush=True)
    for gain in (float(g) for g in args.gains.split(",")):
        feedback.INNER_SPACING_GAIN = gain
        print(f"gain {gain:g}:", measure(harmonized(chorales)), flush=True)


def line(name: str, pieces) -> str:
    alto, tenor, alto_mean, tenor_mean = spacing(pieces)
    return f"{name}: alto below soprano {alto:.2f}, tenor below alto {tenor:.2f}; alto {alto_mean:.1f}, tenor {tenor_mean:.1f}"


def spacing(pieces) -> tuple[float, float, float, float]:
    """(alto below soprano, tenor below alto, alto mean pitch, tenor mean pitch), time-weighted."""
    out = []
    for v in (1, 2):
        num = den = pnum = pden = 0.0
        for p in pieces:
            for n in p.tracks[v].notes:
                pnum += n.pitch * n.duration
                pden += n.duration
                above = sounding(p.tracks[v - 1], n.onset)
                if above is not None:
                    num += (above - n.pitch) * n.duration
                    den += n.duration
        out.append((num / den, pnum / pden))
    return out[0][0], out[1][0], out[0][1], out[1][1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train", help="Bach's chorales to measure")
    ap.add_argument("--gains", default="")
    ap.add_argument("--n", type=int, default=40)
    args = ap.parse_args()
    bach = jsb_chorales(args.split)
    print(line(f"Bach, {args.split} ({len(bach)})", bach), flush=True)
    valid = jsb_chorales("valid", args.n)
    print(line(f"Bach, valid ({len(valid)})", valid), flush=True)
    for gain in [float(g) for g in args.gains.split(",") if g]:
        feedback.INNER_SPACING_GAIN = gain
        print(line(f"gain {gain:g}", harmonized(valid)), flush=True)


if __name__ == "__main__":
    main()
