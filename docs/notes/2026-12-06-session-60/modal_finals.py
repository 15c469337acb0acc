"""Session 60: folk tunes whose key names their signature, not their final. A tune in E dorian is
written with D major's signature, and the Irish MIDI files (abc2midi's key signature: sharps and a
major/minor flag) and Nottingham's ABC (no modes in any K: field) label it D major; it ends on E.
Counted here per source and split: the tune's last melody note against its label, and how many a
relabelling by the final would name in another mode of the same signature (the final is a degree
of the signature's scale other than the labelled tonic, one of the tune's three longest-held pitch
classes, and the last chord, where there is one, is the triad the mode has on it).

    python docs/notes/2026-12-06-session-60/modal_finals.py [SPLIT] [SHOW]
"""

import collections
import sys

from tunesmith.corpus import load_corpus
from tunesmith.harmony import key_from_sharps, parse_chord, sharps_of
from tunesmith.metrics._common import melody_line
from tunesmith.tokenizer import scale_pitch_classes

# the mode on each degree of a major scale (semitones over the major tonic)
MODE_ON_DEGREE = {0: "major", 2: "dorian", 4: "phrygian", 5: "lydian", 7: "mixolydian", 9: "minor", 11: "locrian"}
MINOR_THIRD = {"dorian", "phrygian", "minor", "locrian"}


def modal_final(piece):
    """The key (same signature) whose tonic is the tune's final, or None when the label stands."""
    if len({(k.tonic, k.mode) for k in piece.keys}) != 1:
        return None
    key = piece.keys[0]
    line = melody_line(piece)
    if len(line) < 8:
        return None
    final = line[-1].pitch % 12
    major_pc = key_from_sharps(sharps_of(key), "major").tonic_pc
    degree = (final - major_pc) % 12
    mode = MODE_ON_DEGREE.get(degree)
    if mode is None or final == key.tonic_pc or mode in ("phrygian", "lydian", "locrian"):
        return None
    held = collections.Counter()
    for n in line:
        held[n.pitch % 12] += n.duration
    if final not in [pc for pc, _ in held.most_common(3)]:
        return None
    if piece.chords:
        try:
            root, quality, _ = parse_chord(piece.chords[-1].figure)
        except ValueError:
            return None
        minor = quality.startswith("m") and not quality.startswith("maj")
        if root != final or minor != (mode in MINOR_THIRD):
            return None
    if not set(scale_pitch_classes(final, mode)) >= {p for p in held if held[p] > 0.02 * sum(held.values())}:
        return None  # notes outside the mode's scale (an accidental-heavy tune): leave it
    return key_from_sharps(sharps_of(key), mode)


def main(split: str = "valid", show: int = 0) -> None:
    corpus = load_corpus(None)
    for source in ("irish", "nottingham", "oneills1850", "ryansMammoth", "airdsAirs", "essen"):
        rows = collections.Counter()
        shown = 0
        for p in corpus.filter(split=split, style="folk"):
            if p.source != source:
                continue
            line = melody_line(p)
            if not line or not p.keys:
                continue
            new = modal_final(p)
            rows["tunes"] += 1
            rows["ends on label's tonic"] += line[-1].pitch % 12 == p.keys[0].tonic_pc
            rows["relabelled"] += new is not None
            if new is not None:
                rows[f"-> {new.mode}"] += 1
            rows["ends on tonic, relabelled"] += line[-1].pitch % 12 == (new or p.keys[0]).tonic_pc
            if new is not None and shown < show:
                shown += 1
                print(f"  {p.title[:34]:<34} {p.keys[0].tonic} {p.keys[0].mode} -> {new.tonic} {new.mode}")
        n = rows.pop("tunes", 0)
        if n:
            print(f"{split} {source}: {n} tunes; " + ", ".join(
                f"{k} {v} ({v / n:.3f})" for k, v in rows.items()))  # fmt: skip


def closing_degrees(split: str = "train") -> None:
    """The shippable tunes' closing degree (root, third, fifth, other of the tonic triad), as
    `sampling.request.FINAL_DEGREE_SHARES` counts it, with the labels as built and relabelled."""
    from tunesmith.licenses import may_ship
    from tunesmith.sampling.request import tonic_triad

    counts = {"as built": collections.Counter(), "relabelled": collections.Counter()}
    for p in load_corpus(None).filter(split=split, style="folk"):
        line = melody_line(p)
        if not may_ship(str(p.license)) or not line or not p.keys:
            continue
        for name, key in (("as built", p.keys[0]), ("relabelled", modal_final(p) or p.keys[0])):
            root, third, fifth = tonic_triad(key.tonic_pc, key.mode)
            pc = line[-1].pitch % 12
            counts[name][{root: "root", third: "third", fifth: "fifth"}.get(pc, "other")] += 1
    for name, c in counts.items():
        n = sum(c.values())
        print(f"{split} shippable folk, labels {name}: {n} tunes, " + ", ".join(
            f"{k} {c[k] / n:.3f}" for k in ("root", "third", "fifth", "other")))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "valid", int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    closing_degrees("train")
