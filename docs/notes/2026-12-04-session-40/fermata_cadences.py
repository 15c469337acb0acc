"""The chord under each inner fermata when tunesmith harmonizes Bach's own sopranos, against Bach's
chord there: the music21 encodings (with fermatas) of the JSB chorales of a split, soprano only,
`tunesmith.harmonize(style="chorale")`. Prints, by the soprano's degree at the fermata, the
chord roots (semitones over the tonic) Bach wrote and the takes wrote, and how often they agree.
Session 40.
    python docs/notes/2026-12-04-session-40/fermata_cadences.py valid|test [N]"""

from __future__ import annotations

import copy
import sys
from collections import Counter, defaultdict

from tunesmith import api
from tunesmith.baselines.harmony_baseline import chord_of_pitches
from tunesmith.corpus.store import load_corpus
from tunesmith.harmony import parse_chord
from tunesmith.metrics.harmony_rules import VOICES, _voices


def fermata_chords(piece, fermatas):
    voices = _voices(piece)
    tonic = piece.keys[0].tonic_pc
    out = []
    for f in fermatas:
        now = [voices[r].pitch_at(f) for r in VOICES]
        if None in now:
            out.append(None)
            continue
        figure = chord_of_pitches(now)
        root, quality, _ = parse_chord(figure) if figure else (None, "", None)
        minor = quality.startswith("m") and not quality.startswith("maj")
        out.append(((now[0] - tonic) % 12, None if root is None else ((root - tonic) % 12, "m" if minor else "")))
    return out


def main():
    split = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    corpus = load_corpus(None).with_dropped()
    by_id = {r["piece_id"]: i for i, r in enumerate(corpus.records)}
    pairs = []
    for r in corpus.records:
        if r["source"] != "jsb" or r["split"] != split or r["_"].get("dropped"):
            continue
        m21 = [d["piece_id"] for d in r["meta"].get("duplicates", []) if d["source"] == "bach-chorales"]
        src = next((corpus.piece(by_id[p]) for p in m21 if p in by_id), None)
        if src is not None and src.fermatas and all(src.track(v) for v in VOICES) and len(src.time_signatures) == 1:
            pairs.append(src)
    pairs = pairs[:n]
    table = defaultdict(lambda: [Counter(), Counter(), 0, 0])  # soprano degree -> bach roots, take roots, agree, n
    for k, bach in enumerate(pairs):
        soprano = copy.deepcopy(bach)
        soprano.tracks = [t for t in soprano.tracks if t.role == "soprano"]
        take = api.harmonize(soprano, style="chorale", seed=k)
        inner = sorted(bach.fermatas)[:-1]
        for b, t in zip(fermata_chords(bach, inner), fermata_chords(take.piece, inner)):
            if b is None or t is None:
                continue
            row = table[b[0]]
            row[0][b[1]] += 1
            row[1][t[1]] += 1
            row[2] += b[1] == t[1]
            row[3] += 1
    total = sum(r[3] for r in table.values())
    agree = sum(r[2] for r in table.values())
    print(f"{split}: {len(pairs)} chorales, {total} inner fermatas; the take's chord root and third = Bach's: {agree / total:.3f}")
    for deg, (b, t, a, m) in sorted(table.items(), key=lambda kv: -kv[1][3]):
        print(f"soprano degree {deg:2d} (n={m:3d}) agree {a / m:.2f}  bach {b.most_common(4)}  takes {t.most_common(4)}")


if __name__ == "__main__":
    main()
