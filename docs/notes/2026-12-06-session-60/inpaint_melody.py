"""Session 60: inpainted melody against the bars it replaces. Held-out folk tunes (valid split,
shippable), bars 5-8 inpainted by the default model (seed = the tune's index); the same measures
on the inpainted bars and on the tune's own bars 5-8: rocking (x-y-x-y four-note windows whose
notes start in the range), mean absolute interval, steps, leaps over a fifth, and the intervals
into bar 5 and out of bar 8.

    python docs/notes/2026-12-06-session-60/inpaint_melody.py [N] [STYLE] [BARS]
"""

import sys

import numpy as np

from tunesmith import api
from tunesmith.corpus import load_corpus
from tunesmith.metrics._common import melody_line


def region(piece, first: int, last: int):
    """The melody's pitches starting in bars first..last, numbered as the musician numbers them
    (and `inpaint` reads them: a pickup is bar 0), with one note either side."""
    starts = list(piece.bars())
    offset = 1 if piece.pickup_beats() > 0 else 0
    lo = starts[first - 1 + offset]
    hi = starts[last + offset] if last + offset < len(starts) else piece.end
    line = melody_line(piece)
    idx = [i for i, n in enumerate(line) if lo - 1e-6 <= n.onset < hi - 1e-6]
    if not idx:
        return None
    inside = [line[i].pitch for i in idx]
    before = line[idx[0] - 1].pitch if idx[0] > 0 else None
    after = line[idx[-1] + 1].pitch if idx[-1] + 1 < len(line) else None
    return inside, before, after


def measures(inside, before, after) -> dict:
    iv = [abs(b - a) for a, b in zip(inside, inside[1:])]
    win = list(zip(inside, inside[1:], inside[2:], inside[3:]))
    rocks = sum(1 for a, b, c, d in win if a == c and b == d and a != b)
    seams = [abs(inside[0] - before)] if before is not None else []
    seams += [abs(after - inside[-1])] if after is not None else []
    return dict(notes=len(inside), windows=len(win), rocks=rocks, iv=iv, seams=seams)


def summary(rows: list[dict]) -> str:
    iv = np.concatenate([r["iv"] for r in rows if r["iv"]])
    seams = np.concatenate([r["seams"] for r in rows if r["seams"]])
    windows = sum(r["windows"] for r in rows)
    rocks = sum(r["rocks"] for r in rows)
    rocking_bars = sum(1 for r in rows if r["rocks"] >= 2)
    return (
        f"notes/piece {np.mean([r['notes'] for r in rows]):.1f}, rocking windows {rocks}/{windows} "
        f"= {rocks / max(windows, 1):.3f}, pieces with >=2 rocks {rocking_bars}/{len(rows)}, "
        f"mean |interval| {iv.mean():.2f}, steps {np.mean((iv >= 1) & (iv <= 2)):.3f}, "
        f"repeats {np.mean(iv == 0):.3f}, leaps > 5th {np.mean(iv > 7):.3f}, "
        f"seams mean {seams.mean():.2f}, seams > 5th {np.mean(seams > 7):.3f}"
    )


def main(n: int = 40, style: str = "folk", bars: str = "5-8") -> None:
    first, last = (int(x) for x in bars.split("-"))
    tunes = [p for p in load_corpus(None).filter(split="valid", style=style, shippable=True)
             if len(list(p.bars())) >= last + 4][:n]  # fmt: skip
    real, takes = [], []
    for i, tune in enumerate(tunes):
        r = region(tune, first, last)
        try:
            take = api.inpaint(tune, bars=bars, seed=i)
        except ValueError as e:  # co-create refuses some tunes (a meter change): skipped, said
            print("skipped:", e)
            continue
        take = take if not isinstance(take, list) else take[0]
        t = region(take.piece, first, last)
        if r is None or t is None:
            continue
        real.append(measures(*r))
        takes.append(measures(*t))
        if i < 8:
            print(f"{tune.title[:30]:<30} real {r[0]}\n{'':<30} take {t[0]}", flush=True)
    print(f"{style}: {len(real)} tunes, bars {bars}")
    print("real  :", summary(real))
    print("takes :", summary(takes))


if __name__ == "__main__":
    main(*(int(a) if i == 0 else a for i, a in enumerate(sys.argv[1:4])))
