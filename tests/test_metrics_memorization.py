"""Memorization index: longest transposition-invariant run with rhythm found in training pieces."""

import time

import numpy as np
import pytest

from tunesmith.metrics import memorization as mem
from tunesmith.score import Note, Piece, Track


def piece(pitches, work_id, ioi=1.0, pid=None):
    notes = [Note(p, i * ioi, ioi) for i, p in enumerate(pitches)]
    return Piece(piece_id=pid or work_id, work_id=work_id, tracks=[Track("melody", "melody", notes=notes)])


SCALE = [60, 62, 64, 65, 67, 69, 71, 72]


def test_tokens():
    tokens = mem.piece_tokens(piece([60, 62, 59], "w", ioi=0.5))
    span = mem.MAX_IOI_TICKS + 1
    assert list(tokens) == [(2 + 128) * span + 24, (-3 + 128) * span + 24]


def test_suffix_array_matches_naive():
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 50, 200):
        s = rng.integers(0, 3, n).astype(np.int64)
        naive = sorted(range(n), key=lambda i: list(s[i:]))
        assert list(mem._suffix_array(s)) == naive


def test_transposed_run_found():
    index = mem.MemorizationIndex.build([piece(SCALE, "A"), piece([60, 60, 67, 67, 69, 69, 67], "B")])
    # 70 72 74 75 77 share the intervals +2 +2 +1 +2 (and the IOIs) with C D E F G: 5 notes
    assert mem.longest_common_run(piece([70, 72, 74, 75, 77, 60], "q"), index) == (5, ["A"])
    # the whole scale, transposed
    assert mem.longest_common_run(piece([p + 5 for p in SCALE], "q"), index) == (8, ["A"])


def test_rhythm_must_match():
    index = mem.MemorizationIndex.build([piece(SCALE, "A")])
    assert mem.longest_common_run(piece(SCALE, "q", ioi=0.5), index) == (0, [])
    # one changed IOI in the middle splits the run: notes 0-3 (4 notes) and 3-7 (5 notes)
    notes = [Note(p, o, 1) for p, o in zip(SCALE, [0, 1, 2, 3, 4.5, 5.5, 6.5, 7.5])]
    query = Piece("q", "q", tracks=[Track("melody", "melody", notes=notes)])
    assert mem.longest_common_run(query, index) == (4, ["A"])


def test_all_works_with_the_longest_run_and_no_cross_piece_match():
    index = mem.MemorizationIndex.build(
        [piece([60, 62, 64, 65], "A"), piece([50, 52, 54, 55, 40], "B"), piece([65, 67], "C"), piece([60, 62], "D")]
    )
    assert mem.longest_common_run(piece([70, 72, 74, 75], "q"), index) == (4, ["A", "B"])
    # "A" ends and "C" begins with a matching interval, but a run cannot span two pieces
    assert mem.longest_common_run(piece([60, 62, 64, 65, 67, 69], "q"), index)[0] == 4


def test_matches_brute_force_longest_common_substring():
    rng = np.random.default_rng(3)
    corpus = [rng.integers(0, 4, rng.integers(1, 30)).astype(np.int64) for _ in range(40)]
    index = mem.MemorizationIndex.from_token_sequences((f"w{i}", t) for i, t in enumerate(corpus))
    for _ in range(30):
        query = rng.integers(0, 4, 25).astype(np.int64)
        best, works = 0, set()
        for i, seq in enumerate(corpus):
            for a in range(len(query)):
                for b in range(len(seq)):
                    k = 0
                    while a + k < len(query) and b + k < len(seq) and query[a + k] == seq[b + k]:
                        k += 1
                    if k > best:
                        best, works = k, {f"w{i}"}
                    elif k == best and k > 0:
                        works.add(f"w{i}")
        expected = (best + 1, sorted(works)) if best else (0, [])
        assert mem.longest_common_run(query, index) == expected


def test_report_shares_and_save_load(tmp_path):
    index = mem.MemorizationIndex.build([piece(SCALE + SCALE[::-1], "A")])
    generated = [piece([p + 2 for p in SCALE + SCALE[::-1]], "g1"), piece(SCALE[:3], "g2"), piece([60, 66, 60], "g3")]
    report = mem.memorization_report(generated, index)
    assert [r["longest_run"] for r in report["pieces"]] == [16, 3, 0]
    assert report["share_ge_8"] == pytest.approx(1 / 3)
    assert report["share_ge_16"] == pytest.approx(1 / 3)
    path = tmp_path / "index.npz"
    index.save(str(path))
    loaded = mem.MemorizationIndex.load(str(path))
    assert loaded.work_ids == ["A"]
    assert mem.longest_common_run(generated[0], loaded) == (16, ["A"])


def test_builds_and_queries_a_large_index_quickly():
    rng = np.random.default_rng(7)
    seqs = [(f"w{i}", rng.integers(0, 40, 100).astype(np.int64)) for i in range(3000)]  # 300k tokens
    t0 = time.perf_counter()
    index = mem.MemorizationIndex.from_token_sequences(seqs)
    planted = seqs[1234][1][10:30]
    query = np.concatenate([rng.integers(100, 140, 50), planted, rng.integers(100, 140, 50)]).astype(np.int64)
    assert mem.longest_common_run(query, index) == (21, ["w1234"])
    assert time.perf_counter() - t0 < 15
