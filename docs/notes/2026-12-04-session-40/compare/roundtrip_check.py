"""Corpus pieces of the test split written out as files and compared again without --style: are
their features from the file the corpus' own, and is the style guessed (and used) right?
Run: .venv/bin/python THIS_FILE"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import tunesmith
from tunesmith.analysis import FEATURE_NAMES, compare, corpus_features
from tunesmith.corpus.store import load_corpus
from tunesmith.outputs import write_midi, write_musicxml

OUT = Path(__file__).resolve().parents[4] / "runs" / "s40" / "compare" / "roundtrip"
OUT.mkdir(parents=True, exist_ok=True)
corpus = load_corpus().filter(split="test")
table = corpus_features()
row = {p: i for i, p in enumerate(table.labels["piece_id"])}
files, ids = [], []
for source in ("jsb", "nottingham", "pop909", "chord-melody", "essen"):
    view = corpus.filter(source=source)
    for k in (0, 1):
        piece = view[k]
        path = OUT / f"{source}-{k}.musicxml"
        write_musicxml(piece, path)
        try:
            tunesmith.read(path)
        except ValueError as exc:  # (pop909's MusicXML: <divisions> 1441440, refused by the reader)
            print(f"  {exc}; written as MIDI instead")
            path = path.with_suffix(".mid")
            write_midi(piece, path)
        files.append(path)
        ids.append(piece.piece_id)
report = compare(files, table=table)
for path, pid, song in zip(files, ids, report["songs"]):
    x = np.array([np.nan if f["value"] is None else f["value"] for f in song["features"]]) if song["features"] else None
    ref = table.X[row[pid]]
    same = "-" if x is None else f"{int(np.sum(np.isclose(x, ref, equal_nan=True)))}/{len(FEATURE_NAMES)} features equal"
    g = song["guess"] or {}
    print(f"{path.name}: true {table.labels['style'][row[pid]]}; guessed {g.get('style')} (votes {g.get('votes')},"
          f" used: {g.get('reliable')}); {same}")
