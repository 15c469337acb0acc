"""Held-out pieces that `check` (the shipped model index) calls close or copy: which training
work they meet, by title, and how much of them. Are they variants of the same tune (a family the
split by work did not keep together) or borrowings between tunes? Session 32.
    python docs/notes/2026-12-03-session-32/heldout_copies.py [N]"""
import sys

sys.path.insert(0, "scripts")
from bench_check import timed_pieces  # noqa: E402

from tunesmith.rights import index as I  # noqa: E402
from tunesmith.rights.check import check_piece, default_index_path  # noqa: E402

index = I.SimilarityIndex.load(default_index_path("model"))
pieces = timed_pieces(index, int(sys.argv[1]) if len(sys.argv) > 1 else 200)
for p in pieces:
    r = check_piece(p, index)
    if r.verdict == "clear":
        continue
    m = r.matches[0]
    print(f"{r.verdict:5s} {m.score:6.1f} | {p.style:5s} {p.title or p.piece_id!s:40.40s} | {m.work.get('title', m.work['work_id'])!s:40.40s}"
          f" | bars {m.query_bars} ~ {m.work_bars} matched {m.matched_notes}")
