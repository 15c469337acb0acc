"""Compose with a pickup (anacrusis): asked for, or drawn per take as the style's pieces have one;
the take is the pickup and the requested number of whole bars, cadences end where the next
phrase's pickup begins, and the tuner's replay of the automaton sees the drawn pickup."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import torch

from tunesmith import pretrained
from tunesmith.metrics.constraints import check_all, pickup_bars
from tunesmith.sampling import ComposeRequest, generate
from tunesmith.tokenizer import TICKS_PER_BEAT

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def shipped():
    return pretrained.load("default", torch=False)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"pickup": 4.0}, r"pickup 4 beats: a pickup is at least 0 and shorter than a bar of 4/4 \(4 quarter-note beats\)"),
        ({"pickup": -0.5}, "pickup -0.5 beats: a pickup is at least 0"),
        ({"pickup": 0.1}, r"pickup 0.1 beats: not a length a note can have here; use multiples of 1/12 of a quarter note"),
        ({"pickup": 3.0, "meter": "6/8"}, r"shorter than a bar of 6/8 \(3 quarter-note beats\)"),
        ({"pickup": "one"}, "pickup must be a number of beats, got 'one'"),
        ({"pickup": True}, "pickup must be a number of beats"),
    ],
)
def test_a_pickup_is_checked_at_construction(kw, message):
    with pytest.raises(ValueError, match=message):
        ComposeRequest(**kw)


def test_pickup_position_is_the_tokenizers():
    assert ComposeRequest(meter="6/8", pickup=0.5).pickup_position() == 30  # Pickup Pos_30, as a jig reads
    assert ComposeRequest(style="chorale", pickup=1).pickup_position() == 36
    assert ComposeRequest(pickup=0).pickup_position() == 0 and ComposeRequest().pickup_position() == 0


@pytest.mark.parametrize(
    ("style", "meter", "pickup", "bars"),
    [("folk", "6/8", 0.5, 8), ("folk", "4/4", 1.0, 8), ("chorale", "4/4", 1.0, 8), ("pop", "4/4", 1.5, 4)],
)
def test_a_take_with_a_pickup_is_the_pickup_and_whole_bars(shipped, style, meter, pickup, bars):
    model, tok, _ = shipped
    req = ComposeRequest(style=style, meter=meter, key="D", bars=bars, pickup=pickup, seed=2)
    for take in generate(model, tok, req, n=2):
        names = [tok.vocab[i] for i in take.tokens]
        head = names[: names.index("Bar")]
        assert head[-2:] == ["Pickup", f"Pos_{req.pickup_position()}"]
        assert f"Bars_{bars + 1}" in head  # the pickup bar counts, as the tokenizer counts a piece's bars
        piece = take.piece
        starts = piece.bars()
        assert starts[1] == pytest.approx(pickup) and pickup_bars(piece) == 1
        assert len(starts) == bars + 1
        assert check_all(piece, req) == []  # bars: the whole ones
        for track in piece.tracks:  # every voice enters on the pickup
            assert min(n.onset for n in track.notes) == pytest.approx(0.0)
        assert take.meta["pickup"] == pickup


def test_given_chords_start_on_the_first_whole_bar(shipped):
    model, tok, _ = shipped
    req = ComposeRequest(style="pop", key="F", bars=4, chords=["F", "C", "Dm", "Bb"], pickup=1.0, seed=6)
    (take,) = generate(model, tok, req)
    assert [(c.onset, c.figure) for c in take.piece.chords] == [(1.0, "F"), (5.0, "C"), (9.0, "Dm"), (13.0, "Bb")]
    assert check_all(take.piece, req) == []


def test_a_cadence_closes_where_the_next_phrases_pickup_begins(shipped):
    """A Stollen's cadence bar (bar 4 of A4A4B4): every voice holds a tone of the cadence's chord
    up to the pickup of the next phrase (beat 4), and no note crosses that point."""
    model, tok, _ = shipped
    req = ComposeRequest(style="chorale", key="G", bars=12, form="A4A4B4", pickup=1.0, modulation="none", seed=1)
    L = 4 * TICKS_PER_BEAT
    phrase_end = 4 * L + req.pickup_position()  # virtual ticks: the pickup bar is bar 0
    start = req.pickup_position()  # the virtual tick of the piece's time 0 (its first note)
    g_major = {7, 11, 2}
    for take in generate(model, tok, req, n=3):
        for track in take.piece.tracks:
            spans = [(round(n.onset * TICKS_PER_BEAT) + start, round((n.onset + n.duration) * TICKS_PER_BEAT) + start, n.pitch)
                     for n in track.notes]  # fmt: skip
            assert not any(a < phrase_end < b for a, b, _ in spans), track.name  # nothing crosses it
            last = [p for a, b, p in spans if a < phrase_end <= b]
            assert last and last[0] % 12 in g_major, (track.name, last)


def test_drawn_pickups_follow_the_models_shares_and_replay(tiny_model_folder, tmp_path):
    """Where the request leaves the pickup open, each take draws one from the model's
    decoding.json shares for the meter; the take records it, the same seed draws it again, and
    the tuner's replay of the automaton gives the sampler's very log-probs."""
    from tunesmith.solvers.policy_gradient import token_logprobs

    folder = tmp_path / "m"
    shutil.copytree(tiny_model_folder, folder)
    (folder / "decoding.json").write_text(json.dumps({"folk": {"pickups": {"6/8": {"0": 0.5, "0.5": 0.5}}}}))
    model, tok, _ = pretrained.load(str(folder))
    req = ComposeRequest(style="folk", meter="6/8", key="D", bars=4, cadence="tonic", seed=3)
    takes = generate(model, tok, req, n=12, batch_size=12, temperature=1.0, top_p=1.0)  # as the tuner samples
    drawn = [t.meta.get("pickup", 0.0) for t in takes]
    assert set(drawn) == {0.0, 0.5}
    for t, p in zip(takes, drawn):
        assert pickup_bars(t.piece) == (1 if p else 0)
        assert check_all(t.piece, req) == []
        assert t.piece.meta["request"]["pickup"] == p  # the piece records the pickup it has
    again = generate(model, tok, req, n=12, batch_size=12, temperature=1.0, top_p=1.0)
    assert [t.tokens for t in again] == [t.tokens for t in takes]
    with torch.no_grad():
        lp, _ = token_logprobs(model, takes, [req] * len(takes), tokenizer=tok)
    for b, take in enumerate(takes):
        n = len(take.tokens)
        np.testing.assert_allclose(lp[b, : n - 1].numpy(), take.logprobs[1:], atol=1e-4)
    # a pickup asked for is never drawn over; 0 asks for none
    assert {t.meta.get("pickup", 0.0) for t in generate(model, tok, ComposeRequest(**{**req.to_dict(), "pickup": 0}), n=6)} == {0.0}


def test_a_decoding_files_pickups_are_checked(tiny_model_folder, tmp_path):
    folder = tmp_path / "m"
    shutil.copytree(tiny_model_folder, folder)
    (folder / "decoding.json").write_text(json.dumps({"folk": {"pickups": {"6/8": {"3": 1.0}}}}))
    with pytest.raises(ValueError, match=r"decoding.json: folk: pickups 6/8: '3': 1.0 must be beats in \[0, 3\)"):
        pretrained.load(str(folder))
    (folder / "decoding.json").write_text(json.dumps({"folk": {"pickups": {"5/9": {"0": 1.0}}}}))
    with pytest.raises(ValueError, match="pickups: '5/9' must be a meter"):
        pretrained.load(str(folder))


def test_the_files_carry_the_pickup_as_notation_programs_write_it(shipped, tmp_path):
    """MusicXML: the pickup is measure 0, implicit (not counted), the first whole bar measure 1,
    the last bar short by the pickup. MIDI: a first bar in its own short meter (1/8), then 6/8
    from the first downbeat, so a DAW's bar lines fall where the score's do; both read back as a
    pickup of the piece's meter."""
    import mido

    import tunesmith as ts
    from tunesmith.outputs.bundle import write_take

    model, tok, _ = shipped
    req = ComposeRequest(style="folk", meter="6/8", key="D", bars=4, pickup=0.5, seed=4)
    (take,) = generate(model, tok, req)
    files = write_take(take.piece, tmp_path / "jig", provenance={"request": req.to_dict()}, render_audio=False,
                       render_svg=False)  # fmt: skip
    xml = files["musicxml"].read_text()
    measures = [(m.group(1), m.group(2)) for m in __import__("re").finditer(r'<measure implicit="(\w+)" number="(\d+)"', xml)]
    assert measures == [("yes", "0"), ("no", "1"), ("no", "2"), ("no", "3"), ("no", "4")]
    meters = [(m.time, m.numerator, m.denominator) for m in mido.MidiFile(files["mid"]).tracks[0] if m.type == "time_signature"]
    tpq = mido.MidiFile(files["mid"]).ticks_per_beat
    assert meters == [(0, 1, 8), (tpq // 2, 6, 8)]
    for path in (files["mid"], files["musicxml"]):
        back = ts.read(path)
        assert [str(t) for t in back.time_signatures] == ["6/8"]
        assert back.bars()[:2] == [0.0, 0.5] and len(back.bars()) == 5
        assert back.duration() == pytest.approx(12.0)  # whole bars: the last is short by the pickup


def test_no_chord_symbol_on_the_pickup_and_no_pickup_note_tied_over(shipped):
    """The harmonizer names no chord over a lead sheet's pickup (its first symbol stands on bar 1),
    and no voice holds its pickup note over into the first bar (Bach never does)."""
    from tunesmith.harmonizer import harmonize_takes

    model, tok, _ = shipped
    req = ComposeRequest(style="folk", meter="6/8", key="D", bars=8, pickup=0.5, seed=9)
    takes = generate(model, tok, req, n=4)
    harmonize_takes(takes, req, model)
    for t in takes:
        assert t.meta["chords_from"] == "harmonizer"
        assert min(c.onset for c in t.piece.chords) == pytest.approx(0.5)
    chorale = ComposeRequest(style="chorale", key="G", mode="minor", bars=8, pickup=1.0, seed=11)
    for t in generate(model, tok, chorale, n=8):
        for track in t.piece.tracks:
            first = min(track.notes, key=lambda n: n.onset)
            assert first.onset + first.duration <= 1.0 + 1e-9, track.name


def test_continuing_a_take_that_began_with_a_pickup_starts_in_its_short_last_bar(shipped, tmp_path):
    """A lead sheet that began with a pickup ends on a bar short by it. Its continuation keeps every
    given note and begins where the given music ends, inside that bar (the next phrase's pickup),
    not after a rest up to the bar line; the bar lines after it stay the meter's."""
    import tunesmith as ts

    model, tok, _ = shipped
    req = ComposeRequest(style="folk", meter="6/8", key="D", bars=8, pickup=0.5, seed=7)
    (take,) = generate(model, tok, req)
    piece = take.piece
    assert piece.duration() == pytest.approx(24.0)  # the last bar is short by the pickup
    cont = ts.continue_(piece, bars=4, seed=5)
    out = cont.piece
    given = sorted((n.onset, n.duration, n.pitch) for n in piece.tracks[0].notes)
    notes = sorted((n.onset, n.duration, n.pitch) for n in out.tracks[0].notes)
    assert notes[: len(given)] == given  # the given notes, note for note
    new = notes[len(given) :]
    assert new[0][0] == pytest.approx(24.0)  # the new music starts where the given ended: bar 8's last eighth
    assert out.bars()[9:11] == pytest.approx([24.5, 27.5])  # the bar lines after it: 6/8 from the pickup on
    assert out.duration() == pytest.approx(36.0)  # and it ends short by the pickup: 12 whole bars


def test_co_create_on_music_with_a_pickup_and_a_short_last_bar(shipped, tmp_path):
    """Inpaint of the short last bar writes no further than the piece's end; inpaint of the pickup
    has every voice enter where the pickup starts; harmonize keeps a melody's short last bar (no
    rest padding it out) and names no chord over its pickup."""
    import tunesmith as ts

    model, tok, _ = shipped
    jig = generate(model, tok, ComposeRequest(style="folk", meter="6/8", key="D", bars=4, pickup=0.5, seed=1))[0].piece
    assert jig.duration() == pytest.approx(12.0)
    for take in ts.inpaint(jig, bars="4", seed=1, n=4):
        notes = take.piece.tracks[0].notes
        assert max(n.onset + n.duration for n in notes) == pytest.approx(12.0)
        assert take.piece.duration() == pytest.approx(12.0)
    for take in ts.inpaint(jig, bars="0", seed=1, n=6):
        assert min(n.onset for n in take.piece.tracks[0].notes) == pytest.approx(0.0)  # no rest before the pickup
    chorale = generate(model, tok, ComposeRequest(style="chorale", key="G", bars=4, pickup=1.0, seed=5))[0].piece
    for take in ts.inpaint(chorale, bars="0", seed=1, n=3):
        for track in take.piece.tracks:
            assert min(n.onset for n in track.notes) == pytest.approx(0.0), track.name

    abc = tmp_path / "mel.abc"
    abc.write_text("X:1\nT:Test\nM:6/8\nL:1/8\nK:D\nA|dfa afd|gfe dcB|AFA dFA|GFE E2A|\ndfa afd|gfe dcB|AFD EFG|FDD D2|]\n")
    melody = ts.read(abc)
    assert melody.duration() == pytest.approx(24.0) and melody.bars()[1] == pytest.approx(0.5)
    (satb,) = [ts.harmonize(melody, style="chorale", seed=1)]
    for track in satb.piece.tracks:
        assert max(n.onset + n.duration for n in track.notes) == pytest.approx(24.0), track.name
    assert satb.piece.duration() == pytest.approx(24.0)
    for take in ts.harmonize(melody, style="folk", seed=2, n=3):
        assert min(c.onset for c in take.piece.chords) == pytest.approx(0.5)  # the first chord on bar 1
