"""The McGill Billboard reader: a written fixture checked exactly, the Harte conversion, malformed
lines, the source registration, and the real set in the shared data when it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tunesmith import paths
from tunesmith.corpus.sources import BUILTIN_SOURCES, READERS
from tunesmith.harmony import is_chord_figure
from tunesmith.inputs import InputError
from tunesmith.inputs.billboard import harte_to_figure, read_billboard_song
from tunesmith.licenses import may_ship
from tunesmith.tokenizer import Tokenizer

SONG = """\
# title: Test Song
# artist: The Testers
# metre: 4/4
# tonic: C

0.000000000\tsilence
0.500000000\tA, intro, | C:maj | x2, (guitar)
4.500000000\tB, verse, | A:min7 . D:7/3 . | F:maj/5 G:7 |, (voice
8.500000000\t| N | (2/4) G:sus4(b7) |
# metre: 3/4
# tonic: A
11.500000000\tC, chorus, | A:min | E:7 A:min . |
14.500000000\tA, | C:maj | ->, voice)
16.000000000\tsilence
17.000000000\tend
"""

INDEX = (
    "id\tchart_date\ttarget_rank\tactual_rank\ttitle\tartist\tpeak_rank\tweeks_on_chart\n"
    "7\t1975-06-14\t10\t11\tTest Song\tThe Testers\t3\t12\n"
    "8\t1976-01-03\t50\t50\tTest Song\tThe Testers\t3\t12\n"
)


def write_song(root: Path, song_id: str = "0007", text: str = SONG) -> Path:
    folder = root / song_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "salami_chords.txt").write_text(text, encoding="utf-8")
    (root / "index.tsv").write_text(INDEX, encoding="utf-8")
    return folder


def test_fixture_read_exactly(tmp_path):
    (piece,) = read_billboard_song(write_song(tmp_path), source="billboard", style="pop", license="CC0-1.0")
    assert [(c.onset, c.figure, c.duration) for c in piece.chords] == [
        (0.0, "C", 8.0),  # x2: the bar twice, one chord held
        (8.0, "Am7", 2.0),
        (10.0, "D7/F#", 2.0),
        (12.0, "F/C", 2.0),
        (14.0, "G7", 2.0),
        # 16..20: N (no chord)
        (20.0, "G7sus4", 2.0),  # a (2/4) bar
        (22.0, "Am", 3.0),  # 3/4 from here
        (25.0, "E7", 1.0),
        (26.0, "Am", 2.0),
        (28.0, "C", 3.0),
    ]
    assert piece.bar_onsets == [0.0, 4.0, 8.0, 12.0, 16.0, 20.0, 22.0, 25.0, 28.0]
    assert piece.end == 31.0
    assert [(ts.onset, str(ts)) for ts in piece.time_signatures] == [(0.0, "4/4"), (20.0, "2/4"), (22.0, "3/4")]
    assert [(k.onset, k.tonic, k.mode) for k in piece.keys] == [(0.0, "C", "major"), (22.0, "A", "minor")]
    assert piece.meta["sections"] == [[0, "intro"], [2, "verse"], [6, "chorus"], [8, "intro"]]
    assert piece.meta["year"] == 1975 and piece.meta["chart_date"] == "1975-06-14"
    assert piece.title == "Test Song" and piece.meta["artist"] == "The Testers"
    assert piece.style == "pop" and piece.license == "CC0-1.0" and piece.source == "billboard"
    assert piece.work_id == "song:thetesters|testsong"
    assert not piece.tracks
    assert "skipped_lines" not in piece.meta and "unparsed_chords" not in piece.meta
    assert piece.tempos and piece.tempos[0].qpm > 0
    assert Tokenizer().encode(piece)


def test_same_song_two_slots_is_one_work(tmp_path):
    a = read_billboard_song(write_song(tmp_path, "0007"), source="billboard")[0]
    b = read_billboard_song(write_song(tmp_path, "0008"), source="billboard")[0]
    assert a.work_id == b.work_id and a.piece_id != b.piece_id
    assert b.meta["year"] == 1976


def test_reads_without_index(tmp_path):
    folder = tmp_path / "song"
    folder.mkdir()
    (folder / "salami_chords.txt").write_text(SONG, encoding="utf-8")
    (piece,) = read_billboard_song(folder)
    assert piece.title == "Test Song" and "year" not in piece.meta


@pytest.mark.parametrize(
    "label, figure",
    [
        ("A:maj", "A"),
        ("E:min7", "Em7"),
        ("B:7", "B7"),
        ("F#:hdim7", "F#m7b5"),
        ("C:maj/5", "C/G"),
        ("A:min/b3", "Am/C"),
        ("C:7/b7", "C7/Bb"),
        ("D:7/3", "D7/F#"),
        ("Eb:maj7", "Ebmaj7"),
        ("G:dim7", "Gdim7"),
        ("C:aug", "Caug"),
        ("D:sus4", "Dsus4"),
        ("D:sus2", "Dsus2"),
        ("E:sus4(b7)", "E7sus4"),
        ("E:sus4(b7,9)", "E9sus4"),
        ("Ab:maj(9)", "Abadd9"),
        ("C:maj6(9)", "C69"),
        ("C:7(#9)", "C7#9"),
        ("C:min7(11)", "Cm7"),  # no exact match: extensions dropped
        ("C:maj6", "C6"),
        ("C:min9", "Cm9"),
        ("Bb:min/11", "Bbm/Eb"),
        ("C:1", "C5"),
        ("C:5", "C5"),
        ("C:maj(*3)", "C5"),
        ("C:1(b3,b7)/b7", "Cm7/Bb"),
        ("C", "C"),
        ("N", None),
        ("X", None),
    ],
)
def test_harte_conversion(label, figure):
    assert harte_to_figure(label) == figure
    if figure:
        assert is_chord_figure(figure)


@pytest.mark.parametrize("label", ["C:foo", "H:maj", "C:maj/x", "C:min7(q)", ""])
def test_harte_unconvertible(label):
    with pytest.raises(ValueError):
        harte_to_figure(label)


def test_malformed_lines_skipped(tmp_path):
    text = SONG.replace(
        "8.500000000\t| N |",
        "no timestamp | C:maj |\n8.000000000\t| C:maj G:maj\n8.200000000\t| C:wibble Q!! |\n8.500000000\t| N |",
    ).replace("# metre: 3/4", "# metre: three")
    (piece,) = read_billboard_song(write_song(tmp_path, text=text))
    skipped = piece.meta["skipped_lines"]
    assert len(skipped) == 4
    assert all(s.startswith(str(tmp_path / "0007" / "salami_chords.txt") + ":") and "\n" not in s for s in skipped)
    assert any("no timestamp" in s for s in skipped)
    assert any("not closed" in s for s in skipped)
    assert any("metre" in s for s in skipped)
    assert any("Q!!" in s for s in skipped)
    assert "unparsed_chords" not in piece.meta  # the skipped line's unknown chord is not counted
    assert len(piece.chords) == 10


def test_unknown_chord_counted(tmp_path):
    (piece,) = read_billboard_song(write_song(tmp_path, text=SONG.replace("G:7 |", "G:wobble |")))
    assert piece.meta["unparsed_chords"] == 1
    assert (14.0, "G7") not in [(c.onset, c.figure) for c in piece.chords]


def test_no_bars_is_an_input_error(tmp_path):
    folder = write_song(tmp_path, text="# title: x\n0.0\tsilence\n1.0\tend\n")
    with pytest.raises(InputError, match=r"salami_chords.txt: no bars"):
        read_billboard_song(folder)
    with pytest.raises(InputError, match="no such file"):
        read_billboard_song(tmp_path / "9999")


def test_registered_source():
    assert READERS["billboard"] == ("tunesmith.inputs.billboard", "read_billboard_song")
    spec = BUILTIN_SOURCES["billboard"]
    assert (spec.style, spec.license, spec.reader, spec.items) == ("pop", "CC0-1.0", "billboard", "folders")
    assert may_ship(spec.license)


def test_source_enumerates_song_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "shared_data", lambda: tmp_path)
    root = tmp_path / "billboard"
    write_song(root, "0007")
    write_song(root, "0008")
    items = list(BUILTIN_SOURCES["billboard"].iter_items())
    assert [i.rel for i in items] == ["0007", "0008"]


REAL = paths.shared_data() / "billboard"


@pytest.mark.skipif(not (REAL / "index.tsv").is_file(), reason=f"{REAL} (McGill Billboard shared data) is not here")
def test_real_set():
    spec = BUILTIN_SOURCES["billboard"]
    tok = Tokenizer()
    pieces = []
    items = list(spec.iter_items())
    assert len(items) >= 600
    for item in items:
        pieces += read_billboard_song(item.path, source="billboard", style=spec.style, license=spec.license)
    assert len(pieces) == len(items)
    assert len({p.work_id for p in pieces}) >= 500
    for p in pieces:
        assert p.chords and p.keys and p.meta["sections"], p.piece_id
        assert 1958 <= p.meta["year"] <= 1991, p.piece_id
        assert all(is_chord_figure(c.figure) for c in p.chords), p.piece_id
        assert tok.encode(p), p.piece_id


def test_build_keeps_one_piece_per_song(tmp_path, monkeypatch):
    from tunesmith.corpus import build_corpus

    monkeypatch.setenv("TUNESMITH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    root = tmp_path / "data" / "billboard"
    write_song(root, "0007")
    write_song(root, "0008")
    result = build_corpus(
        ["billboard"], music21=False, folders=False, cache_dir=tmp_path / "cache", workers=1, progress=False
    )
    assert [p.piece_id for p in result.corpus] == ["billboard:0007"]
    (piece,) = result.corpus
    assert piece.work_id == "song:thetesters|testsong" and piece.license == "CC0-1.0"
    assert [d["piece_id"] for d in piece.meta["duplicates"]] == ["billboard:0008"]
