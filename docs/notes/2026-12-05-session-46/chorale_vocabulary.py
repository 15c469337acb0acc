"""The chords four voices sound on each beat, as a hymnal editor reads them, in Bach's chorales
(music21's scores) and in their sopranos harmonized by `tunesmith harmonize --style chorale`:
complete (a triad with root, third and fifth; a seventh chord with its root, third and seventh),
without a third (a bare fifth, a unison), without a fifth, a complete triad over its fifth (6/4), or
none of these. Also, at each fermata: the fermata chord's kind, and whether the chord on the beat
before it sounds a third; and the bass's moves from note to note (a repeated note left out): by
step (1-2 semitones), by leap (3-12), or a tritone, seventh or more than an octave.

    python docs/notes/2026-12-05-session-46/chorale_vocabulary.py M [--seeds 1,2] [--old PATH]"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-45"))
from chorale_sets import bach_scores  # noqa: E402

import tunesmith  # noqa: E402

TRIADS = [{0, 4, 7}, {0, 3, 7}, {0, 3, 6}, {0, 4, 8}]
SEVENTHS = [{0, 4, 7, 10}, {0, 3, 7, 10}, {0, 3, 6, 10}, {0, 3, 6, 9}, {0, 4, 7, 11}, {0, 4, 10}, {0, 3, 10}]


def kind(pitches: list[int], inversion: bool = False) -> str:
    """complete / 6/4 / no third / no fifth / other, for the pitches sounding at once; with
    `inversion`, a complete chord says where its bass is ("root", "6": the third, "6/4")."""
    if len(pitches) < 2:
        return "other"
    pcs, bass = {p % 12 for p in pitches}, min(pitches) % 12
    for root in sorted(pcs, key=lambda r: r != bass):
        shape = {(p - root) % 12 for p in pcs}
        if shape in TRIADS or shape in SEVENTHS:
            over = (bass - root) % 12
            if inversion:
                return "root" if over == 0 else "6" if over in (3, 4) else "6/4" if over in (6, 7, 8) else "7th"
            return "6/4" if shape in TRIADS and over in (6, 7, 8) else "complete"
    for root in sorted(pcs, key=lambda r: r != bass):
        shape = {(p - root) % 12 for p in pcs}
        if shape in ({0, 7}, {0}):
            return "no third"
        if shape in ({0, 4}, {0, 3}):
            return "no fifth"
    return "other"


def sounding(piece, t: float) -> list[int]:
    return [n.pitch for tr in piece.tracks for n in tr.notes if n.onset <= t + 1e-6 < n.onset + n.duration]


def beats(piece) -> list[float]:
    step = piece.time_signature.beat_length
    starts = [*piece.bars(), piece.duration()]
    out = []
    for a, b in zip(starts, starts[1:]):
        t = b - step  # beats counted back from the bar line: a pickup bar's beats fall on the meter's
        while t >= a - 1e-6:
            out.append(t)
            t -= step
    return sorted(out)


def bass_moves(piece) -> Counter:
    bass = sorted(piece.tracks[-1].notes, key=lambda n: n.onset)
    out = Counter()
    for a, b in zip(bass, bass[1:]):
        d = abs(b.pitch - a.pitch)
        if d:
            out["step" if d <= 2 else "tritone, 7th or >8ve" if d in (6, 10, 11) or d > 12 else "leap"] += 1
    return out


def audit(pieces) -> tuple[Counter, Counter, Counter, Counter, Counter]:
    on_beats, at_fermatas, before, moves, inversions = Counter(), Counter(), Counter(), Counter(), Counter()
    for p in pieces:
        moves += bass_moves(p)
        step = p.time_signature.beat_length
        for t in beats(p):
            on_beats[kind(sounding(p, t))] += 1
            if kind(sounding(p, t)) in ("complete", "6/4"):
                inversions[kind(sounding(p, t), inversion=True)] += 1
        for f in p.fermatas:
            at_fermatas[kind(sounding(p, f))] += 1
            k = kind(sounding(p, f - step))
            before["third" if k in ("complete", "6/4", "no fifth") else k] += 1
    return on_beats, at_fermatas, before, moves, inversions


def show(name: str, counts: Counter) -> str:
    total = sum(counts.values()) or 1
    return f"{name} ({total}): " + ", ".join(f"{k} {v / total:.3f}" for k, v in counts.most_common())


def soprano_of(piece):
    import dataclasses

    return dataclasses.replace(piece, tracks=[piece.tracks[0]], chords=[])


def main() -> None:
    m = int(sys.argv[1])
    seeds = [int(s) for s in sys.argv[sys.argv.index("--seeds") + 1].split(",")] if "--seeds" in sys.argv else [1]
    scores = [p for p in bach_scores(m) if p.fermatas]
    model = tunesmith.load_model("default")
    made = []
    for p in scores:
        for s in seeds:
            try:
                made.append(tunesmith.harmonize(soprano_of(p), style="chorale", seed=s, model=model).piece)
            except ValueError as e:
                print("skipped", p.piece_id, e)
    for name, pieces in (("Bach", scores), ("harmonized", made)):
        on_beats, at_fermatas, before, moves, inversions = audit(pieces)
        print(f"{name}, {len(pieces)} chorales")
        print("  " + show("beats", on_beats))
        print("  " + show("fermata chords", at_fermatas))
        print("  " + show("the beat before a fermata", before))
        print("  " + show("bass moves", moves))
        print("  " + show("complete chords' bass", inversions))


if __name__ == "__main__":
    main()
