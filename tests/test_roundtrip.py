"""Round trip of every input kind: read -> Piece -> write_midi / write_musicxml -> read back.

Notes (pitch, onset, duration), chord symbols (onset + figure), meter, key and the pickup must
survive. Fixtures are written by tests/inputs_fixtures.py; real-data cases skip without
../shared/data.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from inputs_fixtures import WRITERS  # noqa: E402
from tunesmith.inputs import read_file  # noqa: E402
from tunesmith.outputs.midi import write_midi  # noqa: E402
from tunesmith.outputs.musicxml import write_musicxml  # noqa: E402
from tunesmith.paths import shared_data  # noqa: E402
from tunesmith.score import Piece  # noqa: E402


def read_any(kind: str, path: Path) -> list[Piece]:
    return read_file(path)  # a POP909 song folder dispatches too


def notes_by_role(piece: Piece) -> dict[str, list[tuple[int, float, float]]]:
    out: dict[str, list] = {}
    for t in piece.tracks:
        out.setdefault(t.role, []).extend((n.pitch, round(n.onset, 3), round(n.duration, 3)) for n in t.notes)
    return {k: sorted(v) for k, v in out.items()}


def chords(piece: Piece) -> list[tuple[float, str]]:
    return [(round(c.onset, 3), c.figure) for c in piece.chords]


def pickup(piece: Piece) -> float:
    bars = piece.bars()
    return round(bars[1] - bars[0], 3) if len(bars) > 1 and bars[1] - bars[0] < piece.time_signature.bar_length - 1e-6 else 0.0


def assert_same_music(a: Piece, b: Piece, *, tracks: bool = True) -> None:
    if tracks:
        assert notes_by_role(b) == notes_by_role(a)
    assert chords(b) == chords(a)
    assert [(ts.numerator, ts.denominator, round(ts.onset, 3)) for ts in b.time_signatures] == [
        (ts.numerator, ts.denominator, round(ts.onset, 3)) for ts in a.time_signatures
    ] or (not a.time_signatures and [str(t) for t in b.time_signatures] == ["4/4"])
    assert [(k.tonic_pc, k.mode) for k in b.keys] == [(k.tonic_pc, k.mode) for k in a.keys]
    assert pickup(b) == pickup(a)


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("inputs")


@pytest.mark.parametrize("kind", sorted(WRITERS))
@pytest.mark.parametrize("out", ["mid", "musicxml", "mxl"])
def test_roundtrip_fixture(kind, out, fixture_dir, tmp_path):
    src = WRITERS[kind](fixture_dir)
    pieces = read_any(kind, src)
    assert pieces
    for i, piece in enumerate(pieces[:2]):
        target = tmp_path / f"{kind}-{i}.{out}"
        (write_midi if out == "mid" else write_musicxml)(piece, target)
        back = read_file(target)
        assert len(back) == 1
        assert_same_music(piece, back[0])
        if out == "mid":
            assert [t.program for t in back[0].tracks] == [t.program for t in piece.tracks]


def test_musicxml_melody_is_first_part(fixture_dir, tmp_path):
    piece = read_file(WRITERS["jsb"](fixture_dir))[0]
    piece.tracks.reverse()  # bass first in memory
    write_musicxml(piece, tmp_path / "satb.musicxml")
    back = read_file(tmp_path / "satb.musicxml")[0]
    assert [t.role for t in back.tracks] == ["soprano", "alto", "tenor", "bass"]


def test_midi_has_chord_track_markers_and_meta(fixture_dir, tmp_path):
    import mido

    piece = read_file(WRITERS["abc"](fixture_dir))[0]
    write_midi(piece, tmp_path / "t.mid")
    mid = mido.MidiFile(str(tmp_path / "t.mid"))
    metas = [m for tr in mid.tracks for m in tr if m.is_meta]
    assert any(m.type == "marker" and m.text == "chord:G" for m in metas)
    assert any(m.type == "key_signature" and m.key == "G" for m in metas)
    assert any(m.type == "time_signature" and (m.numerator, m.denominator) == (6, 8) for m in metas)
    assert any(m.type == "set_tempo" for m in metas)
    names = [m.name for tr in mid.tracks for m in tr if m.type == "track_name"]
    assert "tunesmith chord symbols" in names


def test_writers_are_atomic(fixture_dir, tmp_path):
    piece = read_file(WRITERS["midi"](fixture_dir))[0]
    for name in ("a.mid", "a.musicxml"):
        target = tmp_path / name
        target.write_text("old")
        (write_midi if name.endswith(".mid") else write_musicxml)(piece, target)
        assert target.read_bytes()[:4] in (b"MThd", b"<?xm")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mid", "a.musicxml"]  # no temp files left



def test_midi_times_are_exact_float64(tmp_path):
    """Regression: symusic's quarter time is float32, so a triplet ending on beat 16 came back
    ending at 16.00000032 and the piece had 5 bars. Times now come from ticks in float64."""
    from fractions import Fraction

    from tunesmith.score import Note, TimeSignature, Track

    notes = [Note(60 + i, float(i), 1.0, 80) for i in range(12)]  # bars 1-3: quarter notes
    notes += [Note(72 + k % 5, float(12 + Fraction(k, 3)), 1 / 3, 80) for k in range(12)]  # bar 4: triplets
    piece = Piece("t", "t", tracks=[Track(name="melody", role="melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)])
    assert piece.n_bars == 4
    write_midi(piece, tmp_path / "four_bars.mid")
    (back,) = read_file(tmp_path / "four_bars.mid")
    last = back.melody().notes[-1]
    assert last.onset == 47 / 3 and last.onset + last.duration == 16.0
    assert back.duration() == 16.0 and back.n_bars == 4 and back.bars() == [0.0, 4.0, 8.0, 12.0]
    assert all(n.onset == round(n.onset * 480) / 480 for n in back.melody().notes)  # on the tick grid


def test_bars_ignore_float_noise():
    from tunesmith.score import Note, TimeSignature, Track

    piece = Piece("t", "t", tracks=[Track(name="m", role="melody", notes=[Note(60, 15.0, 1.0000003, 80)])], time_signatures=[TimeSignature(0.0, 4, 4)])
    assert piece.duration() > 16.0 and piece.n_bars == 4
    piece.tracks[0].notes[0].duration = 1.01  # a real overhang still starts a bar
    assert piece.n_bars == 5

# ------------------------------------------------------------------ real data (skips without it)
DATA = shared_data()


def _real(rel: str) -> Path:
    p = DATA / rel
    if not p.exists():
        pytest.skip(f"shared data not found: {p}")
    return p


@pytest.mark.shared_data
@pytest.mark.parametrize(
    "kind,rel",
    [
        ("abc", "nottingham/ABC_cleaned/jigs.abc"),
        ("midi", "irish/MIDI/ATripToGalway.mid"),
        ("kern", "jazz/omnibook/Ah-Leu-Cha.krn"),
        ("musicxml", "jazz/chord-melody/all_of_me/c.xml"),
        ("progressions", "jazz/progressions/Songs[H-O]/HAndJ.txt"),
        ("pop909", "pop909/001"),
    ],
)
def test_roundtrip_real(kind, rel, tmp_path):
    piece = read_any(kind, _real(rel))[0]
    write_midi(piece, tmp_path / "r.mid")
    assert_same_music(piece, read_file(tmp_path / "r.mid")[0])
    if kind not in ("midi", "pop909"):  # performance timings are not notated durations
        write_musicxml(piece, tmp_path / "r.musicxml")
        assert_same_music(piece, read_file(tmp_path / "r.musicxml")[0])
