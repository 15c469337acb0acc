"""Session 67: a reel's chords by the degree of their root (share of chord time, major keys), and
how often the chord changes (per bar), for Nottingham's chord-bearing reels (the `reels*.abc`
files, train and held-out), the shipped harmonizer under those held-out tunes' melodies (their
own chords taken away), and composed 16-bar reels under the held-out tunes' keys (seed = index).

    .venv/bin/python docs/notes/2026-12-07-session-67/reel_chords.py [--n 40]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import math
import re

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.harmony import parse_chord

DEGREES = ["I", "bII", "II", "bIII", "III", "IV", "#IV", "V", "bVI", "VI", "bVII", "VII"]


def chord_spans(p):
    """(degree, quality, start, end) of each chord symbol of `p`, in quarters."""
    chords = sorted(p.chords, key=lambda c: c.onset)
    out = []
    for i, c in enumerate(chords):
        end = chords[i + 1].onset if i + 1 < len(chords) else p.duration()
        if c.duration:
            end = min(end, c.onset + c.duration)
        try:
            root, quality, _ = parse_chord(c.figure)
        except ValueError:
            continue
        if math.isfinite(end) and end > c.onset:
            out.append((DEGREES[(root - p.key.tonic_pc) % 12], quality, c.onset, end))
    return out


def show(name: str, pieces) -> None:
    time, bars, changes = collections.Counter(), 0.0, 0
    pieces = [p for p in pieces if p.key is not None and (p.key.mode or "major") == "major" and p.chords]
    for p in pieces:
        spans = chord_spans(p)
        for d, _q, a, b in spans:
            time[d] += b - a
        changes += sum(1 for x, y in zip(spans, spans[1:]) if x[0] != y[0])
        bars += p.duration() / p.time_signature.bar_length
    total = sum(time.values()) or 1.0
    shares = " ".join(f"{d} {time[d] / total:.3f}" for d in DEGREES if time[d] / total >= 0.01)
    print(f"{name:<34} ({len(pieces):3d}) {shares} | root changes per bar {changes / max(bars, 1):.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--skip-harmonizer", action="store_true")
    a = ap.parse_args()
    corpus = load_corpus(None)
    reels = re.compile(r"reels")

    def nott(split):
        return [p for p in corpus.filter(split=split, style="folk", shippable=True)
                if p.source == "nottingham" and reels.search(p.work_id) and p.chords]  # fmt: skip

    train, held = nott("train"), nott("valid") + nott("test")
    show("Nottingham reels, train", train)
    show("Nottingham reels, valid+test", held)
    held = [p for p in held if p.key is not None and (p.key.mode or "major") == "major"][: a.n]
    if not a.skip_harmonizer:
        bare = [dataclasses.replace(p, chords=[]) for p in held]
        out = [ts.harmonize(p, style="folk", seed=i).piece for i, p in enumerate(bare)]
        show("harmonizer under those melodies", out)
        show("  (their own chords)", held)
    takes = [ts.compose("folk", dance="reel", key=p.key.tonic, mode="major", bars=16, seed=i, check=False).piece
             for i, p in enumerate(held)]  # fmt: skip
    show("composed reels (16 bars)", takes)


if __name__ == "__main__":
    main()
