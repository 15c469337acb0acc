"""Print what tunesmith reads from each file here (tracks, notes, chords, keys, meters, meta)."""

import sys
from pathlib import Path

from tunesmith.inputs import InputError, read_file
from tunesmith.score import PITCH_CLASS_NAMES

HERE = Path(__file__).resolve().parent


def name(p):
    return f"{PITCH_CLASS_NAMES[p % 12]}{p // 12 - 1}"


files = [Path(a) for a in sys.argv[1:]] or sorted(p for p in HERE.iterdir() if p.suffix in (".musicxml", ".mxl"))
for f in files:
    print(f"== {f.name}")
    try:
        piece = read_file(f)[0]
    except InputError as e:
        print("  InputError:", e)
        continue
    except Exception as e:  # noqa: BLE001
        print("  CRASH:", type(e).__name__, e)
        continue
    print(f"  title={piece.title!r} bars={piece.n_bars} end={piece.end} pickup={piece.pickup_beats()}")
    print("  keys:", [(k.onset, k.tonic, k.mode) for k in piece.keys], "meters:", [(t.onset, t.numerator, t.denominator) for t in piece.time_signatures])
    for t in piece.tracks:
        print(f"  track {t.name!r} role={t.role} prog={t.program} drum={t.is_drum} n={len(t.notes)}:",
              " ".join(f"{name(n.pitch)}@{n.onset:g}/{n.duration:g}" for n in t.notes[:24]))
    if piece.chords:
        print("  chords:", " ".join(f"{c.figure}@{c.onset:g}" for c in piece.chords))
    meta = {k: v for k, v in piece.meta.items() if k not in ("file",)}
    print("  meta:", meta)
