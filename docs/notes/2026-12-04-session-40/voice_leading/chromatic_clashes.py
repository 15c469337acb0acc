"""Two voice-leading faults around notes outside the key, per 100 beats: Bach's JSB chorales (split
`valid`) against harmonizations of their sopranos (`musician_checks.harmonized_sopranos`: seed i for
the i-th) and composed 8-bar chorales (`musician_checks.composed_chorales`). Session 40.

(a) doubled chromatic note: two voices sound the same pitch class at once, outside the key's scale
    (minor: natural minor plus the raised 6th and 7th), counted once per pair of notes that overlap;
    "up" where that note goes up a semitone next in at least one of the two voices (a secondary
    leading tone, C-sharp to D in F major), "all" for every such doubling, "secondary" where the
    note is a raised degree that leads up to the scale (`voice_leading.secondary_leading_pcs`:
    major 1, 2, 4, 5 raised; minor 3, 4 raised), "third_of_major" where the voices sound a major
    triad with it as its third.
(b) chromatic clash: two voices sound at once a semitone apart (in pitch class: a minor second, an
    augmented unison or octave) where at least one of the two notes is outside the key's seven-note
    scale (minor: natural minor, `_Tables.diatonic`, as `voice_leading.cross_relations` reads it);
    "held" where the lower voice's note was struck before the upper voice's (a note that arrives
    above while one is held: the case `cross_relations` did not see, the voices being written top
    down), "struck" otherwise. "(b) raised" counts the same with the minor's raised 6th and 7th
    inside the scale.
    python docs/notes/2026-12-04-session-40/voice_leading/chromatic_clashes.py [N_HARMONIZED] [N_COMPOSED]
(run with PYTHONPATH=<a copy of src> to measure another version of the decoder)"""

import json
import sys
from collections import Counter

sys.path.insert(0, "scripts")
import musician_checks as mc  # noqa: E402

from tunesmith.corpus import load_corpus  # noqa: E402

EPS = 1e-6
NATURAL_MINOR = (0, 2, 3, 5, 7, 8, 10)
MAJOR = (0, 2, 4, 5, 7, 9, 11)
NAMES = ["1", "b2", "2", "b3", "3", "4", "#4", "5", "b6", "6", "b7", "7"]


def scales(piece) -> tuple[set[int], set[int]]:
    """(the key's scale with a minor's raised 6th and 7th, its seven-note scale)."""
    key = piece.keys[0]
    seven = NATURAL_MINOR if key.mode == "minor" else MAJOR
    return mc.key_scale(piece), {(key.tonic_pc + i) % 12 for i in seven}


def overlapping(xs, ys):
    """Pairs (i, j) of notes of two voices (each in time order) that sound together."""
    j0 = 0
    for i, a in enumerate(xs):
        a_end = a.onset + a.duration
        while j0 < len(ys) and ys[j0].onset + ys[j0].duration <= a.onset + EPS:
            j0 += 1
        j = j0
        while j < len(ys) and ys[j].onset < a_end - EPS:
            if ys[j].onset + ys[j].duration > a.onset + EPS:
                yield i, j
            j += 1


def measure(pieces) -> dict:
    c, beats, degrees = Counter(), 0, Counter()
    for p in pieces:
        lines = mc.satb_lines(p)
        if lines is None:
            continue
        tracks, length = lines
        beats += length
        full, seven = scales(p)
        tonic = p.keys[0].tonic_pc
        voices = [tracks[r] for r in ("soprano", "alto", "tenor", "bass")]
        for u in range(4):
            for w in range(u + 1, 4):
                hi, lo = voices[u], voices[w]
                for i, j in overlapping(hi, lo):
                    a, b = hi[i], lo[j]
                    pa, pb = a.pitch % 12, b.pitch % 12
                    if pa == pb and pa not in full:
                        c["a_all"] += 1
                        at = max(a.onset, b.onset)
                        chord = {n.pitch % 12 for ns in voices for n in ns if n.onset - EPS <= at < n.onset + n.duration - EPS}
                        mode = "minor " if p.keys[0].mode == "minor" else "major "
                        degrees["a_all " + mode + NAMES[(pa - tonic) % 12]] += 1
                        if (pa - tonic) % 12 in ((4, 6) if p.keys[0].mode == "minor" else (1, 3, 6, 8)):
                            c["a_secondary"] += 1  # `voice_leading.secondary_leading_pcs`
                        if (pa - 4) % 12 in chord and (pa + 3) % 12 in chord:  # a major triad's third
                            c["a_third_of_major"] += 1
                        up = any(k + 1 < len(ns) and ns[k + 1].pitch - ns[k].pitch == 1 for ns, k in ((hi, i), (lo, j)))
                        if up:
                            c["a_up"] += 1
                            degrees["a_up " + ("minor " if p.keys[0].mode == "minor" else "major ") + NAMES[(pa - tonic) % 12]] += 1
                    if (pa - pb) % 12 in (1, 11):
                        held = b.onset < a.onset - EPS  # the lower voice struck first: the upper arrives over it
                        if not (pa in seven and pb in seven):
                            c["b_held" if held else "b_struck"] += 1
                        if not (pa in full and pb in full):
                            c["b_raised_held" if held else "b_raised_struck"] += 1
    out = {k: round(100 * v / max(1, beats), 2) for k, v in sorted(c.items())}
    out["events"] = dict(sorted(c.items()))
    out["beats"] = beats
    out["a_by_degree"] = dict(degrees.most_common())
    return out


if __name__ == "__main__":
    nh = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    nc = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    bach = list(load_corpus(None).filter(split="valid", style="chorale", source="jsb"))
    out = {"bach_valid": measure(bach), "n_bach": len(bach)}
    if nh:
        out["harmonized"] = measure(mc.harmonized_sopranos(bach[:nh]))
        out["bach_first_n"] = measure(bach[:nh])
    if nc:
        out["composed"] = measure(mc.composed_chorales(nc))
    print(json.dumps(out, indent=1))
