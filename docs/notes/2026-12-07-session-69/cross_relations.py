"""Session 69: chromatic tangles in four-part chorales, counted on spelled notes. Every note is
spelled as the MusicXML writer spells it (`convert.notation._speller`: the key sounding, the chord
the parts sound, where the note goes), for Bach's chorales and the takes alike. Per 100 beats:

- inflections: a voice's next note has its letter with another accidental (F# then F);
- cross relations: one voice sounds a letter with one accidental, another voice strikes the same
  letter with another while the first sounds or within `--window` beats after it ends (F# in the
  bass, F in the alto over the bar line): the false relation the textbooks forbid between voices;
- of those, simultaneous: the two sound together.

Composed: `--takes` 8-bar chorales in the census's keys in turn (seeds from `--seed-base`); Bach:
the valid chorales in four parts.

    .venv/bin/python docs/notes/2026-12-07-session-69/cross_relations.py [--takes 48] [--seed-base 3000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import tunesmith as ts
from tunesmith.convert.notation import _speller
from tunesmith.corpus import load_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-07-session-68"))
from chromatic_moves import KEYS  # noqa: E402

EPS = 1e-6


def spelled_notes(piece) -> list[list[tuple[float, float, str, int]]]:
    """Per voice, its notes as (onset, end, letter, accidental: -1 flat, 0, +1 sharp)."""
    spell = _speller(piece)
    voices = []
    for track in piece.tracks[:4]:
        notes = sorted(track.notes, key=lambda n: n.onset)
        out = []
        for i, n in enumerate(notes):
            nxt = notes[i + 1].pitch if i + 1 < len(notes) else None
            name = spell(n.pitch, n.onset, nxt)
            letter, rest = name[0], name[1:].rstrip("0123456789-")
            alter = rest.count("#") - rest.count("-") - rest.count("b")
            out.append((n.onset, n.onset + n.duration, letter, alter))
        voices.append(out)
    return voices


def count(piece, window: float) -> tuple[int, int, int, list[tuple[float, int, int, str]]]:
    """(inflections, cross relations, simultaneous ones, where: [(onset, voice, voice, letters)])."""
    voices = spelled_notes(piece)
    inflections = sum(1 for notes in voices for a, b in zip(notes, notes[1:]) if a[2] == b[2] and a[3] != b[3])
    cross = simultaneous = 0
    where = []
    for v, notes in enumerate(voices):
        for w, others in enumerate(voices):
            if w == v:
                continue
            for a in notes:
                for b in others:
                    if b[2] != a[2] or b[3] == a[3] or not (a[0] - EPS <= b[0] < a[1] + window - EPS):
                        continue
                    if b[0] == a[0] and w < v:  # struck together: count the pair once
                        continue
                    cross += 1
                    together = b[0] < a[1] - EPS
                    simultaneous += together
                    where.append((a[0], v, w, f"{a[2]}{'#' * a[3] or 'b' * -a[3]}>{b[2]}{'#' * b[3] or 'b' * -b[3]}"))
    return inflections, cross, simultaneous, where


def report(name: str, pieces, window: float, show: int = 0) -> None:
    beats = sum(p.duration() for p in pieces)
    totals = [0, 0, 0]
    with_any = 0
    for i, p in enumerate(pieces):
        inf, cr, sim, where = count(p, window)
        totals = [totals[0] + inf, totals[1] + cr, totals[2] + sim]
        with_any += cr > 0
        if i < show and where:
            print(f"  piece {i}: {where[:6]}")
    per = [100 * t / beats for t in totals]
    print(f"{name} ({len(pieces)} pieces, {beats:.0f} beats): per 100 beats inflections {per[0]:.2f}, "
          f"cross relations {per[1]:.2f} (simultaneous {per[2]:.2f}); pieces with one {with_any / len(pieces):.2f}",
          flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--takes", type=int, default=48)
    ap.add_argument("--seed-base", type=int, default=3000)
    ap.add_argument("--window", type=float, default=1.0)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--no-bach", action="store_true")
    args = ap.parse_args()
    if not args.no_bach:
        bach = [p for p in load_corpus(None).filter(split="valid", style="chorale") if len(p.tracks) >= 4 and p.key]
        report("Bach, valid", bach, args.window, args.show)
    model = ts.load_model("default")
    takes = []
    for i in range(args.takes):
        tonic, mode = KEYS[i % len(KEYS)]
        takes.append(ts.compose("chorale", key=tonic, mode=mode, bars=8, seed=args.seed_base + i, model=model,
                                check=False).piece)  # fmt: skip
    report("composed", takes, args.window, args.show)


if __name__ == "__main__":
    main()
