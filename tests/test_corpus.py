"""Corpus layer, in process: records, cache round trip, dedupe, splits, stats, folder registry, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tunesmith.corpus import (
    Corpus,
    FolderRegistry,
    SplitLeakError,
    check_splits,
    corpus_from_pieces,
    corpus_stats,
    load_corpus,
    save_corpus,
    split_of,
)
from tunesmith.corpus.dedupe import title_key
from tunesmith.corpus.records import piece_to_record, record_to_piece
from tunesmith.corpus.splits import SPLITS
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

TUNE = [(67, 1.0), (69, 0.5), (71, 0.5), (72, 1.0), (74, 1.0), (76, 0.5), (74, 0.5), (72, 1.0), (71, 1.0),
        (69, 1.0), (67, 2.0), (66, 1.0), (67, 1.0), (69, 0.5), (71, 0.5), (72, 2.0)]


def melody(pitches_durations, *, transpose: int = 0, scale: float = 1.0, start: float = 0.0) -> list[Note]:
    notes, t = [], start
    for p, d in pitches_durations:
        notes.append(Note(p + transpose, t, d * scale))
        t += d * scale
    return notes


def folk(pid: str, source: str, notes: list[Note], **kw) -> Piece:
    kw.setdefault("license", "GPL-3.0")
    return Piece(piece_id=pid, work_id=pid, title=pid, style="folk", source=source, path=f"/x/{pid}.abc",
                 tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)], **kw)


def chorale_voices(seed: int, length: int = 48) -> list[list[tuple[int, float]]]:
    rng = np.random.default_rng(seed)
    voices = []
    for base in (72, 65, 58, 48):
        steps = rng.integers(-3, 4, size=length)
        pitches = base + np.cumsum(steps) % 7
        voices.append([(int(p), 1.0) for p in pitches])
    return voices


def chorale(pid: str, source: str, voices, *, split: str = "", transpose: int = 0, meta=None, repeat: int = 0) -> Piece:
    tracks = []
    for role, v in zip(("soprano", "alto", "tenor", "bass"), voices):
        seq = list(v) + list(v[:repeat])
        tracks.append(Track(role, role, notes=melody(seq, transpose=transpose)))
    return Piece(piece_id=pid, work_id=pid, title=pid, style="chorale", source=source, path=f"/x/{pid}",
                 license="public-domain" if source == "jsb" else "non-commercial", tracks=tracks, split=split,
                 meta=dict(meta or {}))


def rich_piece() -> Piece:
    return Piece(
        piece_id="folder:a.abc#1", work_id="folder:a.abc#1", title="Rich", style="jazz", source="folder",
        path="/tmp/a.abc", license="MIT",
        tracks=[Track("lead", "melody", program=65, notes=melody(TUNE)),
                Track("drums", "other", is_drum=True, notes=[Note(36, 0.0, 0.25, 100), Note(38, 1.0, 1 / 3, 90)])],
        chords=[ChordSymbol(0.0, "Cmaj7", 2.0), ChordSymbol(2.0, "G7", None)],
        keys=[KeySignature(0.0, "C", "major")], time_signatures=[TimeSignature(0.0, 6, 8)],
        tempos=[Tempo(0.0, 96.5)], bar_onsets=[0.0, 3.0, 6.0], end=17.0, split="valid",
        meta={"composer": "x", "numbers": [1, 2], "nested": {"a": 1.5}},
    )


# ------------------------------------------------------------------ records and cache
def test_record_round_trip_is_exact():
    piece = rich_piece()
    record, notes = piece_to_record(piece)
    assert record_to_piece(record, notes) == piece
    assert record["_"]["n_notes"] == piece.n_notes and record["_"]["n_bars"] == piece.n_bars
    json.dumps(record)  # everything but the notes is JSON


def test_record_rejects_bad_velocity():
    piece = rich_piece()
    piece.tracks[0].notes[0].velocity = 300
    with pytest.raises(ValueError, match="velocity"):
        piece_to_record(piece)


def test_cache_round_trip(tmp_path):
    pieces = [rich_piece(), folk("nottingham:t.abc#1", "nottingham", melody(TUNE), split="train"),
              Piece(piece_id="p:empty", work_id="p:empty", style="jazz", source="p", split="test",
                    chords=[ChordSymbol(0.0, "Dm7", 4.0)])]
    version = save_corpus(pieces, tmp_path / "cache")
    assert (tmp_path / "cache" / "CURRENT").read_text().strip() == version.name
    assert not list(version.glob("*.pkl")) and not list(version.glob("*.pickle"))
    loaded = load_corpus(tmp_path / "cache")
    assert len(loaded) == 3
    assert list(loaded) == pieces
    assert loaded[1] == pieces[1] and loaded[-1] == pieces[-1]
    assert [p.piece_id for p in loaded.filter(style="jazz")] == ["folder:a.abc#1", "p:empty"]
    assert [p.piece_id for p in loaded.filter(split={"train", "test"})] == ["nottingham:t.abc#1", "p:empty"]
    assert len(loaded.filter(shippable=True)) == 2 and len(loaded.filter(source="nope")) == 0
    assert len(loaded[1:]) == 2
    np.testing.assert_array_equal(loaded.notes_of(1)["pitch"], [n.pitch for n in pieces[1].tracks[0].notes])
    # a second save replaces the first version atomically and removes it
    version2 = save_corpus(loaded, tmp_path / "cache")
    assert not version.exists() and version2.exists()
    assert list(load_corpus(tmp_path / "cache")) == pieces


def test_empty_corpus_round_trip(tmp_path):
    save_corpus([], tmp_path)
    assert len(load_corpus(tmp_path)) == 0


def test_a_cache_of_an_older_format_is_refused_with_the_command_that_rebuilds_it(tmp_path):
    version = save_corpus([folk("nottingham:t.abc#1", "nottingham", melody(TUNE), split="train")], tmp_path)
    manifest = json.loads((version / "manifest.json").read_text())
    (version / "manifest.json").write_text(json.dumps({**manifest, "format_version": 1}))  # before tune families
    with pytest.raises(ValueError, match=r"format 1, not 2; rebuild it: tunesmith corpus build"):
        load_corpus(tmp_path)


def test_missing_cache_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus build"):
        load_corpus(tmp_path / "nothing")


# ------------------------------------------------------------------ dedupe
def test_exact_duplicates_across_folk_sets_keep_the_preferred_source():
    a = folk("nottingham:a#1", "nottingham", melody(TUNE))
    b = folk("oneills1850:b#1", "oneills1850", melody(TUNE, transpose=-5, scale=0.5, start=1.5),
             license="non-commercial")  # same tune: other key, halved note values, a pickup offset
    c = folk("irish:c", "irish", melody(TUNE[::-1]), license="CC-BY-4.0")  # another tune
    corpus = corpus_from_pieces([b, a, c])
    kept = {p.piece_id: p for p in corpus}
    assert set(kept) == {"nottingham:a#1", "irish:c"}
    dup = kept["nottingham:a#1"].meta["duplicates"]
    assert [d["piece_id"] for d in dup] == ["oneills1850:b#1"] and dup[0]["match"] == "exact"
    dropped = [r for r in corpus.with_dropped().records if r["_"].get("dropped")]
    assert dropped[0]["piece_id"] == "oneills1850:b#1" and dropped[0]["work_id"] == kept["nottingham:a#1"].work_id
    assert corpus_stats(corpus)["duplicates_dropped"] == 1


def test_a_song_in_two_chart_slots_dates_from_its_first():
    """The Contours' "Do You Love Me" charted in 1962 and again in 1988: one work, dated 1962."""
    def slot(pid: str, date: str, n_chords: int) -> Piece:
        chords = [ChordSymbol(4.0 * k, "C" if k % 2 else "G7", 4.0) for k in range(n_chords)]
        return Piece(piece_id=pid, work_id="song:thecontours|doyouloveme", title="Do You Love Me", style="pop",
                     source="billboard", path=f"/x/{pid}", license="CC0-1.0", chords=chords, end=4.0 * n_chords,
                     time_signatures=[TimeSignature(0.0, 4, 4)],
                     meta={"chart_date": date, "year": int(date[:4]), "stable_work_id": True})  # fmt: skip
    # (the slot kept is the first by piece id: here the later one)
    corpus = corpus_from_pieces([slot("billboard:2", "1962-09-01", 8), slot("billboard:1", "1988-07-16", 12)])
    (kept,) = list(corpus)
    assert kept.meta["chart_date"] == "1962-09-01" and kept.meta["year"] == 1962
    assert kept.meta["chart_dates"] == ["1962-09-01", "1988-07-16"]


def test_short_pieces_are_not_matched_by_content():
    a = folk("nottingham:a", "nottingham", melody(TUNE[:5]))
    b = folk("irish:b", "irish", melody(TUNE[:5]))
    assert len(corpus_from_pieces([a, b])) == 2


def test_jsb_chorale_wins_over_its_music21_copy():
    voices = chorale_voices(1)
    jsb = chorale("jsb:test/3", "jsb", voices, split="test", transpose=2)
    for track in jsb.tracks:  # the grid splits a held note in two: not the same notes any more
        first = track.notes[0]
        track.notes[:1] = [Note(first.pitch, 0.0, 0.5), Note(first.pitch, 0.5, 0.5)]
    # the music21 encoding of the same chorale: other key, repeat not written out the same way
    m21 = chorale("bach-chorales:bwv1.6.mxl", "bach-chorales", voices, repeat=8,
                  meta={"bwv": "1.6", "riemenschneider": 12})
    m21_other_encoding = chorale("bach-chorales:bwv1.6.krn", "bach-chorales", voices,
                                 meta={"bwv": "1.6", "riemenschneider": 12})
    other = chorale("bach-chorales:bwv2.6.mxl", "bach-chorales", chorale_voices(2), meta={"riemenschneider": 40})
    corpus = corpus_from_pieces([m21, other, jsb, m21_other_encoding])
    kept = {p.piece_id: p for p in corpus}
    assert set(kept) == {"jsb:test/3", "bach-chorales:bwv2.6.mxl"}
    keeper = kept["jsb:test/3"]
    assert keeper.split == "test"  # the standard split is kept
    assert keeper.work_id == "bach:R12"  # the matched chorale's number names the work
    dups = {d["piece_id"]: d["match"] for d in keeper.meta["duplicates"]}
    assert set(dups) == {"bach-chorales:bwv1.6.mxl", "bach-chorales:bwv1.6.krn"}
    assert any(m.startswith("chorale (soprano") for m in dups.values())
    assert kept["bach-chorales:bwv2.6.mxl"].work_id == "bach:R40"
    check_splits(corpus)


def test_two_standard_split_pieces_are_never_merged():
    voices = chorale_voices(3)
    a = chorale("jsb:train/1", "jsb", voices, split="train")
    b = chorale("jsb:test/9", "jsb", voices, split="test")  # the data set's own near-copy
    m21 = chorale("bach-chorales:x", "bach-chorales", voices)
    corpus = corpus_from_pieces([a, b, m21])
    assert {p.piece_id for p in corpus} == {"jsb:train/1", "jsb:test/9"}
    assert {p.split for p in corpus} == {"train", "test"}
    check_splits(corpus)


# ------------------------------------------------------------------ splits
def test_split_of_is_deterministic_and_close_to_80_10_10():
    works = [f"work-{i}" for i in range(5000)]
    first = [split_of(w) for w in works]
    assert first == [split_of(w) for w in works]
    counts = {s: first.count(s) for s in SPLITS}
    assert 0.77 < counts["train"] / 5000 < 0.83 and 0.08 < counts["valid"] / 5000 < 0.12
    assert split_of("work-1", seed=1) in SPLITS
    assert [split_of(w, seed=2) for w in works] != first


def test_splits_are_by_work_and_do_not_depend_on_other_pieces():
    pieces = [folk(f"nottingham:t{i}", "nottingham", melody(TUNE, transpose=i % 7)[: 3 + i % 5]) for i in range(200)]
    for p in pieces:
        p.work_id = f"tune-{int(p.piece_id[12:]) // 2}"  # two pieces per work
    corpus = corpus_from_pieces(pieces)
    by_work: dict[str, set[str]] = {}
    for p in corpus:
        by_work.setdefault(p.work_id, set()).add(p.split)
        assert p.split == split_of(p.work_id)
    assert all(len(s) == 1 for s in by_work.values())
    subset = corpus_from_pieces([folk(p.piece_id, p.source, p.tracks[0].notes) for p in pieces[:50]])
    for p in subset:
        p_work = p.piece_id
        assert p.split == split_of(p_work)


def test_check_splits_names_the_leaking_works():
    pieces = [folk("a", "s", melody(TUNE), split="train"), folk("b", "s", melody(TUNE), split="test"),
              folk("c", "s", melody(TUNE), split="train")]
    pieces[1].work_id = "a"
    with pytest.raises(SplitLeakError, match="a: test, train") as info:
        check_splits(pieces)
    assert set(info.value.leaks) == {"a"}
    pieces[1].split = "train"
    assert check_splits(pieces) == {"train": 3}
    pieces[2].split = ""
    with pytest.raises(ValueError, match="no split"):
        check_splits(pieces, require_split=True)


# ------------------------------------------------------------------ stats
def test_stats_keys_and_counts():
    corpus = Corpus.from_pieces([rich_piece(), folk("n:1", "nottingham", melody(TUNE), split="train")])
    stats = corpus_stats(corpus)
    for key in ("pieces", "by_style", "by_source", "by_license", "by_split", "notes", "chords", "bars", "per_style"):
        assert key in stats
    assert stats["pieces"] == 2 and stats["notes"] == len(TUNE) * 2 + 2 and stats["chords"] == 2
    assert stats["by_style"] == {"folk": 1, "jazz": 1} and stats["by_split"] == {"train": 1, "valid": 1}
    assert stats["bars"] == 3 + folk("x", "y", melody(TUNE)).n_bars
    assert stats["per_style"]["jazz"] == {"pieces": 1, "notes": len(TUNE) + 2, "chords": 2, "bars": 3}
    assert stats == corpus_stats(list(corpus))


# ------------------------------------------------------------------ registry and CLI
def test_registry_add_list_remove(tmp_path):
    reg = FolderRegistry(tmp_path / "t.db")
    folder = tmp_path / "My Tunes"
    folder.mkdir()
    entry = reg.add(folder, style="folk", license="cc-by-4.0")
    assert (entry.name, entry.license) == ("my-tunes", "CC-BY-4.0")
    assert [f.name for f in FolderRegistry(tmp_path / "t.db").list()] == ["my-tunes"]  # survives a new handle
    with pytest.raises(ValueError, match="already registered"):
        reg.add(folder, style="folk", license="MIT")
    with pytest.raises(ValueError, match="unknown license 'WTFPL'; known: public-domain.*research-only"):
        reg.add(folder, style="folk", license="WTFPL", name="x")
    with pytest.raises(ValueError, match="unknown style"):
        reg.add(folder, style="polka", license="MIT", name="x")
    with pytest.raises(FileNotFoundError, match="no such folder"):
        reg.add(tmp_path / "missing", style="folk", license="MIT")
    with pytest.raises(ValueError, match="built-in source"):
        reg.add(folder, style="folk", license="MIT", name="jsb")
    assert reg.remove("my-tunes").path == str(folder.resolve())
    assert reg.list() == []
    with pytest.raises(ValueError, match="no registered folder"):
        reg.remove("my-tunes")


def test_cli_add_list_remove_stats(tmp_path, monkeypatch, capsys):
    from tunesmith.cli import main

    monkeypatch.setenv("TUNESMITH_HOME", str(tmp_path / "home"))
    folder = tmp_path / "tunes"
    folder.mkdir()
    assert main(["corpus", "add", str(folder), "--style", "folk", "--license", "MIT", "--name", "mine"]) == 0
    assert (tmp_path / "home" / "tunesmith.db").is_file()
    assert "holds no music file yet" in capsys.readouterr().err  # an empty folder: registered, and said
    assert main(["corpus", "list"]) == 0
    out = capsys.readouterr().out
    assert "mine" in out and "jsb" in out and "nottingham" in out
    assert main(["corpus", "add", str(folder), "--style", "folk", "--license", "nope"]) == 2
    assert "unknown license 'nope'; known:" in capsys.readouterr().err
    assert main(["corpus", "add", str(tmp_path / "gone"), "--style", "folk", "--license", "MIT"]) == 2
    assert main(["corpus", "remove", "mine"]) == 0
    assert main(["corpus", "remove", "mine"]) == 2
    assert main(["corpus", "stats"]) == 2  # no cache yet: a clear error
    assert "corpus build" in capsys.readouterr().err
    save_corpus([rich_piece()], tmp_path / "home" / "corpus")
    assert main(["corpus", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["pieces"] == 1 and stats["by_style"] == {"jazz": 1}
    assert main(["corpus", "stats"]) == 0
    assert "jazz" in capsys.readouterr().out


# ------------------------------------------------------------------ tune families
def wandering_tune(seed: int, n: int = 48) -> list[tuple[int, float]]:
    """A melody of `n` notes by steps and small leaps, its own figures (no two seeds share many)."""
    rng = np.random.default_rng(seed)
    pitch, out = 67, []
    for _ in range(n):
        pitch = int(np.clip(pitch + rng.choice([-4, -3, -2, -1, 1, 2, 3, 5]), 55, 84))
        out.append((pitch, float(rng.choice([0.5, 1.0]))))
    return out


def work_ids_with_splits(*wanted: str) -> list[str]:
    """Work ids whose own splits (`split_of`) are `wanted`, in order."""
    found, i = [], 0
    for want in wanted:
        while split_of(f"ver-{i}") != want:
            i += 1
        found.append(f"ver-{i}")
        i += 1
    return found


def a_version_of(tune: list[tuple[int, float]]) -> list[Note]:
    """Another player's version: a fourth higher, every note twice as long, two notes changed."""
    changed = [(p + (2 if i in (20, 31) else 0), d) for i, (p, d) in enumerate(tune)]
    return melody(changed, transpose=5, scale=2.0)


def test_a_held_out_version_of_a_training_tune_joins_it_in_training():
    train_id, test_id, other_id = work_ids_with_splits("train", "test", "test")
    tune = wandering_tune(1)
    pieces = [folk(train_id, "nottingham", melody(tune)), folk(test_id, "irish", a_version_of(tune)),
              folk(other_id, "irish", melody(wandering_tune(2)))]
    for p in pieces:
        p.work_id = p.piece_id
    corpus = corpus_from_pieces(pieces)
    got = {p.work_id: p.split for p in corpus}
    assert len(corpus) == 3  # a version is kept, not dropped as a duplicate
    assert got == {train_id: "train", test_id: "train", other_id: "test"}
    families = dict(zip(corpus.column("work_id"), corpus.column("family")))
    assert families[train_id] == families[test_id] == f"family:{min(train_id, test_id)}" and families[other_id] == ""


def test_a_held_out_family_stays_held_out_in_its_validation_split():
    test_id, valid_id = work_ids_with_splits("test", "valid")  # the test piece has the lesser id
    tune = wandering_tune(3)
    pieces = [folk(test_id, "nottingham", melody(tune)), folk(valid_id, "irish", a_version_of(tune))]
    for p in pieces:
        p.work_id = p.piece_id
    assert {p.split for p in corpus_from_pieces(pieces)} == {"valid"}  # what decoding was tuned on stays out of test


def test_a_short_song_is_not_joined_to_a_long_medley_by_a_few_figures():
    train_id, test_id = work_ids_with_splits("train", "test")
    song = wandering_tune(4, n=28)
    medley = [*wandering_tune(5, n=150), *song[:22], *wandering_tune(6, n=150)]  # 12 of the song's 18 figures, of 302
    pieces = [folk(train_id, "nottingham", melody(medley)), folk(test_id, "irish", melody(song, transpose=2))]
    for p in pieces:
        p.work_id = p.piece_id
    got = {p.work_id: p.split for p in corpus_from_pieces(pieces)}
    assert got == {train_id: "train", test_id: "test"}


@pytest.mark.parametrize("titles, one_family", [
    (("Fisher's Hornpipe", "FISHER'S -- HORNPIPE"), True),  # a third of their figures, and one title
    (("Fisher's Hornpipe", "The Rights of Man"), False),  # a third of their figures only
])
def test_a_shared_title_is_a_second_witness_of_a_family(titles, one_family):
    train_id, test_id = work_ids_with_splits("train", "test")
    tune = wandering_tune(7, n=40)
    other_ending = tune[:16] + wandering_tune(8, n=24)  # 10 of its 30 and 34 figures shared
    pieces = [folk(train_id, "oneills1850", melody(tune)), folk(test_id, "ryansMammoth", melody(other_ending, transpose=3))]
    for p, title in zip(pieces, titles):
        p.work_id, p.title = p.piece_id, title
    got = {p.work_id: p.split for p in corpus_from_pieces(pieces)}
    assert got == {train_id: "train", test_id: "train" if one_family else "test"}


def test_title_key_keeps_what_names_the_tune():
    assert title_key("FISHER'S -- HORNPIPE") == title_key("Fisher's Hornpipe") == "fisher"
    assert title_key("Der Reiter und sein Liebchen (53a), S. 167") == "der reiter und sein liebchen"
    assert title_key("ZU KINDELSBERG, AUF DEM HOHEN SCHLOSS") == title_key("Zu Kindelsberg auf dem hohen Schloss")
    assert title_key("The Reel") == ""


def test_check_splits_names_a_family_in_two_splits():
    records = [{"work_id": "a", "split": "train", "_": {"family": "family:a"}},
               {"work_id": "b", "split": "test", "_": {"family": "family:a"}},
               {"work_id": "c", "split": "test", "_": {}}]
    with pytest.raises(SplitLeakError, match="family:a: test, train"):
        check_splits(records)
