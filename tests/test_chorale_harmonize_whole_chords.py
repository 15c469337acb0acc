"""Chorale harmonize sings the chords the harmonizer plans whole: the tenor supplies a third the
soprano and alto leave out, the bass falls back from the root to the third before the fifth. A
hymnal editor had heard bare fifths on the dominant before the cadences; on 30 of Bach's sopranos
0.637 of the beats sounded a complete chord (Bach 0.875), 0.091 a bare fifth or unison (Bach 0.001)
(docs/notes/2026-12-05-session-46/chorale_vocabulary.py)."""

from __future__ import annotations

import dataclasses

import pytest

import tunesmith as ts
from tunesmith import voice_leading

SHAPES = [{0, 4, 7}, {0, 3, 7}, {0, 3, 6}, {0, 4, 7, 10}, {0, 3, 7, 10}, {0, 3, 6, 10}, {0, 3, 6, 9}, {0, 4, 10}]


def complete(pitches: list[int]) -> bool:
    pcs = {p % 12 for p in pitches}
    return any({(p - root) % 12 for p in pcs} in SHAPES for root in pcs)


def beats_and_fermatas(piece) -> tuple[float, float]:
    """(share of beats on a complete chord, share of fermatas whose beat before sounds a third)."""
    def sounding(t: float) -> list[int]:
        return [n.pitch for tr in piece.tracks for n in tr.notes if n.onset <= t + 1e-6 < n.onset + n.duration]

    step = piece.time_signature.beat_length
    beats = [b + k * step for b in piece.bars() for k in range(int(piece.time_signature.bar_length / step))
             if b + k * step < piece.duration()]  # fmt: skip
    before = [sounding(f - step) for f in piece.fermatas]
    thirds = [any(((p - q) % 12) in (3, 4) for p in chord for q in chord) for chord in before]
    return sum(complete(sounding(t)) for t in beats) / len(beats), sum(thirds) / max(len(thirds), 1)


@pytest.fixture(scope="module")
def sopranos():
    import music21

    out = []
    for name in ("bwv269", "bwv26.6", "bwv244.62", "bwv272"):
        piece = ts.read(music21.corpus.getWork(f"bach/{name}"))
        out.append(dataclasses.replace(piece, tracks=[piece.tracks[0]], chords=[]))
    return out


def _harmonized(sopranos):
    return [ts.harmonize(p, style="chorale", seed=1).piece for p in sopranos]


def test_planned_chords_are_sung_whole(sopranos, monkeypatch):
    on = [beats_and_fermatas(p) for p in _harmonized(sopranos)]
    monkeypatch.setattr(voice_leading, "PLANNED_CHORDS_COMPLETE", False)
    off = [beats_and_fermatas(p) for p in _harmonized(sopranos)]
    mean = lambda rows, i: sum(r[i] for r in rows) / len(rows)  # noqa: E731
    # measured: complete beats 0.877 with the rule, 0.675 without; a third on the beat before a
    # fermata 0.906 and 0.771
    assert mean(on, 0) >= 0.8 and mean(on, 0) > mean(off, 0) + 0.1, (on, off)
    assert mean(on, 1) >= 0.85 and mean(on, 1) > mean(off, 1), (on, off)


def test_the_bass_sings_the_third_its_line_was_planned_on(sopranos, monkeypatch):
    """Where the planned bass line (`cocreate.bass_line.plan_bass`) takes a chord's third to move
    by step, the bass sings it there, unless the voice leading refuses (a parallel, a third sung
    above). On 23 of Bach's sopranos the basses moved by step on 0.309 of their beat-to-beat
    moves, 0.247 without the plan (Bach 0.342; docs/notes/2026-12-05-session-49/chorale_bass.py)."""
    from tunesmith.cocreate import bass_line
    from tunesmith.cocreate.chords import _chorale_plan

    def sung_as_planned() -> tuple[int, int]:
        hit = planned = 0
        for p in sopranos:
            out = ts.harmonize(p, style="chorale", seed=1).piece
            plan = _chorale_plan(p, out.key.tonic, out.key.mode)
            for (onset, pc), (_, tones) in zip(bass_line.plan_bass(plan, p.tracks[0].notes, p.fermatas), plan):
                if pc != tones[0]:
                    bass = [n.pitch for n in out.tracks[-1].notes if n.onset <= onset + 1e-6 < n.onset + n.duration]
                    planned += 1
                    hit += bool(bass) and bass[0] % 12 == pc
        return hit, planned

    on = sung_as_planned()
    monkeypatch.setattr(bass_line, "PLANNED_BASS", False)
    off = sung_as_planned()
    # measured: 13 of 39 planned thirds sung with the plan, 7 without; session 54 (its seventh and
    # leap rules kept out of the plan's tiers, which move the lines elsewhere): 11 and 9 here, 16 and
    # 9 without those rules; on 40 JSB sopranos 213 of 530 with them, 208 without, 97 without the
    # plan (docs/notes/2026-12-06-session-54/planned_thirds.py)
    assert on[1] >= 30 and on[0] >= 0.25 * on[1] and on[0] >= off[0] + 2, (on, off)


def inner_motion(pieces) -> tuple[float, float, float]:
    """(the alto's and tenor's moves of a sixth or more, the bass's moves of a tritone, sixth or
    seventh, each per move; the beats where the alto sings the soprano's pitch class, per beat)."""
    wide = moves = bass_wide = bass_moves = doubled = beats = 0
    for piece in pieces:
        for track in piece.tracks[1:]:
            ps = [n.pitch for n in sorted(track.notes, key=lambda n: n.onset)]
            ps = [x for i, x in enumerate(ps) if i == 0 or x != ps[i - 1]]
            steps = [abs(b - a) for a, b in zip(ps, ps[1:])]
            if track.role == "bass":
                bass_wide, bass_moves = bass_wide + sum(d in (6, 8, 9, 10, 11) for d in steps), bass_moves + len(steps)
            else:
                wide, moves = wide + sum(d >= 8 for d in steps), moves + len(steps)
        soprano, alto = piece.tracks[0], piece.tracks[1]
        for t in range(int(piece.duration())):
            s = [n.pitch for n in soprano.notes if n.onset <= t < n.onset + n.duration]
            a = [n.pitch for n in alto.notes if n.onset <= t < n.onset + n.duration]
            if s and a:
                beats += 1
                doubled += s[0] % 12 == a[0] % 12
    return wide / moves, bass_wide / bass_moves, doubled / beats


@pytest.fixture(scope="module")
def eight_sopranos(sopranos):
    import music21

    more = [ts.read(music21.corpus.getWork(f"bach/bwv{n}")) for n in (253, 254, 255, 256)]
    return sopranos + [dataclasses.replace(p, tracks=[p.tracks[0]], chords=[]) for p in more]


def test_inner_voices_move_to_the_nearest_chord_tones(eight_sopranos, monkeypatch):
    """Among the tones the rules leave, the alto and tenor take the planned chord's nearest their notes
    before (within a minor third, else a fourth, else a fifth: `voice_leading.INNER_VOICE_LEAP`), the
    alto first a tone the soprano does not sing (`FRESH_ALTO`), and the bass leaps no tritone, sixth or
    seventh where another move is left (`BASS_WIDE_LEAPS_LAST`). A choir director had found diminished
    sevenths and sixths in the tenor. On 40 of Bach's validation sopranos (docs/notes/2026-12-05-
    session-51/inner_leaps.py) the tenor's sixths and sevenths went 0.044 -> 0.032 of its moves (Bach
    0.012), the alto on the soprano's pitch class 0.125 -> 0.073 of beats (Bach 0.071)."""
    on = inner_motion(_harmonized(eight_sopranos))
    for flag, value in (("INNER_VOICE_LEAP", None), ("FRESH_ALTO", False), ("BASS_WIDE_LEAPS_LAST", False)):
        monkeypatch.setattr(voice_leading, flag, value)
    off = inner_motion(_harmonized(eight_sopranos))
    # measured: (0.028, 0.058, 0.040) with the rules, (0.030, 0.064, 0.059) without; session 54's
    # seventh rules (`part_writing.unresolved_sevenths`) cost the bass some steps, (0.029, 0.068,
    # 0.052) and (0.039, 0.067, 0.085): the bass's wide leaps differ by less than these 8 sopranos
    # tell, and on 40 (inner_leaps.py --n 40) its sixths, sevenths and tritones are 0.058 of its
    # moves with `BASS_WIDE_LEAPS_LAST`, 0.066 without
    assert on[0] < off[0] and on[1] <= off[1] + 0.01, (on, off)
    assert on[2] < off[2] and on[2] <= 0.071, (on, off)  # at most Bach's alto on the soprano's pitch class


OLD_HUNDREDTH = "X:1\nT:Old Hundredth\nM:4/4\nL:1/4\nK:G\nG G F E | D G A B | B B B A | G c B A | G A B G | E F G2 | d B G A | c B A G |\n"


def test_the_nearest_tones_give_way_to_the_rules(tmp_path):
    """The inner voices' nearest tones are chosen among what the other rules leave, not before them:
    taken first, they had kept the tenor from V's third before the final chord (Old Hundredth's
    A4 D4 D3 D3 in 5 of 5 takes; 26 of 60 over a theory teacher's nine melodies) and the alto from
    keeping within an octave of the soprano (99 of 1,776 beats), where the session's first code had
    neither (session 51)."""
    path = tmp_path / "old100.abc"
    path.write_text(OLD_HUNDREDTH)
    for texture in ("hymn", None):
        for take in ts.harmonize(path, style="chorale", seed=100, n=5, texture=texture):
            piece = take.piece
            strike = max(n.onset for n in piece.tracks[0].notes)
            before = [n.pitch for t in piece.tracks for n in t.notes if n.onset <= strike - 1 < n.onset + n.duration]
            assert 6 in {p % 12 for p in before}, (texture, before)  # D major's F-sharp, the leading tone
            for t in range(int(piece.duration())):
                soprano, alto = ([n.pitch for n in tr.notes if n.onset <= t < n.onset + n.duration] for tr in piece.tracks[:2])
                assert not (soprano and alto) or soprano[0] - alto[0] <= 12, (texture, t, soprano, alto)
