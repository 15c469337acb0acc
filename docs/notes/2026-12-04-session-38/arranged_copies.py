"""`check` on training tunes as people's files carry them, not as the corpus does: whole tunes of
the shipped model's training set (a copy by any reading), written as a MIDI file would have them.

Variants of each tune (its melody line as the index reads it, plus its chord symbols):
- `melody`: the melody alone, one track (the baseline);
- `piano`: one piano track: the melody over block chords (root position, C3-B3) struck on every
  beat, as a pianist's arrangement or a MIDI file's "Piano" track has it;
- `piano_played`: the same, as played: every note's onset moved by up to +-0.03 beats at random
  (about 15 ms at 120 bpm) and chord notes rolled;
- `two_tracks`: an accompaniment track "Piano" first, then the melody in a track named "Track 2"
  (no role in its name), as a type-1 MIDI file from a notation program has them;
- `melody_played`: the melody alone, with onsets moved as in `piano_played`.

Per variant: how many are called copy / close / clear, and how often the tune itself is named first.
Then the same variants of held-out test pieces with chord symbols (not indexed: none is a copy,
though some are other versions of training tunes), whose verdicts should not rise when arranged.
Then planted copies (`scripts/evaluate_copy_guard.py`'s `plant`: 2-8 bars of a training tune,
transposed, re-rhythmed, ornamented, a note inserted or deleted, inside a held-out test tune), as
they are and arranged over I / IV / V block chords of the host's key on every beat (the chord
holding the beat's melody note), played in: how many are called copy with the source named first.

    python docs/notes/2026-12-04-session-38/arranged_copies.py [N] [SEED]
"""

from __future__ import annotations

import copy
import sys
from collections import Counter

import numpy as np

from tunesmith.corpus import load_corpus
from tunesmith.harmony import chord_pitch_classes
from tunesmith.metrics._common import melody_line
from tunesmith.rights.check import check_piece, default_index_path
from tunesmith.rights.index import SimilarityIndex
from tunesmith.score import Note, Track

VARIANTS = ("melody", "piano", "piano_played", "two_tracks", "melody_played")


def _chord_notes(piece) -> list[Note]:
    """Block chords in C3-B3 (root position, closed), struck on every beat of each chord's span."""
    beat = piece.time_signature.beat_length
    out = []
    for c in piece.chords:
        if not c.figure or c.figure in ("N.C.", "NC"):
            continue
        try:
            pcs = sorted(chord_pitch_classes(c.figure))
        except ValueError:
            continue
        end = c.onset + (c.duration or beat)
        t = c.onset
        while t < end - 1e-6:
            d = min(beat, end - t)
            out += [Note(48 + pc, t, d, 60) for pc in pcs]
            t += beat
    return out


def _played(notes: list[Note], rng) -> list[Note]:
    return [Note(n.pitch, max(0.0, n.onset + float(rng.uniform(-0.03, 0.03))), n.duration, n.velocity) for n in notes]


def variant(piece, kind: str, rng):
    line = melody_line(piece)
    melody = [Note(n.pitch, n.onset, n.duration, 90) for n in line]
    out = copy.copy(piece)
    out.piece_id = out.work_id = f"arranged-{kind}"
    out.path = ""
    if kind == "melody":
        out.tracks = [Track("Melody", "melody", 0, False, melody)]
    elif kind == "melody_played":
        out.tracks = [Track("Melody", "melody", 0, False, _played(melody, rng))]
    elif kind in ("piano", "piano_played"):
        notes = sorted(melody + _chord_notes(piece), key=lambda n: (n.onset, -n.pitch))
        if kind == "piano_played":
            notes = sorted(_played(notes, rng), key=lambda n: (n.onset, -n.pitch))
        out.tracks = [Track("Piano", "melody", 0, False, notes)]  # one track: it is the melody track
    else:
        out.tracks = [Track("Piano", "accompaniment", 0, False, _chord_notes(piece)),
                      Track("Track 2", "accompaniment", 0, False, melody)]  # fmt: skip
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    index = SimilarityIndex.load(default_index_path("model"))
    indexed = {d["work_id"] for d in index.docs}
    corpus = load_corpus(None)
    works = [p for p in corpus.filter(split="train", shippable=True)
             if p.work_id in indexed and len(p.chords) >= 4 and p.melody() is not None and len(p.melody().notes) >= 16]  # fmt: skip
    rng = np.random.default_rng(seed)
    chosen = [works[i] for i in sorted(rng.choice(len(works), min(n, len(works)), replace=False))]
    print(f"{len(chosen)} training tunes with chord symbols, of {len(works)}", file=sys.stderr)
    for kind in VARIANTS:
        verdicts, named = Counter(), 0
        for p in chosen:
            result = check_piece(variant(p, kind, rng), index)
            verdicts[result.verdict] += 1
            named += bool(result.matches) and result.matches[0].work["work_id"] == p.work_id
        print(f"{kind:14s} copy {verdicts['copy']:3d}  close {verdicts['close']:3d}  clear {verdicts['clear']:3d}  "
              f"named first {named}/{len(chosen)}")  # fmt: skip
    held = [p for p in corpus.filter(split="test", shippable=True)
            if p.work_id not in indexed and len(p.chords) >= 4 and p.melody() is not None and len(p.melody().notes) >= 16]  # fmt: skip
    print(f"{len(held)} held-out test pieces with chord symbols")
    for kind in VARIANTS:
        verdicts = Counter(check_piece(variant(p, kind, rng), index).verdict for p in held)
        print(f"held-out {kind:14s} copy {verdicts['copy']:3d}  close {verdicts['close']:3d}  clear {verdicts['clear']:3d}")
    sys.path.insert(0, "scripts")
    from evaluate_copy_guard import plant

    plants, hosts = [], [p for p in corpus.filter(split="test", shippable=True) if p.work_id not in indexed
                          and p.melody() is not None and len(p.melody().notes) >= 16 and p.keys]  # fmt: skip
    for i in rng.permutation(len(works)):
        made = plant(works[int(i)], hosts[int(rng.integers(len(hosts)))], rng)
        if made is not None:
            plants.append(made)
        if len(plants) >= n:
            break
    for kind in ("as planted", "arranged, played"):
        found = 0
        for piece, info in plants:
            query = piece if kind == "as planted" else _arranged(piece, rng)
            result = check_piece(query, index)
            found += result.verdict == "copy" and result.matches[0].work["work_id"] == info["source"]
        print(f"plants {kind:18s} copy with the source named first: {found}/{len(plants)}")


def _arranged(piece, rng):
    """The plant's melody over block triads (C3-B3) of I, IV or V of its key on every beat: the
    first of them holding the melody's pitch class at the beat (else I), played in."""
    melody = list(piece.tracks[0].notes)
    tonic = piece.keys[0].tonic_pc
    triads = [[(tonic + d) % 12 for d in (0, 4, 7)], [(tonic + d) % 12 for d in (5, 9, 0)], [(tonic + d) % 12 for d in (7, 11, 2)]]
    end = max(n.onset + n.duration for n in melody)
    chords = []
    for b in range(int(end)):
        sounding = [n.pitch % 12 for n in melody if n.onset <= b < n.onset + n.duration]
        triad = next((t for t in triads if sounding and sounding[0] in t), triads[0])
        chords += [Note(48 + pc, float(b), 1.0, 60) for pc in triad]
    out = copy.copy(piece)
    out.tracks = [Track("Piano", "melody", 0, False, sorted(_played(melody + chords, rng), key=lambda n: (n.onset, -n.pitch)))]
    return out


if __name__ == "__main__":
    main()
