"""`long_note_clash.py` for inpainting: real folk tunes with chords (a split), bars 5-8 inpainted
(melody and chords), the long notes on a beat outside their chord in bars 5-8 against the tunes'
own bars 5-8; and melody time on chord tones there.

    python docs/notes/2026-12-05-session-45/inpaint_clash.py N [--split valid] [--style folk]"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from long_note_clash import clashes  # noqa: E402

import tunesmith  # noqa: E402
from tunesmith.corpus.store import load_corpus  # noqa: E402
from tunesmith.metrics.musicality import chord_tone_share  # noqa: E402


def bars_5_to_8(piece):
    """The piece cut to its bars 5-8 (chords sounding into bar 5 named there), for chord_tone_share."""
    bars = [*piece.bars(), piece.duration()]
    first = 1 if piece.pickup_beats() else 0
    a, b = bars[first + 4], bars[first + 8]
    out = copy.deepcopy(piece)
    for t in out.tracks:
        t.notes = [x for x in t.notes if a - 1e-6 <= x.onset < b - 1e-6]
    return out


def main():
    n = int(sys.argv[1])
    split = sys.argv[sys.argv.index("--split") + 1] if "--split" in sys.argv else "valid"
    style = sys.argv[sys.argv.index("--style") + 1] if "--style" in sys.argv else "folk"
    model = tunesmith.load_model("default")
    rows: dict[str, list] = {"real": [], "inpainted": []}
    tones: dict[str, list] = {"real": [], "inpainted": []}
    done = 0
    for p in load_corpus().filter(split=split, style=style):
        if done >= n:
            break
        if p.melody() is None or len(p.chords) < 8 or len(p.bars()) < 12:
            continue
        try:
            take = tunesmith.inpaint(p, bars="5-8", seed=done, model=model)
        except ValueError:
            continue
        for name, piece in (("real", p), ("inpainted", take.piece)):
            rows[name].append(clashes(piece, 4, 8))
            tones[name].append(chord_tone_share(bars_5_to_8(piece)))
        done += 1
    for name, r in rows.items():
        bad = sum(b for b, _ in r)
        tot = sum(t for _, t in r)
        print(f"{split} {style} {name:9s} {len(r)} pieces, bars 5-8: long notes on a beat outside the chord "
              f"{bad / max(len(r), 1) * 2:.2f} per 8 bars, {bad / max(tot, 1):.3f} of long notes; "
              f"chord tones {np.nanmean(tones[name]):.3f}")


if __name__ == "__main__":
    main()
