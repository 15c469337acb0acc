"""The features extracted in chunks (extract.CHUNK) against the feature cache written before the
change (the old single-pass extraction): the same numbers, labels and n-grams?"""
import json
from pathlib import Path

import numpy as np

from tunesmith.analysis import extract
from tunesmith.corpus.store import load_corpus

folder = Path.home() / ".tunesmith/corpus/analysis"
old_npz = sorted(folder.glob("features-*.npz"))[0]
old = np.load(old_npz)
old_meta = json.loads(old_npz.with_suffix(".json").read_text())
new = extract.extract_features(load_corpus())
same_x = np.array_equal(old["X"], new.X, equal_nan=True)
print("key", old_npz.name, "X equal:", same_x, "labels equal:", old_meta["labels"] == {k: list(v) for k, v in new.labels.items()},
      "ngrams equal:", old_meta["ngrams"] == new.ngrams,
      "ng arrays equal:", all(np.array_equal(old[k], getattr(new, k)) for k in ("ng_piece", "ng_id", "ng_count")))
if not same_x:
    d = ~((old["X"] == new.X) | (np.isnan(old["X"]) & np.isnan(new.X)))
    print("differing cells", int(d.sum()), "columns", sorted({new.feature_names[j] for j in np.flatnonzero(d.any(0))}))
