"""The key co-create estimates for a file that writes none (the first-day user's C D E F G4, continued in
G major): `harmony.estimate_key` (Krumhansl-Schmuckler) against `harmony.estimate_key_in_scale`
(the same, unless its scale misses more than 5 % of the notes' time), on the valid split's pieces
whose key is written (not estimated), per style: the share whose written tonic and mode each finds,
and the share whose key signature (the same scale: relative keys count) it finds.

    python docs/notes/2026-12-05-session-45/key_in_scale.py [N per style]"""

from __future__ import annotations

import sys
from collections import Counter

from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import estimate_key, estimate_key_in_scale, sharps_of


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    for style in ("folk", "pop", "jazz", "chorale"):
        c: Counter = Counter()
        for p in load_corpus().filter(split="valid", style=style):
            if c["pieces"] >= n:
                break
            if p.key is None or p.meta.get("key_estimated") or p.meta.get("key_mode_estimated"):
                continue
            c["pieces"] += 1
            for name, f in (("KS", estimate_key), ("in scale", estimate_key_in_scale)):
                k = f(p)
                c[name, "key"] += k.tonic_pc == p.key.tonic_pc and k.mode == p.key.mode
                c[name, "signature"] += sharps_of(k) == sharps_of(p.key)
        if c["pieces"]:
            print(f"valid {style} ({c['pieces']} with a written key): " + "; ".join(
                f"{name}: key {c[name, 'key'] / c['pieces']:.3f}, signature {c[name, 'signature'] / c['pieces']:.3f}"
                for name in ("KS", "in scale")))


if __name__ == "__main__":
    main()
