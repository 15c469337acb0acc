"""A melody note a tritone above the root of a major chord that is not a dominant seventh (B over F,
F# over C: the sharp 11th), struck on the beat, in takes composed over real tunes' chords and in the
tunes: the share of on-beat notes.

    python docs/notes/2026-12-05-session-42/sharp_eleven.py STYLE SPLIT N [--shippable] [--set TABLE=VALUE]"""

from __future__ import annotations

import sys
from pathlib import Path

import tunesmith
from tunesmith.harmony import parse_chord
from tunesmith.tokenizer import spell_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-04-session-41"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nonchord_motion import apply_sets, beat_length  # noqa: E402
from real_chords import tunes_and_chords  # noqa: E402


def is_sharp_eleven(pc: int, root: int, quality: str) -> bool:
    """The tritone above the root of a major chord that is not a dominant seventh."""
    major = not quality.startswith("m") or quality.startswith("maj")
    dominant = quality in ("7", "9", "13") or quality.startswith(("7", "9", "13"))
    return major and not dominant and pc == (root + 6) % 12


def count(piece, end, hit):
    """(on-beat melody notes before `end` that `hit(pitch class, root, quality)` picks, on-beat notes)."""
    chords = sorted(piece.chords, key=lambda c: c.onset)
    beat = beat_length(piece)
    starts = piece.bars()
    hits = on_beat = 0
    for n in piece.melody().notes:
        if n.onset >= end:
            continue
        start = max(s for s in starts if s <= n.onset + 1e-6)
        if abs((n.onset - start) / beat - round((n.onset - start) / beat)) > 1e-6:
            continue
        now = [c for c in chords if c.onset <= n.onset + 1e-6]
        if not now:
            continue
        on_beat += 1
        root, quality, _ = parse_chord(now[-1].figure)
        hits += hit(n.pitch % 12, root, quality)
    return hits, on_beat


def main(hit=is_sharp_eleven, what: str = "sharp 11th"):
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    apply_sets(style, sys.argv[4:])
    model = tunesmith.load_model("default")
    real, got = [0, 0], [0, 0]
    jobs = tunes_and_chords(style, split, n, shippable="--shippable" in sys.argv)
    for i, (piece, figures, meter, bars, _scale) in enumerate(jobs):
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        real = [a + b for a, b in zip(real, count(piece, end, hit))]
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars, chords=figures,
                                 seed=i, model=model, check=False)
        got = [a + b for a, b in zip(got, count(take.piece, take.piece.duration(), hit))]
    for name, (hits, beats) in (("tunes", real), ("takes", got)):
        print(f"{style} {split} {name} ({len(jobs)}): {what} on the beat {hits}/{beats} = {hits / max(beats, 1):.4f}")


if __name__ == "__main__":
    main()
