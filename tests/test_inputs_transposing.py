"""A transposing instrument's part in MusicXML (`<transpose>`) is read at sounding pitch: a B-flat
clarinet's written part, with its own key signature, had been read a tone above the piano it
plays with, and the take was written in the clarinet's written key."""

from __future__ import annotations

from types import SimpleNamespace

from tunesmith.input_notes import note_sounding_pitch
from tunesmith.inputs.musicxml import read_musicxml


def _part(pid: str, fifths: int, notes: str, transpose: str = "") -> str:
    attrs = (f"<attributes><divisions>1</divisions><key><fifths>{fifths}</fifths></key><time><beats>4</beats>"
             f"<beat-type>4</beat-type></time>{transpose}</attributes>")  # fmt: skip
    return f'<part id="{pid}"><measure number="1">{attrs}{notes}</measure></part>'


def _note(step: str, octave: int, alter: int = 0) -> str:
    alt = f"<alter>{alter}</alter>" if alter else ""
    return f"<note><pitch><step>{step}</step>{alt}<octave>{octave}</octave></pitch><duration>2</duration><type>half</type></note>"


def _score(tmp_path, parts: list[tuple[str, str]], name: str = "s.musicxml"):
    head = "".join(f'<score-part id="P{i + 1}"><part-name>{n}</part-name></score-part>' for i, (n, _) in enumerate(parts))
    xml = ('<?xml version="1.0" encoding="UTF-8"?><score-partwise version="3.1"><part-list>' + head + "</part-list>"
           + "".join(body for _, body in parts) + "</score-partwise>")  # fmt: skip
    path = tmp_path / name
    path.write_text(xml)
    return path


B_FLAT = "<transpose><diatonic>-1</diatonic><chromatic>-2</chromatic></transpose>"


def test_a_b_flat_clarinet_is_read_at_sounding_pitch_in_the_pianos_key(tmp_path):
    # the clarinet's written D5 E5 in C major sound C5 D5 in B-flat major, the piano's key
    clarinet = _part("P1", 0, _note("D", 5) + _note("E", 5), B_FLAT)
    piano = _part("P2", -2, _note("B", 3, -1) + _note("F", 4))
    piece = read_musicxml(_score(tmp_path, [("Clarinet in Bb", clarinet), ("Piano", piano)]))[0]
    assert [n.pitch for n in piece.tracks[0].notes] == [72, 74]
    assert [n.spelling for n in piece.tracks[0].notes] == ["C", "D"]
    assert [n.pitch for n in piece.tracks[1].notes] == [58, 65]  # the piano as written
    assert (piece.keys[0].tonic, piece.keys[0].mode) == ("Bb", "major")
    assert piece.meta["sounding_pitch"] == ["Clarinet in Bb (written a major second higher)"]
    assert piece.meta["written_transpositions"] == {"Clarinet in Bb": "M-2"}
    takes = [SimpleNamespace(provenance={})]
    note_sounding_pitch(takes, piece)
    assert takes[0].provenance["notes"] == [
        "read at sounding pitch (the MIDI and audio sound so), the take's score written for the instrument as "
        "the input was: Clarinet in Bb (written a major second higher)"
    ]


def test_a_transposing_instruments_part_is_written_back_as_the_player_reads_it(tmp_path):
    """The clarinet's part comes back written a tone up, in its own key signature, with its chord
    symbols moved with it and `<transpose>` saying so (it had come back in concert pitch, a tone
    below what the clarinettist reads); the piano's stays as it was, and read again, the take
    sounds as the input did. Harmonize keeps it so too."""
    import music21

    from tunesmith.api import harmonize
    from tunesmith.outputs.musicxml import write_musicxml
    from tunesmith.score import ChordSymbol

    clarinet = _part("P1", 0, _note("D", 5) + _note("E", 5), B_FLAT)
    piano = _part("P2", -2, _note("B", 3, -1) + _note("F", 4))
    piece = read_musicxml(_score(tmp_path, [("Clarinet in Bb", clarinet), ("Piano", piano)]))[0]
    piece.chords = [ChordSymbol(0.0, "Bb"), ChordSymbol(2.0, "F7")]
    path = write_musicxml(piece, tmp_path / "again.musicxml")
    score = music21.converter.parse(str(path))
    cl, pno = score.parts
    assert [n.nameWithOctave for n in cl.recurse().notes if not isinstance(n, music21.harmony.ChordSymbol)] == ["D5", "E5"]
    assert cl.recurse().getElementsByClass("KeySignature").first().sharps == 0  # C major, the clarinet's
    assert [cs.figure for cs in cl.recurse().getElementsByClass("ChordSymbol")] == ["C", "G7"]
    assert [n.nameWithOctave for n in pno.recurse().notes] == ["B-3", "F4"]
    assert b"<chromatic>-2</chromatic>" in path.read_bytes()
    again = read_musicxml(path)[0]
    assert [n.pitch for n in again.tracks[0].notes] == [72, 74]
    take = harmonize(piece, seed=0)
    assert take.piece.meta["written_transpositions"] == {"Clarinet in Bb": "M-2"}


def test_an_octave_transposition_is_read_as_written(tmp_path):
    """A guitar written an octave above its sound keeps its written register (key and harmony are
    the same either way), and nothing is said."""
    octave = "<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>-1</octave-change></transpose>"
    guitar = _part("P1", 1, _note("G", 4) + _note("B", 4), octave)
    piece = read_musicxml(_score(tmp_path, [("Guitar", guitar)]))[0]
    assert [n.pitch for n in piece.tracks[0].notes] == [67, 71]
    assert "sounding_pitch" not in piece.meta
    takes = [SimpleNamespace(provenance={})]
    note_sounding_pitch(takes, piece)
    assert takes[0].provenance == {}
