"""Reading a performance as notation: notes a tick late snap to the grid, swung hornpipes come back
straight, written triplets stay triplets; and the corpus applies it to a source marked `performed`."""

from __future__ import annotations

from pathlib import Path

import mido
import pytest

from tunesmith.corpus import build_corpus
from tunesmith.corpus.sources import SourceSpec
from tunesmith.performance import as_written, is_swung, snap_to_grid, swing, unswing
from tunesmith.score import Note, Piece, TimeSignature, Track


def _piece(notes: list[tuple[int, float, float]], meter: tuple[int, int] = (4, 4)) -> Piece:
    return Piece(piece_id="p", work_id="p", time_signatures=[TimeSignature(0.0, *meter)],
                 tracks=[Track("m", "melody", notes=[Note(p, o, d) for p, o, d in notes])])


def _times(piece: Piece) -> list[tuple[int, float, float]]:
    return [(n.pitch, round(n.onset, 6), round(n.duration, 6)) for n in piece.tracks[0].notes]


# a hornpipe's bar, written: eighths, a quarter, a written triplet on beat 4
HORNPIPE_BAR = [(67, 0.0, 0.5), (69, 0.5, 0.5), (71, 1.0, 0.5), (72, 1.5, 0.5), (74, 2.0, 1.0),
                (72, 3.0, 1 / 3), (71, 3 + 1 / 3, 1 / 3), (69, 3 + 2 / 3, 1 / 3)]
STRAIGHT_FIXTURES = {
    "eighths and a triplet": HORNPIPE_BAR * 1,
    "two bars to a half note": [(p, o + 4 * b, d) for b in range(2) for p, o, d in HORNPIPE_BAR[:5]]
    + [(76, 7.0, 0.5), (74, 7.5, 0.5), (72, 8.0, 2.0)],
    "a note held over the swung eighth": [(67, 0.0, 1.5), (69, 1.5, 0.5), (71, 2.0, 2.0)],
}


@pytest.mark.parametrize("name", sorted(STRAIGHT_FIXTURES))
def test_unswing_undoes_swing(name):
    # `swing` moves only the off-beat eighth, so the round trip is over eighths, quarters and triplets
    written = _piece(STRAIGHT_FIXTURES[name])
    swung = swing(written)
    assert _times(swung) != _times(written)
    assert _times(unswing(swung)) == _times(written)


def test_a_written_triplet_beat_is_not_straightened():
    # the triplet's third note starts two thirds into beat 4, where a swung eighth would
    piece = _piece(HORNPIPE_BAR)
    assert _times(unswing(piece))[5:] == _times(piece)[5:]


def test_a_sixteenth_after_a_swung_eighth_stays_a_sixteenth():
    # swung: a long eighth (2/3), then two notes sharing the short third
    piece = _piece([(67, 0.0, 2 / 3), (69, 2 / 3, 1 / 6), (71, 5 / 6, 1 / 6), (72, 1.0, 1.0)])
    assert _times(unswing(piece)) == [(67, 0.0, 0.5), (69, 0.5, 0.25), (71, 0.75, 0.25), (72, 1.0, 1.0)]


def test_compound_meters_are_never_swung_or_straightened():
    jig = _piece([(67, i * 0.5, 0.5) for i in range(12)], meter=(6, 8))
    assert _times(unswing(jig)) == _times(jig)
    assert not is_swung(jig)


def test_a_straight_reel_is_not_judged_swung_and_a_swung_one_is():
    reel = _piece([(60 + i % 7, i * 0.5, 0.5) for i in range(64)])
    assert not is_swung(reel)
    assert is_swung(swing(reel))


def test_notes_a_tick_late_snap_to_the_grid_and_other_times_stay():
    tick = 1 / 480
    piece = _piece([(67, tick, 0.5 - tick), (69, 0.5 + tick, 0.5 - tick), (71, 1.1, 0.4)])
    assert _times(snap_to_grid(piece)) == [(67, 0.0, 0.5), (69, 0.5, 0.5), (71, 1.1, 0.4)]


def test_bar_lines_chords_and_marks_a_tick_late_snap_with_the_notes():
    """The Irish set's MIDI files whose pickup is a tick long had kept their bar lines 1/480 beat
    late once the notes were snapped: each downbeat note lay before its bar line."""
    from tunesmith.score import ChordSymbol, KeySignature

    tick = 1 / 480
    piece = _piece([(62, 0.0, 0.5), (67, 0.5 + tick, 0.5 - tick), (71, 3.5 + tick, 0.5)], meter=(6, 8))
    piece.bar_onsets = [0.0, 0.5 + tick, 3.5 + tick]
    piece.chords = [ChordSymbol(0.5 + tick, "G", 3.0 - tick), ChordSymbol(3.5 + tick, "D", None)]
    piece.keys = [KeySignature(tick, "G", "major")]
    piece.end = 6.5 + tick
    out = snap_to_grid(piece)
    assert out.bars() == [0.0, 0.5, 3.5]
    assert [(c.onset, c.duration) for c in out.chords] == [(0.5, 3.0), (3.5, None)]
    assert out.keys[0].onset == 0.0 and out.end == 6.5
    assert [round(n.onset, 6) for n in out.tracks[0].notes] == [0.0, 0.5, 3.5]
    # a bar line far off the grid (a free-time cadenza) keeps its time, as a note there does
    piece.bar_onsets = [0.0, 0.5 + 0.3 / 48, 3.5]
    assert snap_to_grid(piece).bars()[1] == 0.5 + 0.3 / 48
    assert piece.chords[0].onset == 0.5 + tick  # the piece given is not changed


def test_an_irish_tune_read_as_written_has_its_downbeats_on_its_bar_lines():
    from tunesmith.paths import shared_data

    path = shared_data() / "irish" / "MIDI" / "ATripToGalway.mid"
    if not path.exists():
        pytest.skip(f"the shared Irish set is not here ({path.name})")
    from tunesmith.inputs import read_file

    played = read_file(path)[0]
    assert played.bars()[1] != 0.5  # the file's pickup is a tick long: this is what was mended
    piece = as_written(played)
    bars = piece.bars()
    assert all(abs(b * 48 - round(b * 48)) < 1e-9 for b in bars)
    onsets = {round(n.onset, 9) for n in piece.melody().notes}
    assert sum(round(b, 9) in onsets for b in bars[1:]) >= 0.9 * (len(bars) - 1)  # a downbeat note on each


def _performed_midi(path: Path, swung: bool, step: int) -> None:
    """A hornpipe as the Irish set's player wrote it: every note a tick late and a tick short, the
    eighths swung 2:1 when `swung`."""
    tpq = 480
    mid = mido.MidiFile(ticks_per_beat=tpq)
    track = mido.MidiTrack()
    mid.tracks.append(track)
    track.append(mido.MetaMessage("time_signature", numerator=4, denominator=4, time=0))
    long, short = (320, 160) if swung else (240, 240)
    now = 0
    for i in range(32):
        length = long if i % 2 == 0 else short
        track.append(mido.Message("note_on", note=62 + (i * step) % 12, velocity=90, time=1))
        track.append(mido.Message("note_off", note=62 + (i * step) % 12, velocity=0, time=length - 1))
        now += length
    mid.save(path)


def test_the_corpus_reads_a_performed_source_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    folder = tmp_path / "tunes"
    folder.mkdir()
    _performed_midi(folder / "swung.mid", swung=True, step=3)
    _performed_midi(folder / "straight.mid", swung=False, step=5)  # other notes: not a duplicate once straight
    spec = SourceSpec("played", "folk", "CC-BY-4.0", "folder", str(folder), patterns=("*.mid",), performed=True)
    corpus = build_corpus([spec], workers=1, progress=False).corpus
    by_title = {p.meta.get("file", p.title): p for p in corpus}
    assert len(by_title) == 2
    for piece in by_title.values():
        notes = piece.tracks[0].notes
        assert [round(n.onset, 6) for n in notes] == [i * 0.5 for i in range(32)]
        assert all(round(n.duration, 6) == 0.5 for n in notes)
    # the same files from a source not marked performed keep their times
    plain = SourceSpec("plain", "folk", "CC-BY-4.0", "folder", str(folder), patterns=("*.mid",))
    kept = build_corpus([plain], workers=1, progress=False).corpus
    onsets = [n.onset for p in kept for n in p.tracks[0].notes]
    assert any(abs(t % 1 - 2 / 3) < 0.01 for t in onsets) and all(t % 0.5 > 0 for t in onsets)


def test_as_written_marks_what_it_straightened():
    swung = swing(_piece([(60 + i % 5, i * 0.5, 0.5) for i in range(32)]))
    assert as_written(swung).meta.get("unswung") is True
    assert "unswung" not in as_written(_piece(HORNPIPE_BAR)).meta


def test_a_melody_played_in_is_written_on_the_grid_it_was_played_to(tmp_path):
    """A melody recorded against a click (eighths, sixteenths, a beat of triplets, onsets up to
    0.04 beats early or late) is written with the values played (the beat of triplets a
    triplet, the rest straight), as a notation program's MIDI import writes it: it had come out
    in sextuplets and 64th rests. Its MIDI keeps the times as played. Written music (a take, a
    quintuplet a source rounded) is not touched."""
    import random

    import music21

    from tunesmith.outputs.musicxml import write_musicxml
    from tunesmith.performance import is_played, notated

    rng = random.Random(3)
    written = []
    for bar in range(4):
        t = 4.0 * bar
        for o, d in ((0, 0.5), (0.5, 0.5), (1, 0.25), (1.25, 0.25), (1.5, 0.5), (2, 1 / 3), (2 + 1 / 3, 1 / 3),
                     (2 + 2 / 3, 1 / 3), (3, 1.0)):  # fmt: skip
            written.append(Note(60 + len(written) % 7, t + o, d, 80))
    played = [Note(n.pitch, max(0.0, n.onset + rng.uniform(-0.04, 0.04)), n.duration * rng.uniform(0.8, 1.0), 80)
              for n in written]  # fmt: skip
    piece = Piece(piece_id="p", work_id="p", tracks=[Track("Melody", "melody", 0, False, played)],
                  time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    assert is_played(piece)
    back = notated(piece)
    assert [round(n.onset, 6) for n in back.tracks[0].notes] == [round(n.onset, 6) for n in written]
    assert back.meta["notated_from_played"] and piece.tracks[0].notes[0].onset == played[0].onset
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "played.musicxml")))
    tuplets = [n.duration.tuplets[0].numberNotesActual if n.duration.tuplets else 0 for n in score.recurse().notes]
    assert tuplets == [0, 0, 0, 0, 0, 3, 3, 3, 0] * 4
    assert not score.recurse().getElementsByClass("Rest")
    # written music is left as it is: the notes above, and a quintuplet as a source rounded it
    assert not is_played(Piece(piece_id="w", work_id="w", tracks=[Track("M", "melody", 0, False, written)]))
    fifths = [Note(60 + i, 4 * b + i * 205 / 1024, 205 / 1024, 80) for b in range(4) for i in range(5)]
    assert not is_played(Piece(piece_id="q", work_id="q", tracks=[Track("M", "melody", 0, False, fifths)]))


def test_notes_quantized_at_their_starts_only_are_written_to_their_ends(tmp_path):
    """A DAW's "quantize starts" leaves each note released 10 ticks early (1/48 of a beat at 480):
    the part is written with the values played, not 96th-note tuplets and 64th rests."""
    import music21

    from tunesmith.outputs.musicxml import write_musicxml
    from tunesmith.performance import is_played

    values = [0.5, 0.5, 1.0, 0.25, 0.25, 0.5, 1.0] * 4
    notes, t = [], 0.0
    for i, d in enumerate(values):
        notes.append(Note(60 + i % 5, t, d - 10 / 480, 80))
        t += d
    piece = Piece(piece_id="k", work_id="k", tracks=[Track("Keys", "melody", 0, False, notes)],
                  time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    assert is_played(piece)
    score = music21.converter.parse(str(write_musicxml(piece, tmp_path / "keys.musicxml")))
    assert [float(n.duration.quarterLength) for n in score.recurse().notes] == values
    assert not score.recurse().getElementsByClass("Rest")
