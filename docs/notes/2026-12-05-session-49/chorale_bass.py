"""A chorale bass as an organist reads it: on the beats (the pitch sounding at each beat, a held or
repeated one left out), the share of moves by step; between the beats, how many notes the bass
strikes off the beat per 100 beats (passing and neighbour notes); of all its note-to-note
moves, the share by step; and on the beats, major triads whose third two voices sing, per 100. Bach's chorales (music21's scores) against their sopranos harmonized
by `tunesmith harmonize --style chorale`.

    python docs/notes/2026-12-05-session-49/chorale_bass.py 30 [--seeds 1,2]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "2026-12-05-session-45"))
sys.path.insert(0, str(HERE.parent / "2026-12-05-session-46"))
from chorale_sets import bach_scores  # noqa: E402
from chorale_vocabulary import beats, soprano_of  # noqa: E402

import tunesmith  # noqa: E402


def bass_line(piece) -> dict:
    bass = sorted(piece.tracks[-1].notes, key=lambda n: n.onset)
    on = []
    for t in beats(piece):
        p = [n.pitch for n in bass if n.onset <= t + 1e-6 < n.onset + n.duration]
        if p:
            on.append(p[0])
    beat_moves = [abs(b - a) for a, b in zip(on, on[1:]) if a != b]
    step = piece.time_signature.beat_length
    off = sum(1 for n in bass if abs(n.onset / step - round(n.onset / step)) > 1e-3)
    moves = [abs(b.pitch - a.pitch) for a, b in zip(bass, bass[1:]) if a.pitch != b.pitch]
    doubled = 0
    for t in beats(piece):
        sounding = [n.pitch for tr in piece.tracks for n in tr.notes if n.onset <= t + 1e-6 < n.onset + n.duration]
        pcs = {x % 12 for x in sounding}
        for root in pcs:
            if {(x - root) % 12 for x in pcs} in ({0, 4, 7}, {0, 4}):  # a major triad (its fifth may be left out)
                doubled += sum(x % 12 == (root + 4) % 12 for x in sounding) >= 2
    return {"beats": len(on), "doubled": doubled, "beat_moves": len(beat_moves), "beat_steps": sum(m <= 2 for m in beat_moves),
            "off": off, "moves": len(moves), "steps": sum(m <= 2 for m in moves),
            "wide": sum(m in (6, 10, 11) or m > 12 for m in moves)}  # fmt: skip


def report(name: str, pieces) -> None:
    tot: dict = {}
    for p in pieces:
        for k, v in bass_line(p).items():
            tot[k] = tot.get(k, 0) + v
    print(f"{name:<12} on the beats: steps {tot['beat_steps'] / tot['beat_moves']:.3f} of {tot['beat_moves']} moves; "
          f"off-beat notes {100 * tot['off'] / tot['beats']:.1f} per 100 beats; all moves: steps "
          f"{tot['steps'] / tot['moves']:.3f}, tritone/7th/>8ve {tot['wide'] / tot['moves']:.3f} of {tot['moves']}; "
          f"major triads with a doubled third {100 * tot['doubled'] / tot['beats']:.1f} per 100 beats")


def main() -> None:
    m = int(sys.argv[1])
    seeds = [int(s) for s in sys.argv[sys.argv.index("--seeds") + 1].split(",")] if "--seeds" in sys.argv else [1]
    scores = [p for p in bach_scores(m) if p.fermatas]
    model = tunesmith.load_model("default")
    made = []
    for p in scores:
        for s in seeds:
            try:
                made.append(tunesmith.harmonize(soprano_of(p), style="chorale", seed=s, model=model).piece)
            except ValueError as e:
                print("skipped", p.piece_id, e)
    report("Bach", scores)
    report("harmonized", made)


if __name__ == "__main__":
    main()
