"""An inpaint's alternatives are alternatives: a take the same as an earlier one of its set is drawn
again (`cocreate.decode.MAX_REDRAWS`), and new chords over a melody that had none stop where the
region ends. An ear-training teacher's `inpaint --bars 5-6 --n 3` of a chordless 3/4 melody had
given takes 1 and 3 note for note alike, with a new B-flat chord sounding on to the end of the
piece."""

from __future__ import annotations

import pytest

import tunesmith as ts
from tunesmith.cocreate import decode
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track

# an 8-bar 3/4 melody in F, no chords: F A C | Bb A G | F A C | D. Bb | F A C | Bb A G | F A Bb G | F.
_BARS = [[(65, 1), (69, 1), (72, 1)], [(70, 1), (69, 1), (67, 1)], [(65, 1), (69, 1), (72, 1)], [(74, 2), (70, 1)],
         [(65, 1), (69, 1), (72, 1)], [(70, 1), (69, 1), (67, 1)], [(65, 1), (69, 1), (70, 0.5), (67, 0.5)], [(65, 3)]]  # fmt: skip


def _melody() -> Piece:
    notes, t = [], 0.0
    for bar in _BARS:
        for pitch, length in bar:
            notes.append(Note(pitch, t, length))
            t += length
    return Piece("m", "m", title="Motif", style="folk", tracks=[Track("Melody", "melody", notes=notes)],
                 keys=[KeySignature(0.0, "F", "major")], time_signatures=[TimeSignature(0.0, 3, 4)],
                 tempos=[Tempo(0.0, 100.0)], end=24.0)  # fmt: skip


def test_a_set_of_takes_holds_no_two_alike(monkeypatch):
    """Results drawn A B A, then C: the third is drawn again; a set that can only repeat stops
    after `MAX_REDRAWS` draws."""
    made = {"A": decode._Result(), "B": decode._Result(), "C": decode._Result()}
    for name, res in made.items():
        res.notes = {"M": [Note(60 + "ABC".index(name), 0.0, 1.0)]}
    queue = [[made["A"], made["B"], made["A"]], [made["C"]]]
    monkeypatch.setattr(decode, "_draw_results", lambda *a, **k: queue.pop(0))
    results, seed = decode._run_jobs(None, None, None, 3, 5, 1.0, 1.0, 8)
    assert [r.notes["M"][0].pitch for r in results] == [60, 61, 62] and seed == 5 and not queue
    calls = []

    def always_a(*a, **k):
        calls.append(1)
        return [made["A"]] * (3 if len(calls) == 1 else 1)

    monkeypatch.setattr(decode, "_draw_results", always_a)
    results, _ = decode._run_jobs(None, None, None, 3, 5, 1.0, 1.0, 8)
    assert len(results) == 3 and len(calls) == 1 + 2 * decode.MAX_REDRAWS


def test_an_inpaint_of_a_chordless_melody_gives_distinct_takes_whose_chords_stop_at_the_region(monkeypatch):
    """Distinct takes, and no chord symbols in a melody that has none (session 53: a fiddler's bare
    jig had two bars of chords); as before, with `CHORDLESS_STAYS_CHORDLESS` off, the region's chords
    stop at its end."""
    from tunesmith.cocreate import verbs

    takes = ts.inpaint(_melody(), "5-6", n=4, seed=10, style="folk")
    keys = [tuple((n.pitch, n.onset, n.duration) for n in t.piece.melody().notes) for t in takes]
    assert len(set(keys)) == len(keys)
    assert all(t.piece.chords == [] for t in takes)
    monkeypatch.setattr(verbs, "CHORDLESS_STAYS_CHORDLESS", False)
    takes = ts.inpaint(_melody(), "5-6", n=4, seed=10, style="folk")
    for take in takes:
        chords = take.piece.chords
        assert chords and all(12.0 - 1e-6 <= c.onset < 18.0 for c in chords), [(c.onset, c.figure) for c in chords]
        last = max(chords, key=lambda c: c.onset)
        assert last.duration is not None and last.onset + last.duration == pytest.approx(18.0)
