"""Prints what tunesmith's reader makes of each ABC file here: tunes, bars, notes, keys, meters,
tempi, chords, sections and meta notes (python inspect_read.py [FILE...])."""

import sys
import warnings
from pathlib import Path

from tunesmith.inputs import read_file

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def show(path: Path) -> None:
    print(f"== {path.name}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            pieces = read_file(path)
        except Exception as e:  # noqa: BLE001
            print(f"   ERROR {type(e).__name__}: {str(e)[:300]}")
            return
    for w in caught:
        print(f"   warning: {str(w.message)[:200]}")
    print(f"   {len(pieces)} tune(s)")
    for p in pieces[:3]:
        mel = p.melody()
        notes = mel.notes if mel else []
        text = " ".join(f"{(n.spelling or NAMES[n.pitch % 12])}{n.pitch // 12 - 1}:{n.duration:g}" for n in notes[:40])
        print(f"   title={p.title!r} end={p.end:g} bars={[round(b, 3) for b in p.bar_onsets][:24]}")
        print(f"   keys={[(k.tonic, k.mode, k.onset) for k in p.keys]} ts={[str(t) + '@' + str(t.onset) for t in p.time_signatures]}"
              f" tempos={[(t.qpm, t.onset) for t in p.tempos]} tracks={[(t.name, len(t.notes)) for t in p.tracks]}")
        print(f"   chords={[(c.onset, c.figure) for c in p.chords][:12]}")
        meta = {k: v for k, v in p.meta.items() if k not in ('file',)}
        print(f"   meta={str(meta)[:400]}")
        print(f"   notes({len(notes)}): {text}")


for arg in sys.argv[1:] or sorted(str(p) for p in Path(__file__).parent.glob("*.abc")):
    show(Path(arg))
