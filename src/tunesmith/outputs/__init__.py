"""Writers: `write_midi(piece, path)` and `write_musicxml(piece, path)` (both atomic), plus the
other outputs in this package (audio, svg, bundle) that their own modules document."""

from __future__ import annotations

from typing import Any


def write_midi(piece: Any, path: Any, **kw: Any) -> Any:
    from .midi import write_midi as _write

    return _write(piece, path, **kw)


def write_musicxml(piece: Any, path: Any) -> Any:
    from .musicxml import write_musicxml as _write

    return _write(piece, path)


__all__ = ["write_midi", "write_musicxml"]
