"""How often real music shares a short passage with the shipped model's training works, exactly
(intervals, so in any key; repeats merged, as the similarity index reads a melody): the human
baseline against which a 2-8-bar planted copy must stand out (issue #14).
For L = 2, 3, 4, 6, 8 bars:
- held-out: the share of held-out shippable pieces (SPLIT, not indexed, versions of a training tune
  set aside as `scripts/evaluate_copy_guard.py` sets them aside) with at least one passage
  of L whole bars, from a bar line, that some indexed work carries exactly;
- training excerpts: the share of L-bar passages of indexed works (one per work, from a random bar,
  as the plants are cut) that some OTHER indexed work carries exactly.
Session 37.
    python docs/notes/2026-12-04-session-37/borrowing_baseline.py [SPLIT] [SEED]"""
import json
import sys

import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.rights import features as F
from tunesmith.rights.check import default_index_path
from tunesmith.rights.index import SimilarityIndex

split = sys.argv[1] if len(sys.argv) > 1 else "test"
rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
index = SimilarityIndex.load(default_index_path("model"))
OFF = 300  # intervals as characters, one work per line


def text(iv) -> str:
    return "".join(chr(int(i) + OFF) for i in iv)


works = [text(index.doc_intervals(d)) for d in range(len(index))]
corpus_text = "\n".join(works)
indexed = {d["work_id"] for d in index.docs}
held = [p for p in load_corpus(None).filter(split=split, shippable=True) if p.work_id not in indexed]
held = [p for p in held if p.melody() is not None and len(p.melody().notes) >= 8]
# versions of a training tune (a title, most of its notes) set aside, as evaluate_copy_guard.py does
sys.path.insert(0, "scripts")
from evaluate_copy_guard import reference_scorer, version_reason  # noqa: E402

from tunesmith.rights.check import check_piece  # noqa: E402

with reference_scorer():
    held = [p for p in held if version_reason(p, check_piece(p, index), relatives=False) is None]


def passages(mel: F.Melody, bars: int) -> list[str]:
    """Each L-bar passage from a bar line, as interval text (at least 4 intervals)."""
    out = []
    for b in range(int(mel.bars.max()) - bars + 2 if len(mel) else 0):
        idx = np.flatnonzero((mel.bars >= b) & (mel.bars < b + bars))
        if len(idx) >= 5:
            out.append(text(np.diff(mel.pitches[idx].astype(int)).clip(-F.MAX_INTERVAL, F.MAX_INTERVAL)))
    return out


result = {"split": split, "held_out": len(held), "indexed": len(index)}
for bars in (2, 3, 4, 6, 8):
    shared = sum(any(s in corpus_text for s in passages(F.melody_of(p), bars)) for p in held)
    elsewhere = tried = 0
    for d in range(len(index)):
        mel = F.Melody(index.pitches[index.offsets[d]:index.offsets[d + 1]].astype(np.int16),
                       index.bars[index.offsets[d]:index.offsets[d + 1]].astype(np.int16), np.zeros(0), np.zeros(0, bool))
        cands = passages(mel, bars)
        if not cands:
            continue
        s = cands[int(rng.integers(len(cands)))]
        tried += 1
        elsewhere += corpus_text.count(s) > works[d].count(s)  # in another work too
    result[f"{bars}_bars"] = {"held_out_sharing": round(shared / len(held), 3),
                              "training_excerpt_elsewhere": round(elsewhere / max(1, tried), 3)}
    print(bars, result[f"{bars}_bars"], flush=True)
print(json.dumps(result))
