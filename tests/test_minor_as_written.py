"""New melody bars after given music in a minor key keep its sixth and seventh as it sings them
(`cocreate.inputs.minor_as_written`): a fiddler's A-minor reel (ABC `K:Am`, its F's natural) had
been continued with a B strain on F-sharps that sounded in G major. And composed folk in a minor
key leaves its tonic chord more often (the harmonizer's prior correction)."""

from __future__ import annotations

import pytest

from tunesmith import api
from tunesmith.cocreate.inputs import minor_as_written
from tunesmith.remarks import take_remarks
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track

AMIN_REEL = """X:3
T:Trial Reel in A minor
M:4/4
L:1/8
R:reel
K:Am
|:e|aeca aeca|gdBd gdBd|aeca aeca|gedB cAAe|
aeca aeca|gdBd g2 ga|bgaf gedB|cAGB A3:|
"""


def _tune(pitches: list[int], chords: tuple[str, ...] = (), layout: str = "lead") -> Piece:
    notes = [Note(p, float(i), 1.0) for i, p in enumerate(pitches)]
    return Piece("t", "t", style="folk", tracks=[Track("Melody", "melody", notes=notes)],
                 chords=[ChordSymbol(4.0 * i, f) for i, f in enumerate(chords)],
                 keys=[KeySignature(0.0, "A", "minor")], time_signatures=[TimeSignature(0.0, 4, 4)],
                 tempos=[Tempo(0.0, 100.0)])  # fmt: skip


NATURAL = [69, 67, 65, 64, 65, 67, 69, 72, 71, 69, 67, 65, 64, 62, 60, 69]  # F and G natural, 5 times


@pytest.mark.parametrize(
    ("pitches", "chords", "layout", "mode"),
    [
        (NATURAL, (), "lead", "aeolian"),
        ([68 if p == 67 else p for p in NATURAL], (), "lead", "minor"),  # a G-sharp: harmonic minor
        ([66 if p == 65 else p for p in NATURAL], (), "lead", "minor"),  # F-sharps: raised sixth
        (NATURAL, ("Am", "E7", "Am", "Am"), "lead", "minor"),  # the chords raise the seventh
        (NATURAL, ("Am", "G", "F", "Am"), "lead", "aeolian"),
        (NATURAL, (), "satb", "minor"),  # a chorale's leading tones are its lower voices'
        ([69, 64, 72, 71, 69, 64, 72, 71, 69, 69, 65, 69], (), "lead", "minor"),  # one F only: too little to say
    ],
)
def test_a_minor_key_that_never_raises_its_sixth_or_seventh_is_kept_natural(pitches, chords, layout, mode):
    piece = _tune(pitches, chords)
    assert minor_as_written(piece, "A", "minor", layout) == mode
    assert piece.meta.get("minor_as_written") == ("A aeolian" if mode == "aeolian" else None)


def test_a_major_key_or_a_mode_asked_is_left_alone():
    piece = _tune(NATURAL)
    assert minor_as_written(piece, "A", "dorian", "lead") == "dorian"
    assert minor_as_written(piece, "C", "major", "lead") == "major"


def test_a_natural_minor_reel_is_continued_in_its_own_scale(tmp_path):
    path = tmp_path / "amin.abc"
    path.write_text(AMIN_REEL)
    given_end = 64.0  # the A strain played twice: 16 bars of 4/4
    for take in api.continue_(path, bars=16, style="folk", seed=2, n=2):
        new = [n.pitch % 12 for n in take.piece.melody().notes if n.onset >= given_end]
        assert new and not {6, 8} & set(new)  # no F-sharp, no G-sharp
        assert 5 in new  # its own F natural
        assert "the given music sings A minor's sixth and seventh only unraised: the new bars keep them so, in A " \
               "aeolian (--mode minor lets them raise them)" in take_remarks(take.provenance)  # fmt: skip
    asked = api.continue_(path, bars=16, style="folk", seed=2, mode="minor")
    assert not any("only unraised" in remark for remark in take_remarks(asked.provenance))


def test_composed_folk_chords_sit_on_the_tonic_less_with_the_prior_correction(monkeypatch):
    """decoding.json's folk "chords_prior_correction" (0.5, session 61) divides the harmonizer's
    label probabilities by the labels' shares to that power: composed folk takes had sat on the
    tonic chord longer than the tunes (minor: 0.638 of chord time against 0.499)."""
    from tunesmith.harmony import parse_chord

    model = api.load_model("default")
    assert model.model.decoding["folk"]["chords_prior_correction"] == 0.5

    def tonic_time() -> float:
        on = total = 0.0
        for key in ("B", "E", "A"):
            for take in api.compose(style="folk", key=key, mode="minor", bars=16, seed=3, n=3, model=model, check=False):
                chords = sorted(take.piece.chords, key=lambda c: c.onset)
                for c, nxt in zip(chords, [*chords[1:], None]):
                    length = (nxt.onset if nxt else take.piece.duration()) - c.onset
                    total += length
                    on += length * (parse_chord(c.figure)[0] == take.piece.key.tonic_pc)
        return on / total

    corrected = tonic_time()
    monkeypatch.setitem(model.model.decoding["folk"], "chords_prior_correction", 0.0)
    plain = tonic_time()
    assert corrected < plain - 0.01
