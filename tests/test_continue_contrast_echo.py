"""A continuation's contrasting strain (a B after the given A strain) does not sing the A strain's
notes where it had them (`automaton.CONTRAST_ECHO_PENALTY`, `cocreate.decode._echo`): continuing a
session fiddler's jig, the new strain had sung 0.77 of its notes at the A strain's places."""

from __future__ import annotations

JIG = """X:1
T:Test jig
M:6/8
L:1/8
R:jig
K:D
|:dfe dcB|AFA DFA|Bcd efg|fed e2A|dfe dcB|AFA DFA|Bcd AFE|D3 D3:|
"""


def _at_a_places(piece, given_bars: int) -> float:
    starts = piece.bars()
    same = total = 0
    for k in range(len(starts) - given_bars):
        a, b = k % 8, given_bars + k
        end_a = starts[a + 1]
        end_b = starts[b + 1] if b + 1 < len(starts) else piece.duration()
        na = {(round(x.onset - starts[a], 3), x.pitch) for x in piece.melody().notes if starts[a] <= x.onset < end_a}
        nb = {(round(x.onset - starts[b], 3), x.pitch) for x in piece.melody().notes if starts[b] <= x.onset < end_b}
        same += len(na & nb)
        total += len(nb)
    return same / total


def test_a_contrasting_strain_leaves_the_a_strains_notes(tmp_path, monkeypatch):
    import tunesmith
    from tunesmith.sampling import automaton

    path = tmp_path / "jig.abc"
    path.write_text(JIG)
    model = tunesmith.load_model("default")

    def share() -> float:
        takes = [tunesmith.continue_(path, bars=8, seed=s, model=model) for s in range(6)]
        assert all(t.provenance["request"]["resolved"]["contrast"] for t in takes)
        return sum(_at_a_places(t.piece, 16) for t in takes) / len(takes)

    contrasted = share()
    monkeypatch.setattr(automaton, "CONTRAST_ECHO_PENALTY", 0.0)
    assert contrasted < share() - 0.15
