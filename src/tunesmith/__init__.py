"""tunesmith: learns music from libraries of scores and composes with musicians."""

from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

__version__ = "0.1.0"

# The public API (tunesmith.api), imported on first use so `import tunesmith` stays light.
_API = ("Model", "Take", "compose", "continue_", "harmonize", "inpaint", "load_model", "provenance", "read", "write_takes")
__all__ = ["ChordSymbol", "KeySignature", "Note", "Piece", "Tempo", "TimeSignature", "Track", "__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from tunesmith import api

        return getattr(api, name)
    raise AttributeError(f"module 'tunesmith' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
