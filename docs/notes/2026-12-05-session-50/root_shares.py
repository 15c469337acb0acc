"""Pop harmony by chord-root degree (share of chord time, major keys): the composer's own chords
(`chords_from="model"`) against the shipped default (the harmonizer's, drawn, with the composer's
kept in cadence bars), beside Billboard's songs (CC0, training split) and the valid split's
lead-sheet melodies' own chords.

    python docs/notes/2026-12-05-session-50/root_shares.py --n 60 [--style pop] [--bars 32] [--real]

Each take row is given with the style's root offsets (`sampling.set_root_offsets`) and without.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NOTES = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(NOTES / "2026-12-05-session-49"))
from pop_degrees import show  # noqa: E402

KEYS = ("C", "F", "Bb", "Eb", "G", "D")


def takes(n: int, chords_from: str | None, style: str = "pop", model: str = "default", bars: int | None = None,
          offsets: bool = True) -> list:
    """`n` takes of `style`, keys in turn, seed = take number; `offsets` False: the style's
    root offsets (`sampling.set_root_offsets`) taken out of the loaded model's decoding."""
    import tunesmith

    loaded = tunesmith.load_model(model)
    decoding = loaded.model.decoding.get(style, {})
    kept = decoding.pop("root_offsets", None) if not offsets else None
    length = {} if bars is None else {"bars": bars}
    try:
        return [tunesmith.compose(style=style, key=KEYS[s % len(KEYS)], seed=s, model=loaded, check=False,
                                  chords_from=chords_from, **length).piece for s in range(n)]  # fmt: skip
    finally:
        if kept is not None:
            decoding["root_offsets"] = kept


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--model", default="default")
    ap.add_argument("--style", default="pop")
    ap.add_argument("--bars", type=int, default=None, help="the takes' length (default: the style's)")
    ap.add_argument("--real", action="store_true", help="also the corpus rows")
    a = ap.parse_args()
    if a.real:
        from tunesmith.corpus import load_corpus

        corpus = load_corpus(None)
        pieces = [p for p in corpus.filter(split="train", style=a.style) if p.chords]
        for source in sorted({p.source for p in pieces}):
            show(f"{source} train", [p for p in pieces if p.source == source])
        show("valid (all sources)", [p for p in corpus.filter(split="valid", style=a.style) if p.chords])
    for offsets in (False, True):
        on = "offsets on" if offsets else "offsets off"
        show(f"composer's chords, {on}", takes(a.n, "model", a.style, a.model, a.bars, offsets))
        show(f"as shipped, {on}", takes(a.n, None, a.style, a.model, a.bars, offsets))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
