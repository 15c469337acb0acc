"""Minor melodies' seventh degree: the share of melody time on the raised seventh (C-sharp in D
minor, the leading tone) and on the lowered one (C), and the share of pieces that sing the leading
tone at all; the style's pieces in minor (shippable training split, the valid split) against
composed minor takes (`--n`, 16 bars, keys in turn).

    python docs/notes/2026-12-05-session-50/minor_sevenths.py --style folk --n 60
"""

from __future__ import annotations

import argparse


def sevenths(pieces) -> dict:
    raised = lowered = total = 0.0
    singing = n = 0
    for p in pieces:
        mel, key = p.melody(), p.key
        if mel is None or key is None or key.mode != "minor" or not mel.notes:
            continue
        n += 1
        up = (key.tonic_pc + 11) % 12
        down = (key.tonic_pc + 10) % 12
        r = sum(x.duration for x in mel.notes if x.pitch % 12 == up)
        raised += r
        lowered += sum(x.duration for x in mel.notes if x.pitch % 12 == down)
        total += sum(x.duration for x in mel.notes)
        singing += r > 0
    return {"pieces": n, "raised_7th_time": round(raised / max(total, 1e-9), 4),
            "lowered_7th_time": round(lowered / max(total, 1e-9), 4), "pieces_with_the_leading_tone": round(singing / max(n, 1), 3)}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="folk")
    ap.add_argument("--n", type=int, default=60)
    a = ap.parse_args()
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    corpus = load_corpus(None)
    print("shippable train", sevenths(corpus.filter(split="train", style=a.style, shippable=True)))
    print("valid", sevenths(corpus.filter(split="valid", style=a.style)))
    model = ts.load_model("default")
    keys = ("D", "E", "A", "G", "B", "C")
    takes = [ts.compose(a.style, key=keys[s % 6], mode="minor", bars=16, seed=s, model=model, check=False).piece
             for s in range(a.n)]  # fmt: skip
    print("takes", sevenths(takes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
