"""The bars `check` reports are numbered as the score numbers them: a pickup (anacrusis) is bar 0
and the first whole bar is bar 1 (`Piece.pickup_beats()`; MusicXML writes the pickup as measure
0, implicit), on the query's side and on the indexed work's, which the index records when built."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tunesmith.rights import features as F
from tunesmith.rights.check import check_piece
from tunesmith.rights.index import SimilarityIndex
from tunesmith.score import Note, Piece, TimeSignature, Track

# a distinctive tune (leaps a random walk rarely makes), no pitch repeated: 26 notes
SOURCE = [62, 69, 66, 74, 73, 71, 64, 67, 76, 74, 69, 61, 64, 72, 71, 67, 59, 62, 70, 69, 65, 60, 64, 71, 69, 66]


def eighths(pitches, *, work_id: str, pickup: bool) -> Piece:
    """A 4/4 piece of eighth notes; with `pickup`, its first two notes are a one-beat pickup."""
    notes = [Note(int(p), 0.5 * i, 0.5) for i, p in enumerate(pitches)]
    end = 0.5 * len(pitches)
    bar_onsets = [0.0, *np.arange(1.0, end - 1e-6, 4.0).tolist()] if pickup else []
    return Piece(piece_id=work_id, work_id=work_id, title=work_id, style="folk", source="test", license="CC0-1.0",
                 tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)],
                 bar_onsets=bar_onsets)  # fmt: skip


def walk(rng, n: int, start: int) -> list[int]:
    """A random walk with no pitch repeated (repeats would merge into one note)."""
    steps = rng.choice([-2, -1, 1, 2, -3, 3, -4, 4], size=n - 1)
    return list(np.clip(start + np.concatenate(([0], np.cumsum(steps))), 40, 95))


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    """Random walks (the statistics of rarity), `with-pickup`: SOURCE as a one-beat pickup and
    three whole bars (score bars 0-3), `no-pickup`: SOURCE[2:] as three whole bars (bars 1-3)."""
    rng = np.random.default_rng(11)
    pieces = [eighths(walk(rng, 64, 60), work_id=f"walk-{i}", pickup=bool(i % 2)) for i in range(30)]
    pieces.append(eighths(SOURCE, work_id="with-pickup", pickup=True))
    pieces.append(eighths(SOURCE[2:], work_id="no-pickup", pickup=False))
    return SimilarityIndex.build(pieces, info={"name": "bars", "calibration": {"close": 8.0, "copy": 14.0}})


def query(pickup: bool) -> Piece:
    """Two bars of other music, SOURCE (a fourth up) from the third bar, two more bars; with
    `pickup`, two more notes before them as a one-beat pickup: SOURCE lies in score bars 3-6 both
    ways (notes 16-41 after the pickup, eight to a bar)."""
    before = [40, 43, 41, 45, 42, 46, 44, 47] * 2  # far below the copy: no interval joins them by chance
    after = [93, 90, 94, 91, 95, 92, 89, 93] * 2
    body = before + [p + 5 for p in SOURCE] + after
    return eighths(([38, 36] if pickup else []) + body, work_id="query", pickup=pickup)


def test_pickup_is_bar_0_on_both_sides(index):
    for pickup in (True, False):
        q = query(pickup)
        assert q.pickup_beats() == (1.0 if pickup else 0.0)
        assert F.melody_of(q).first_bar == (0 if pickup else 1)
        found = {m.work["work_id"]: m for m in check_piece(q, index).matches}
        assert found["with-pickup"].query_bars == (3, 6)  # the score's bars, whether or not it has a pickup
        assert found["with-pickup"].work_bars == (0, 3)  # the work's pickup is its bar 0
        assert found["with-pickup"].query_notes[1] - found["with-pickup"].query_notes[0] == len(SOURCE) - 1
        assert found["no-pickup"].query_bars == (3, 6)
        assert found["no-pickup"].work_bars == (1, 3)  # no pickup: the first bar is bar 1
        nearest = {m["work_id"]: m for m in check_piece(q, index).nearest()}
        assert nearest["with-pickup"]["bars"] == [3, 6] and nearest["with-pickup"]["work_bars"] == [0, 3]


def test_the_numbering_is_the_one_musicxml_writes(index):
    """The measure MusicXML puts the copy's first and last notes in is the bar `check` names."""
    from tunesmith.convert import to_music21

    q = query(pickup=True)
    m = next(m for m in check_piece(q, index).matches if m.work["work_id"] == "with-pickup")
    mel = F.melody_of(q)
    first, last = mel.onsets[m.query_notes[0]], mel.onsets[m.query_notes[1]]
    part = to_music21(q).parts[0]
    measure_at = {}
    for measure in part.getElementsByClass("Measure"):
        for n in measure.notes:
            measure_at[round(float(measure.offset + n.offset), 4)] = int(measure.number)
    assert (measure_at[round(first, 4)], measure_at[round(last, 4)]) == m.query_bars == (3, 6)
    assert measure_at[0.0] == 0  # the pickup


def test_the_index_records_the_numbering_and_an_older_index_counts_from_1(index, tmp_path):
    npz, js = index.save(tmp_path / "bars")
    record = json.loads(js.read_text(encoding="utf-8"))
    first_bar = dict(zip(record["works"]["work_id"], record["works"]["first_bar"]))
    assert first_bar["with-pickup"] == 0 and first_bar["no-pickup"] == 1
    loaded = SimilarityIndex.load(tmp_path / "bars")
    m = next(m for m in check_piece(query(True), loaded).matches if m.work["work_id"] == "with-pickup")
    assert (m.query_bars, m.work_bars) == ((3, 6), (0, 3))
    # an index built before the numbering was recorded: its works' bars count from 1, as before
    del record["works"]["first_bar"]
    js.write_text(json.dumps(record), encoding="utf-8")
    older = SimilarityIndex.load(tmp_path / "bars")
    m = next(m for m in check_piece(query(True), older).matches if m.work["work_id"] == "with-pickup")
    assert (m.query_bars, m.work_bars) == ((3, 6), (1, 4))
    record["works"]["first_bar"] = ["one"] * len(record["works"]["work_id"])  # a damaged record
    js.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match="unreadable similarity index"):
        SimilarityIndex.load(tmp_path / "bars")


def test_the_shipped_index_records_each_works_numbering():
    from tunesmith.rights.check import resolve_index

    idx = resolve_index("model")
    assert {d.get("first_bar") for d in idx.docs} == {0, 1}  # rebuilt with the numbering; some works have a pickup


def test_the_evaluation_names_plant_bars_as_check_does():
    """`evaluate_copy_guard.plant` reports where an excerpt came from (`from_bar`, the source's
    score numbering: a pickup is bar 0) and where it went (`at_bar`, the plant's own numbering:
    it is barred from its first note, whatever the host's pickup), so its report reads like
    `check`'s output: the notes of bars `from_bar`.. of the source, transposed, start in bar
    `at_bar` of the plant."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_copy_guard.py"
    spec = importlib.util.spec_from_file_location("evaluate_copy_guard", path)
    ecg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ecg)
    seen = set()
    for host_pickup in (False, True):
        host = eighths(walk(np.random.default_rng(3), 64, 60), work_id="host", pickup=host_pickup)
        for pickup in (True, False):
            src = eighths(SOURCE, work_id="src", pickup=pickup)
            first = 0 if pickup else 1
            for seed in range(12):
                piece, info = ecg.plant(src, host, np.random.default_rng(seed), bars=2, changes=("transpose",))
                seen.add((pickup, info["from_bar"]))
                edges = [*src.bars(), src.duration() + 1e-6]
                lo, hi = edges[info["from_bar"] - first], edges[info["from_bar"] - first + 2]
                steps = np.diff([n.pitch for n in src.melody().notes if lo - 1e-6 <= n.onset < hi - 1e-6]).tolist()
                notes = piece.melody().notes
                pitches = [n.pitch for n in notes]
                starts = [j for j in range(len(notes) - len(steps)) if np.diff(pitches[j : j + len(steps) + 1]).tolist() == steps]
                bars = [*piece.bars(), piece.duration()]
                assert any(bars[info["at_bar"] - 1] - 1e-6 <= notes[j].onset < bars[info["at_bar"]] - 1e-6 for j in starts), (
                    host_pickup, pickup, seed, info)  # fmt: skip
    assert (True, 0) in seen and (False, 0) not in seen  # a pickup is bar 0; without one, bars start at 1


def test_a_long_copy_reports_its_whole_passage():
    """The alignment sees at most `WINDOW` intervals a side; the passage it reports goes on along
    the copy, over a changed note, to the copy's first and last bar (a whole tune checked against
    its own corpus had reported bars 28-48 of 0-48)."""
    from tunesmith.rights.index import WINDOW

    rng = np.random.default_rng(5)
    long_tune = walk(rng, 3 * WINDOW, 64)  # 36 bars of eighths
    pieces = [eighths(walk(rng, 64, 60), work_id=f"walk-{i}", pickup=False) for i in range(30)]
    pieces.append(eighths(long_tune, work_id="long", pickup=False))
    idx = SimilarityIndex.build(pieces, info={"name": "long", "calibration": {"close": 8.0, "copy": 14.0}})
    copied = [p + 2 for p in long_tune]
    copied[100] += 1 if copied[100] + 1 not in (copied[99], copied[101]) else -1  # one note changed
    before = [40, 43, 41, 45, 42, 46, 44, 47] * 2  # bars 1-2 other music
    q = eighths(before + copied, work_id="query", pickup=False)
    m = check_piece(q, idx).matches[0]
    assert m.work["work_id"] == "long"
    assert m.query_bars == (3, 38) and m.work_bars == (1, 36)
    assert m.matched_notes >= m.work_notes[1] - m.work_notes[0] - 2  # all but the changed note's two intervals


def quoted_twice_index_and_query():
    """A work of eight bars of eighths, and a query that quotes its second half (bars 3-6, moved up
    a minor third) and then its first half (bars 9-12), with other music around them."""
    rng = np.random.default_rng(21)
    tune = walk(rng, 64, 64)
    pieces = [eighths(walk(rng, 64, 60), work_id=f"walk-{i}", pickup=False) for i in range(30)]
    pieces.append(eighths(tune, work_id="tune", pickup=False))
    idx = SimilarityIndex.build(pieces, info={"name": "twice", "calibration": {"close": 8.0, "copy": 14.0}})
    before = [40, 43, 41, 45, 42, 46, 44, 47] * 2
    middle = [93, 90, 94, 91, 95, 92, 89, 93] * 2
    q = eighths(before + [p + 3 for p in tune[32:]] + middle + tune[:32] + before, work_id="query", pickup=False)
    return idx, q


def test_a_work_quoted_twice_reports_both_passages():
    """`check` reports every passage of a close or copied work, not only its best: a take that
    quotes a work's B strain and later its A strain had shown one of them."""
    idx, q = quoted_twice_index_and_query()
    m = check_piece(q, idx).matches[0]
    assert m.work["work_id"] == "tune"
    spans = {(m.query_bars, m.work_bars)} | {(p.query_bars, p.work_bars) for p in m.more_passages}
    assert spans == {((3, 6), (5, 8)), ((9, 12), (1, 4))}
    assert all(p.score >= 8.0 for p in m.more_passages)
    row = check_piece(q, idx).to_dict()["nearest"][0]
    assert [[p["bars"], p["work_bars"]] for p in row["more_passages"]] == [[list(p.query_bars), list(p.work_bars)]
                                                                          for p in m.more_passages]  # fmt: skip
    assert all("more_passages" not in r for r in check_piece(q, idx).to_dict()["nearest"][1:])  # the walks are clear


def test_the_musicians_own_quote_neither_counts_nor_hides_a_copy_of_the_same_work():
    """The musician's notes never count: when the second quote is theirs, only the first is
    reported. And it is still reported: the musician's quote had drawn the work's retrieval window
    to itself, where nothing scores, and the take's own copy of the same work read clear."""
    idx, q = quoted_twice_index_and_query()
    notes = q.melody().notes
    given = {(n.pitch, n.onset) for n in notes[64:96]}  # bars 9-12: the first half, quoted by the musician
    m = check_piece(q, idx, given=given).matches[0]
    assert (m.query_bars, m.work_bars) == ((3, 6), (5, 8))
    assert m.more_passages == []


def test_check_cli_prints_each_passage(tmp_path, monkeypatch):
    """The text `check` prints names the further passage beside the best one, with its own score."""
    import io
    from contextlib import redirect_stdout

    import tunesmith.rights.check as check_module
    from tunesmith.cli import main
    from tunesmith.outputs.midi import write_midi

    idx, q = quoted_twice_index_and_query()
    monkeypatch.setattr(check_module, "resolve_index", lambda against, model=None: idx)
    write_midi(q, tmp_path / "take.mid")
    with redirect_stdout(io.StringIO()) as buf:
        main(["check", str(tmp_path / "take.mid")])
    lines = buf.getvalue().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  1. tune"))
    assert "bars 9-12 here ~ bars 1-4 there" in lines[first]
    assert re.fullmatch(r"     and bars 3-6 here ~ bars 5-8 there \(score \d+\.\d, (close|copy)\)", lines[first + 1])


@pytest.mark.parametrize("best_first", [True, False])
@pytest.mark.parametrize("whole", [True, False])
def test_a_further_passage_that_copies_the_whole_work_becomes_the_works_own(whole, best_first, monkeypatch):
    """The search aligns a window of the query, a further passage the whole of it: where the
    further one copies the whole work and scores higher (a tune copied whole, its window on its
    repeated strain's diagonal), it is the work's passage, the piece's score and the whole work; the
    window's passage inside it is not listed again. A further passage that is not the whole work
    but scores higher is the work's passage too (`BEST_PASSAGE_FIRST`), so that the verdict is never
    below a passage it lists: an ornamented Irish Washerwoman had read "close (22.0)" over a further
    passage "score 27.9, copy". Without it (as before session 52) that passage stayed a further one."""
    from tunesmith.rights import check
    from tunesmith.rights.index import Match, Passage

    monkeypatch.setattr(check, "BEST_PASSAGE_FIRST", best_first)

    matched = 39 if whole else 20

    class Stub:  # one work of 40 notes, matched in a window (bars 4-6) and, further, whole (bars 1-10)
        info = {"name": "stub", "calibration": {"close": 8.0, "copy": 14.0}}
        offsets = np.array([0, 40])

        def __len__(self):
            return 1

        def search(self, piece, **kwargs):
            return [Match(doc=0, work={"work_id": "w", "license": "GPL-3.0"}, score=9.0, query_notes=(12, 24),
                          work_notes=(0, 12), query_bars=(4, 6), work_bars=(1, 3), matched_notes=12)]  # fmt: skip

        def further_passages(self, piece, matches, **kwargs):
            return [[Passage(30.0, (0, matched), (0, matched), (1, 10), (1, 10), matched)]]

    result = check_piece(eighths(SOURCE, work_id="q", pickup=False), Stub())
    if not whole and not best_first:
        assert result.verdict == "close" and result.score == 9.0
        assert result.to_dict()["nearest"][0]["more_passages"][0]["score"] == 30.0
        return
    assert result.verdict == "copy" and result.score == 30.0
    row = result.to_dict()["nearest"][0]
    assert (row["bars"], row["work_bars"], row["score"]) == ([1, 10], [1, 10], 30.0)
    if whole:
        assert row.get("whole_work") is True and "more_passages" not in row
    else:  # the window's own passage (bars 4-6), outside the better one, is listed after it
        assert "whole_work" not in row and [p["score"] for p in row["more_passages"]] == [9.0]
    # no passage listed scores above the verdict's
    assert all(p["score"] <= result.score for r in result.to_dict()["nearest"] for p in r.get("more_passages", []))


def test_a_whole_tune_checked_as_it_stands_reads_as_the_whole_work():
    """Nottingham's Abbotts Bromley Horn Dance, checked as its ABC has it (A A B B C, 40 bars), had
    read "score 66.5: bars 4-16 here ~ bars 0-12 there", the whole tune only a further passage."""
    from tunesmith.api import read
    from tunesmith.paths import shared_data
    from tunesmith.rights.check import default_index_path, resolve_index

    book = shared_data() / "nottingham" / "ABC_cleaned" / "morris.abc"
    if not book.is_file() or not default_index_path("model").with_suffix(".npz").is_file():
        pytest.skip("shared data or the shipped model's similarity index not found")
    result = check_piece(read(book), resolve_index("model"), top=1)
    row = result.to_dict()["nearest"][0]
    assert row["title"] == "Abbotts Bromley Horn Dance" and row.get("whole_work") is True
    assert (row["bars"], row["work_bars"]) == ([0, 40], [0, 40]) and row["score"] == round(result.score, 3) > 100


def test_one_bar_is_said_as_one():
    from tunesmith.cli.check import _bars

    assert _bars((23, 23)) == "bar 23" and _bars((4, 7)) == "bars 4-7"  # a teacher had read "bars 23-23 there"


def test_a_score_just_under_a_threshold_does_not_read_as_on_it():
    """A score is shown to one decimal, but one just under a threshold is cut to two: 20.956 under
    close 21.0 had read "clear (score 21.0; close >= 21.0)" to a clearance officer."""
    from tunesmith.cli.check import shown_score

    cal = {"close": 21.0, "copy": 26.5}
    assert [shown_score(x, cal) for x in (20.956, 20.9996, 21.0, 22.04, 26.46, 13.24)] == [
        "20.95", "20.99", "21.0", "22.0", "26.46", "13.2"]
