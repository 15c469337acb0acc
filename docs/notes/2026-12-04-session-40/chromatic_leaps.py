"""Melodic augmented and diminished intervals in four-part chorales, spelled as a copyist would
(`harmony.spell_pitch_class` by the key alone, minor's raised 6th and 7th as sharps/naturals):
Bach's (JSB validation, minor and major) against composed 8-bar chorales
(`musician_checks.composed_chorales`). Per 100 beats, by kind. Session 40.
    python docs/notes/2026-12-04-session-40/chromatic_leaps.py [N]"""
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402
from tunesmith.harmony import spell_pitch_class  # noqa: E402

LETTERS = "CDEFGAB"
PERFECT_OR_MAJOR = {0: 0, 1: 2, 2: 4, 3: 5, 4: 7, 5: 9, 6: 11}


def kinds(pieces):
    out, beats = Counter(), 0.0
    for p in pieces:
        key = p.keys[0]
        beats += p.duration()
        for t in p.tracks:
            notes = sorted(t.notes, key=lambda x: x.onset)
            for a, b in zip(notes, notes[1:]):
                if a.pitch == b.pitch:
                    continue
                lo, hi = sorted((a.pitch, b.pitch))
                la, lb = (LETTERS.index(spell_pitch_class(x, key)[0]) for x in (lo, hi))
                letters = (lb - la) % 7
                octaves = (hi - lo) // 12
                semis = (hi - lo) - 12 * octaves
                if letters == 0 and semis > 6:
                    letters = 7
                want = PERFECT_OR_MAJOR.get(letters % 7, 0) + (12 if letters == 7 else 0)
                diff = semis - want
                name = {0: "second", 1: "second", 2: "third", 3: "fourth", 4: "fifth", 5: "sixth", 6: "seventh"}.get(letters % 7)
                perfect = letters % 7 in (0, 3, 4)
                if diff == 1:
                    out[f"{t.role} augmented {name}"] += 1
                elif (perfect and diff == -1 and letters % 7 != 4) or (not perfect and diff == -2):
                    out[f"{t.role} diminished {name}"] += 1
    return {k: round(100 * v / beats, 3) for k, v in sorted(out.items())}, beats


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    bach = [p for p in load_corpus(None).filter(source="jsb", split="valid")]
    b, bb = kinds(bach)
    c, cb = kinds(mc.composed_chorales(n))
    print(f"per 100 beats; Bach valid {len(bach)} chorales {bb:.0f} beats; composed {n} {cb:.0f} beats")
    for k in sorted(set(b) | set(c)):
        print(f"{k:32s} bach {b.get(k, 0):6.3f}  composed {c.get(k, 0):6.3f}")


if __name__ == "__main__":
    main()
