"""Two verbatim 4-bar quotations of one training work (its first bars, and 4 bars of its second
half that are not the same notes), moved to the host's register and set into a held-out test tune
at its second bar and three quarters of the way through. Does `check` (the shipped model index)
name the source and report both passages? And with the first quotation marked as the musician's
own notes, is the second still found (with and without the retrieval's given mask)?

    python docs/notes/2026-12-03-session-30/two_quotes.py [N]
"""
import sys

import numpy as np

sys.path.insert(0, "scripts")
from evaluate_copy_guard import _line  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.rights import index as I  # noqa: E402
from tunesmith.rights.check import check_piece, default_index_path  # noqa: E402
from tunesmith.score import Note, Piece, Track  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
rng = np.random.default_rng(0)
index = I.SimilarityIndex.load(default_index_path("model"))
corpus = load_corpus(None)
indexed = {d["work_id"] for d in index.docs}
sources = [p for p in corpus.filter(split="train", shippable=True, style="folk") if p.work_id in indexed and len(p.bars()) >= 16]
hosts = [p for p in corpus.filter(split="test", style="folk") if len(p.bars()) >= 12]
rng.shuffle(sources)


def excerpt(src, b):
    on = src.bars()
    lo, hi = on[b], on[b + 4]
    return [n for n in _line(src) if lo - 1e-6 <= n.onset < hi - 1e-6], hi - lo


def build(src, host):
    nb = len(src.bars())
    a, la = excerpt(src, 1)
    b, lb = excerpt(src, nb // 2 + 1 if nb // 2 + 5 <= nb else nb - 4)
    pa, pb = [n.pitch for n in a], [n.pitch for n in b]
    if len(a) < 6 or len(b) < 6 or np.diff(pa).tolist() == np.diff(pb).tolist():
        return None
    hline, hb = _line(host), host.bars()
    cut1, cut2 = hb[1], hb[(3 * len(hb)) // 4]
    shift = int(round(np.mean([n.pitch for n in hline]) - np.mean(pa + pb)))
    spans = {}
    def put(seq, start):
        return [Note(n.pitch + shift, start + (n.onset - seq[0].onset), n.duration) for n in seq]
    notes = [n for n in hline if n.onset < cut1 - 1e-6]
    notes += put(a, cut1)
    spans["a"] = (cut1, cut1 + la)
    notes += [Note(n.pitch, n.onset + la, n.duration) for n in hline if cut1 - 1e-6 <= n.onset < cut2 - 1e-6]
    notes += put(b, cut2 + la)
    spans["b"] = (cut2 + la, cut2 + la + lb)
    notes += [Note(n.pitch, n.onset + la + lb, n.duration) for n in hline if n.onset >= cut2 - 1e-6]
    piece = Piece(piece_id="q", work_id="q", style="folk", tracks=[Track("melody", "melody", notes=notes)],
                  time_signatures=list(host.time_signatures)[:1], keys=list(host.keys)[:1])
    return piece, spans


def covered(piece, bars, span):
    """Whether the reported bars (as check numbers them) overlap the planted span (beats)."""
    on = piece.bars()
    first = 0 if piece.pickup_beats() > 0 else 1
    lo, hi = on[bars[0] - first], (on[bars[1] - first + 1] if bars[1] - first + 1 < len(on) else piece.duration())
    return lo < span[1] - 1e-6 and hi > span[0] + 1e-6


orig = I.SimilarityIndex.candidates
times = []
counts = dict(n=0, named=0, both=0, given_old=0, given_new=0)
for src in sources:
    if counts["n"] >= N:
        break
    host = hosts[int(rng.integers(len(hosts)))]
    built = build(src, host)
    if built is None:
        continue
    piece, spans = built
    counts["n"] += 1
    r = check_piece(piece, index)
    times.append(r.seconds)
    m = next((m for m in r.matches if m.work["work_id"] == src.work_id), None)
    if m is not None and m.score >= r.calibration["close"]:
        counts["named"] += 1
        found = [m.query_bars] + [p.query_bars for p in m.more_passages]
        if all(any(covered(piece, f, spans[k]) for f in found) for k in "ab"):
            counts["both"] += 1
    given = {(n.pitch, round(n.onset * 12) / 12) for n in piece.melody().notes if spans["a"][0] - 1e-6 <= n.onset < spans["a"][1] - 1e-6}
    for label, cand in (("given_old", lambda self, q, k=16, ex=None, g=None: orig(self, q, k, ex)), ("given_new", orig)):
        I.SimilarityIndex.candidates = cand
        rg = check_piece(piece, index, given=given)
        I.SimilarityIndex.candidates = orig
        mg = next((m for m in rg.matches if m.work["work_id"] == src.work_id), None)
        if mg is not None and mg.score >= rg.calibration["close"] and covered(piece, mg.query_bars, spans["b"]):
            counts[label] += 1
    if counts["n"] % 20 == 0:
        print(counts, flush=True)
print(counts)
n = counts["n"]
print(f"pairs {n}: source named (close or copy) {counts['named'] / n:.2f}; both passages reported {counts['both'] / n:.2f} "
      f"(of named {counts['both'] / max(1, counts['named']):.2f}); first quote the musician's, second found: "
      f"retrieval unmasked {counts['given_old'] / n:.2f}, masked {counts['given_new'] / n:.2f}; "
      f"check (two passages) median {1000 * np.median(times):.1f} ms, max {1000 * max(times):.1f} ms")
