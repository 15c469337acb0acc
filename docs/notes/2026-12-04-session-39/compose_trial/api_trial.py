"""The Python API's compose as a first-day user calls it: good calls and wrong values, each
should give a Take or one clear ValueError/TypeError line (no deep traceback)."""
import traceback

import tunesmith as ts

CALLS = [
    dict(style="folk", key="D", meter="6/8", bars=16, seed=7),
    dict(style="Jazz", chords=["Dm7", "G7", "Cmaj7", "Cmaj7"], bars=8, seed=1),
    dict(style="chorale", key="g minor", bars=8, pitch_range=(48, 81), seed=6),
    dict(style="folk", meter=(3, 4), bars=8, seed=2),
    dict(style="pop", bars="16", seed=1),
    dict(style="pop", bars=16.0, seed=1),
    dict(style="pop", tempo="fast", seed=1),
    dict(style="pop", tempo="120", bars=8, seed=1),
    dict(style="pop", seed="7"),
    dict(style="pop", n=0),
    dict(style="pop", n=2.5),
    dict(style="folk", key="H"),
    dict(style="folk", key=5),
    dict(style="folk", meter="4/0"),
    dict(style="folk", meter=None, bars=0),
    dict(style="folk", pitch_range=("C4", "G5"), bars=8, seed=3),
    dict(style="folk", pitch_range="C4-G5"),
    dict(style="folk", chords="C G7 | C", bars=8, seed=4),
    dict(style="folk", chords=[], bars=8, seed=4),
    dict(style="folk", form="reel"),
    dict(style="folk", cadence="HOME", bars=8, seed=5),
    dict(style="folk", cadence="final"),
    dict(style="folk", dance="Slip Jig", seed=6),
    dict(style="folk", mode="Dorian", key="E", bars=8, seed=7),
    dict(style="folk", pickup="1/2"),
    dict(style="folk", chords_from="table"),
    dict(style="pop", model="nonexistent-model"),
    dict(style=None),
]
for kw in CALLS:
    try:
        t = ts.compose(**kw)
        t = t if isinstance(t, list) else [t]
        r = t[0].provenance["request"]
        print("OK  ", kw, "->", t[0], r["tempo_bpm"], r["key"], r["mode"], r["meter"], r["bars"])
    except (ValueError, TypeError, FileNotFoundError) as e:
        print("ERR ", kw, "->", type(e).__name__, str(e).splitlines()[0], f"({len(str(e).splitlines())} lines)")
    except Exception:
        print("BUG ", kw)
        traceback.print_exc(limit=3)
