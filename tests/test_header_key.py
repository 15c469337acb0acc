"""A chorale told another key in its header (`sampling.decode.header_key`, decoding.json's
"header_key_lifts"): written as the model writes in that key, it sounds `lift` semitones up, in
the key asked for, inside the voices' ranges; its tokens are the told key's (they decode to the
take moved back down), and the tuner's replay of its automaton allows every one of them."""

from __future__ import annotations

import json

import pytest

from tunesmith.sampling import ComposeRequest, generate
from tunesmith.sampling.decode import header_key

LIFTS = {"chorale": {"header_key_lifts": {"D major": 2, "G minor": 3}}}


def test_the_lift_is_read_for_four_parts_in_a_major_or_minor_key_only(tok):
    chorale = ComposeRequest(style="chorale", key="D", bars=4)
    assert header_key(tok, chorale, LIFTS["chorale"]) == ("C", 2)
    assert header_key(tok, ComposeRequest(style="chorale", key="G", mode="minor", bars=4), LIFTS["chorale"]) == ("E", 3)
    assert header_key(tok, ComposeRequest(style="chorale", key="A", bars=4), LIFTS["chorale"]) is None  # no entry
    assert header_key(tok, chorale, {}) is None
    lead = ComposeRequest(style="folk", key="D", bars=4)
    assert header_key(tok, lead, {"header_key_lifts": {"D major": 2}}) is None  # a lead sheet: its own key
    dorian = ComposeRequest(style="chorale", key="D", mode="dorian", bars=4)
    assert header_key(tok, dorian, {"header_key_lifts": {"D major": 2}}) is None


def test_a_lifted_chorale_sounds_in_its_key_and_replays(model, tok, monkeypatch):
    from tunesmith.solvers.policy_gradient import replay_masks

    request = ComposeRequest(style="chorale", key="D", bars=4, seed=3)
    monkeypatch.setattr(model, "decoding", LIFTS, raising=False)
    takes = generate(model, tok, request, n=4)
    ranges = list(request.voice_ranges().values())
    for take in takes:
        assert take.meta["header_key"] == ["C", 2]
        assert tok.ids["Key_C"] in take.tokens[:12] and tok.ids["Key_D"] not in take.tokens[:12]
        assert take.piece.keys[0].tonic == "D"
        for track, (lo, hi) in zip(take.piece.tracks, ranges):
            assert all(lo <= n.pitch <= hi for n in track.notes), track.name
        # the tokens are the told key's: decoded, the same notes a tone down
        told = tok.decode(take.tokens)
        assert [[n.pitch + 2 for n in t.notes] for t in told.tracks] == [[n.pitch for n in t.notes] for t in take.piece.tracks]
        masks = replay_masks(tok, request, take.tokens, model.config.block_size, take.meta)
        assert all(m is None or t in m[0] for t, m in zip(take.tokens, masks))
    monkeypatch.setattr(model, "decoding", {}, raising=False)
    plain = generate(model, tok, request, n=1)[0]
    assert "header_key" not in plain.meta and tok.ids["Key_D"] in plain.tokens[:12]


@pytest.mark.parametrize(
    "lifts",
    [{"D major": 9}, {"D dorian": 2}, {"D major": 1.5}, ["D major", 2], {"Dmajor": 2}],
)
def test_a_bad_lift_table_is_refused_in_one_line(tmp_path, lifts):
    from tunesmith.inference import read_decoding

    (tmp_path / "decoding.json").write_text(json.dumps({"chorale": {"header_key_lifts": lifts}}))
    with pytest.raises(ValueError, match=r"chorale: header_key_lifts must map 'Tonic major\|minor' to semitones in \[-6, 6\]"):
        read_decoding(tmp_path)


def test_a_takes_files_say_which_key_its_header_told(tiny_model_folder, tmp_path):
    """A take's record (its JSON sidecar's "resolved") says the key the model was told and how far
    above it the take sounds; the files themselves carry the request, seed and model hash, from
    which the model's decoding.json gives the same."""
    import tunesmith as ts
    from tunesmith.inference import update_decoding_file

    update_decoding_file(tiny_model_folder, LIFTS, "header_key_lifts_fitted_on", "a test")
    take = ts.compose(style="chorale", key="D", bars=4, seed=1, model=str(tiny_model_folder), check=False)
    assert take.provenance["resolved"]["header_key"] == {"told": "C", "sounds_above": 2}
    sidecar = json.loads(take.write(tmp_path / "t.json")["json"].read_text())
    assert sidecar["resolved"]["header_key"] == {"told": "C", "sounds_above": 2}
    plain = ts.compose(style="chorale", key="A", bars=4, seed=1, model=str(tiny_model_folder), check=False)
    assert "header_key" not in plain.provenance["resolved"]
