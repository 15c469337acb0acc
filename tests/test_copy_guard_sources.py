"""`scripts/evaluate_copy_guard.py` counts a plant's named work as right when it is the source
(`right_source`) or, `right_passage`, when it carries the source's planted passage itself (the
excerpt before any change, >= 80 % of its intervals exact over its length, where the guard
found it): a chorale tune Bach harmonised twice, a tune in two collections. A work that only
resembles the passage, or an unrelated one, is not right."""

from __future__ import annotations

import numpy as np
import pytest

from script_loader import load_script
from tunesmith.rights.check import check_piece
from tunesmith.rights.index import Match, SimilarityIndex
from tunesmith.score import Note, Piece, TimeSignature, Track

# a distinctive tune of six 4/4 bars of eighth notes (leaps a random walk rarely makes), no pitch
# repeated (repeats would merge): 48 notes
TUNE = [62, 69, 66, 74, 73, 71, 64, 67, 76, 74, 69, 61, 64, 72, 71, 67, 59, 62, 70, 69, 65, 60, 64, 71,
        69, 66, 73, 78, 75, 68, 71, 63, 66, 74, 79, 76, 70, 65, 68, 61, 57, 64, 72, 67, 63, 70, 74, 62]  # fmt: skip
assert len(TUNE) == 48 and all(a != b for a, b in zip(TUNE, TUNE[1:]))


def eighths(pitches, work_id: str) -> Piece:
    notes = [Note(int(p), 0.5 * i, 0.5) for i, p in enumerate(pitches)]
    return Piece(piece_id=work_id, work_id=work_id, title=work_id, style="folk", source="test", license="CC0-1.0",
                 tracks=[Track("melody", "melody", notes=notes)], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip


def walk(rng, n: int, start: int) -> list[int]:
    """A random walk of small steps with no pitch repeated."""
    steps = rng.choice([-2, -1, 1, 2, -3, 3, -4, 4], size=n - 1)
    return [int(p) for p in np.clip(start + np.concatenate(([0], np.cumsum(steps))), 40, 95)]


def loosely(pitches: list[int]) -> list[int]:
    """The tune's contour with every third note moved by a semitone or two: about 2/3 of its
    intervals changed (no repeated pitch made)."""
    out = list(pitches)
    for i in range(1, len(out) - 1, 3):
        for d in (1, -1, 2, -2):
            if out[i] + d not in (out[i - 1], out[i + 1]):
                out[i] += d
                break
    return out


# the sibling: the same tune a minor third up, two other bars before it and one note changed
# (bar 5 of the tune): another harmonisation of the same hymn tune, another collection's copy
SIBLING = [48, 50, 47, 51, 49, 52, 50, 53] * 2 + [p + 3 for p in TUNE]
SIBLING[16 + 36] += 1
assert SIBLING[16 + 36] not in (SIBLING[16 + 35], SIBLING[16 + 37])


@pytest.fixture(scope="module")
def ecg():
    return load_script("scripts/evaluate_copy_guard.py")


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    rng = np.random.default_rng(5)
    pieces = [eighths(walk(rng, 64, 60), f"walk-{i}") for i in range(30)]
    pieces += [eighths(TUNE, "source"), eighths(SIBLING, "sibling"), eighths(loosely(TUNE), "loose")]
    return SimilarityIndex.build(pieces, info={"name": "sources", "calibration": {"close": 8.0, "copy": 14.0}})


def plants(ecg, n: int = 6):
    """Plants of 3 and 4 bars of the source (every change) into a random-walk host, with their info."""
    host = eighths(walk(np.random.default_rng(9), 64, 62), "host")
    out = []
    for seed in range(40):
        made = ecg.plant(eighths(TUNE, "source"), host, np.random.default_rng(seed), bars=3 + seed % 2)
        if made is not None:
            out.append(made)
        if len(out) == n:
            return out
    raise AssertionError("too few plants")


def test_the_original_passage_is_the_sources_excerpt_before_any_change(ecg):
    src = eighths(TUNE, "source")
    assert ecg.original_passage(src, 2, 3).tolist() == np.diff(TUNE[8:32]).tolist()  # bars 2-4, notes 8-31
    with_pickup = Piece(piece_id="p", work_id="p", tracks=src.tracks, time_signatures=src.time_signatures,
                        bar_onsets=[0.0, 1.0, 5.0, 9.0, 13.0, 17.0, 21.0])  # fmt: skip
    assert ecg.original_passage(with_pickup, 0, 2).tolist() == np.diff(TUNE[:10]).tolist()  # a pickup is bar 0


def test_a_work_carrying_the_passage_transposed_with_a_note_changed_carries_it(ecg):
    passage = np.diff(TUNE[24:48])  # bars 4-6: 23 intervals, the sibling has one note changed there
    found = ecg.passage_stretches(passage, np.diff(SIBLING))
    assert found and min(e for _, _, e in found) == 2  # the changed note: two intervals
    first, last, _ = min(found, key=lambda s: s[2])
    assert (first, last) == (16 + 24, 16 + 47)  # where it lies in the sibling (notes)
    assert min(e for _, _, e in ecg.passage_stretches(passage, np.diff(TUNE))) == 0  # the source itself
    # a loose resemblance (the contour, 2/3 of the intervals changed) and a random walk: no
    assert ecg.passage_stretches(passage, np.diff(loosely(TUNE))) == []
    assert ecg.passage_stretches(passage, np.diff(walk(np.random.default_rng(1), 200, 60))) == []
    # a note the work lacks (two intervals read as their sum) or has more (one split in two): two edits
    lacks = np.concatenate((passage[:10], [passage[10] + passage[11]], passage[12:]))
    more = np.concatenate((passage[:10], [1, passage[10] - 1], passage[11:]))
    for work in (lacks, more):
        assert (
            min(e for _, _, e in ecg.passage_stretches(passage, np.concatenate(([5, -5] * 4, work, [5, -5] * 4)))) == 2
        )
    # 80 % exact: five edits of 20 intervals are too many, four are not
    assert ecg.passage_stretches(passage[:20], np.concatenate((passage[:16], [30, 30, 30, 30])))
    assert not ecg.passage_stretches(passage[:20], np.concatenate((passage[:15], [30, 30, 30, 30, 30])))


def test_a_named_work_carrying_the_planted_passage_is_right_an_unrelated_one_is_not(ecg, index):
    """Whatever `check` names first, with the source, the sibling or both left out of the search:
    the source is right both ways, the sibling right in substance only, the loose resemblance and
    the random walks not at all."""
    src = eighths(TUNE, "source")
    named = set()
    for piece, info in plants(ecg):
        for excluded in (set(), {"source"}, {"source", "sibling"}, {"source", "sibling", "loose"}):
            r = check_piece(piece, index, exclude_work_ids=excluded)
            first = r.matches[0].work["work_id"]
            named.add(first)
            got = ecg.judge_named(index, src, info, r.matches)
            if first == "source":
                assert got == {"right_source": True, "right_passage": True}
            elif first == "sibling":
                assert (
                    got["right_source"] is False and got["right_passage"] is True and got["passage_work"] == "sibling"
                )
                # the sibling's notes of the planted bars: its tune starts two bars (16 notes) in
                a, b = got["passage_notes"]
                assert a <= r.matches[0].work_notes[1] and r.matches[0].work_notes[0] <= b
                assert abs(a - (16 + 8 * (info["from_bar"] - 1))) <= 1 and abs(b - a - 8 * info["bars"]) <= 2
            else:
                assert got == {"right_source": False, "right_passage": False}, (first, info)
    # every case was met: the source, the sibling, the loose resemblance and a random walk named first
    assert {"source", "sibling", "loose"} <= named and any(w.startswith("walk-") for w in named)


def test_a_work_named_for_another_passage_than_the_planted_one_is_not_right(ecg, index):
    """The sibling carries the passage, but a match that found the plant elsewhere in it (the
    bars before the tune) did not name it for the planted passage."""
    doc = next(i for i, d in enumerate(index.docs) if d["work_id"] == "sibling")
    info = {"source": "source", "from_bar": 4, "bars": 3}
    src = eighths(TUNE, "source")
    elsewhere = Match(doc=doc, work=index.docs[doc], score=20.0, work_notes=(0, 15))
    assert ecg.judge_named(index, src, info, [elsewhere])["right_passage"] is False
    there = Match(doc=doc, work=index.docs[doc], score=20.0, work_notes=(16 + 24, 16 + 40))
    assert ecg.judge_named(index, src, info, [there])["right_passage"] is True


def test_works_carrying_counts_the_works_passage_stretches_finds_it_in(ecg, index):
    for lo, hi in ((0, 8), (8, 24), (24, 48), (30, 35)):
        passage = np.diff(TUNE[lo:hi])
        one_by_one = sum(bool(ecg.passage_stretches(passage, index.doc_intervals(d))) for d in range(len(index.docs)))
        assert ecg.works_carrying(index, passage) == one_by_one
    assert ecg.works_carrying(index, np.diff(TUNE[8:32])) == 2  # the source and the sibling
    # a passage that only two works, end to end, would make up: no stretch spans two works
    split = SimilarityIndex.build([eighths(TUNE[:20], "head"), eighths(TUNE[20:], "tail")] +
                                  [eighths(walk(np.random.default_rng(i), 40, 60), f"w{i}") for i in range(4)])  # fmt: skip
    assert ecg.works_carrying(split, np.diff(TUNE[12:28])) == 0


def test_a_common_figure_is_no_tunes_passage(ecg, monkeypatch):
    """A named work carrying the planted passage is right only when few works carry it: a figure
    a dozen works have (a scale and a cadence, a jig's turn) is no tune's."""
    figure = TUNE[8:26]  # bars 2-3 and two notes more
    rng = np.random.default_rng(7)
    common = [
        eighths(walk(rng, 16, 60) + [p - 2 for p in figure] + walk(rng, 16, 60), f"common-{i}") for i in range(12)
    ]
    pieces = [eighths(walk(rng, 64, 60), f"walk-{i}") for i in range(20)] + common + [eighths(TUNE, "source")]
    idx = SimilarityIndex.build(pieces)
    assert ecg.works_carrying(idx, np.diff(TUNE[8:24])) >= 13
    doc = next(i for i, d in enumerate(idx.docs) if d["work_id"] == "common-3")
    named = Match(doc=doc, work=idx.docs[doc], score=20.0, work_notes=(16, 34))
    info = {"source": "source", "from_bar": 2, "bars": 2}
    got = ecg.judge_named(idx, eighths(TUNE, "source"), info, [named])
    assert got["right_passage"] is False and got["passage_work"] == "common-3" and got["passage_carriers"] >= 13
    monkeypatch.setattr(ecg, "PASSAGE_MAX_WORKS", 20)
    assert ecg.judge_named(idx, eighths(TUNE, "source"), info, [named])["right_passage"] is True
