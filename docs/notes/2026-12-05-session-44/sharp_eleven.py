"""The melody's on-beat notes a tritone above the root of the chord sounding (the #11 of a dominant
or major chord: E over Bb7), over the tunes' own chords as written (session 43's `bar_chords.py`
pieces): in the tunes, and in takes composed over those chords. Per 100 on-beat notes under
dominant-seventh chords and under major triads / major sevenths.

    python docs/notes/2026-12-05-session-44/sharp_eleven.py STYLE SPLIT N [--shippable] [--set TABLE=V]"""

from __future__ import annotations

import sys
from pathlib import Path

import tunesmith
from tunesmith.harmony import parse_chord
from tunesmith.sampling.request import bar_chord_ticks, meter_beats
from tunesmith.tokenizer import TICKS_PER_BEAT, spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-43"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-42"))
from bar_chords import tunes_and_bars  # noqa: E402
from nonchord_motion import apply_sets  # noqa: E402


def count(notes, chord_spans, beat, first=0.0):
    """[#11 over dominants, on-beat notes over dominants, #11 over major, on-beat notes over major]."""
    out = [0, 0, 0, 0]
    for x in notes:
        if abs(((x.onset - first) / beat) - round((x.onset - first) / beat)) > 1e-6:
            continue
        now = [(a, f) for a, b, f in chord_spans if a <= x.onset + 1e-6 < b]
        if not now:
            continue
        root, quality, _ = parse_chord(now[-1][1])
        k = 0 if quality in ("7", "9", "13", "7b9", "7#9", "7sus4") else 2 if quality in ("", "maj7", "6", "maj9", "add9") else None
        if k is None:
            continue
        out[k + 1] += 1
        out[k] += (x.pitch - root) % 12 == 6
    return out


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    jobs = tunes_and_bars(style, split, n, shippable="--shippable" in sys.argv)
    model = tunesmith.load_model("default")
    real, takes = [0] * 4, [0] * 4
    for i, (piece, entries, meter, bars, start) in enumerate(jobs):
        first, end = piece.bars()[start], piece.bars()[start + bars]
        beat = meter_beats(meter)[1] / TICKS_PER_BEAT
        real_spans = _spans(entries, meter, first)
        melody = [x for x in piece.melody().notes if first - 1e-6 <= x.onset < end]
        real = [a + b for a, b in zip(real, count(melody, real_spans, beat, first))]
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), mode=piece.keys[0].mode, meter=meter,
                                 bars=bars, chords=entries, seed=i, model=model, check=False, pickup=0)
        takes = [a + b for a, b in zip(takes, count(take.piece.melody().notes, _spans(entries, meter, 0.0), beat))]
    for name, (d, dn, m, mn) in (("tunes", real), ("takes", takes)):
        print(f"{style} {split} {name} ({len(jobs)}) {' '.join(sys.argv[4:])}: #11 on the beat over dominants "
              f"{100 * d / max(dn, 1):.2f} per 100 ({dn}), over major chords {100 * m / max(mn, 1):.2f} per 100 ({mn})")


def _spans(entries, meter, first):
    """(start, end, figure) of each chord of the bar entries, quarter notes from `first`."""
    n_beats, beat_ticks = meter_beats(meter)
    bar_q = n_beats * beat_ticks / TICKS_PER_BEAT
    out = []
    for b, entry in enumerate(entries):
        placed = bar_chord_ticks(entry, meter)
        for k, (tick, figure) in enumerate(placed):
            until = placed[k + 1][0] / TICKS_PER_BEAT if k + 1 < len(placed) else bar_q
            out.append((first + b * bar_q + tick / TICKS_PER_BEAT, first + b * bar_q + until, figure))
    return out


if __name__ == "__main__":
    main()
