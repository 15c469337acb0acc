"""Voice-leading faults a harmony teacher marks in the lower voices, per 100 beats: Bach's chorales
(valid split) against harmonized Bach sopranos and composed chorales.

- aug2: a step of three semitones between the key's lowered 6th and its leading tone (A-flat to B
  in C minor), the augmented second;
- tritone: a leap of six semitones (augmented fourth or diminished fifth);
- leap7: a leap of a seventh or more than an octave;
- doubled_lt: a beat whose sounding pitches hold the leading tone twice;
- unresolved_7ths: sevenths of dominant-seventh sonorities that neither hold nor fall by step, a
  share of all such sevenths (`metrics.harmony_rules.unresolved_dominant_sevenths`).

    .venv/bin/python docs/notes/2026-12-06-session-54/lower_voice_census.py [--n 20] [--seeds 12]
"""

import argparse
import copy
import json
from collections import Counter

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.harmony import estimate_key
from tunesmith.metrics.harmony_rules import beat_sonorities, unresolved_dominant_sevenths

LOWER = ("alto", "tenor", "bass")


def census(piece) -> Counter:
    key = piece.key if piece.keys else estimate_key(piece)
    tonic = key.tonic_pc
    out: Counter = Counter()
    for role in LOWER:
        notes = sorted(piece.track(role).notes, key=lambda n: n.onset)
        for a, b in zip(notes, notes[1:]):
            step = b.pitch - a.pitch
            if abs(step) == 3 and {(a.pitch - tonic) % 12, (b.pitch - tonic) % 12} == {8, 11}:
                out[f"aug2 {role}"] += 1
            if abs(step) == 6:
                out[f"tritone {role}"] += 1
            if abs(step) in (10, 11) or abs(step) > 12:
                out[f"leap7 {role}"] += 1
    for now in beat_sonorities(piece):
        if now is not None:
            out["beats"] += 1
            out["doubled_lt"] += sum((p - tonic) % 12 == 11 for p in now) >= 2
    bad, sevenths = unresolved_dominant_sevenths(piece)
    out["sevenths"] += sevenths
    out["unresolved_7ths"] += bad
    return out


def summary(counts: Counter) -> dict:
    beats = max(1, counts["beats"])
    row = {k: round(100 * v / beats, 2) for k, v in sorted(counts.items()) if k not in ("beats", "sevenths", "unresolved_7ths")}
    row["unresolved_7ths"] = round(counts["unresolved_7ths"] / max(1, counts["sevenths"]), 3)
    row["beats"] = counts["beats"]
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20, help="Bach chorales (valid split) to harmonize")
    ap.add_argument("--seeds", type=int, default=12, help="composed chorales per texture")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4]
    rows = {}
    total: Counter = Counter()
    for p in bach:
        total += census(p)
    rows["bach valid"] = summary(total)
    model = ts.load_model("default")
    for texture in (None, "hymn"):
        total = Counter()
        for i, c in enumerate(bach[: args.n]):
            s = copy.deepcopy(c)
            s.tracks = s.tracks[:1]
            total += census(ts.harmonize(s, style="chorale", seed=i, texture=texture, model=model).piece)
        rows[f"harmonized {texture or 'chorale'}"] = summary(total)
        total = Counter()
        for seed in range(args.seeds):
            total += census(ts.compose("chorale", bars=8, seed=seed, texture=texture, model=model, check=False).piece)
        rows[f"composed {texture or 'chorale'}"] = summary(total)
    for name, row in rows.items():
        print(name, json.dumps(row))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
