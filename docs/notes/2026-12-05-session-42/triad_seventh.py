"""A melody note a semitone under the root of a plain major or minor triad (its major seventh: F#
over G, B over C, D# over Em), struck on the beat, in takes composed over real tunes' chords and in
the tunes: the share of on-beat notes.

    python docs/notes/2026-12-05-session-42/triad_seventh.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sharp_eleven import main  # noqa: E402


def is_triad_seventh(pc: int, root: int, quality: str) -> bool:
    """A semitone under the root of a plain major or minor triad."""
    return quality in ("", "m") and pc == (root - 1) % 12


if __name__ == "__main__":
    main(is_triad_seventh, "major 7th of a triad")
