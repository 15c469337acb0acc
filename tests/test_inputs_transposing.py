"""A transposing instrument's part in MusicXML (`<transpose>`) is read at sounding pitch: a B-flat
clarinet's written part, with its own key signature, had been read a tone above the piano it
plays with, and the take was written in the clarinet's written key."""

from __future__ import annotations

from types import SimpleNamespace

from tunesmith.api import note_sounding_pitch
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
    takes = [SimpleNamespace(provenance={})]
    note_sounding_pitch(takes, piece)
    assert takes[0].provenance["notes"] == [
        "read at sounding pitch, as the take's score is written (concert pitch): "
        "Clarinet in Bb (written a major second higher)"
    ]


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
