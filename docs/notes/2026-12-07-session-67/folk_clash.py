"""Session 67: how often a folk melody clashes with the chord symbol above it. Per source, shares
of melody time: on a chord tone; a semitone from a chord tone (and not one), all notes and notes of
a quarter or more on a beat; the chord's other third (a minor third over a major chord or the
reverse); a flat seventh over a major triad that is not a seventh chord.

Sources: the held-out shippable folk tunes with chord symbols (valid + test, first `--n`), the
shipped harmonizer under their melodies (their own chords taken away), and composed folk takes
under their keys (seed = index; `--dance D` for a dance).

    .venv/bin/python docs/notes/2026-12-07-session-67/folk_clash.py [--n 60] [--dance reel]
"""

from __future__ import annotations

import argparse
import bisect
import collections
import dataclasses

import tunesmith as ts
from tunesmith.corpus import load_corpus
from tunesmith.harmony import chord_pitch_classes, parse_chord
from tunesmith.metrics._common import melody_line


def clash_shares(pieces) -> dict[str, float]:
    t = collections.Counter()
    for p in pieces:
        chords = sorted(p.chords, key=lambda c: c.onset)
        onsets = [c.onset for c in chords]
        beat = p.time_signature.beat_length
        for n in melody_line(p):
            i = bisect.bisect_right(onsets, n.onset + 1e-6) - 1
            if i < 0:
                continue
            try:
                root, quality, _ = parse_chord(chords[i].figure)
                tones = chord_pitch_classes(chords[i].figure)
            except ValueError:
                continue
            pc, d = n.pitch % 12, n.duration
            strong = d >= 1 - 1e-6 and abs(n.onset / beat - round(n.onset / beat)) < 1e-6
            t["all"] += d
            t["strong"] += d * strong
            semi = pc not in tones and any((pc - x) % 12 in (1, 11) for x in tones)
            t["chord tone"] += d * (pc in tones)
            t["semitone off"] += d * semi
            t["semitone off, strong"] += d * semi * strong
            major = (root + 4) % 12 in tones and (root + 3) % 12 not in tones
            minor = (root + 3) % 12 in tones and (root + 4) % 12 not in tones
            other_third = (major and pc == (root + 3) % 12) or (minor and pc == (root + 4) % 12)
            t["other third"] += d * other_third
            t["flat 7 over a triad"] += d * (major and len(tones) == 3 and pc == (root + 10) % 12)
    out = {k: t[k] / max(t["all"], 1e-9) for k in ("chord tone", "semitone off", "other third", "flat 7 over a triad")}
    out["semitone off, strong"] = t["semitone off, strong"] / max(t["strong"], 1e-9)
    return out


def show(name: str, pieces) -> None:
    s = clash_shares(pieces)
    print(f"{name:<36} ({len(pieces):3d}) " + " | ".join(f"{k} {v:.3f}" for k, v in s.items()), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--dance", default=None)
    ap.add_argument("--skip-harmonizer", action="store_true")
    a = ap.parse_args()
    corpus = load_corpus(None)
    held = [p for split in ("valid", "test") for p in corpus.filter(split=split, style="folk", shippable=True)
            if p.chords and p.key is not None and melody_line(p)]  # fmt: skip
    if a.dance:
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
        from fit_dance_profiles import DANCE_FILES, dance_pieces

        DANCE_FILES["reel"] = r"reels"  # the chord-bearing reels are Nottingham's files
        held = [p for split in ("valid", "test") for p in dance_pieces(corpus, a.dance, split) if p.chords and p.key]
    held = held[: a.n]
    show("held-out tunes, own chords", held)
    if not a.skip_harmonizer:
        mine, theirs = [], []
        for i, p in enumerate(held):
            try:  # co-create refuses a tune whose meter changes
                mine.append(ts.harmonize(dataclasses.replace(p, chords=[]), style="folk", seed=i).piece)
                theirs.append(p)
            except ValueError as e:
                print(f"  skipped: {e}")
        show("harmonizer under those melodies", mine)
        show("  (their own chords)", theirs)
    extra = {"dance": a.dance, "bars": 16} if a.dance else {}
    takes = [ts.compose("folk", key=p.key.tonic, mode=p.key.mode, seed=i, check=False, **extra).piece
             for i, p in enumerate(held)]  # fmt: skip
    show(f"composed {a.dance or 'folk'}", takes)


if __name__ == "__main__":
    main()
