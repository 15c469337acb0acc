"""The similarity index's files: what `SimilarityIndex.save` writes and `SimilarityIndex.load`
reads. Split from index.py (session 40), which re-exports `FORMAT`, `FORMAT_VERSION` and `CORE_COLUMNS`.

Storage (never pickled): the .npz holds the merged melody pitches of every work (uint8), the bar
of each note (uint16), each note's span (uint16, 1/24 beats: the rhythm, read by a second pass that
is off, see `RHYTHM_GAIN`), offsets, the chord tokens, and the inverted index (`post_*`: every gram,
its occurrence count and document frequency, and per occurrence its work and position), so that
loading reads arrays instead of rebuilding them (~0.05 s instead of ~0.8 s for the shipped model's
training set; an .npz without `post_*` is still read, its lists rebuilt). The .json holds one
record per work (work id, title, source, license, style, and `first_bar`, the number its score
gives its first bar: 0 for a pickup, else 1, so that matches report bars as the score numbers
them; `composers` and `rights_basis` where the source says) and the build and calibration details.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from tunesmith.paths import atomic_write_bytes, atomic_write_text

FORMAT = "tunesmith-similarity-index"
FORMAT_VERSION = 1
CORE_COLUMNS = ("work_id", "piece_id", "title", "source", "license", "style", "split", "first_bar")  # every work's


def write_index(index: Any, path: str | os.PathLike) -> tuple[Path, Path]:
    """Write PATH.npz (arrays) and PATH.json (works, build info, calibration) of `index` (a
    `SimilarityIndex`); returns both."""
    stem = Path(os.fspath(path))
    if stem.suffix in (".npz", ".json"):
        stem = stem.with_suffix("")
    stem.parent.mkdir(parents=True, exist_ok=True)
    npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
    bar_steps = np.diff(index.bars.astype(np.int32), prepend=0).astype(np.int16)  # compresses well
    doc_dtype = np.uint16 if len(index.docs) <= 1 << 16 else np.int32
    post = {  # the inverted lists, so that loading does not rebuild them (stored, not pickled)
        "post_vocab": index._vocab, "post_count": index._count.astype(np.int32), "post_df": index._df.astype(np.int32),
        "post_docs": index._post_docs.astype(doc_dtype), "post_pos": index._post_pos.astype(np.uint16),
    }  # fmt: skip
    buffer = io.BytesIO()  # written whole, then moved into place: no half index on disk
    rhythm = {"spans": index.spans} if index.spans is not None else {}
    np.savez_compressed(buffer, pitches=index.pitches, bar_steps=bar_steps, offsets=index.offsets.astype(np.int32),
                        chords=index.chords, chord_offsets=index.chord_offsets.astype(np.int32), **rhythm, **post)  # fmt: skip
    atomic_write_bytes(npz, buffer.getvalue())
    columns = {
        k: [d.get(k) for d in index.docs]
        for k in CORE_COLUMNS
    }
    for k in ("composers", "rights_basis"):  # where a source knows them (OpenEWLD)
        if any(d.get(k) for d in index.docs):
            columns[k] = [d.get(k) for d in index.docs]
    record = {**index.info, "format": FORMAT, "version": FORMAT_VERSION, "n_works": len(index.docs),
              "n_notes": int(len(index.pitches)), "works": columns}  # fmt: skip
    atomic_write_text(js, json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
    return npz, js


def _check_sizes(npz: Path, js: Path) -> None:
    """An index's files before they are read (a model folder's index is read by `compose --model`,
    whose folder may come from anyone): the .json's size and the .npz's members unpacked, in all,
    within MAX_MODEL_BYTES, and each array no larger than its member holds. A 4.5 MB .npz
    unpacking to 3 GB of zeros had held compose for 34 s and 3.2 GB before its shape was refused,
    and an array header declaring 10**12 floats had failed as "MemoryError: Unable to allocate
    7.28 TiB", naming no file. ValueError saying which."""
    import math
    import zipfile

    from tunesmith.limits import _fmt, limit

    cap = limit("MAX_MODEL_BYTES")
    if js.stat().st_size > cap:
        raise ValueError(f"{js.name} is {js.stat().st_size:,} bytes, over the limit of {_fmt(cap)}")
    with zipfile.ZipFile(npz) as z:
        infos = z.infolist()
        total = sum(info.file_size for info in infos)
        if total > cap:
            raise ValueError(f"its arrays unpack to {total:,} bytes, over the limit of {_fmt(cap)}")
        for info in infos:
            with z.open(info) as f:
                version = np.lib.format.read_magic(f)
                if version not in ((1, 0), (2, 0)):
                    raise ValueError(f"{info.filename}: an array file of version {version}")
                read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
                shape, _, dtype = read(f)
            if dtype.hasobject:
                raise ValueError(f"{info.filename} holds Python objects, which are never read")
            declared = math.prod(shape) * dtype.itemsize
            if declared > info.file_size:
                raise ValueError(f"{info.filename} declares {declared:,} bytes of array but holds {info.file_size:,}")


def read_index(cls: Any, path: str | os.PathLike) -> Any:
    """The index (a `cls`: `SimilarityIndex`) that `write_index` wrote at PATH (.npz, .json or the
    stem); FileNotFoundError where either file is missing, ValueError naming a damaged one."""
    stem = Path(os.fspath(path))
    if stem.suffix in (".npz", ".json"):
        stem = stem.with_suffix("")
    npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
    if not npz.is_file() or not js.is_file():
        raise FileNotFoundError(f"{npz.name}: no similarity index there (needs {npz.name} and {js.name})")
    try:
        _check_sizes(npz, js)
        record = json.loads(js.read_text(encoding="utf-8"))
        if record.get("format") != FORMAT:
            raise ValueError("not a tunesmith similarity index")
        with np.load(npz, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - EOFError, BadZipFile, zlib.error ... of a damaged file
        raise ValueError(f"{npz.name}: unreadable similarity index ({type(exc).__name__}: {exc})") from None
    try:
        cols = record.pop("works")
        n = len(cols["work_id"])
        docs = [{k: cols[k][i] for k in cols if k in CORE_COLUMNS or cols[k][i]} for i in range(n)]
        if any(d.get("first_bar") not in (None, 0, 1) for d in docs):
            raise TypeError("a work's first_bar is neither 0 nor 1")
        bars = np.cumsum(arrays["bar_steps"].astype(np.int32)).astype(np.uint16)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"{js.name}: unreadable similarity index ({type(exc).__name__}: {exc})") from None
    spans = arrays.get("spans")
    if spans is not None and (spans.shape != arrays["pitches"].shape or spans.dtype != np.uint16):
        raise ValueError(f"{npz.name}: unreadable similarity index (its spans do not match its notes)")
    post = {k[5:]: v for k, v in arrays.items() if k.startswith("post_")}
    if set(post) != {"vocab", "count", "df", "docs", "pos"}:
        post = None  # an index saved without its inverted lists: rebuilt from the pitches
    return cls(
        pitches=arrays["pitches"], bars=bars, offsets=arrays["offsets"].astype(np.int64),
        chords=arrays["chords"], chord_offsets=arrays["chord_offsets"].astype(np.int64), docs=docs, info=record,
        postings=post, spans=spans,
    )  # fmt: skip
