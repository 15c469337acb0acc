"""Secondary dominants in jazz harmonize: held-out jazz melodies harmonized with and without
`cocreate.chords.with_secondary_dominants` (`JAZZ_SECONDARY_DOMINANTS`), per degree the share of
the key's own chords moving down a fifth written as dominants (session 48's `counts`), against the
tunes' own changes, and the chord root right per beat.

    python docs/notes/2026-12-05-session-49/jazz_harmonize_secondary.py [N] [SPLIT]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "2026-12-05-session-48"))
sys.path.insert(0, str(HERE.parent / "2026-12-04-session-39"))
from jazz_harmonize import root  # noqa: E402
from secondary_dominants import counts, report  # noqa: E402

import tunesmith  # noqa: E402
import tunesmith.cocreate.chords as chords_module  # noqa: E402
from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.metrics.musicality import chord_tone_share  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    split = sys.argv[2] if len(sys.argv) > 2 else "valid"
    held = [p for p in load_corpus(None).filter(split=split, style="jazz") if p.chords and p.melody() and p.melody().notes]
    held = held[:: max(1, len(held) // n)][:n]
    report(f"{len(held)} held-out jazz tunes ({split})", counts(held))
    for on in (False, True):
        chords_module.JAZZ_SECONDARY_DOMINANTS = on
        right = total = 0
        takes = []
        for i, p in enumerate(held):
            take = tunesmith.harmonize(p, style="jazz", seed=i)
            takes.append(take.piece)
            beat = p.time_signature.beat_length
            bars = p.bars()
            start = bars[1] if p.pickup_beats() and len(bars) > 1 else bars[0]
            for k in range(int((p.duration() - start) / beat)):
                a, b = root(take.piece.chords, start + k * beat), root(p.chords, start + k * beat)
                if b is not None:
                    total += 1
                    right += a == b
        report(f"harmonized, secondary dominants {'on' if on else 'off'}", counts(takes))
        tones = sum(chord_tone_share(t) for t in takes) / len(takes)
        print(f"  root per beat {right / max(1, total):.3f} ({total} beats); melody on chord tones {tones:.3f}")


if __name__ == "__main__":
    main()
