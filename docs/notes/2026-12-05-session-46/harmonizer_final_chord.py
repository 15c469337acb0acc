"""Whether the harmonizer hears a V before a real folk tune's final tonic: the valid split's tunes
with chords, their chords taken away and the melody harmonized (`tunesmith.harmonize`), the chord
before the final tonic chord as a degree, against the tunes' own; and the melody's last distinct note
before its final one, as a degree, in the tunes and in N composed takes.

    python docs/notes/2026-12-05-session-46/harmonizer_final_chord.py N"""

from __future__ import annotations

import copy
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "2026-12-05-session-45"))
from final_cadence_chord import before_last  # noqa: E402

import tunesmith  # noqa: E402
from tunesmith.corpus.store import load_corpus  # noqa: E402
from tunesmith.score import pitch_class_of  # noqa: E402


def approach_degree(piece) -> int | None:
    notes = piece.melody().notes
    last = notes[-1].pitch if notes else None
    before = next((n.pitch for n in reversed(notes[:-1]) if n.pitch != last), None)
    return None if before is None else (before - pitch_class_of(piece.key.tonic)) % 12


def main() -> None:
    n = int(sys.argv[1])
    model = tunesmith.load_model("default")
    real, heard, real_notes, composed_notes = Counter(), Counter(), Counter(), Counter()
    for p in load_corpus().filter(split="valid", style="folk"):
        if sum(heard.values()) >= n:
            break
        if p.melody() is None or len(p.chords) < 8 or p.key is None:
            continue
        tonic = pitch_class_of(p.key.tonic)
        own = before_last(p, tonic)
        if own is None:
            continue
        bare = copy.deepcopy(p)
        bare.chords = []
        try:
            take = tunesmith.harmonize(bare, style="folk", model=model, seed=len(real))
        except ValueError:
            continue
        real[own] += 1
        real_notes[approach_degree(p)] += 1
        heard[before_last(take.piece, tonic) or "no tonic close"] += 1
    for s in range(n):
        composed_notes[approach_degree(tunesmith.compose("folk", bars=16, seed=s, model=model).piece)] += 1
    print("the tunes' own chords:", real.most_common())
    print("their melodies harmonized:", heard.most_common())
    print("last other note before the final one, semitones over the tonic: tunes", real_notes.most_common(),
          "composed", composed_notes.most_common())


if __name__ == "__main__":
    main()
