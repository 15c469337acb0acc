"""Where a dance's long notes (a half or longer) fall: per 100 bars, those before the last bar, and
those in the first bar of a strain (bar 8 of 16, counting from 0 after any pickup), for takes with
and without the dance's length moves and for the held-out tunes (`dance_moves_eval.py`'s). Session 35.
    python docs/notes/2026-12-04-session-35/long_notes.py DANCE [N]"""
import sys

sys.path.insert(0, "scripts")
from fit_dance_profiles import dance_pieces  # noqa: E402

import tunesmith as ts  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.evaluation.musicality import length_matched  # noqa: E402
from tunesmith.metrics.musicality import melody_line  # noqa: E402

dance = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 96
real = length_matched([p for s in ("valid", "test") for p in dance_pieces(load_corpus(None), dance, s) if p.melody() is not None], "folk", 16)
keys = [(p.key.tonic, p.key.mode) for p in real if p.key is not None]


def longs(pieces):
    inner = strain = bars = 0
    for p in pieces:
        on = p.bars()
        last = on[-1]
        mid = on[len(on) // 2] if len(on) > 2 else None
        bars += len(on)
        for x in melody_line(p):
            if x.duration >= 2.0 - 1e-6 and x.onset < last - 1e-6:
                inner += 1
                strain += mid is not None and mid - 1e-6 <= x.onset < mid + p.time_signature.bar_length - 1e-6
    return round(100 * inner / bars, 2), round(100 * strain / bars, 2)


def takes():
    return [ts.compose(style="folk", dance=dance, key=keys[s % len(keys)][0], mode=keys[s % len(keys)][1], bars=16,
                       seed=900 + s, check=False).piece for s in range(n)]  # fmt: skip


print("real (inner longs per 100 bars, in the middle bar)", longs(real))
print("takes with moves", longs(takes()))
ts.load_model("default").model.decoding["folk"]["dances"][dance].pop("length_moves", None)
print("takes without", longs(takes()))
