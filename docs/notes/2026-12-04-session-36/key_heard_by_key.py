"""Key heard (music21) and the melody's mean pitch by requested key: N takes (16 bars, default
settings, seeds 100...) in each of the 12 major keys (or MODE), with the style's decoding as
shipped and with one entry of it removed (OFF=pitch_offsets, say), on the same seeds. Whether a
fitted table carries pitch-class content from the training tunes' keys. MODEL=DIR for another
model. Session 36.
    OFF=pitch_offsets python docs/notes/2026-12-04-session-36/key_heard_by_key.py [STYLE] [N] [MODE]"""
import os
import sys

import numpy as np

import tunesmith as ts
import tunesmith.api  # noqa: F401  (ts.api below)
from tunesmith import inference
from tunesmith.metrics.musicality import key_heard

style = sys.argv[1] if len(sys.argv) > 1 else "folk"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 8
mode = sys.argv[3] if len(sys.argv) > 3 else "major"
off = os.environ.get("OFF", "pitch_offsets")
model = os.environ.get("MODEL", "default")
KEYS = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
_read = inference.read_decoding


def without(folder, *a, **kw):
    d = _read(folder, *a, **kw)
    return {s: ({k: v for k, v in e.items() if k != off} if isinstance(e, dict) else e) for s, e in d.items()}


with_entry = ts.api.load_model(model)
ts.api._MODELS.clear()
inference.read_decoding = without
import tunesmith.model as _m  # noqa: E402

_m.read_decoding = without
without_entry = ts.api.load_model(model)
assert off not in without_entry.model.decoding.get(style, {}), "the entry is still there"


def takes(m, k):
    return [ts.compose(style=style, key=k, mode=mode, bars=16, seed=100 + s, check=False, model=m).piece for s in range(n)]


rows = []
for k in KEYS:
    ts_on, ts_off = takes(with_entry, k), takes(without_entry, k)
    kh = [np.nanmean([key_heard(p) for p in ps]) for ps in (ts_on, ts_off)]
    mp = [np.mean([np.mean([x.pitch for x in p.melody().notes]) for p in ps]) for ps in (ts_on, ts_off)]
    rows.append(kh)
    print(f"{k:3s} key heard with {kh[0]:.2f} without {kh[1]:.2f}   mean pitch {mp[0]:.1f} / {mp[1]:.1f}", flush=True)
r = np.array(rows)
print(f"all: key heard with {off} {r[:, 0].mean():.3f}, without {r[:, 1].mean():.3f}")
