"""How the harmonizer's chords fit the composed melodies they are named for: per chord quality
class, how many chords, and the share of the melody's time under them on their tones; and the
chords under which less than a third of the melody's time is on their tones.

    python docs/notes/2026-12-05-session-44/harmonizer_fit.py STYLE N [--dim7] [--floor F] [--temperature T] [--real SPLIT]

`--dim7`: the harmonizer writes its diminished class as a diminished seventh (a what-if);
`--floor F`: `harmonizer.DRAW_FLOOR`; `--temperature T`: the style's `chords_temperature` (0: the best path); `--real SPLIT`: the
style's first N pieces of SPLIT with chords, as they are. Also counted: chords with a tone
outside the key's scale that are not a secondary dominant (a major or dominant-seventh chord a
fifth above a scale degree's root), "out of key"."""

from __future__ import annotations

import collections
import sys

import tunesmith
from tunesmith import harmonizer
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.tokenizer import scale_pitch_classes

DEGREES = ("I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII")


def main():
    style, n = sys.argv[1], int(sys.argv[2])
    if "--dim7" in sys.argv:
        harmonizer.QUALITY_NAMES = tuple("dim7" if q == "dim" else q for q in harmonizer.QUALITY_NAMES)
    model = tunesmith.load_model("default")
    if "--floor" in sys.argv:
        harmonizer.DRAW_FLOOR = float(sys.argv[sys.argv.index("--floor") + 1])
    if "--temperature" in sys.argv:
        t = float(sys.argv[sys.argv.index("--temperature") + 1])
        model.model.decoding[style]["chords_temperature"] = t or None
    per = collections.defaultdict(lambda: [0, 0.0, 0.0])
    poor = []
    outside = total = 0
    degrees = collections.Counter()
    if "--real" in sys.argv:
        from tunesmith.corpus.store import load_corpus

        split = sys.argv[sys.argv.index("--real") + 1]
        pieces = [p for p in load_corpus().filter(split=split, style=style)
                  if p.chords and p.melody() is not None and p.keys and p.keys[0].mode in ("major", "minor")][:n]
    else:
        pieces = (tunesmith.compose(style, seed=s, model=model, check=False).piece for s in range(n))
    for s, p in enumerate(pieces):
        scale = scale_pitch_classes(p.keys[0].tonic_pc, p.keys[0].mode)
        chords = sorted(p.chords, key=lambda c: c.onset)
        for i, c in enumerate(chords):
            end = chords[i + 1].onset if i + 1 < len(chords) else p.duration()
            tones = chord_pitch_classes(c.figure)
            on = tot = 0.0
            for x in p.melody().notes:
                a, b = max(x.onset, c.onset), min(x.onset + x.duration, end)
                if b > a:
                    tot += b - a
                    on += (b - a) * (x.pitch % 12 in tones)
            root, q, _ = parse_chord(c.figure)
            total += 1
            secondary = q in ("", "7") and (root - 7) % 12 in scale
            if not set(tones) <= set(scale) and not secondary:
                outside += 1
                degrees[(DEGREES[(root - p.keys[0].tonic_pc) % 12], q)] += 1
            cls = next((k for k, v in harmonizer.QUALITY_CLASSES.items() if q in v), q)
            per[cls][0] += 1
            per[cls][1] += on
            per[cls][2] += tot
            if tot >= 1.0 and on < tot / 3:
                poor.append((s, c.onset, c.figure, round(on / tot, 2)))
    print(f"{style}, {n} takes {' '.join(sys.argv[3:])}")
    for cls, (k, on, tot) in sorted(per.items(), key=lambda kv: -kv[1][0]):
        print(f"  {cls or 'major':6s} {k:4d} chords, melody time on their tones {on / max(tot, 1e-9):.3f}")
    print(f"  chords with under a third of the melody on their tones: {len(poor)}; {poor[:12]}")
    print(f"  out of key (not a secondary dominant): {outside} of {total}: {degrees.most_common(10)}")
    on, tot = sum(v[1] for v in per.values()), sum(v[2] for v in per.values())
    print(f"  all chords: melody time on their tones {on / max(tot, 1e-9):.3f}; under a third {len(poor) / total:.3f}, "
          f"out of key {outside / total:.3f}")


if __name__ == "__main__":
    main()
