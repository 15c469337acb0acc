"""A chorale's passage through a related key: the local-key measure that shows Bach's chorales
leave home and the takes did not, and the drawn modulation that makes a take do so.

Untrained models: what is tested is the wiring (where the passage may lie, that its bias points
from the home key toward the new one, that it is recorded and replayed), which holds whatever
the weights are. Whether the music improves is measured on real chorales, not here."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tunesmith.metrics import musicality as mm
from tunesmith.model import GPT, ModelConfig
from tunesmith.sampling import ComposeRequest, Constrainer, compose_tables, feedback, generate, prompt_ids
from tunesmith.score import KeySignature, Note, Piece, Tempo, TimeSignature, Track
from tunesmith.tokenizer import Tokenizer

MAJOR = [0.22, 0.0, 0.13, 0.0, 0.14, 0.1, 0.01, 0.2, 0.0, 0.1, 0.01, 0.09]  # time per degree: scale, little else
MINOR = [0.22, 0.0, 0.12, 0.15, 0.0, 0.12, 0.0, 0.2, 0.06, 0.02, 0.05, 0.06]
PROFILES = {fam: {v: prof for v in "SATB"} for fam, prof in (("major", MAJOR), ("minor", MINOR))}


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


def chorale_model(tok: Tokenizer, gain: float) -> GPT:
    torch.manual_seed(4)
    cfg = ModelConfig(vocab_size=tok.vocab_size, block_size=768, n_layer=1, n_head=2, n_embd=16, metric=True)
    model = GPT(cfg).eval()
    model.decoding = {"chorale": {"degree_profile": PROFILES, "modulation_gain": gain}}
    return model


def _four_parts(chords: list[tuple[int, ...]], key=("C", "major")) -> Piece:
    """One whole-note chord a bar, its tones spread over four voices."""
    tracks = [Track(name, name.lower(), notes=[Note(c[i], 4.0 * b, 4.0) for b, c in enumerate(chords)])
              for i, name in enumerate(("Soprano", "Alto", "Tenor", "Bass"))]  # fmt: skip
    return Piece(
        piece_id="c", work_id="c", tracks=tracks, keys=[KeySignature(0.0, *key)],
        time_signatures=[TimeSignature(0.0, 4, 4)], tempos=[Tempo(0.0, 80)],
        bar_onsets=[4.0 * b for b in range(len(chords))], end=4.0 * len(chords),
    )  # fmt: skip


def test_local_keys_follow_a_move_to_the_dominant():
    c, f, g = (72, 64, 55, 48), (72, 65, 57, 53), (71, 67, 62, 55)
    d7, g2, em = (66, 62, 57, 50), (74, 71, 67, 55), (71, 67, 64, 52)
    home = _four_parts([c, f, g, c, c, f, g, c])
    assert mm.local_keys(home, 4) == [(0, "major")] * 5  # I IV V I, twice: C major throughout
    # two bars of I and IV alone lean to F (Bach's chorales pass through IV as often as through V)
    assert mm.local_keys(home, 2)[:3] == [(5, "major"), (5, "major"), (0, "major")]
    away = _four_parts([c, f, g, c, d7, g2, d7, g2, em, d7, g2, g2])  # C major, then G major with its F-sharp
    keys = mm.local_keys(away, 2)
    assert len(keys) == 11 and keys[2] == (0, "major") and keys[4:7] == [(7, "major")] * 3 and keys[-1] == (7, "major")
    assert mm.home_key_share(away) == pytest.approx(2 / 11)
    assert mm.home_key_share(home) == pytest.approx(3 / 7)
    assert mm.home_key_share(_four_parts([c, f, g, c], key=("G", "major"))) == 0.0  # heard in F and C, not G
    assert mm.home_key_share(_four_parts([c, f, g, c], key=("C", "major")), window_bars=4) == 1.0
    assert np.isnan(mm.home_key_share(_four_parts([]))) and mm.local_keys(_four_parts([])) == []


def test_the_bias_turns_the_home_keys_habits_into_the_new_keys(tok):
    request = ComposeRequest(style="chorale", key="C", mode="major", bars=12, form="", seed=1)
    tables = compose_tables(tok, request, 768)
    feedback.set_modulation(tables, request, {"degree_profile": PROFILES, "modulation_gain": 1.0})
    names = [n for n, _ in tables.modulations]
    assert names == ["IV", "V", "vi", "ii"]
    assert sum(w for _, w in tables.modulations) == pytest.approx(1.0)
    degrees = tables.pitch_degrees
    toward_g = tables.modulation_bias["V"][0]  # the soprano's offsets, C major toward G major
    assert toward_g[degrees == 6].min() > 0 > toward_g[degrees == 5].max()  # F-sharp up, F down
    toward_f = tables.modulation_bias["IV"][3]
    assert toward_f[degrees == 10].min() > 0 > toward_f[degrees == 11].max()  # B-flat up, B down
    assert np.abs(toward_g).max() <= feedback.FEEDBACK_CLIP
    # the passage: 2 bars of 12, in bars 4..9, clear of the last two bars
    assert tables.modulation_span == 2 and tables.modulation_starts == list(range(4, 9))


def test_the_passage_keeps_clear_of_cadences_and_repeated_bars(tok):
    request = ComposeRequest(style="chorale", key="G", mode="major", bars=12, form="A4A4B4", seed=1)
    tables = compose_tables(tok, request, 768)
    feedback.set_modulation(tables, request, {"degree_profile": PROFILES, "modulation_gain": 1.0})
    passage = {b for s in tables.modulation_starts for b in range(s, s + tables.modulation_span)}
    assert passage and passage <= {8, 9}  # the Abgesang: the Stollen is sung twice, the last two bars close
    for off in ({"degree_profile": PROFILES, "modulation_gain": 0.0}, {"modulation_gain": 1.0},
                {"degree_profile": {"major": MAJOR}, "modulation_gain": 1.0}):  # fmt: skip
        t = compose_tables(tok, request, 768)
        feedback.set_modulation(t, request, off)
        assert t.modulations == []  # no gain, no profiles, or no profile per voice: nothing drawn
    lead = ComposeRequest(style="folk", key="G", bars=12, seed=1)
    t = compose_tables(tok, lead, 768)
    feedback.set_modulation(t, lead, {"degree_profile": PROFILES, "modulation_gain": 1.0})
    assert t.modulations == []  # only styles with measured modulations (chorales)
    short = ComposeRequest(style="chorale", key="G", bars=4, form="", seed=1)
    t = compose_tables(tok, short, 768)
    feedback.set_modulation(t, short, {"degree_profile": PROFILES, "modulation_gain": 1.0})
    assert t.modulations == []  # four bars leave no room to set out the key, leave and come home


def test_takes_draw_record_and_replay_their_modulation(tok, monkeypatch):
    monkeypatch.setitem(feedback.MODULATION_SHARES, "chorale", {"major": {"V": 1.0}, "minor": {"III": 1.0}})
    request = ComposeRequest(style="chorale", key="C", mode="major", bars=12, form="", seed=2)

    def sharps(gain: float) -> tuple[float, list]:
        on = total = 0.0
        drawn = []
        for take in generate(chorale_model(tok, gain), tok, request, n=8):
            mod = take.meta.get("modulation")
            drawn.append(mod)
            first, after = (mod[1], mod[2]) if mod else (6, 8)
            for tr in take.piece.tracks:
                for n in tr.notes:
                    if 4.0 * first <= n.onset < 4.0 * after:
                        total += n.duration
                        on += n.duration * (n.pitch % 12 == 6)
        return on / total, drawn

    plain, none = sharps(0.0)
    shifted, drawn = sharps(2.0)
    assert none == [None] * 8
    assert all(d[0] == "V" and 4 <= d[1] <= 8 and d[2] == d[1] + 2 for d in drawn)
    assert len({d[1] for d in drawn}) > 1  # the passage's place is drawn too
    assert shifted > plain + 0.05  # toward G major: F-sharp where there was almost none
    # replay: the automaton a take was sampled under, with the modulation it drew
    take = generate(chorale_model(tok, 2.0), tok, request, n=1)[0]
    auto = Constrainer(compose_tables(tok, request, 768), len(prompt_ids(tok, request)))
    auto.replay_ending(take.meta)
    assert list(auto.modulation) == take.meta["modulation"]
    assert auto.drawn_ending()["modulation"] == take.meta["modulation"]


def test_the_take_json_says_where_it_modulates(monkeypatch):
    from tunesmith.api import _modulation_record

    assert _modulation_record({"modulation": ["V", 6, 8]}) == {"modulation": {"to": "V", "bars": [7, 8]}}
    assert _modulation_record({}) == {}


def test_per_voice_profiles_and_the_gain_are_checked_in_the_decoding_file(tmp_path):
    import json

    from tunesmith.inference import read_decoding

    chorale = {"degree_profile": PROFILES, "modulation_gain": 1.5}
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": chorale}))
    assert read_decoding(tmp_path) == {"chorale": chorale}
    bad_rows = {"major": {"S": MAJOR[:11]}}, {"major": {"X": MAJOR}}, {"dorian": {"S": MAJOR}}, {"major": {"S": [0.5] * 12}}
    for bad in bad_rows:
        (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "degree_profile": bad}}))
        with pytest.raises(ValueError, match="chorale: degree_profile"):
            read_decoding(tmp_path)
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "modulation_gain": 5}}))
    with pytest.raises(ValueError, match=r"chorale: modulation_gain must be in \[0, 4\]"):
        read_decoding(tmp_path)


def test_the_fit_script_measures_keys_and_voice_profiles_on_known_pieces():
    from script_loader import load_script

    fit = load_script("scripts/fit_modulation.py")
    c, f, g = (72, 64, 55, 48), (72, 65, 57, 53), (71, 67, 62, 55)
    d7, g2, em = (66, 62, 57, 50), (74, 71, 67, 55), (71, 67, 64, 52)
    away = _four_parts([c, f, g, c, d7, g2, d7, g2, em, d7, g2, g2])
    shares = fit.key_shares([away])  # its eleven 2-bar windows, as local_keys hears them (see above)
    assert shares["home"] == pytest.approx(2 / 11, abs=1e-3) and shares["V"] == pytest.approx(5 / 11, abs=1e-3)
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.01)
    prof = fit.voice_profile(_four_parts([c, g]))
    assert prof.shape == (4, 12) and np.allclose(prof.sum(1), 1.0)
    assert prof[0, 0] == pytest.approx(0.5) and prof[0, 11] == pytest.approx(0.5)  # the soprano: C, then B
    assert prof[3, 0] == pytest.approx(0.5) and prof[3, 7] == pytest.approx(0.5)  # the bass: C, then G


def test_tonal_feedback_steers_each_chorale_voice_by_its_own_profile(tok):
    """A per-voice profile (here: all time on the tonic triad) pulls every voice toward it, each
    by its own time so far, not the soprano's alone."""
    triad = [0.4, 0, 0, 0, 0.3, 0, 0, 0.3, 0, 0, 0, 0]
    # the interval feedback off: it carries the voices' unison and chord-on-the-beat penalties too,
    # which move the lower voices' pitch classes on their own
    request = ComposeRequest(style="chorale", key="C", mode="major", bars=8, form="", seed=4, interval_feedback=0.0)

    def triad_share(gain: float) -> list[float]:
        model = chorale_model(tok, 0.0)
        model.decoding["chorale"].update({"degree_profile": {"major": {v: triad for v in "SATB"}}, "tonal_feedback": gain})
        on, total = np.zeros(4), np.zeros(4)
        for take in generate(model, tok, request, n=16):  # 6 had let one voice's share swing by 0.1 either way
            for v, tr in enumerate(take.piece.tracks[:4]):
                for n in tr.notes:
                    total[v] += n.duration
                    on[v] += n.duration * (n.pitch % 12 in (0, 4, 7))
        return list(on / total)

    off, on = triad_share(0.0), triad_share(2.0)
    assert all(b > a + 0.1 for a, b in zip(off, on)), (off, on)


def test_the_modulation_control_is_checked_with_one_clear_line():
    assert ComposeRequest(style="chorale", bars=12, modulation="V").modulation == "V"
    assert ComposeRequest(style="chorale", bars=12, modulation="None").modulation == "none"
    assert ComposeRequest(style="chorale", bars=12, modulation="auto").modulation is None
    assert ComposeRequest(style="folk", bars=12, modulation="none").modulation == "none"
    with pytest.raises(ValueError, match=r"unknown modulation 'X'; one of none, auto, IV, V, vi, ii"):
        ComposeRequest(style="chorale", bars=12, modulation="X")
    with pytest.raises(ValueError, match="only chorales pass through a related key; a folk take keeps its key"):
        ComposeRequest(style="folk", bars=12, modulation="V")
    with pytest.raises(ValueError, match="modulation 'V' needs 8 bars or more"):
        ComposeRequest(style="chorale", bars=6, modulation="V")


def test_a_named_modulation_is_the_one_every_take_draws(tok):
    model = chorale_model(tok, 2.0)
    takes = generate(model, tok, ComposeRequest(style="chorale", key="C", bars=12, form="", seed=3, modulation="vi"), n=6)
    assert {t.meta["modulation"][0] for t in takes} == {"vi"}
    assert len({t.meta["modulation"][1] for t in takes}) > 1  # its place is still drawn
    kept = generate(model, tok, ComposeRequest(style="chorale", key="C", bars=12, form="", seed=3, modulation="none"), n=4)
    assert all("modulation" not in t.meta for t in kept)
    drawn = generate(model, tok, ComposeRequest(style="chorale", key="C", bars=12, form="", seed=3), n=12)
    assert len({t.meta["modulation"][0] for t in drawn}) > 1  # by default, drawn as Bach's chorales go
    without = chorale_model(tok, 0.0)  # a model whose decoding cannot modulate
    with pytest.raises(ValueError, match="modulation 'vi': this model has no modulation for chorale"):
        generate(without, tok, ComposeRequest(style="chorale", key="C", bars=12, form="", seed=3, modulation="vi"))


def test_compose_and_its_cli_take_the_control(tmp_path):
    import json

    from tunesmith.api import compose
    from tunesmith.cli import main

    take = compose(style="chorale", key="D", bars=12, seed=2, modulation="V", form="none", check=False)
    assert take.provenance["resolved"]["modulation"]["to"] == "V"
    assert take.provenance["request"]["modulation"] == "V"
    out = tmp_path / "c"
    assert main(["compose", "--style", "chorale", "--key", "D", "--bars", "12", "--form", "none", "--seed", "2",
                 "--modulation", "none", "--out", str(out), "--no-audio"]) == 0  # fmt: skip
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["request"]["modulation"] == "none" and "modulation" not in meta["resolved"]


@pytest.mark.parametrize(("name", "bass", "triad"), [("V", 7, {7, 11, 2}), ("vi", 9, {9, 0, 4}), ("IV", 5, {5, 9, 0})])
def test_the_passage_closes_with_a_cadence_in_its_key(tok, name, bass, triad):
    """In the passage's last beat the bass sounds only the new tonic and every voice only tones
    of its triad, as Bach's phrases close in the key they have reached (C major here)."""
    model = chorale_model(tok, 2.0)
    request = ComposeRequest(style="chorale", key="C", bars=12, form="", seed=6, modulation=name)
    for take in generate(model, tok, request, n=4):
        end = 4.0 * take.meta["modulation"][2]
        last_beat = [{n.pitch % 12 for n in tr.notes if n.onset < end and n.onset + n.duration > end - 1.0}
                     for tr in take.piece.tracks]  # fmt: skip
        assert last_beat[-1] == {bass} and all(pcs <= triad for pcs in last_beat), (take.meta["modulation"], last_beat)


def test_a_modulated_take_replays_under_its_own_masks(tok):
    """The policy-gradient solver rebuilds a take's automaton from its request and meta
    (`replay_masks`): a drawn passage's cadence must be found there, and every token of the take
    must be allowed where it was drawn."""
    from tunesmith.solvers.policy_gradient import replay_masks

    request = ComposeRequest(style="chorale", key="G", mode="minor", bars=12, form="", seed=9, modulation="III")
    for take in generate(chorale_model(tok, 2.0), tok, request, n=3):
        masks = replay_masks(tok, request, take.tokens, 768, take.meta)
        assert take.meta["modulation"][0] == "III"
        for tok_id, mask in zip(take.tokens, masks):
            assert mask is None or tok_id in mask[0]


def test_the_tuner_samples_on_policy_without_the_tilt():
    """The tuner scores its takes without decoding-time biases, so it asks for none: no tonal or
    rhythm feedback, and no modulation."""
    from tunesmith.solvers.policy_gradient import TuneConfig

    req = TuneConfig(styles=["chorale"], bars=12).request(0, "G", "minor", seed=1)
    assert (req.tonal_feedback, req.rhythm_feedback, req.modulation) == (0.0, 0.0, "none")
