"""Harmonized Bach sopranos (the first 40 of `chorale_sets.bach_scores` with fermatas): soprano and
bass moving in parallel octaves or fifths into a fermata, per seed (one seed: each case printed).

    .venv/bin/python docs/notes/2026-12-06-session-56/fermata_outer_parallels.py [1,2,3]
"""

import sys
from pathlib import Path

NOTES = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(NOTES / "2026-12-05-session-46"))
sys.path.insert(0, str(NOTES / "2026-12-05-session-45"))
from chorale_sets import bach_scores  # noqa: E402
from chorale_vocabulary import soprano_of  # noqa: E402

import tunesmith  # noqa: E402

NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]


def nm(p):
    return f"{NAMES[p % 12]}{p // 12 - 1}"


def note_at(tr, x):
    return next((n for n in tr.notes if n.onset <= x + 1e-6 < n.onset + n.duration), None)


model = tunesmith.load_model("default")
seeds = [int(x) for x in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1]
n = bad = 0
for p in [p for p in bach_scores(40) if p.fermatas]:
    for seed in seeds:
        h = tunesmith.harmonize(soprano_of(p), style="chorale", seed=seed, model=model).piece
        beat = h.time_signature.beat_length
        for f in h.fermatas:
            n += 1
            x = f - 1e-3
            s0, s1, b0, b1 = (
                note_at(h.tracks[0], x),
                note_at(h.tracks[0], f),
                note_at(h.tracks[-1], x),
                note_at(h.tracks[-1], f),
            )
            if None in (s0, s1, b0, b1) or s0.pitch == s1.pitch or b0.pitch == b1.pitch:
                continue
            if (s0.pitch - b0.pitch) % 12 in (0, 7) and (s0.pitch - b0.pitch) % 12 == (s1.pitch - b1.pitch) % 12:
                bad += 1
                if len(seeds) == 1:
                    print(p.piece_id, seed, f, h.key.tonic, h.key.mode)
                    for tr in h.tracks:
                        print(
                            "   ",
                            " ".join(
                                nm(m.pitch) + f"@{m.onset - f:+g}" for m in tr.notes if f - 3.01 <= m.onset <= f + 0.01
                            ),
                        )
print("fermatas", n, "outer parallels into them", bad)
