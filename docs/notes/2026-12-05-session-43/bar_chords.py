"""Takes composed over real tunes' chords as written (a bar of two where the tune has two) against
takes over one chord a bar (each bar's downbeat chord, all `--chords` could take before), both
measured against the tune's chords as written, beside the tunes themselves.

    python docs/notes/2026-12-05-session-43/bar_chords.py STYLE SPLIT N [--shippable] [--two-only] [--only-written]
        [--set TABLE=VALUE(/VALUE) ...]

For each piece of the style's split (the first N with a melody, one key, a meter `compose` takes,
and in its first 16 whole bars (after a pickup) chords that start on beats, at most one a beat; --two-only: only pieces
with a bar of two or more): its chords as bar entries in beat-slash notation ('C / G7 /'), one
take per piece and condition (seed = the piece's index). Printed per condition: the melody's time
on tones of the chord sounding (the tune's, as written), the same for notes under a bar's later
chords only, the mean absolute interval and the stepwise share, the share of on-beat melody time
on chord tones, and the share of the notes sounding where a bar's later chord starts that are its
tones. `--set` changes `automaton.TABLE[STYLE]` (session 42's `apply_sets`);
`--only-written` skips the one-a-bar takes."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import chord_pitch_classes
from tunesmith.licenses import may_ship
from tunesmith.sampling.request import bar_chord_ticks, meter_beats
from tunesmith.tokenizer import METERS, TICKS_PER_BEAT, spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-42"))
from nonchord_motion import apply_sets  # noqa: E402  (--set TABLE=VALUE, session 42's)


def first_whole_bar(piece, meter):
    """The index of the piece's first whole bar: 1 after a pickup, else 0."""
    starts = piece.bars()
    n_beats, beat_ticks = meter_beats(meter)
    whole = n_beats * beat_ticks / TICKS_PER_BEAT
    return 1 if len(starts) > 1 and starts[1] - starts[0] < whole - 1e-6 else 0


def bar_entries(piece, bars, meter, start=0):
    """The chords of `bars` bars from bar `start` as entries ('C / G7 /'), or None where a chord
    starts off a beat or a bar has none sounding."""
    n_beats, beat_ticks = meter_beats(meter)
    beat = beat_ticks / TICKS_PER_BEAT
    starts = piece.bars()
    chords = sorted(piece.chords, key=lambda c: c.onset)
    out = []
    for b in range(start, start + bars):
        s = starts[b]
        e = starts[b + 1] if b + 1 < len(starts) else s + n_beats * beat
        words = ["/"] * n_beats
        now = [c for c in chords if c.onset <= s + 1e-6]
        if not now:
            return None
        words[0] = now[-1].figure
        for c in chords:
            if s + 1e-6 < c.onset < e - 1e-6:
                k = (c.onset - s) / beat
                if abs(k - round(k)) > 1e-6 or round(k) >= n_beats:  # off a beat, or a bar longer than the meter's
                    return None
                words[round(k)] = c.figure
        out.append(" ".join(words))
    return out


def spans(entries, meter, first=0.0):
    """(start, end, pitch classes, later-in-its-bar) of each chord of the entries, quarter notes."""
    bar_q = meter_beats(meter)[0] * meter_beats(meter)[1] / TICKS_PER_BEAT
    out = []
    for b, entry in enumerate(entries):
        placed = bar_chord_ticks(entry, meter)
        for k, (tick, figure) in enumerate(placed):
            start = first + b * bar_q + tick / TICKS_PER_BEAT
            end = first + b * bar_q + (placed[k + 1][0] / TICKS_PER_BEAT if k + 1 < len(placed) else bar_q)
            out.append((start, end, chord_pitch_classes(figure), k > 0))
    return out


def fit(melody_notes, chord_spans, beat, first=0.0):
    """(time on chord tones, time, the same two under a bar's later chords, the same two for notes
    struck on a beat, the count of notes sounding where a bar's later chord starts that are its
    tones, and of all those notes)."""
    out = np.zeros(8)
    for n in melody_notes:
        on_beat = abs((n.onset - first) / beat - round((n.onset - first) / beat)) < 1e-6
        for start, end, pcs, later in chord_spans:
            lo, hi = max(start, n.onset), min(end, n.onset + n.duration)
            if hi > lo:
                hit = (n.pitch % 12 in pcs) * (hi - lo)
                out[:6] += [hit, hi - lo, hit * later, (hi - lo) * later, hit * on_beat, (hi - lo) * on_beat]
            if later and n.onset - 1e-6 <= start < n.onset + n.duration - 1e-6:  # sounding at the change
                out[6:] += [n.pitch % 12 in pcs, 1]
    return out


def intervals(notes, end):
    ps = [n.pitch for n in sorted(notes, key=lambda n: n.onset) if n.onset < end]
    return [abs(b - a) for a, b in zip(ps, ps[1:])]


def tunes_and_bars(style, split, n, *, shippable=False, two_only=False):
    """The first `n` pieces of the style's split that can be composed over their chords as written
    (the module's docstring), as (piece, bar entries, meter, bars, its first whole bar)."""
    jobs = []
    for piece in load_corpus().filter(split=split, style=style):
        if len(jobs) >= n:
            break
        if shippable and not may_ship(piece.license):
            continue
        if piece.melody() is None or not piece.keys or len(piece.keys) > 1 or piece.keys[0].mode not in ("major", "minor"):
            continue
        ts = piece.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        if meter not in METERS:
            continue
        start = first_whole_bar(piece, meter)  # after a pickup
        bars = min(16, len(piece.bars()) - 1 - start)
        if bars < 4:
            continue
        entries = bar_entries(piece, bars, meter, start)
        try:
            if not entries or any(len(bar_chord_ticks(e, meter)) > meter_beats(meter)[0] for e in entries):
                continue
            _ = [chord_pitch_classes(f) for e in entries for f in e.split() if f != "/"]
        except ValueError:
            continue
        if two_only and not any(len(bar_chord_ticks(e, meter)) > 1 for e in entries):
            continue
        jobs.append((piece, entries, meter, bars, start))
    return jobs


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    jobs = tunes_and_bars(style, split, n, shippable="--shippable" in sys.argv, two_only="--two-only" in sys.argv)
    model = tunesmith.load_model("default")
    rows = {"tunes": [np.zeros(8), []], "one a bar": [np.zeros(8), []], "as written": [np.zeros(8), []]}
    if "--only-written" in sys.argv:
        del rows["one a bar"]
    n_two = sum(any(len(bar_chord_ticks(e, m)) > 1 for e in es) for _, es, m, _, _ in jobs)
    for i, (piece, entries, meter, bars, start) in enumerate(jobs):
        first = piece.bars()[start]
        end = piece.bars()[start + bars]
        real = spans(entries, meter, first)
        beat = meter_beats(meter)[1] / TICKS_PER_BEAT
        melody = [x for x in piece.melody().notes if first - 1e-6 <= x.onset < end]
        rows["tunes"][0] += fit(melody, real, beat, first)
        rows["tunes"][1] += intervals(melody, end)
        key = spell_name(piece.keys[0].tonic)
        for name, chords in (("one a bar", [e.split()[0] for e in entries]), ("as written", entries)):
            if name not in rows:
                continue
            take = tunesmith.compose(style=style, key=key, mode=piece.keys[0].mode, meter=meter, bars=bars,
                                     chords=chords, seed=i, model=model, check=False, pickup=0)
            rows[name][0] += fit(take.piece.melody().notes, spans(entries, meter), beat)
            rows[name][1] += intervals(take.piece.melody().notes, 1e9)
    print(f"{style} {split}: {len(jobs)} pieces, {n_two} with a bar of two or more chords {' '.join(sys.argv[4:])}")
    for name, (f, steps) in rows.items():
        print(f"  {name:11s} on the sounding chord's tones {f[0] / f[1]:.3f}; under a bar's later chords "
              f"{f[2] / max(f[3], 1e-9):.3f} ({f[3]:.0f} quarters); mean interval {np.mean(steps):.2f}, "
              f"stepwise {np.mean([0 < m <= 2 for m in steps]):.3f}; struck on a beat {f[4] / f[5]:.3f}; "
              f"sounding at a bar's later chord {f[6] / max(f[7], 1):.3f} ({f[7]:.0f})", flush=True)


if __name__ == "__main__":
    main()
