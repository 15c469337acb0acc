"""Unseen tunes whose title is a training tune's (`corpus.dedupe.title_key`), and how many of them
are the same tune in another version by the corpus's own family rule for a shared title (>= 30 %
of the smaller set of melody interval 6-grams shared, >= 4 of them: `dedupe.FAMILY_TITLE_SHARE`).

    python docs/notes/2026-12-04-session-41/unseen/titles.py
"""

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[4] / "scripts"))
import evaluate_musicality as em  # noqa: E402
from per_piece import M21  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.corpus.dedupe import FAMILY_TITLE_MIN_SHARED, FAMILY_TITLE_SHARE, title_key  # noqa: E402
from tunesmith.corpus.fingerprint import melody_grams  # noqa: E402
from tunesmith.corpus.records import piece_to_record  # noqa: E402
from tunesmith.inference import load_numpy_model  # noqa: E402
from tunesmith.pretrained import DEFAULT_MODEL_DIR  # noqa: E402


def grams(p):
    return set(melody_grams(*piece_to_record(p)))


_, _, info = load_numpy_model(DEFAULT_MODEL_DIR)
training = em.training_pieces(load_corpus(None), "folk", info["train_config"])
by_title = defaultdict(list)
for p in training:
    if len(title_key(p.title or "")) >= 4:
        by_title[title_key(p.title)].append(p)
pieces, record = em.read_real("folk", [str(M21 / "oneills1850"), str(M21 / "ryansMammoth")], training)
same, versions, examples = 0, 0, []
for p in pieces:
    key = title_key(p.title or "")
    if len(key) < 4 or key not in by_title:
        continue
    same += 1
    g = grams(p)
    best = max(((len(g & grams(t)), i) for i, t in enumerate(by_title[key])), default=(0, 0))
    k, t = best[0], by_title[key][best[1]]
    others = [grams(x) for x in by_title[key]]
    if g and any(len(g & o) >= max(FAMILY_TITLE_MIN_SHARED, FAMILY_TITLE_SHARE * min(len(g), len(o))) for o in others):
        versions += 1
        examples.append(f"{p.title} ~ {t.title} ({t.source})")
print(f"{len(pieces)} unseen tunes kept; {same} share a training tune's title; {versions} of them are versions of it "
      f"by the family rule; verbatim copies left out: {record['training_copies']}")
print("examples:", "; ".join(examples[:12]))
