"""Minor keys' dominants: in the shippable training tunes (and the valid split) in minor, the chord
time on a root a fifth above the tonic, by quality (major: A or A7 in D minor; minor: Am), and the
chord before the final tonic chord (its root's degree and quality); composed minor takes beside them.

    python docs/notes/2026-12-05-session-50/minor_dominants.py --style folk --n 40
"""

from __future__ import annotations

import argparse
import collections


def dominants(pieces) -> dict:
    from tunesmith.harmony import chord_pitch_classes, parse_chord

    time, before_last = collections.Counter(), collections.Counter()
    n = 0
    for p in pieces:
        key = p.key
        if key is None or key.mode != "minor" or not p.chords:
            continue
        n += 1
        tonic = key.tonic_pc
        chords = sorted(p.chords, key=lambda c: c.onset)
        for c, nxt in zip(chords, [*chords[1:], None]):
            try:
                root, pcs = parse_chord(c.figure)[0], chord_pitch_classes(c.figure)
            except ValueError:
                continue
            if (root - tonic) % 12 == 7:
                end = nxt.onset if nxt is not None else p.duration()
                time["V major" if (tonic + 11) % 12 in pcs else "v minor"] += end - c.onset
        # the chord before the final tonic chord: the last one, walking back, whose root is not the tonic
        try:
            parsed = [(parse_chord(c.figure)[0], chord_pitch_classes(c.figure)) for c in chords]
        except ValueError:
            continue
        if parsed and parsed[-1][0] == tonic:
            before = next(((r, pcs) for r, pcs in reversed(parsed) if r != tonic), None)
            if before is not None:
                degree = (before[0] - tonic) % 12
                kind = {7: "V major" if (tonic + 11) % 12 in before[1] else "v minor", 10: "bVII", 5: "iv/IV",
                        8: "bVI", 3: "bIII", 2: "ii"}.get(degree, "other")  # fmt: skip
                before_last[kind] += 1
    total, closes = sum(time.values()) or 1, sum(before_last.values()) or 1
    return {"pieces": n, "dominant_time": {k: round(v / total, 3) for k, v in time.items()},
            "before_the_final_tonic": {k: round(v / closes, 3) for k, v in before_last.most_common()}}  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--style", default="folk")
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args()
    import tunesmith as ts
    from tunesmith.corpus import load_corpus

    corpus = load_corpus(None)
    print("shippable train", dominants(corpus.filter(split="train", style=a.style, shippable=True)))
    print("valid", dominants(corpus.filter(split="valid", style=a.style)))
    model = ts.load_model("default")
    keys = ("D", "E", "A", "G", "B", "C")
    takes = [ts.compose(a.style, key=keys[s % 6], mode="minor", bars=16, seed=s, model=model, check=False).piece
             for s in range(a.n)]  # fmt: skip
    print("takes", dominants(takes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
