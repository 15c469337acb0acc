"""Takes composed over real songs' chords: the melody's time over the chords whose triad leaves
the key (secondary dominants, borrowed chords), on their outside tone, on a scale tone a semitone
from it (a clash), on their other tones, elsewhere; and on any chord's tones over all bars. The
real melodies over the same chords beside them.

    python docs/notes/2026-12-04-session-41/real_chords.py STYLE SPLIT N ON/OFF/LENGTH[/CLASH][,...] [--outside] [--shippable] [--tonal-feedback=W ...]

For each major-key piece of the style's split (the first N; with --outside only those with a chord
outside the key in their first 16 bars): the chord on each downbeat of its first 16 bars as
`--chords` (one a bar), its key, meter and length; one take per piece and triple of gains
(`automaton.GIVEN_CHORD_TONE_GAINS`: on the beat / off it; `automaton.NONCHORD_LENGTH_GAINS`;
`automaton.CLASH_PENALTIES`, 0 when not given, as before it existed). The shipped settings: pop
and jazz 0.5/0/6/2, folk 0/0/4/2. Also the melodies' mean absolute
interval and stepwise share, real and composed."""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np

import tunesmith
from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.licenses import may_ship
from tunesmith.sampling import automaton
from tunesmith.tokenizer import METERS, scale_pitch_classes, spell_name

KINDS = ("outside tone", "clash", "its other tones", "elsewhere")


def downbeat_chords(piece, bars):
    starts = piece.bars()[:bars]
    chords = sorted(piece.chords, key=lambda c: c.onset)
    out = []
    for b in starts:
        now = [c for c in chords if c.onset <= b + 1e-6]
        if not now:
            return None
        out.append(now[-1].figure)
    return out


def shares(piece, scale, end=None):
    """(Counter over KINDS of the melody's time over outside chords, its time on chord tones, its
    time under chords), up to `end` (quarter notes; None: the whole piece)."""
    tally, on, total = Counter(), 0.0, 0.0
    end = piece.duration() if end is None else end
    chords = sorted([c for c in piece.chords if c.onset < end], key=lambda c: c.onset)
    ends = [c.onset for c in chords[1:]] + [end]
    for c, e in zip(chords, ends):
        try:
            root, quality, _ = parse_chord(c.figure)
            tones = set(chord_pitch_classes(c.figure))
        except ValueError:
            continue
        triad = {(root + i) % 12 for i in (0, 3 if quality.startswith("m") and not quality.startswith("maj") else 4, 7)}
        outside = triad - scale
        clash = {(p + d) % 12 for p in outside for d in (-1, 1)} & scale - tones
        for n in piece.melody().notes:
            lo, hi = max(c.onset, n.onset), min(e, n.onset + n.duration)
            if hi <= lo:
                continue
            pc = n.pitch % 12
            total += hi - lo
            on += (hi - lo) * (pc in tones)
            if outside:
                tally["outside tone" if pc in outside else "clash" if pc in clash else
                      "its other tones" if pc in tones else "elsewhere"] += hi - lo
    return tally, on, total


def moves(piece, end):
    """The melody's absolute intervals (semitones) between notes starting before `end`."""
    notes = sorted((n for n in piece.melody().notes if n.onset < end), key=lambda n: n.onset)
    return [abs(b.pitch - a.pitch) for a, b in zip(notes, notes[1:])]


def tunes_and_chords(style, split, n, *, shippable=False, need_outside=False):
    """The first `n` major-key pieces of the style's split with a melody and readable chords (only
    licences that may ship; only those with a chord outside the key in their first 16 bars), as
    (piece, the chord on each downbeat of those bars, meter, bars, the key's scale)."""
    jobs = []
    for piece in load_corpus().filter(split=split, style=style):
        if len(jobs) >= n:
            break
        if shippable and not may_ship(piece.license):
            continue
        melody = piece.melody()
        if melody is None or not piece.keys or piece.keys[0].mode != "major" or len(piece.keys) > 1:
            continue
        ts = piece.time_signature
        meter = f"{ts.numerator}/{ts.denominator}"
        bars = min(16, len(piece.bars()))
        figures = downbeat_chords(piece, bars) if meter in METERS and bars >= 4 else None
        if not figures:
            continue
        scale = set(scale_pitch_classes(piece.keys[0].tonic_pc, "major"))
        try:
            if need_outside and not any(set(chord_pitch_classes(f)) - scale for f in figures):
                continue
            for f in figures:
                chord_pitch_classes(f)
        except ValueError:
            continue
        jobs.append((piece, figures, meter, bars, scale))
    return jobs


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    gains = [tuple(float(x) for x in g.split("/")) for g in sys.argv[4].split(",")]
    need_outside = "--outside" in sys.argv
    extra = {a.split("=")[0][2:].replace("-", "_"): float(a.split("=")[1]) for a in sys.argv[5:] if "=" in a}
    model = tunesmith.load_model("default")
    jobs = tunes_and_chords(style, split, n, shippable="--shippable" in sys.argv, need_outside=need_outside)
    real, real_on, real_moves = Counter(), [0.0, 0.0], []
    for piece, _figures, _meter, bars, scale in jobs:
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        tally, on, total = shares(piece, scale, end)
        real.update(tally)
        real_on[0] += on
        real_on[1] += total
        real_moves += moves(piece, end)
    rows = [("real", real, real_on, real_moves)]
    for gain in gains:
        # (an older composer without these tables: its own behaviour, for a before/after)
        getattr(automaton, "GIVEN_CHORD_TONE_GAINS", {})[style] = gain[:2]
        getattr(automaton, "NONCHORD_LENGTH_GAINS", {})[style] = gain[2] if len(gain) > 2 else 0.0
        getattr(automaton, "CLASH_PENALTIES", {})[style] = gain[3] if len(gain) > 3 else 0.0
        got, got_on, got_moves = Counter(), [0.0, 0.0], []
        for i, (piece, figures, meter, bars, scale) in enumerate(jobs):
            try:
                take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars,
                                         chords=figures, seed=i, model=model, check=False, **extra)
            except ValueError as exc:
                print(f"skipped {piece.piece_id}: {exc}", file=sys.stderr)
                continue
            tally, on, total = shares(take.piece, scale)
            got.update(tally)
            got_on[0] += on
            got_on[1] += total
            got_moves += moves(take.piece, take.piece.duration())
        rows.append(("gains " + "/".join(f"{g:g}" for g in gain), got, got_on, got_moves))
    print(f"{style} {split}: {len(jobs)} pieces")
    for name, tally, on, steps in rows:
        time = sum(tally.values()) or 1
        print(f"  {name:12s} on chord tones {on[0] / max(on[1], 1e-9):.3f}; mean interval {np.mean(steps):.2f}, "
              f"stepwise {np.mean([0 < m <= 2 for m in steps]):.3f}; over outside chords: "
              + ", ".join(f"{k} {tally[k] / time:.3f}" for k in KINDS), flush=True)


if __name__ == "__main__":
    main()
