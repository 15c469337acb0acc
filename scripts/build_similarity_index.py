"""Build the similarity index the copy guard and `tunesmith check` use.

    python scripts/build_similarity_index.py                       # the shipped model's training set
    python scripts/build_similarity_index.py --against corpus      # every work of the corpus cache
    python scripts/build_similarity_index.py --out DIR/similarity_index

`--against model` (the default) indexes the train split's pieces whose license may ship (what
the default model is trained on: `shippable_only` in configs/default.toml) and writes
src/tunesmith/models/default/similarity_index.npz + .json; rerun it after a new default model
lands (then `scripts/evaluate_copy_guard.py --write-calibration` to recalibrate). `--against
corpus` indexes every split and writes the cache beside the corpus ($TUNESMITH_HOME/similarity).
Keeps the calibration already written in the JSON unless `--drop-calibration`.

    python scripts/build_similarity_index.py --relabel             # the works' rights as the corpus says now
    python scripts/build_similarity_index.py --reread              # the same works, their melodies read again

`--relabel` keeps the index's works and fingerprints (those a model learned from, whatever their
license says today) and rewrites each work's license, rights basis and composers from the corpus
as built now: after a rights rule changed (Nottingham's compositions in copyright, session 27),
`check` and every take's attribution say what the work's license is now.

`--reread` keeps the index's works (the same work ids, in the same order: those the model learned
from) and their info and calibration, and reads each one's melody again from the corpus as built
now, as `rights.features.melody_of` reads it now: after a change to that reading (session 38: a
chord as played, its notes a few milliseconds apart, is one onset) the index reads its works as
`check` reads a query. It prints how many works' melodies changed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from tunesmith.rights.check import build_index, default_index_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", choices=("model", "corpus"), default="model")
    parser.add_argument("--corpus", default=None, help="corpus cache folder (default: $TUNESMITH_HOME/corpus)")
    parser.add_argument("--out", default=None, help="output stem (default: beside the model, or the corpus cache)")
    parser.add_argument("--drop-calibration", action="store_true")
    parser.add_argument("--relabel", action="store_true", help="keep the works; update their rights from the corpus")
    parser.add_argument("--reread", action="store_true",
                        help="keep the works; read their melodies again from the corpus, as check reads a piece now")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else default_index_path(args.against)
    if args.relabel:
        return relabel(out, args.corpus)
    if args.reread:
        return reread(out, args.corpus)
    calibration = None
    old = out.with_suffix(".json")
    if old.is_file() and not args.drop_calibration:
        calibration = json.loads(old.read_text(encoding="utf-8")).get("calibration")
    t0 = time.perf_counter()
    index = build_index(args.against, corpus=args.corpus)
    if calibration:
        index.info["calibration"] = calibration
    npz, js = index.save(out)
    print(f"indexed {len(index)} works ({len(index.pitches)} notes) in {time.perf_counter() - t0:.1f} s")
    print(f"wrote {npz} ({npz.stat().st_size / 1e6:.2f} MB) and {js} ({js.stat().st_size / 1e6:.2f} MB)")
    return 0


def reread(stem: Path, corpus_dir: str | None) -> int:
    """Index again the works of the index at `stem`, read from the corpus as built now (the same
    works in the same order, the index's info and calibration kept); print how many melodies
    changed. Refused when a work is no longer in the corpus."""
    import numpy as np

    from tunesmith.corpus import load_corpus
    from tunesmith.rights.index import SimilarityIndex

    old = SimilarityIndex.load(stem)
    corpus = load_corpus(corpus_dir, include_dropped=True)
    by_id = {p.piece_id: p for p in corpus}
    missing = [d["piece_id"] for d in old.docs if d["piece_id"] not in by_id]
    if missing:
        raise SystemExit(f"{stem}: {len(missing)} of its works are not in the corpus now (e.g. {missing[0]}); "
                         "rebuild it from the model's training set instead")  # fmt: skip
    index = SimilarityIndex.build([by_id[d["piece_id"]] for d in old.docs], info=dict(old.info))
    if [d["piece_id"] for d in index.docs] != [d["piece_id"] for d in old.docs]:
        raise SystemExit(f"{stem}: a work read again has too few notes to index; nothing written")
    changed = sum(not np.array_equal(old.doc_intervals(i), index.doc_intervals(i)) for i in range(len(old.docs)))
    for new_doc, old_doc in zip(index.docs, old.docs):  # the works' records as the index had them
        new_doc.clear()
        new_doc.update(old_doc)
    npz, js = index.save(stem)
    print(f"read {len(index)} works again: {changed} melodies changed; wrote {npz} and {js}")
    return 0


def relabel(stem: Path, corpus_dir: str | None) -> int:
    """Rewrite the license, rights basis, composers and title of every work of the index at `stem`
    from the corpus as built now; print what changed."""
    from collections import Counter

    from tunesmith.corpus import load_corpus
    from tunesmith.rights.index import SimilarityIndex

    index = SimilarityIndex.load(stem)
    corpus = load_corpus(corpus_dir, include_dropped=True)
    sources = {d["source"] for d in index.docs}
    now = {p.piece_id: p for p in corpus if p.source in sources}
    changed: Counter = Counter()
    for doc in index.docs:
        piece = now.get(doc["piece_id"])
        if piece is None:
            continue
        if doc.get("license") != piece.license:
            changed[f"{doc['source']}: {doc.get('license')} -> {piece.license}"] += 1
        doc["license"] = piece.license
        if piece.title and doc.get("title") != piece.title:  # (a chorale named from music21's list)
            changed["titles"] += 1
            doc["title"] = piece.title
        for key in ("composers", "rights_basis"):
            if piece.meta.get(key):
                doc[key] = piece.meta[key]
            else:
                doc.pop(key, None)
    index.save(stem)
    for what, n in sorted(changed.items()):
        if what != "titles":
            print(f"{n} works {what}")
    licenses = sum(n for what, n in changed.items() if what != "titles")
    print(f"relabelled {len(index.docs)} works of {stem}.json from the corpus ({licenses} licenses, {changed['titles']} titles changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
