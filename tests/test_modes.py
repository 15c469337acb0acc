"""Church modes (dorian, phrygian, lydian, mixolydian, aeolian, locrian): the shipped model learned
only major and minor keys (`sampling.MODEL_MODES`), and asked for D dorian it wrote D major under
a dorian key signature (F-sharps, C-sharps, A7). A take in a mode is now composed under its
family's header, held to the mode's scale (melody, chords, cadences) and given the mode's own
degrees (`sampling.MODE_MOVES`); every way chords are chosen keeps to the mode's own chords."""

from __future__ import annotations

import pytest

from tunesmith import api, harmony
from tunesmith.score import pitch_class_of
from tunesmith.tokenizer import scale_pitch_classes


def pitch_classes(piece) -> list[int]:
    return [n.pitch % 12 for t in piece.tracks for n in t.notes]


def outside(piece, key: str, mode: str) -> tuple[list[int], list[str]]:
    """(notes, chord symbols) of `piece` with a pitch class outside the mode's scale."""
    scale = scale_pitch_classes(pitch_class_of(key), mode)
    notes = [pc for pc in pitch_classes(piece) if pc not in scale]
    chords = [c.figure for c in piece.chords if not harmony.chord_pitch_classes(c.figure) <= scale]
    return notes, chords


@pytest.mark.parametrize(
    ("style", "key", "mode"),
    [("folk", "D", "dorian"), ("folk", "G", "mixolydian"), ("pop", "F", "lydian"), ("jazz", "E", "phrygian"),
     ("chorale", "A", "aeolian"), ("chorale", "D", "dorian"), ("folk", "B", "locrian")],
)  # fmt: skip
def test_a_take_in_a_church_mode_keeps_to_its_scale(style, key, mode):
    takes = api.compose(style, key=key, mode=mode, bars=8, seed=4, n=3, check=False)
    for take in takes:
        assert outside(take.piece, key, mode) == ([], [])
        assert take.piece.key.mode == mode  # written in the mode asked for (its key signature)
        assert take.provenance["request"]["mode"] == mode
        # notes no shorter than a sixteenth-note triplet: the mode's rules leave every voice a way on
        assert min(n.duration for t in take.piece.tracks for n in t.notes) >= 1 / 6 - 1e-6


@pytest.mark.parametrize(("style", "key", "mode"), [("jazz", "E", "phrygian"), ("folk", "B", "locrian")])
def test_a_half_close_in_a_mode_whose_fifth_degree_has_no_fifth_rests_on_iv(style, key, mode):
    """Phrygian's and locrian's fifth degree has no perfect fifth in the mode (E phrygian's B D F):
    16-bar takes, whose form has half closes, had left the mode there (Bm, B7, F#7). Their half
    close now rests on iv, a chord of the mode."""
    takes = api.compose(style, key=key, mode=mode, bars=16, seed=0, n=2, check=False)
    iv = harmony.chord_pitch_classes({"E": "Am", "B": "Em"}[key])
    for take in takes:
        assert outside(take.piece, key, mode) == ([], [])
    assert any(harmony.chord_pitch_classes(c.figure) >= iv for take in takes for c in take.piece.chords)


def test_the_model_is_told_the_family_and_the_mode_is_heard():
    from tunesmith.pretrained import load
    from tunesmith.sampling import ComposeRequest, prompt_ids

    model, tok, _ = load("default")
    header = prompt_ids(tok, ComposeRequest(style="folk", key="G", mode="mixolydian", bars=8))
    assert tok.mode_id("major") in header and tok.mode_id("mixolydian") not in header
    # G mixolydian's flat seventh (F natural) sounds: told G major and held to the scale alone,
    # the model wrote no F at all; its F-sharps now become F-naturals
    takes = api.compose("folk", key="G", mode="mixolydian", bars=8, seed=1, n=6, check=False)
    pcs = [pc for t in takes for pc in pitch_classes(t.piece)]
    assert pcs.count(5) / len(pcs) >= 0.02 and 6 not in pcs
    lydian = api.compose("folk", key="F", mode="lydian", bars=8, seed=1, n=6, check=False)
    pcs = [pc for t in lydian for pc in pitch_classes(t.piece)]
    assert pcs.count(11) / len(pcs) >= 0.02 and 10 not in pcs  # B natural, the raised fourth


def test_major_and_minor_are_as_they_were():
    """Only a church mode is mapped: a major or minor take keeps the model's own header and no
    scale rule (here a D major folk take still has its F-sharps and may leave the scale)."""
    take = api.compose("folk", key="D", mode="major", bars=8, seed=4, check=False)
    assert 6 in pitch_classes(take.piece)


def test_a_modulation_outside_the_mode_is_refused_with_one_clear_line():
    with pytest.raises(ValueError, match=r"modulation 'iv': its key's tonic triad is not in the scale of D dorian"):
        api.compose("chorale", key="D", mode="dorian", bars=12, seed=1, modulation="iv", form="none", check=False)
    take = api.compose("chorale", key="D", mode="dorian", bars=12, seed=1, modulation="III", form="none", check=False)
    assert take.provenance["resolved"]["modulation"]["to"] == "III"
    assert outside(take.piece, "D", "dorian") == ([], [])


def test_the_harmonizer_gives_a_modal_tune_the_modes_own_chords():
    """A D dorian tune without chords (a melody of its scale, its B naturals too) harmonized as a
    lead sheet: the chords are D dorian's (before: G minor over a bar with a B natural)."""
    from tunesmith.harmonizer import load_harmonizer, reharmonize
    from tunesmith.score import KeySignature, Note, Piece, TimeSignature, Track

    line = [69, 67, 65, 64, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 64, 62, 64, 60, 62, 62, 62, 62, 62, 62]
    notes = [Note(p, i * 1.0, 1.0) for i, p in enumerate(line)]
    piece = Piece(piece_id="d", work_id="d", style="folk", tracks=[Track("melody", "melody", notes=notes)],
                  keys=[KeySignature(0.0, "D", "dorian")], time_signatures=[TimeSignature(0.0, 4, 4)])  # fmt: skip
    reharmonize(piece, load_harmonizer())
    assert piece.chords and outside(piece, "D", "dorian")[1] == []


def test_co_create_keeps_a_modal_piece_in_its_mode(tmp_path):
    take = api.compose("folk", key="D", mode="dorian", bars=8, seed=4, check=False)
    more = api.continue_(take, bars=4, seed=3)
    assert outside(more.piece, "D", "dorian") == ([], [])
    chorale = api.harmonize(take, style="chorale", seed=3)
    assert outside(chorale.piece, "D", "dorian")[0] == []


def test_tuning_refuses_a_church_mode():
    from tunesmith.solvers.policy_gradient import TuneConfig

    with pytest.raises(ValueError, match=r"modes = \['dorian'\]: each one of major, minor"):
        TuneConfig(modes=["dorian"])


# ------------------------------------------------------------------------------ the header's tempo
def test_the_model_is_told_the_nearest_tempo_its_style_was_learned_at():
    from tunesmith.sampling.decode import header_tempo

    folk = {"header_tempos": [120, 144, 160, 176]}
    assert header_tempo(165.0, folk) == 160 and header_tempo(140.0, folk) == 144 and header_tempo(60.0, folk) == 120
    assert header_tempo(72.0, {"header_tempos": [120]}) == 120
    assert header_tempo(72.0, {}) == 72.0  # a model that does not say: the tempo asked for


def test_a_jazz_take_at_its_default_tempo_is_not_written_in_triplets():
    """Told 144 (jazz's default 140), the model wrote as the 72 Irish hornpipes it saw at that
    tempo, in swung triplets (a third to three quarters of the notes); the jazz tunes it learned
    from, all at 120, have 2 %. The take keeps the tempo asked for and records what the model was told."""
    from tunesmith.pretrained import load

    _, tok, _ = load("default")
    takes = api.compose("jazz", key="F", bars=8, tempo=140, seed=1, n=6, check=False)
    lengths = [round(n.duration * 12) for t in takes for n in t.piece.tracks[0].notes]
    assert (lengths.count(4) + lengths.count(8)) / len(lengths) < 0.1
    for t in takes:
        assert t.piece.tempo == 140 and t.provenance["resolved"]["header_tempo"] == 120
        assert tok.ids["Tempo_120"] in t.raw.tokens[:12]
    more = api.continue_(takes[0], bars=4, seed=2)
    assert tok.ids["Tempo_120"] in more.raw.tokens[:12] and more.piece.tempo == 140


def test_a_bad_header_tempo_list_is_refused(tmp_path):
    from tunesmith.inference import read_decoding

    (tmp_path / "decoding.json").write_text('{"jazz": {"header_tempos": [121]}}')
    with pytest.raises(ValueError, match=r"jazz: header_tempos must be a list of tempo buckets"):
        read_decoding(tmp_path)
