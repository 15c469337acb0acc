"""What a build worker does with one item: read it, name its pieces, turn them into records.

Runs in the worker processes of tunesmith.corpus.build. Changing this file (or the readers,
records.py, fingerprint.py, score.py) invalidates the incremental-build cache.
"""

from __future__ import annotations

import importlib
import time
import warnings
from pathlib import Path
from typing import Any

from tunesmith.corpus.fingerprint import fingerprints
from tunesmith.corpus.records import piece_to_record
from tunesmith.corpus.rights import refine_rights
from tunesmith.corpus.sources import reader_ref
from tunesmith.limits import check_piece
from tunesmith.performance import as_written


def _strip_path(message: str, path: str) -> str:
    for prefix in (f"{path}: ", f"{Path(path).name}: "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _tune_problem(message: str, path: str) -> str:
    """'<path>#3 (X:4): problem' (a skipped tune of a multi-tune file) -> 'tune 4 (X:4): problem'."""
    for prefix in (f"{path}#", f"{Path(path).name}#"):
        if message.startswith(prefix):
            index, _, rest = message[len(prefix) :].partition(" ")
            return f"tune {int(index) + 1} {rest}" if index.isdigit() else message[len(prefix) :]
    return _strip_path(message, path)


def bach_work_id(meta: dict[str, Any]) -> str | None:
    r = meta.get("riemenschneider")
    if r not in (None, ""):
        r = str(r).strip()
        return f"bach:R{int(r) if r.isdigit() else r}"
    bwv = meta.get("bwv")
    if bwv not in (None, ""):
        b = str(bwv).strip().lower().removeprefix("bwv").strip()
        return f"bach:BWV{b}"
    return None


def parse_item(task: dict[str, Any]) -> dict[str, Any]:
    """Read one item with its source's reader (runs in a worker process).

    Returns {"records": [(record, notes)], "problems": [message], "seconds": float}."""
    t0, c0 = time.perf_counter(), time.process_time()
    module_name, func_name = reader_ref(task["reader"])
    reader = getattr(importlib.import_module(module_name), func_name)
    path = task["path"]
    problems: list[str] = []
    try:
        with warnings.catch_warnings():  # skipped tunes come back in meta["skipped_tunes"], reported below
            warnings.filterwarnings("ignore", message="skipped ABC tune")
            pieces = reader(path, source=task["source"], style=task["style"], license=task["license"])
    except MemoryError:
        raise  # the pool reports it for this file and retires the worker (its state may be broken)
    except Exception as exc:  # noqa: BLE001 - reported as this file's problem
        if isinstance(exc, ValueError):
            message = str(exc)
        else:
            message = f"{type(exc).__name__}: {exc}"
        return {"records": [], "problems": [_strip_path(message, path) or type(exc).__name__],
                "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}
    for piece in pieces:  # every tune of a multi-tune file is kept or reported
        problems.extend(_tune_problem(str(m), path) for m in piece.meta.pop("skipped_tunes", None) or ())
    out = []
    many = len(pieces) > 1
    base = f"{task['source']}:{task['rel']}"
    for i, piece in enumerate(pieces):
        label = f"piece {i + 1}" + (f" ({piece.title})" if piece.title else "")
        try:
            jsb_index = piece.meta.get("jsb_index")
            if task.get("standard_split") and piece.split and jsb_index is not None:
                piece_id = f"{task['source']}:{piece.split}/{jsb_index}"
            else:
                piece_id = f"{base}#{i + 1}" if many else base
            piece.piece_id = piece_id
            piece.source, piece.style, piece.license, piece.path = task["source"], task["style"], task["license"], path
            refine_rights(task["source"], task["license"], piece, path, Path(task["root"]) if task.get("root") else None)
            if task.get("performed"):
                piece = as_written(piece)
            if task.get("modes_assumed") and piece.keys:
                from tunesmith.harmony import settle_relative_mode

                settle_relative_mode(piece)
            if task.get("keys_by_signature") and piece.keys:
                from tunesmith.harmony import settle_modal_final

                settle_modal_final(piece)
            raw_work_id = (
                (bach_work_id(piece.meta) if piece.style == "chorale" else None)
                # a reader that names works across files (billboard: artist + title) says so
                or (piece.work_id if piece.meta.get("stable_work_id") and piece.work_id else None)
                or piece_id
            )
            piece.work_id = raw_work_id
            if not task.get("standard_split"):
                piece.split = ""
            if piece.n_notes == 0 and not piece.chords:
                problems.append(f"{label}: no notes and no chords")
                continue
            piece.validate()
            check_piece(piece, path)  # tunesmith.limits: notes, bars, beats, seconds, note length
            record, notes = piece_to_record(piece)
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{label}: {_strip_path(str(exc), path)}")
            continue
        record["_"].update(
            file=task["key"],
            index=i,
            raw_work_id=raw_work_id,
            raw_split=piece.split,
            fp=fingerprints(record, notes),
        )
        out.append((record, notes))
    if not pieces:
        problems.append("no music found")
    return {"records": out, "problems": problems, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}
