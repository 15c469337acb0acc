"""Session 61: does relabelling by the final find the modes that editors wrote down? O'Neill's,
Ryan's and Aird's ABC (music21's corpus) name a mode in some K: fields (K:Ador, K:A Mixolydian).
Each such tune is given the label the Irish MIDI and Nottingham's ABC would give it (its
signature's major key; a minor K: keeps its minor label, as abc2midi's minor flag does), and the
rule (`RULE`, a function of a piece) says what it would be: the table is the editor's mode against
the rule's. Tunes the editor calls major (K:G) are counted too: the rule moving one is either a
modal tune its editor filed by signature or a mistake, and SHOW prints some to read.

    python docs/notes/2026-12-07-session-61/modal_rule_check.py [RULE] [SHOW]
"""

import collections
import importlib
import runpy
import sys

from tunesmith.corpus import load_corpus
from tunesmith.harmony import key_from_sharps, sharps_of
from tunesmith.metrics._common import melody_line

SOURCES = ("oneills1850", "ryansMammoth", "airdsAirs")


def load_rule(spec: str):
    if spec == "default":
        from tunesmith.harmony import settle_modal_final

        def rule(piece):  # settle_modal_final moves the key in place: undo it, return the key
            keys, meta = list(piece.keys), dict(piece.meta)
            if not settle_modal_final(piece):
                return None
            new = piece.keys[0]
            piece.keys, piece.meta = keys, meta
            return new

        return rule
    path, func = spec.rsplit(":", 1)
    if path.endswith(".py"):
        return runpy.run_path(path)[func]
    return getattr(importlib.import_module(path), func)


def main(spec: str, show: int) -> None:
    rule = load_rule(spec)
    table = collections.Counter()
    shown = collections.Counter()
    for p in load_corpus(None).filter(style="folk"):
        if p.source not in SOURCES or not p.keys or len({(k.tonic, k.mode) for k in p.keys}) != 1:
            continue
        if len(melody_line(p)) < 8:
            continue
        true = p.keys[0]
        label = key_from_sharps(sharps_of(true), "major") if true.mode in ("dorian", "mixolydian") else true
        keys = p.keys
        p.keys = [label]
        new = rule(p)
        p.keys = keys
        got = (new.tonic_pc, new.mode) if new is not None else (label.tonic_pc, label.mode)
        right = got == (true.tonic_pc, true.mode)
        table[(true.mode, "kept" if new is None else new.mode, right)] += 1
        if new is not None and not right and shown[true.mode] < show:
            shown[true.mode] += 1
            print(f"  {p.source:<12} {p.title[:36]:<36} {true.tonic} {true.mode} -> {new.tonic} {new.mode}")
    by_true = collections.defaultdict(collections.Counter)
    for (true, got, right), n in table.items():
        by_true[true][f"{got}{'' if right else ' (wrong)'}"] += n
    for true, c in sorted(by_true.items()):
        n = sum(c.values())
        print(f"editor's {true}: {n} tunes; " + ", ".join(f"{k} {v}" for k, v in c.most_common()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "default",
         int(sys.argv[2]) if len(sys.argv) > 2 else 0)  # fmt: skip
