"""`continue --chords`: the new bars' melody fits the chords it is written over as compose's does
over given chords (the given-chord tables, `sampling.tables.set_given_chords`, filled from the
work piece's chords per new bar: `cocreate.decode._placed_chords`). It had sat on their tones 0.60
of the time against compose's 0.73 over the same pop loop."""

from __future__ import annotations


def _on_chord_tones(piece, start: float) -> float:
    """The melody's time on chord tones from `start` on (`metrics.musicality.chord_tone_share`)."""
    import copy

    from tunesmith.metrics.musicality import chord_tone_share

    after = copy.deepcopy(piece)
    melody = after.melody()
    melody.notes = [x for x in melody.notes if x.onset >= start - 1e-6]
    return chord_tone_share(after)


def test_continued_bars_lean_on_the_tones_of_the_chords_given_for_them(monkeypatch):
    import tunesmith
    from tunesmith.cocreate import decode

    model = tunesmith.load_model("default")
    given = [tunesmith.compose("pop", key="C", bars=4, seed=100 + s, model=model, pickup=0, check=False).piece
             for s in range(6)]  # fmt: skip

    def share() -> float:
        takes = [tunesmith.continue_(g, bars=8, chords="C | Am | F | G", seed=s, model=model) for s, g in enumerate(given)]
        return sum(_on_chord_tones(t.piece, g.duration()) for t, g in zip(takes, given)) / len(takes)

    fitted = share()
    monkeypatch.setattr(decode, "set_given_chords", lambda tables, placed: None)
    assert fitted > share() + 0.05 and fitted > 0.7


def test_the_chords_placed_per_new_bar_hold_stops_and_changes():
    """'C | F G7 | N.C. | C' after a 1-bar given piece: each new bar's (tick, figure), N.C. where
    none sounds."""
    import tunesmith
    from tunesmith.cocreate.decode import _placed_chords
    from tunesmith.cocreate.inputs import _grid
    from tunesmith.cocreate.verbs import with_no_chord_stops
    from tunesmith.score import ChordSymbol

    piece = tunesmith.compose("pop", key="C", bars=1, seed=0, pickup=0, chords="C", check=False).piece
    grid = _grid(piece, "4/4").extended(4)
    chords = with_no_chord_stops([*piece.chords, ChordSymbol(4.0, "C"), ChordSymbol(8.0, "F"), ChordSymbol(10.0, "G7"),
                                  ChordSymbol(12.0, "N.C."), ChordSymbol(16.0, "C")])  # fmt: skip
    piece.chords = chords
    assert _placed_chords(piece, grid, 1, 5) == [[(0, "C")], [(0, "F"), (24, "G7")], [(0, "N.C.")], [(0, "C")]]
