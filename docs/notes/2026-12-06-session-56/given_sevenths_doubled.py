"""Chorales over chords the musician gave (five progressions, hymn and chorale textures, seeds
300-317): beat-to-beat parallels and the beats where two voices or more sing a given seventh
chord's seventh, with `automaton.GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES` on and off.

    .venv/bin/python docs/notes/2026-12-06-session-56/given_sevenths_doubled.py
"""

import tunesmith as ts
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.metrics.harmony_rules import beat_to_beat_parallel_places
from tunesmith.sampling import automaton

progressions = [
    ("C", "C | Am | Dm7 | G7 | C | F | G7 | C", 8),
    ("G", "G | Em | Am | D7 | G | C | D7 | G", 8),
    ("C", "C F | Dm7 G7 | Am Dm7 | G7 C", 4),
    ("F", "F Bb | C7 F | Dm Gm7 | C7 F", 4),
    ("G", "G | C D7 | Em Am7 | D7 | G", 5),
]
model = ts.load_model("default")


def doubled(piece):
    given = sorted(piece.chords, key=lambda c: c.onset)
    beats = dbl = 0
    for t in range(int(piece.duration())):
        chord = next((c for c in reversed(given) if c.onset <= t), None)
        if chord is None:
            continue
        root = parse_chord(chord.figure)[0]
        seventh = {pc for pc in chord_pitch_classes(chord.figure) if (pc - root) % 12 in (10, 11)}
        if seventh:
            now = [n.pitch for tr in piece.tracks for n in tr.notes if n.onset <= t < n.onset + n.duration]
            beats += 1
            dbl += sum(p % 12 in seventh for p in now) > 1
    return beats, dbl


for once in (True, False):
    automaton.GIVEN_SEVENTH_ONCE_OVER_SOFT_RULES = once
    par = beats = dbl = allbeats = 0
    for texture in ("hymn", "chorale"):
        for key, chords, bars in progressions:
            for seed in range(300, 318):
                p = ts.compose(
                    "chorale", key=key, bars=bars, chords=chords, seed=seed, texture=texture, model=model, check=False
                ).piece
                par += len(beat_to_beat_parallel_places(p)[0])
                b, d = doubled(p)
                beats += b
                dbl += d
                allbeats += int(p.duration())
    print(
        "once-over-soft",
        once,
        "takes",
        2 * 5 * 18,
        "beats",
        allbeats,
        "parallels",
        par,
        "seventh beats",
        beats,
        "doubled",
        dbl,
        flush=True,
    )
