"""Chorales over slash chords (`--chords "C G/B Am F/A ..."`): at each slash chord's onset, is the
bass the named bass? For the misses, which upper voice already sounds that pitch class there.
Session 37.
    python docs/notes/2026-12-04-session-37/slash_bass.py [N]"""
import sys
from collections import Counter

import tunesmith as ts
from tunesmith.harmony import parse_chord

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
CASES = [("C", "major", "C G/B Am F/A G C/E F G"), ("G", "major", "G D/F# Em C/E D G/B C D"),
         ("F", "major", "F C/E Dm Bb/D C F/A Bb C"), ("A", "minor", "Am E/G# Am Dm/F E Am"),
         ("D", "major", "D A/C# Bm G/B A7/C# D")]  # fmt: skip
hit = miss = 0
why = Counter()
for key, mode, chords in CASES:
    h = m = 0
    for seed in range(1, n + 1):
        p = ts.compose(style="chorale", key=key, mode=mode, chords=chords, bars=len(chords.split()), seed=seed, check=False).piece
        for c in p.chords:
            root, quality, given = parse_chord(c.figure)
            if given is None:
                continue
            sounding = [next((x for x in tr.notes if x.onset - 1e-6 <= c.onset < x.onset + x.duration - 1e-6), None) for tr in p.tracks]
            bass = sounding[-1]
            if bass is None:
                continue
            if bass.pitch % 12 == given % 12:
                h += 1
            else:
                m += 1
                above = [i for i, x in enumerate(sounding[:-1]) if x is not None and x.pitch % 12 == given % 12]
                why["upper voice " + "SAT"[above[0]] + " has it" if above else "no upper voice has it"] += 1
                if m <= 3:
                    print(f"  miss: {key} {chords!r} seed {seed} bar of {c.figure}: bass {bass.pitch}, upper {[x.pitch if x else None for x in sounding[:-1]]}")
    print(f"{key} {mode} {chords!r}: slash bass honoured {h}/{h + m}")
    hit += h
    miss += m
print(f"all: {hit}/{hit + miss} = {hit / (hit + miss):.3f}; misses: {dict(why)}")

# what it costs the voice leading, over the same takes: parallels (notes and beat to beat), voices
# crossing on a beat, the leading tone doubled on a beat, and leaps over an octave in the bass
from tunesmith.metrics.harmony_rules import beat_to_beat_parallels, count_parallel_fifths, count_parallel_octaves  # noqa: E402

fifths = octaves = b2b = beats = crossed = doubled = big = 0
for key, mode, chords in CASES:
    for seed in range(1, n + 1):
        p = ts.compose(style="chorale", key=key, mode=mode, chords=chords, bars=len(chords.split()), seed=seed, check=False).piece
        fifths += count_parallel_fifths(p)
        octaves += count_parallel_octaves(p)
        b2b += beat_to_beat_parallels(p)[0]
        lead = (ts.Key.parse(key + (" minor" if mode == "minor" else "")).tonic_pc - 1) % 12 if hasattr(ts, "Key") else None
        t = 0.0
        while t < p.duration() - 1e-6:
            s = [next((x.pitch for x in tr.notes if x.onset - 1e-6 <= t < x.onset + x.duration - 1e-6), None) for tr in p.tracks]
            if None not in s:
                beats += 1
                crossed += any(s[i] < s[i + 1] for i in range(len(s) - 1))
                tonic = {"C": 0, "G": 7, "F": 5, "A": 9, "D": 2}[key]
                doubled += sum(x % 12 == (tonic - 1) % 12 for x in s) > 1
            t += 1.0
        bass = p.tracks[-1].notes
        big += sum(abs(b.pitch - a.pitch) > 12 for a, b in zip(bass, bass[1:]))
print(f"per 100 beats: parallel fifths {100 * fifths / beats:.2f}, octaves {100 * octaves / beats:.2f}, "
      f"beat to beat {100 * b2b / beats:.2f}; crossed {100 * crossed / beats:.2f}; leading tone doubled "
      f"{100 * doubled / beats:.2f}; bass leaps over an octave {big}; beats {beats}")
