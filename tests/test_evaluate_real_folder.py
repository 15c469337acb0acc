"""`scripts/evaluate_musicality.py --real STYLE=PATH[,PATH...]`: a style's real pieces read from
files or folders the project has never seen (issue #9), not from the corpus split."""

from __future__ import annotations

import json

from script_loader import load_script

SET = """X:1
T:First Reel
M:4/4
L:1/8
K:D
|:DFAF dFAF|GBdB AFEF|DFAF dFAF|GBAG FDD2:|

X:2
T:Second Air
M:3/4
L:1/8
K:G
G2 B2 d2|e2 d2 B2|A2 G2 E2|D6|G2 B2 d2|g2 f2 e2|d2 B2 A2|G6|]
"""
JIG = """X:1
T:A Jig
M:6/8
L:1/8
K:Ador
|:EAA ABc|BGG GAB|EAA ABc|BGE EAA:|
"""
HORNPIPE = """X:1
T:A Hornpipe
M:4/4
L:1/8
K:A
|:(3efg|aecA ceae|fdBd cAFA|EAce afed|cABG A2:|
"""


class NoCorpus:
    """The corpus cache stands in empty: the real pieces come from the files alone."""

    def filter(self, **kwargs):
        return []


def test_real_pieces_come_from_the_files(tmp_path, monkeypatch, tiny_model_folder, capsys):
    import tunesmith.corpus as corpus_module

    monkeypatch.setattr(corpus_module, "load_corpus", lambda folder=None: NoCorpus())
    monkeypatch.chdir(tmp_path)
    tunes = tmp_path / "tunes"
    tunes.mkdir()
    (tunes / "set.abc").write_text(SET)  # two tunes in one file
    (tunes / "jig.abc").write_text(JIG)
    (tunes / "broken.abc").write_text("X:1\nT:Broken\nM:4/4\nL:1/8\nK:Zz\n|:[[[ ABc:|\n")
    (tmp_path / "hornpipe.abc").write_text(HORNPIPE)  # a file beside the folder
    (tmp_path / "again.abc").write_text(JIG)  # the same jig again: counted once

    script = load_script("scripts/evaluate_musicality.py")
    out = tmp_path / "report.json"
    assert script.main(["--model", f"tiny={tiny_model_folder}", "--styles", "folk", "--per-style", "4",
                        "--real", "folk=tunes,hornpipe.abc,again.abc", "--json", str(out)]) == 0  # fmt: skip

    report = json.loads(out.read_text())
    row = report["styles"]["folk"]
    assert row["n_real"] == 4 and row["tiny"]["n_takes"] == 4  # the four tunes, one take each
    real = report["data"]["folk"]["real"]
    assert real["paths"] == ["tunes", "hornpipe.abc", "again.abc"]  # as given, no machine paths
    assert real["files"] == ["tunes/jig.abc", "tunes/set.abc", "hornpipe.abc", "again.abc"]
    assert real["unreadable_files"] == ["tunes/broken.abc"] and real["repeats"] == 1 and real["pieces"] == 4
    assert report["data"]["folk"]["pieces"] == 4 and report["data"]["folk"]["split"] is None and report["split"] is None
    printed = capsys.readouterr().out
    assert "4 real pieces from 4 files; skipped: 1 unreadable files" in printed and "1 repeats" in printed
    assert str(tmp_path) not in out.read_text()
