"""Harmonize held-out jazz melodies and compare the chords with the tunes' own: chord root right
per beat (from the first full bar), the share of chord changes that are a ii-V, and of chords that
are sevenths, against the same for the real changes.

    python docs/notes/2026-12-04-session-39/jazz_harmonize.py [N] [SPLIT] [CHORDS_FROM ...]

CHORDS_FROM: harmonizer, table, model, or harmonizer+ii-V (`cocreate.chords.with_ii_before_v`).
"""

from __future__ import annotations

import sys

import tunesmith
from tunesmith.baselines.harmony_baseline import chord_at
from tunesmith.corpus import load_corpus
from tunesmith.harmony import parse_chord

sys.path.insert(0, "docs/notes/2026-12-04-session-38")
from jazz_chords import measure  # noqa: E402


def root(chords, t: float):
    c = chord_at(chords, t)
    try:
        return parse_chord(c.figure)[0] if c is not None else None
    except ValueError:
        return None


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    split = sys.argv[2] if len(sys.argv) > 2 else "valid"
    sources = sys.argv[3:] or ["harmonizer"]
    corpus = load_corpus(None)
    held = [p for p in corpus.filter(split=split, style="jazz") if p.chords and p.melody() and p.melody().notes]
    held = held[:: max(1, len(held) // n)][:n]
    print(f"{len(held)} held-out jazz tunes ({split}); real", measure(held))
    import tunesmith.cocreate.chords as chords_module

    for source in sources:
        # "harmonizer+ii-V": the harmonizer with `with_ii_before_v` (cocreate.chords.JAZZ_II_V)
        chords_module.JAZZ_II_V = source.endswith("+ii-V")
        source_name, source = source, source.removesuffix("+ii-V")
        right, total, takes = 0, 0, []
        for i, p in enumerate(held):
            try:
                take = tunesmith.harmonize(p, style="jazz", seed=i, chords_from=source)
            except Exception as e:  # noqa: BLE001
                print("skip", p.piece_id, str(e)[:100])
                continue
            takes.append(take.piece)
            beat = p.time_signature.beat_length
            bars = p.bars()
            start = bars[1] if p.pickup_beats() and len(bars) > 1 else bars[0]
            for k in range(int((p.duration() - start) / beat)):
                t = start + k * beat
                a, b = root(take.piece.chords, t), root(p.chords, t)
                if b is not None:
                    total += 1
                    right += a == b
        print(source_name, f"root per beat {right / max(1, total):.3f} ({total} beats)", measure(takes))


if __name__ == "__main__":
    main()
