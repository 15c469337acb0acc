"""tunesmith: learns music from libraries of scores and composes with musicians."""

from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

__version__ = "0.1.0"
__all__ = ["ChordSymbol", "KeySignature", "Note", "Piece", "Tempo", "TimeSignature", "Track", "__version__"]
