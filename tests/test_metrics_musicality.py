"""metrics.musicality against hand-computed values, and the decoding defaults file."""

from __future__ import annotations

import json
import math

import pytest

from tunesmith.metrics import musicality as mm
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track


def _piece(pitches, durs=None, chords=(), key=("C", "major"), bars=None) -> Piece:
    durs = durs or [1.0] * len(pitches)
    notes, t = [], 0.0
    for p, d in zip(pitches, durs):
        notes.append(Note(p, t, d))
        t += d
    return Piece(
        piece_id="p",
        work_id="p",
        tracks=[Track("M", "melody", notes=notes)],
        chords=[ChordSymbol(o, f) for o, f in chords],
        keys=[KeySignature(0.0, *key)],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        tempos=[Tempo(0.0, 120)],
        bar_onsets=bars if bars is not None else [4.0 * i for i in range(math.ceil(t / 4))],
        end=t,
    )


def test_intervals_leaps_and_steps():
    p = _piece([60, 62, 64, 72, 71, 71])  # intervals 2, 2, 8, 1, 0
    assert mm.mean_abs_interval(p) == pytest.approx(13 / 5)
    assert mm.leap_share(p) == pytest.approx(1 / 5)  # only the minor sixth is larger than a fifth
    assert mm.stepwise_share(p) == pytest.approx(3 / 5)  # the repeated note is not a step
    assert math.isnan(mm.mean_abs_interval(_piece([60])))


def test_opening_leaps_count_only_the_first_intervals():
    # intervals 2, 12, 2, 2 | 9, 9: one octave among the first four; the later sixths do not count
    assert mm.opening_leap_share(_piece([60, 62, 74, 72, 70, 61, 70])) == pytest.approx(1 / 4)
    assert mm.opening_leap_share(_piece([60, 69])) == 1.0  # one interval, a sixth
    assert math.isnan(mm.opening_leap_share(_piece([60])))


def test_rocking_counts_x_y_x_y_windows():
    # windows: 60 62 60 62 (rocks), 62 60 62 64, 60 62 64 64, 62 64 64 64 (a repeated note is no rock)
    assert mm.rocking_share(_piece([60, 62, 60, 62, 64, 64, 64])) == pytest.approx(1 / 4)
    assert mm.rocking_share(_piece([62, 62, 62, 62])) == 0.0
    assert math.isnan(mm.rocking_share(_piece([60, 62, 60])))


def test_repeated_bars():
    a = [60, 62, 64, 65]
    b = [67, 65, 64, 62]
    p = _piece(a + a + b + [60, 60, 60, 60])  # bars A A B C: the two A bars recur
    assert mm.repeated_bar_share(p) == pytest.approx(2 / 4)
    assert mm.repeated_bar_share(_piece(a + b)) == 0.0
    moved = _piece(a + [x + 2 for x in a])  # a sequence a step higher is not a repeat
    assert mm.repeated_bar_share(moved) == 0.0


def test_ends_on_tonic_and_key_heard():
    scale = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 62, 60]
    p = _piece(scale)
    assert mm.ends_on_tonic(p) == 1.0
    assert mm.ends_on_tonic(_piece(scale[:-1])) == 0.0
    assert mm.key_heard(p) == 1.0  # a C major scale is heard in C major
    assert mm.key_heard(p, "F#", "major") == 0.0


def test_ends_on_estimated_tonic_ignores_the_written_key():
    scale = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 62, 60]
    mislabelled = _piece(scale, key=("G", "major"))  # a C major tune keyed a fifth off
    assert mm.ends_on_tonic(mislabelled) == 0.0
    assert mm.ends_on_estimated_tonic(mislabelled) == 1.0  # estimated C major: it ends on C
    assert mm.ends_on_estimated_tonic(_piece(scale[:-1])) == 0.0  # ends on D
    assert math.isnan(mm.ends_on_estimated_tonic(_piece([])))


def test_chord_tone_share_is_duration_weighted():
    # C E D C under a C chord (bar 1): C, E, C are chord tones, D is not; 3 of 4 beats
    p = _piece([60, 64, 62, 60], chords=[(0.0, "C")])
    assert mm.chord_tone_share(p) == pytest.approx(0.75)
    # under G7 from beat 2: C (C chord) yes, E (C) yes, D (G7) yes, C (G7) no
    p = _piece([60, 64, 62, 60], chords=[(0.0, "C"), (2.0, "G7")])
    assert mm.chord_tone_share(p) == pytest.approx(0.75)
    assert math.isnan(mm.chord_tone_share(_piece([60, 62])))


def test_decoding_file_is_read_and_checked(tmp_path):
    from tunesmith.inference import read_decoding

    assert read_decoding(tmp_path) == {}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"temperature": 0.9, "top_p": 0.95}}))
    assert read_decoding(tmp_path) == {"folk": {"temperature": 0.9, "top_p": 0.95}}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"temperature": -1, "top_p": 0.95}}))
    with pytest.raises(ValueError, match=r"decoding.json: folk: temperature must be in \(0, 10\]"):
        read_decoding(tmp_path)
    (tmp_path / "decoding.json").write_text("{not json")
    with pytest.raises(ValueError, match="decoding.json: not a decoding file"):
        read_decoding(tmp_path)
    pop = {"temperature": 0.8, "top_p": 1.0, "chords_from": "harmonizer", "chords_temperature": 1.0}
    (tmp_path / "decoding.json").write_text(json.dumps({"pop": pop}))
    assert read_decoding(tmp_path) == {"pop": pop}
    (tmp_path / "decoding.json").write_text(json.dumps({"pop": {**pop, "chords_from": "table"}}))
    with pytest.raises(ValueError, match="pop: chords_from must be 'model' or 'harmonizer'"):
        read_decoding(tmp_path)
    (tmp_path / "decoding.json").write_text(json.dumps({"pop": {**pop, "chords_temperature": 0}}))
    with pytest.raises(ValueError, match=r"pop: chords_temperature must be in \(0, 10\]"):
        read_decoding(tmp_path)
    folk = {"register_lift": 3.6, "register_gain": 1.5}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    assert read_decoding(tmp_path) == {"folk": folk}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {**folk, "register_lift": 20}}))
    with pytest.raises(ValueError, match=r"folk: register_lift must be in \[-12, 12\] semitones"):
        read_decoding(tmp_path)
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {**folk, "register_gain": -1}}))
    with pytest.raises(ValueError, match=r"folk: register_gain must be in \[0, 4\]"):
        read_decoding(tmp_path)
    chorale = {"voice_registers": [70.4, 65.06, 59.48, 50.63], "voice_register_gain": 2.0}
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": chorale}))
    assert read_decoding(tmp_path) == {"chorale": chorale}
    for bad in ([70.4, 65.0, 59.5, 200], [], "70 65 59 51", [70.4, True]):
        (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "voice_registers": bad}}))
        with pytest.raises(ValueError, match=r"chorale: voice_registers must be one mean MIDI pitch \(21-108\) per voice"):
            read_decoding(tmp_path)
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "voice_register_gain": 5}}))
    with pytest.raises(ValueError, match=r"chorale: voice_register_gain must be in \[0, 4\]"):
        read_decoding(tmp_path)
    from tunesmith.tokenizer import DUR_TICKS

    eighths = [1.0 if d == 6 else 0.0 for d in DUR_TICKS]
    dances = {"reel": {"meter": "4/4", "rhythm_profile": eighths, "pieces": 3}}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"dances": dances, "dance_rhythm_feedback": 2}}))
    assert read_decoding(tmp_path)["folk"]["dances"]["reel"]["rhythm_profile"] == eighths
    for bad, said in (({"mazurka": dances["reel"]}, r"folk: dances must map dance names"),
                      ({"reel": {**dances["reel"], "meter": "4/5"}}, r"dances 'reel' needs a meter"),
                      ({"reel": {**dances["reel"], "rhythm_profile": [0.5, 0.5]}}, r"rhythm_profile 'M' must be")):
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"dances": bad}}))
        with pytest.raises(ValueError, match=said):
            read_decoding(tmp_path)


def test_generate_uses_the_models_style_defaults_unless_asked():
    import torch

    from tunesmith.model import GPT, ModelConfig
    from tunesmith.sampling import ComposeRequest, generate
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    torch.manual_seed(0)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval()
    model.decoding = {"folk": {"temperature": 0.8, "top_p": 0.9}}
    (take,) = generate(model, tok, ComposeRequest(style="folk", bars=2, seed=1))
    assert (take.meta["temperature"], take.meta["top_p"]) == (0.8, 0.9)
    (take,) = generate(model, tok, ComposeRequest(style="folk", bars=2, seed=1, temperature=1.2))
    assert (take.meta["temperature"], take.meta["top_p"]) == (1.2, 0.9)
    (take,) = generate(model, tok, ComposeRequest(style="pop", bars=2, seed=1))
    assert (take.meta["temperature"], take.meta["top_p"]) == (1.0, 0.95)


def test_rhythm_temperature_defaults_and_overrides(tmp_path):
    import torch

    from tunesmith.inference import read_decoding
    from tunesmith.model import GPT, ModelConfig
    from tunesmith.sampling import ComposeRequest, generate
    from tunesmith.tokenizer import Tokenizer

    (tmp_path / "decoding.json").write_text(
        json.dumps({"folk": {"temperature": 0.8, "top_p": 0.95, "rhythm_temperature": 1.0}})
    )
    assert read_decoding(tmp_path)["folk"] == {"temperature": 0.8, "top_p": 0.95, "rhythm_temperature": 1.0}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"temperature": 0.8, "top_p": 1, "rhythm_temperature": 0}}))
    with pytest.raises(ValueError, match=r"folk: rhythm_temperature must be in \(0, 10\]"):
        read_decoding(tmp_path)
    with pytest.raises(ValueError, match=r"rhythm_temperature must be in \(0, 10\]"):
        ComposeRequest(style="folk", rhythm_temperature=-1.0)

    tok = Tokenizer()
    torch.manual_seed(0)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval()
    model.decoding = {"folk": {"temperature": 0.8, "top_p": 0.9, "rhythm_temperature": 1.0}}
    (take,) = generate(model, tok, ComposeRequest(style="folk", bars=2, seed=1))
    assert (take.meta["temperature"], take.meta["rhythm_temperature"]) == (0.8, 1.0)
    # an explicit temperature heats everything, unless the rhythm temperature is given too
    (take,) = generate(model, tok, ComposeRequest(style="folk", bars=2, seed=1, temperature=1.2))
    assert (take.meta["temperature"], take.meta["rhythm_temperature"]) == (1.2, 1.2)
    (take,) = generate(model, tok, ComposeRequest(style="folk", bars=2, seed=1, temperature=1.2, rhythm_temperature=0.5))
    assert (take.meta["temperature"], take.meta["rhythm_temperature"]) == (1.2, 0.5)


def test_token_temperatures_cover_exactly_the_rhythm_tokens():
    import numpy as np

    from tunesmith.sampling import token_temperatures
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    temps = token_temperatures(tok, 0.8, 1.0)
    hot = {tok.describe([i])[0].split("_")[0] for i in np.flatnonzero(temps == 1.0)}
    cool = {tok.describe([i])[0].split("_")[0] for i in np.flatnonzero(temps == 0.8)}
    assert hot == {"Pos", "Dur"}
    assert not hot & cool and "Pitch" in cool and "Root" in cool


def test_a_lower_rhythm_temperature_concentrates_the_rhythm_draws():
    """Same logits, same random stream: sampling the rhythm tokens colder gives fewer distinct
    note lengths, while a temperature per token equal to the scalar draws exactly as the scalar."""
    import numpy as np

    from tunesmith.sampling import _sample, token_temperatures
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    logits = np.random.default_rng(0).normal(size=tok.vocab_size)
    durs = np.arange(tok.dur_base, tok.dur_base + 20)
    same = token_temperatures(tok, 0.7, 0.7)
    for seed in range(5):
        a = [_sample(logits, durs, 0.7, 1.0, np.random.default_rng(seed)) for _ in range(3)]
        b = [_sample(logits, durs, same, 1.0, np.random.default_rng(seed)) for _ in range(3)]
        assert a == b
    cold = token_temperatures(tok, 1.0, 0.2)
    rng = np.random.default_rng(1)
    n_cold = len({_sample(logits, durs, cold, 1.0, rng)[0] for _ in range(200)})
    n_warm = len({_sample(logits, durs, 1.0, 1.0, rng)[0] for _ in range(200)})
    assert n_cold < n_warm


def test_degree_histogram_is_time_per_scale_degree():
    # in C: C (2 beats), E (1), G (1) -> tonic 0.5, degree 4 0.25, degree 7 0.25
    p = _piece([60, 60, 64, 67])
    h = mm.degree_histogram(p)
    assert h[0] == pytest.approx(0.5) and h[4] == pytest.approx(0.25) and h[7] == pytest.approx(0.25)
    assert sum(h) == pytest.approx(1.0)
    # the same notes heard in G: C is degree 5, G the tonic
    assert mm.degree_histogram(p, tonic="G")[5] == pytest.approx(0.5)


def test_tonal_feedback_in_decoding_file_is_checked(tmp_path):
    from tunesmith.inference import read_decoding

    profile = [0.25, 0, 0.15, 0, 0.15, 0.1, 0, 0.2, 0, 0.1, 0, 0.05]
    folk = {"temperature": 0.9, "top_p": 1.0, "degree_profile": {"major": profile}, "tonal_feedback": 0.5}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    got = read_decoding(tmp_path)["folk"]
    assert got["degree_profile"] == {"major": [float(v) for v in profile]} and got["tonal_feedback"] == 0.5
    for bad in ({"major": profile[:11]}, {"lydian": profile}, {"major": [0.5] * 12}, [profile]):
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": {**folk, "degree_profile": bad}}))
        with pytest.raises(ValueError, match="folk: degree_profile"):
            read_decoding(tmp_path)
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {**folk, "tonal_feedback": -1}}))
    with pytest.raises(ValueError, match=r"folk: tonal_feedback must be in \[0, 4\]"):
        read_decoding(tmp_path)


def test_tonal_feedback_draws_each_take_toward_the_profile():
    import numpy as np
    import torch

    from tunesmith.model import GPT, ModelConfig
    from tunesmith.sampling import ComposeRequest, generate
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    torch.manual_seed(3)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval()
    # a profile of the tonic triad only: an untrained model's melody wanders over all twelve
    triad = [0.4, 0, 0, 0, 0.3, 0, 0, 0.3, 0, 0, 0, 0]
    model.decoding = {"folk": {"temperature": 1.0, "top_p": 1.0, "degree_profile": {"major": triad}, "tonal_feedback": 1.0}}

    def distance(weight, mode="major"):
        req = ComposeRequest(style="folk", key="D", mode=mode, bars=6, seed=4, tonal_feedback=weight, form="", cadence="free")
        # 16 takes: over 4, an untrained model's draws moved the mean by as much as the feedback
        # (seeds 0-7: 0.07-0.29 apart; over 16 at seed 4, 0.24 either side of session 52's changes)
        takes = generate(model, tok, req, n=16)
        return float(np.mean([0.5 * np.abs(np.array(mm.degree_histogram(t.piece)) - triad).sum() for t in takes]))

    assert distance(1.0) < distance(0.0) - 0.2
    # a mode family without a profile (here minor) is left alone: weight makes no difference
    assert distance(1.0, "dorian") == pytest.approx(distance(0.0, "dorian"))
    with pytest.raises(ValueError, match=r"tonal_feedback must be in \[0, 4\]"):
        ComposeRequest(style="folk", tonal_feedback=-1.0)


def test_rhythm_feedback_draws_each_voice_toward_the_profile(tmp_path):
    from tunesmith.inference import read_decoding
    from tunesmith.sampling import ComposeRequest
    from tunesmith.tokenizer import DUR_TICKS, Tokenizer

    quarters = [1.0 if d == 12 else 0.0 for d in DUR_TICKS]  # every note a quarter
    chorale = {"temperature": 1.0, "top_p": 1.0, "rhythm_feedback": 1.0,
               "rhythm_profile": {v: quarters for v in "SATB"}}  # fmt: skip
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": chorale}))
    assert read_decoding(tmp_path)["chorale"]["rhythm_profile"]["S"] == quarters
    for bad, message in (({"S": quarters[:-1]}, "rhythm_profile 'S'"), ({"X": quarters}, "must map A, B, M, S, T")):
        (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "rhythm_profile": bad}}))
        with pytest.raises(ValueError, match=message):
            read_decoding(tmp_path)

    # the automaton's offsets: a soprano that has written only eighths is pushed to quarters
    from tunesmith.sampling import _PITCH, Constrainer, compose_tables, set_rhythm_feedback

    tok = Tokenizer()
    req = ComposeRequest(style="chorale", bars=4)
    tables = compose_tables(tok, req, 512)
    set_rhythm_feedback(tables, req, chorale)
    auto = Constrainer(tables, 0)
    auto.state, auto.v = _PITCH, 0
    auto.dur_counts[0, DUR_TICKS.index(6)] = 6
    off = auto.rhythm_bias()
    assert off[DUR_TICKS.index(12)] == pytest.approx(2.0) and off[DUR_TICKS.index(6)] == pytest.approx(-2.0)
    auto.dur_counts[0] = 0  # too few notes yet: no steering
    assert auto.rhythm_bias() is None
    off_tables = compose_tables(tok, ComposeRequest(style="chorale", bars=4, rhythm_feedback=0.0), 512)
    set_rhythm_feedback(off_tables, ComposeRequest(style="chorale", bars=4, rhythm_feedback=0.0), chorale)
    assert off_tables.rhythm_target is None
    with pytest.raises(ValueError, match=r"rhythm_feedback must be in \[0, 4\]"):
        ComposeRequest(style="chorale", rhythm_feedback=5.0)


def test_interval_histogram_buckets_sizes_and_the_tail():
    p = _piece([60, 62, 64, 72, 71, 71, 50])  # intervals 2, 2, 8, 1, 0, 21
    h = mm.interval_histogram(p)
    assert len(h) == 14 and sum(h) == pytest.approx(1.0)
    assert h[2] == pytest.approx(2 / 6) and h[8] == pytest.approx(1 / 6) and h[0] == pytest.approx(1 / 6)
    assert h[13] == pytest.approx(1 / 6)  # 21 semitones: the 13+ bucket
    assert all(math.isnan(v) for v in mm.interval_histogram(_piece([60])))


def test_interval_offsets_are_checked_and_move_each_pitch_by_its_interval(tmp_path):
    import numpy as np

    from tunesmith.inference import read_decoding
    from tunesmith.sampling import _VOICE, ComposeRequest, Constrainer, compose_tables, set_interval_feedback
    from tunesmith.tokenizer import Tokenizer

    offsets = [0.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, -1.0, -1.0, -1.0, -1.0, -1.0, -2.0]
    folk = {"temperature": 0.9, "interval_offsets": offsets}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    assert read_decoding(tmp_path)["folk"]["interval_offsets"] == offsets
    for bad in (offsets[:-1], [*offsets[:-1], 9.0], [*offsets[:-1], "x"]):
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": {**folk, "interval_offsets": bad}}))
        with pytest.raises(ValueError, match=r"folk: interval_offsets must be 14 numbers in \[-4, 4\]"):
            read_decoding(tmp_path)

    tok = Tokenizer()
    req = ComposeRequest(style="folk", key="C", bars=4)
    tables = compose_tables(tok, req, 512)
    set_interval_feedback(tables, req, folk)
    auto = Constrainer(tables, 0)
    auto.state, auto.v = _VOICE, 0
    assert auto.interval_bias() is None  # no note before the first
    auto.melody_recent = [67]
    got = auto.interval_bias()
    real = tables.pitch_real
    for pitch, want in ((67, 0.0), (69, 0.5), (66, 0.5), (75, -1.0), (59, -1.0), (80, -2.0), (40, -2.0)):
        assert got[int(np.flatnonzero(real == pitch)[0])] == pytest.approx(want)
    # the melody's pitch logits get them (with the register feedback, off here) through tonal_bias
    assert np.array_equal(auto.tonal_bias(), got)
    off = ComposeRequest(style="folk", key="C", bars=4, interval_feedback=0.0)
    off_tables = compose_tables(tok, off, 512)
    set_interval_feedback(off_tables, off, folk)
    assert off_tables.interval_offsets is None
    chorale = ComposeRequest(style="chorale", key="C", bars=4)  # the soprano only
    ch_tables = compose_tables(tok, chorale, 512)
    set_interval_feedback(ch_tables, chorale, folk)
    ch = Constrainer(ch_tables, 0)
    ch.state, ch.melody_recent = _VOICE, [67]
    ch.v = 0
    assert ch.interval_bias() is not None and ch.tonal_bias() is not None
    ch.v = 1  # the alto: no offsets (and no other feedback here)
    assert ch.tonal_bias() is None
    with pytest.raises(ValueError, match=r"interval_feedback must be in \[0, 4\]"):
        ComposeRequest(style="folk", interval_feedback=-0.5)


def test_pitch_offsets_move_a_composed_melody_by_its_real_pitch_under_the_default_range(tmp_path):
    """"pitch_offsets" ({"low", "values"}) in decoding.json give each real melody pitch its
    offset (0 outside the table), scaled by interval_feedback; a chorale's soprano alike, its other
    voices never; off under a range the user names and in co-create's tables (which never call
    `set_pitch_offsets`)."""
    import numpy as np

    from tunesmith.inference import read_decoding
    from tunesmith.sampling import _VOICE, ComposeRequest, Constrainer, compose_tables, set_pitch_offsets
    from tunesmith.tokenizer import Tokenizer

    folk = {"pitch_offsets": {"low": 55, "values": [-2.0, -1.0] + [0.0] * 28 + [0.5, -3.0]}}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    assert read_decoding(tmp_path)["folk"]["pitch_offsets"] == folk["pitch_offsets"]
    for bad in ({"low": 55, "values": [5.0]}, {"low": 120, "values": [0.0] * 9}, {"values": [0.0]}, [0.0, 1.0],
                {"low": 55.5, "values": [0.0]}):  # fmt: skip
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"pitch_offsets": bad}}))
        with pytest.raises(ValueError, match=r"folk: pitch_offsets must be \{\"low\": a MIDI pitch"):
            read_decoding(tmp_path)

    tok = Tokenizer()

    def offsets(**request) -> dict | None:
        req = ComposeRequest(style=request.pop("style", "folk"), key=request.pop("key", "G"), bars=4, **request)
        tables = compose_tables(tok, req, 512)
        set_pitch_offsets(tables, req, folk)
        if tables.pitch_offsets is None:
            return None
        auto = Constrainer(tables, 0)
        auto.state, auto.v = _VOICE, 0
        got = auto.tonal_bias()
        return {p: float(got[int(np.flatnonzero(tables.pitch_real == p)[0])]) for p in (54, 55, 56, 70, 85, 86, 87)}

    assert offsets() == {54: 0.0, 55: -2.0, 56: -1.0, 70: 0.0, 85: 0.5, 86: -3.0, 87: 0.0}
    assert offsets(key="Eb") == offsets()  # by real pitch, whatever the key
    assert offsets(interval_feedback=0.5)[55] == -1.0
    assert offsets(interval_feedback=0.0) is None
    assert offsets(pitch_range=(55, 86)) is not None  # the default, spelt out
    assert offsets(pitch_range=(48, 79)) is None  # the user's own register
    assert offsets(style="chorale") == offsets()  # a chorale's soprano: the same, by real pitch
    req = ComposeRequest(style="chorale", key="G", bars=4)
    tables = compose_tables(tok, req, 512)
    set_pitch_offsets(tables, req, folk)
    auto = Constrainer(tables, 0)
    auto.state, auto.v = _VOICE, 1
    assert auto.tonal_bias() is None  # ... and on its soprano only


def test_pitch_offsets_by_tonic_replace_the_styles_table_in_keys_on_that_tonic(tmp_path):
    """"pitch_offsets_by_tonic" ({tonic pitch class: a pitch_offsets table}) gives a request whose key
    is on that tonic its own table, in major or minor; other keys keep the style's table. Checked
    in decoding.json."""
    import numpy as np

    from tunesmith.inference import read_decoding
    from tunesmith.sampling import ComposeRequest, compose_tables, set_pitch_offsets
    from tunesmith.tokenizer import Tokenizer

    general = {"low": 55, "values": [-1.0] * 32}
    in_a = {"low": 55, "values": [-3.0] * 9 + [0.0] * 23}  # G3 to D#4 kept out in A
    folk = {"pitch_offsets": general, "pitch_offsets_by_tonic": {"9": in_a}}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    assert read_decoding(tmp_path)["folk"]["pitch_offsets_by_tonic"] == {"9": in_a}
    for bad, what in (({"12": in_a}, "must map tonic pitch classes 0-11"), ({"A": in_a}, "must map tonic pitch classes"),
                      ({"9": {"low": 55, "values": [9.0]}}, r"pitch_offsets_by_tonic 9: pitch_offsets must be"), ([in_a], "must map")):  # fmt: skip
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"pitch_offsets_by_tonic": bad}}))
        with pytest.raises(ValueError, match=what):
            read_decoding(tmp_path)

    tok = Tokenizer()

    def offset_at(key: str, pitch: int, mode: str = "major") -> float:
        req = ComposeRequest(style="folk", key=key, mode=mode, bars=4)
        tables = compose_tables(tok, req, 512)
        set_pitch_offsets(tables, req, folk)
        return float(tables.pitch_offsets[int(np.flatnonzero(tables.pitch_real == pitch)[0])])

    assert offset_at("A", 60) == -3.0 and offset_at("A", 64) == 0.0
    assert offset_at("A", 60, mode="minor") == -3.0  # the tonic's, in minor too
    assert offset_at("G", 60) == -1.0 and offset_at("D", 64) == -1.0  # the style's table elsewhere


def test_return_offsets_weigh_the_note_before_last_and_a_rock_more(tmp_path):
    """After x-y the pitch x gets the return offset; after x-y-x the pitch y gets the rock offset
    besides; after a repeated note nothing returns. Checked in decoding.json, scaled by the
    request's interval_feedback weight."""
    import numpy as np

    from tunesmith.inference import read_decoding
    from tunesmith.sampling import _VOICE, ComposeRequest, Constrainer, compose_tables, set_interval_feedback
    from tunesmith.tokenizer import Tokenizer

    folk = {"interval_offsets": [0.0] * 14, "return_offsets": {"return": -0.5, "rock": -1.0}}
    (tmp_path / "decoding.json").write_text(json.dumps({"folk": folk}))
    assert read_decoding(tmp_path)["folk"]["return_offsets"] == {"return": -0.5, "rock": -1.0}
    for bad in ({"return": 5.0}, {"back": 1.0}, {}, [0.5, 1.0]):
        (tmp_path / "decoding.json").write_text(json.dumps({"folk": {**folk, "return_offsets": bad}}))
        with pytest.raises(ValueError, match=r"folk: return_offsets must map return and rock to numbers in \[-4, 4\]"):
            read_decoding(tmp_path)

    tok = Tokenizer()

    def bias(recent, weight=None):
        req = ComposeRequest(style="folk", key="C", bars=4, interval_feedback=weight)
        tables = compose_tables(tok, req, 512)
        set_interval_feedback(tables, req, folk)
        auto = Constrainer(tables, 0)
        auto.state, auto.v, auto.melody_recent = _VOICE, 0, recent
        got = auto.interval_bias()
        return {p: float(got[int(np.flatnonzero(tables.pitch_real == p)[0])]) for p in (60, 62, 64, 67)}

    assert bias([67]) == {60: 0.0, 62: 0.0, 64: 0.0, 67: 0.0}  # one note: nothing to return to
    assert bias([60, 62]) == {60: -0.5, 62: 0.0, 64: 0.0, 67: 0.0}  # x-y: a return to x
    assert bias([62, 60, 62]) == {60: -1.5, 62: 0.0, 64: 0.0, 67: 0.0}  # x-y-x: y would rock
    assert bias([64, 60, 62]) == {60: -0.5, 62: 0.0, 64: 0.0, 67: 0.0}  # z-y-x: a plain return
    assert bias([62, 62]) == {60: 0.0, 62: 0.0, 64: 0.0, 67: 0.0}  # a repeated note returns nowhere
    assert bias([62, 60, 62], weight=2.0)[60] == -3.0

    # a chorale's lower voices: each its own table, applied on its own notes, the soprano's on the soprano
    lower = [{"return": -0.25}, {"return": -0.5, "rock": -1.0}, {"rock": -2.0}]
    chorale = {**folk, "lower_return_offsets": lower}
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": chorale}))
    assert read_decoding(tmp_path)["chorale"]["lower_return_offsets"] == lower
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "lower_return_offsets": lower[:2]}}))
    with pytest.raises(ValueError, match=r"chorale: lower_return_offsets must be three tables \(alto, tenor, bass\)"):
        read_decoding(tmp_path)
    req = ComposeRequest(style="chorale", key="C", bars=4)

    def four_voices(decoding):  # each voice after x-y-x (the soprano after C-D), about to choose a pitch
        tables = compose_tables(tok, req, 512)
        set_interval_feedback(tables, req, decoding)
        auto = Constrainer(tables, 0)
        auto.state = _VOICE
        auto.voice_recent = [[60, 62], [55, 57, 55], [48, 50, 48], [43, 45, 43]]
        return auto, {p: int(np.flatnonzero(tables.pitch_real == p)[0]) for p in (45, 48, 50, 57, 60)}

    auto, at = four_voices(chorale)
    auto.v = 1  # alto: x-y-x, y would rock: return -0.25, no rock offset
    assert auto.tonal_bias()[at[57]] == pytest.approx(-0.25)
    auto.v = 2  # tenor: -0.5 - 1.0
    assert auto.tonal_bias()[at[50]] == pytest.approx(-1.5)
    auto.v = 3  # bass: rock only
    assert auto.tonal_bias()[at[45]] == pytest.approx(-2.0)
    auto.v = 0  # the soprano: its own return offset on C
    assert auto.tonal_bias()[at[60]] == pytest.approx(-0.5)
    lead = ComposeRequest(style="folk", key="C", bars=4)  # a lead sheet has no lower voices' tables
    lead_tables = compose_tables(tok, lead, 512)
    set_interval_feedback(lead_tables, lead, chorale)
    assert lead_tables.lower_return_offsets is None

    # and their interval offsets: each voice's own table, by the move from its own last pitch
    moves = [[0.0] * 14, [0.0, 0.0, -0.5] + [0.0] * 11, [0.0] * 5 + [-1.0] + [0.0] * 8]
    chorale = {**chorale, "lower_interval_offsets": moves}
    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": chorale}))
    assert read_decoding(tmp_path)["chorale"]["lower_interval_offsets"] == moves
    for bad, message in ((moves[:2], r"chorale: lower_interval_offsets must be three tables \(alto, tenor, bass\)"),
                         ([moves[0], moves[1], moves[2][:13]], r"chorale: lower_interval_offsets: interval_offsets must be 14 numbers")):  # fmt: skip
        (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {**chorale, "lower_interval_offsets": bad}}))
        with pytest.raises(ValueError, match=message):
            read_decoding(tmp_path)
    auto, at = four_voices(chorale)
    auto.v = 1  # the alto's table is 0: its return offset alone
    assert auto.tonal_bias()[at[57]] == pytest.approx(-0.25)
    auto.v = 2  # the tenor's rock on D3, and its tone up from C3
    assert auto.tonal_bias()[at[50]] == pytest.approx(-2.0)
    auto.v = 3  # the bass's fourth up from G2 (C3); its rock on A2 unchanged
    assert (auto.tonal_bias()[at[48]], auto.tonal_bias()[at[45]]) == (pytest.approx(-1.0), pytest.approx(-2.0))
    set_interval_feedback(lead_tables, lead, chorale)
    assert lead_tables.lower_interval_offsets is None


def test_interval_offsets_move_takes_toward_steps():
    import numpy as np
    import torch

    from tunesmith.model import GPT, ModelConfig
    from tunesmith.sampling import ComposeRequest, generate
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    torch.manual_seed(3)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16)).eval()
    # an untrained model's melody leaps anywhere in its range; offsets that favour steps
    steps = [0.0, 2.0, 2.0] + [-2.0] * 11
    model.decoding = {"folk": {"temperature": 1.0, "top_p": 1.0, "interval_offsets": steps}}

    def stepwise(weight):
        req = ComposeRequest(style="folk", key="D", bars=6, seed=4, interval_feedback=weight, form="", cadence="free")
        return float(np.mean([mm.stepwise_share(t.piece) for t in generate(model, tok, req, n=4)]))

    assert stepwise(1.0) > stepwise(0.0) + 0.2


def test_update_decoding_file_merges_and_checks(tmp_path):
    from tunesmith.inference import read_decoding, update_decoding_file

    (tmp_path / "decoding.json").write_text(json.dumps({"folk": {"temperature": 0.9, "top_p": 1.0}}))
    update_decoding_file(tmp_path, {"folk": {"tonal_feedback": 0.5}}, "fitted_on", "a test")
    assert read_decoding(tmp_path)["folk"] == {"temperature": 0.9, "top_p": 1.0, "tonal_feedback": 0.5}
    assert json.loads((tmp_path / "decoding.json").read_text())["fitted_on"] == "a test"
    with pytest.raises(ValueError, match="tonal_feedback must be in"):
        update_decoding_file(tmp_path, {"folk": {"tonal_feedback": 9}}, "fitted_on", "bad")
    assert read_decoding(tmp_path)["folk"]["tonal_feedback"] == 0.5  # the file is as it was
