"""Chorales over chords the musician gave: of the notes the four voices strike on a beat, the
share that are tones of that bar's chord, and of all notes sounding on a beat; seeds 1..N, several
progressions and keys. Session 36.
    python docs/notes/2026-12-04-session-36/chorale_given_chords.py [N]"""
import sys

import tunesmith as ts
from tunesmith.harmony import chord_pitch_classes

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
CASES = [("C", "major", "C F G C"), ("C", "major", "C G"), ("G", "minor", "Gm Cm D7 Gm"), ("Eb", "major", "Eb Ab Bb7 Eb"),
         ("A", "major", "A D E7 A F#m Bm E A")]  # fmt: skip
tot_struck = ok_struck = tot_sound = ok_sound = 0
for key, mode, chords in CASES:
    c_struck = c_ok = 0
    for seed in range(1, n + 1):
        take = ts.compose(style="chorale", key=key, mode=mode, chords=chords, bars=len(chords.split()), seed=seed, check=False)
        p = take.piece
        t = p.chords[0].onset  # beats from the first given chord on (a pickup has none)
        while t < p.duration() - 1e-6:
            pcs = chord_pitch_classes(next(c.figure for c in reversed(p.chords) if c.onset <= t + 1e-6))
            for tr in p.tracks:
                for x in tr.notes:
                    if x.onset - 1e-6 <= t < x.onset + x.duration - 1e-6:
                        hit = x.pitch % 12 in pcs
                        tot_sound += 1
                        ok_sound += hit
                        if abs(x.onset - t) < 1e-6:
                            tot_struck += 1
                            ok_struck += hit
                            c_struck += 1
                            c_ok += hit
            t += 1.0
    print(f"{key} {mode} {chords!r}: struck on a beat, chord tones {c_ok}/{c_struck} = {c_ok / max(1, c_struck):.3f}")
print(f"all: struck on a beat {ok_struck / tot_struck:.3f}; sounding on a beat {ok_sound / tot_sound:.3f}")

# the bass on the first beat of each bar: the chord's root, its third, its fifth (a 6/4) or other
from tunesmith.harmony import parse_chord  # noqa: E402

count = {"root": 0, "third": 0, "fifth": 0, "other": 0, "given bass": 0}
for key, mode, chords in CASES + [("C", "major", "C G/B Am F/A G C/E F G")]:
    for seed in range(1, n + 1):
        p = ts.compose(style="chorale", key=key, mode=mode, chords=chords, bars=len(chords.split()), seed=seed, check=False).piece
        bass = p.tracks[-1].notes
        for c in p.chords:
            x = next((b for b in bass if b.onset - 1e-6 <= c.onset < b.onset + b.duration - 1e-6), None)
            if x is None:
                continue
            root, quality, given = parse_chord(c.figure)
            iv = (x.pitch - root) % 12
            if given is not None:
                count["given bass"] += x.pitch % 12 == given
                count["other"] += x.pitch % 12 != given
            else:
                count["root" if iv == 0 else "third" if iv in (3, 4) else "fifth" if iv in (6, 7, 8) else "other"] += 1
total = sum(count.values())
print("bass at each chord's onset:", {k: round(v / total, 3) for k, v in count.items()}, "of", total)
