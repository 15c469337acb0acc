"""Session 67: how the harmonized voices' chords rock, as sung: the first 40 four-part JSB validation
sopranos harmonized (seed 3000 + i), each beat's chord read from the four voices
(`harmonizer.voice_labels`), against Bach's settings read the same way. Per chord change: returns to
the chord before last (X-Y-X), and of those the share going on to Y (X-Y-X-Y); the share of beats
keeping the chord before. Run under `with_stay.py STAY[,RETURN]` to set the plan's costs.

    .venv/bin/python docs/notes/2026-12-07-session-67/with_stay.py 0.4,0.75 docs/notes/2026-12-07-session-67/sung_rock.py
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.harmonizer import units_for, voice_labels
from tunesmith.score import KeySignature

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_rock import rocking  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from fit_chorale_plan import kept_share  # noqa: E402


def labels(piece, key):
    return voice_labels(piece, units_for(piece, "beat"), key)


def main() -> None:
    chorales = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4][:40]
    bach, sung = [], []
    for i, chorale in enumerate(chorales):
        key = KeySignature(0.0, chorale.keys[0].tonic, chorale.keys[0].mode)
        soprano = copy.deepcopy(chorale)
        soprano.tracks = soprano.tracks[:1]
        take = ts.harmonize(soprano, style="chorale", seed=3000 + i).piece
        bach.append(labels(chorale, key))
        sung.append(labels(take, KeySignature(0.0, take.keys[0].tonic, take.keys[0].mode)))
    for name, paths in (("Bach", bach), ("harmonized", sung)):
        xyx, on = rocking(paths)
        print(f"{name}: kept {kept_share(paths):.3f}, X-Y-X per change {xyx:.3f}, going on to Y {on:.3f}")


if __name__ == "__main__":
    main()
