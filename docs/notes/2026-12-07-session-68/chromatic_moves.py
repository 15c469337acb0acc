"""Session 68: how a chorale's notes outside its key move on. Per voice, per 100 beats: notes
outside the key (major: its scale; minor: the natural minor and its raised 6th and 7th), and those
of them whose voice moves on by more than a semitone (to its next different pitch), or does not
move on at all (the piece ends). A chromatic note is a leading note or a chromatic passing note:
it moves on by a semitone; the demo chorale's bass went D D-flat E-flat, reaching its chromatic
note by a semitone and turning back past where it came from ("turning"). Composed: `--takes`
8-bar chorales in the census's keys in turn (seeds from `--seed-base`); Bach: the valid chorales
in four parts.

    .venv/bin/python docs/notes/2026-12-07-session-68/chromatic_moves.py [--takes 48] [--seed-base 3000]
"""

from __future__ import annotations

import argparse

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.score import pitch_class_of

KEYS = (
    ("G", "minor"),
    ("D", "major"),
    ("F", "major"),
    ("A", "minor"),
    ("Bb", "major"),
    ("E", "minor"),
    ("C", "major"),
    ("G", "major"),
)
VOICES = ("soprano", "alto", "tenor", "bass")


def key_pcs(tonic: str, mode: str) -> set[int]:
    t = pitch_class_of(tonic)
    steps = (0, 2, 4, 5, 7, 9, 11) if mode == "major" else (0, 2, 3, 5, 7, 8, 10, 9, 11)
    return {(t + s) % 12 for s in steps}


def count(pieces_keys) -> tuple[list[int], list[int], list[int], float]:
    """Per voice (outside the key, of those moving on by more than a semitone, of those reached by a
    semitone and left the other way to another pitch: D D-flat E-flat), and the beats."""
    outside, unresolved, turns, beats = [0] * 4, [0] * 4, [0] * 4, 0.0
    for piece, (tonic, mode) in pieces_keys:
        pcs = key_pcs(tonic, mode)
        beats += piece.duration()
        for v, track in enumerate(piece.tracks[:4]):
            pitches = [n.pitch for n in sorted(track.notes, key=lambda n: n.onset)]
            for i, p in enumerate(pitches):
                if p % 12 in pcs:
                    continue
                outside[v] += 1
                nxt = next((q for q in pitches[i + 1 :] if q != p), None)
                unresolved[v] += nxt is None or abs(nxt - p) > 1
                before = next((q for q in pitches[i - 1 :: -1] if q != p), None) if i else None
                if before is not None and nxt is not None and abs(p - before) == 1 and nxt != before:
                    turns[v] += (p - before) * (nxt - p) < 0
    return outside, unresolved, turns, beats


def report(name: str, pieces_keys) -> None:
    outside, unresolved, turns, beats = count(pieces_keys)
    cells = ", ".join(f"{v} {100 * o / beats:.2f} ({100 * u / beats:.2f} on by more, {100 * k / beats:.2f} turning)"
                      for v, o, u, k in zip(VOICES, outside, unresolved, turns))  # fmt: skip
    lower = sum(unresolved[1:])
    print(f"{name} ({len(pieces_keys)} pieces, {beats:.0f} beats): outside the key per 100 beats {cells}; "
          f"lower voices moving on by more than a semitone {100 * lower / beats:.2f}", flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=48)
    ap.add_argument("--seed-base", type=int, default=3000)
    ap.add_argument("--no-bach", action="store_true")
    args = ap.parse_args()
    if not args.no_bach:
        bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4 and p.key]
        report("Bach, valid", [(p, (p.key.tonic, p.key.mode)) for p in bach])
    model = ts.load_model("default")
    takes = []
    for i in range(args.takes):
        tonic, mode = KEYS[i % len(KEYS)]
        piece = ts.compose(
            "chorale", key=tonic, mode=mode, bars=8, seed=args.seed_base + i, model=model, check=False
        ).piece
        takes.append((piece, (tonic, mode)))
    report("composed", takes)


if __name__ == "__main__":
    main()
