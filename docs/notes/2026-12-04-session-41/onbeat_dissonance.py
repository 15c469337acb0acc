"""On-beat dissonance under given chords: the share of a melody's notes struck on a beat that lie a
semitone above a tone of the sounding chord and are not chord tones themselves (F over E7 or C,
C over B7 or Bm), in the tunes and in takes composed over their chords (`real_chords.py`'s jobs).

    python docs/notes/2026-12-04-session-41/onbeat_dissonance.py STYLE SPLIT N [--shippable]"""

from __future__ import annotations

import importlib.util
import sys

import tunesmith
from tunesmith.harmony import chord_pitch_classes
from tunesmith.tokenizer import spell_name


def load_real_chords():
    spec = importlib.util.spec_from_file_location("real_chords", "docs/notes/2026-12-04-session-41/real_chords.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def share(piece, end, beat):
    chords = sorted([c for c in piece.chords if c.onset < end], key=lambda c: c.onset)
    ends = [c.onset for c in chords[1:]] + [end]
    hit = total = 0
    for c, e in zip(chords, ends):
        try:
            tones = set(chord_pitch_classes(c.figure))
        except ValueError:
            continue
        for n in piece.melody().notes:
            if c.onset <= n.onset < e and abs((n.onset / beat) - round(n.onset / beat)) < 1e-6:
                total += 1
                pc = n.pitch % 12
                hit += pc not in tones and (pc - 1) % 12 in tones
    return hit, total


def main():
    style, split, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rc = load_real_chords()
    jobs = rc.tunes_and_chords(style, split, n, shippable="--shippable" in sys.argv)
    model = tunesmith.load_model("default")
    real = [0, 0]
    got = [0, 0]
    for i, (piece, figures, meter, bars, _scale) in enumerate(jobs):
        beat = piece.time_signature.beat_length
        end = piece.bars()[bars] if len(piece.bars()) > bars else piece.duration()
        h, t = share(piece, end, beat)
        real[0] += h
        real[1] += t
        take = tunesmith.compose(style=style, key=spell_name(piece.keys[0].tonic), meter=meter, bars=bars,
                                 chords=figures, seed=i, model=model, check=False)
        h, t = share(take.piece, take.piece.duration(), beat)
        got[0] += h
        got[1] += t
    print(f"{style} {split}: {len(jobs)} tunes; on-beat notes a semitone above a chord tone: tunes "
          f"{real[0] / max(real[1], 1):.3f} of {real[1]}, takes {got[0] / max(got[1], 1):.3f} of {got[1]}")


if __name__ == "__main__":
    main()
