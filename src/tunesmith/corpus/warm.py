"""Imported once in the forkserver process, before any worker is forked from it.

It imports what the readers need (music21 takes about 2 s) and fills their lookup tables,
so every worker, and every worker started to replace one, begins with them already in
memory (shared copy-on-write) instead of paying for them again. Nothing here is required:
whatever fails to import is simply left for the worker to do.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil

with contextlib.suppress(Exception):
    import music21.converter  # noqa: F401

with contextlib.suppress(Exception):
    import tunesmith.inputs as _inputs

    for _info in pkgutil.iter_modules(_inputs.__path__):
        with contextlib.suppress(Exception):
            importlib.import_module(f"tunesmith.inputs.{_info.name}")

with contextlib.suppress(Exception):
    from tunesmith.inputs.music21_corpus import chorale_info

    chorale_info("bwv1.6.mxl")  # builds the BWV / Riemenschneider tables once
