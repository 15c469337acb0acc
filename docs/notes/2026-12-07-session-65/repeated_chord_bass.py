"""What a four-part bass does from one beat to the next where the four voices sound the same pitch
classes on both beats (the chord stays): holds, strikes its pitch again, leaps an octave, or moves
to another pitch. Bach as music21's corpus encodes him (the first N four-part chorales of
`music21.corpus.chorales.Iterator`; for measuring only: that corpus trains nothing; the JSB grids
merge a struck-again note into a held one), and the first N JSB validation sopranos harmonized
(seed 3000 + i). Moves are counted per 100 beats.

    .venv/bin/python docs/notes/2026-12-07-session-65/repeated_chord_bass.py 40 [--ours-only]
        [--repeat-penalty P] [--rule-off]
"""

from __future__ import annotations

import argparse
import collections
import copy


def sounding(voices, t):
    return frozenset(p % 12 for notes in voices for (on, d, p) in notes if on - 1e-6 <= t < on + d - 1e-6)


def moves(voices, n_beats, counts: collections.Counter) -> None:
    bass = voices[3]
    for beat in range(1, n_beats):
        a, b = sounding(voices, beat - 1), sounding(voices, beat)
        if not a or a != b:
            continue
        before = [x for x in bass if x[0] - 1e-6 <= beat - 1 < x[0] + x[1] - 1e-6]
        now = [x for x in bass if x[0] - 1e-6 <= beat < x[0] + x[1] - 1e-6]
        if not before or not now:
            continue
        counts["same chord, next beat"] += 1
        x, y = before[0], now[0]
        if x == y:
            counts["holds"] += 1
            continue
        last = max((z for z in bass if z[0] < beat - 1e-6), key=lambda z: z[0])
        step = y[2] - last[2]
        kind = {0: "strikes again", 12: "octave", -12: "octave"}.get(step)
        counts[kind or ("to another pitch of the chord" if y[2] % 12 in b else "other")] += 1


def bach(n: int, counts: collections.Counter) -> int:
    from music21 import corpus

    beats = used = 0
    for s in corpus.chorales.Iterator(numberingSystem="riemenschneider", returnType="stream"):
        if used >= n:
            break
        if len(s.parts) != 4:
            continue
        ts = s.recurse().getElementsByClass("TimeSignature").first()
        if ts is None or ts.beatDuration.quarterLength != 1.0:
            continue
        used += 1
        voices = []
        for part in s.parts:
            voices.append(
                [(float(x.offset), float(x.quarterLength), x.pitch.midi) for x in part.flatten().notes if not x.isChord]
            )
        nb = int(s.highestTime + 0.5)
        beats += nb
        moves(voices, nb, counts)
    return beats


def ours(n: int, counts: collections.Counter, seed_base: int) -> int:
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    pieces = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    beats = 0
    for i in range(n):
        soprano = copy.deepcopy(pieces[i])
        soprano.tracks = soprano.tracks[:1]
        piece = ts.harmonize(soprano, style="chorale", seed=seed_base + i).piece
        voices = [[(n.onset, n.duration, n.pitch) for n in tr.notes] for tr in piece.tracks[:4]]
        nb = int(round(max(n.onset + n.duration for n in piece.tracks[0].notes)))
        beats += nb
        moves(voices, nb, counts)
    return beats


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--ours-only", action="store_true")
    ap.add_argument("--seed-base", type=int, default=3000)
    ap.add_argument("--repeat-penalty", type=float, help="feedback.BASS_REPEAT_PENALTIES[0]")
    ap.add_argument("--rule-off", action="store_true", help="voice_leading.BASS_LEAVES_A_STRUCK_PITCH off")
    args = ap.parse_args()
    from tunesmith import voice_leading
    from tunesmith.sampling import feedback

    if args.repeat_penalty is not None:
        feedback.BASS_REPEAT_PENALTIES = (args.repeat_penalty, feedback.BASS_REPEAT_PENALTIES[1])
    voice_leading.BASS_LEAVES_A_STRUCK_PITCH = not args.rule_off
    rows = [("harmonized", ours)] + ([] if args.ours_only else [("Bach (music21)", bach)])
    for name, fn in rows:
        c = collections.Counter()
        beats = fn(args.n, c, args.seed_base) if fn is ours else fn(args.n, c)
        print(
            f"{name}: {beats} beats; per 100 beats: "
            + ", ".join(f"{k} {100 * v / beats:.2f}" for k, v in c.most_common())
        )


if __name__ == "__main__":
    main()
