"""Where melody notes start and end within the quarter note, in twelfths (tunesmith's ticks): the
share of notes that start or end on a twelfth that is on neither the sixteenth grid nor the
sixteenth-triplet grid (1, 5, 7 or 11 twelfths into a quarter: a 32nd-note triplet's), per style,
in the corpus's shippable training pieces (what the shipped model learned) and in composed takes
(seeds 0-59, 16 bars, 4/4 and 3/4; jazz also over a B-flat blues).

    python docs/notes/2026-12-06-session-52/twelfths.py [--takes]
"""

from __future__ import annotations

import argparse

ODD = {1, 5, 7, 11}


def odd_share(pieces) -> tuple[int, int, int]:
    """(notes, notes starting or ending on an odd twelfth, pieces with any)."""
    n = odd = with_any = 0
    for p in pieces:
        m = p.melody()
        if m is None:
            continue
        here = 0
        for note in m.notes:
            n += 1
            ticks = [round(x * 12) for x in (note.onset, note.onset + note.duration)]
            exact = all(abs(x * 12 - t) < 1e-3 for x, t in zip((note.onset, note.onset + note.duration), ticks))
            if not exact or any(t % 12 in ODD for t in ticks):
                here += 1
        odd += here
        with_any += here > 0
    return n, odd, with_any


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", action="store_true")
    a = ap.parse_args()
    from tunesmith.corpus import load_corpus
    from tunesmith.licenses import may_ship

    corpus = load_corpus(None)
    for style in ("folk", "pop", "jazz"):
        pieces = [p for p in corpus.filter(split="train", style=style) if may_ship(p.license)]
        n, odd, any_ = odd_share(pieces)
        print(f"training {style:5s} pieces {len(pieces):5d} notes {n:7d} on an odd twelfth {odd / max(n, 1):.5f} pieces with any {any_}")
    if a.takes:
        import tunesmith as ts

        model = ts.load_model("default")
        blues = "Bb7 | Eb7 | Bb7 | Bb7 | Eb7 | Eb7 | Bb7 | G7 | Cm7 | F7 | Bb7 G7 | Cm7 F7"
        for style, kw in (("folk", {}), ("pop", {}), ("jazz", {}), ("jazz", {"meter": "3/4"}), ("jazz", {"chords": blues})):
            takes = [ts.compose(style, bars=kw.get("chords") and 12 or 16, seed=s, model=model, check=False, **kw).piece
                     for s in range(60)]  # fmt: skip
            n, odd, any_ = odd_share(takes)
            print(f"takes    {style:5s} {str(kw)[:20]:20s} notes {n:6d} on an odd twelfth {odd / max(n, 1):.5f} takes with any {any_} of 60")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
