"""The GPT-2 + REMI baseline: sizes, tokenizer, training, NLL and generation on tiny pieces."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("transformers")
symusic = pytest.importorskip("symusic")
torch = pytest.importorskip("torch")

from tunesmith.baselines import gpt2_remi as g  # noqa: E402
from tunesmith.score import Note, Piece, Tempo, TimeSignature, Track  # noqa: E402


def _piece(i: int, n_bars: int = 4) -> Piece:
    """A small two-track piece: a scale melody in quarters and a held bass note per bar."""
    scale = [0, 2, 4, 5, 7, 9, 11, 12]
    melody = [Note(60 + i + scale[k % 8], float(k), 1.0) for k in range(4 * n_bars)]
    bass = [Note(48 + i, 4.0 * b, 4.0) for b in range(n_bars)]
    return Piece(
        piece_id=f"synthetic:{i}",
        work_id=f"synthetic:{i}",
        tracks=[Track("melody", "melody", 0, notes=melody), Track("bass", "bass", 32, notes=bass)],
        time_signatures=[TimeSignature(0.0, 4, 4)],
        tempos=[Tempo(0.0, 120.0)],
    )


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """Tiny models gain nothing from more threads, and on a busy machine OpenMP spin-waits
    make 2 threads many times slower than 1."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def tokenizer():
    return g.build_remi_tokenizer()


# ----------------------------------------------------------------------------- sizes
@pytest.mark.parametrize(("target", "n_positions"), [(100_000, 128), (500_000, 256), (2_000_000, 1024)])
def test_make_gpt2_matches_target(tokenizer, target, n_positions):
    model = g.make_gpt2(target, len(tokenizer), n_positions)
    actual = g.count_params(model)
    assert abs(actual - target) / target <= 0.10
    assert actual == model.config.n_params
    cfg = model.config
    assert actual == g.gpt2_param_count(len(tokenizer), n_positions, cfg.n_embd, cfg.n_layer)
    assert cfg.n_embd % cfg.n_head == 0


def test_make_gpt2_rejects_an_impossible_target(tokenizer):
    with pytest.raises(ValueError, match="no GPT-2 shape"):
        g.make_gpt2(1_000, len(tokenizer), 1024)


# ----------------------------------------------------------------------------- tokenizer
def test_each_tokenizer_gets_a_fresh_config():
    single = g.build_remi_tokenizer(use_programs=False)
    multi = g.build_remi_tokenizer()
    assert single.config is not multi.config
    assert not single.one_token_stream
    assert multi.one_token_stream and multi.config.use_programs
    again = g.build_remi_tokenizer()
    assert again.config is not multi.config
    assert len(again) == len(multi)
    for tok in ("Bar_None", "BOS_None", "EOS_None", "TimeSig_6/8", "TimeSig_2/2"):
        assert tok in multi.vocab
    assert any(t.startswith("Tempo_") for t in multi.vocab)


@pytest.mark.parametrize("convert", [g.pieces_to_symusic, g._own_to_symusic])
def test_pieces_to_symusic_uses_480_ticks_per_beat(convert):
    piece = _piece(0, n_bars=2)
    piece.tracks[0].notes[1] = Note(64, 1.5, 0.25, velocity=90)
    score = convert(piece)
    assert score.ticks_per_quarter == 480
    melody, bass = score.tracks
    assert (melody.notes[1].time, melody.notes[1].duration, melody.notes[1].pitch) == (720, 120, 64)
    assert melody.notes[1].velocity == 90
    assert bass.program == 32 and bass.notes[1].time == 4 * 480
    assert score.time_signatures[0].numerator == 4
    assert round(score.tempos[0].qpm) == 120
    assert score.note_num() == piece.n_notes


def test_encoding_is_one_stream_with_one_bar_token_per_bar(tokenizer):
    piece = _piece(1, n_bars=3)
    ids = g.encode_piece(tokenizer, piece)
    assert sum(i == tokenizer["Bar_None"] for i in ids) == 3
    assert sum(tokenizer[i].startswith("Pitch_") for i in ids) == piece.n_notes


# ----------------------------------------------------------------------------- NLL
def test_heldout_nll_sliding_window_scores_each_token_once(tokenizer):
    torch.manual_seed(0)
    model = g.make_gpt2_for(tokenizer, 100_000, 128).eval()
    pieces = [_piece(0, 2), _piece(2, 2)]
    full = g.heldout_nll(model, tokenizer, pieces)
    n_ids = sum(len(g.encode_piece(tokenizer, p)) for p in pieces)
    assert full["n_tokens"] == n_ids + len(pieces)  # body + EOS per piece
    assert full["n_notes"] == sum(p.n_notes for p in pieces)
    assert full["n_bars"] == 4
    assert math.isclose(full["per_note"] * full["n_notes"], full["total"])
    assert abs(full["per_token"] - math.log(len(tokenizer))) < 1.0  # random init: near uniform
    # longer pieces than the context: sliding windows still predict every token once
    long_piece = _piece(3, 8)
    n_long = len(g.encode_piece(tokenizer, long_piece)) + 1
    assert n_long > 128
    windowed = g.heldout_nll(model, tokenizer, [long_piece], stride=32)
    assert windowed["n_tokens"] == n_long
    assert math.isfinite(windowed["per_token"])
    with pytest.raises(ValueError, match="stride"):
        g.heldout_nll(model, tokenizer, [long_piece], stride=128)  # would skip a token per window


# ----------------------------------------------------------------------------- training
def test_train_a_few_steps_lowers_the_loss_and_saves_without_pickle(tmp_path, tokenizer):
    pieces = [_piece(i) for i in range(3)]
    run = g.train_baseline(
        pieces,
        [_piece(0)],
        out_dir=tmp_path / "run",
        n_params=100_000,
        max_minutes=0.5,
        seed=0,
        batch_size=8,
        seq_len=64,
        n_positions=128,
        lr=3e-3,
        max_steps=25,
        tokenizer=tokenizer,
        device="cpu",
        progress=False,
    )
    log = run.log
    assert log["steps"] == 25
    assert log["final_train_loss"] < log["first_train_loss"] - 1.0
    assert log["valid_curve"][-1]["valid_per_token"] < math.log(len(tokenizer)) - 1.0
    files = {p.name for p in (tmp_path / "run").iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "train_log.json"} <= files
    assert not [f for f in files if f.endswith((".bin", ".pt", ".pth", ".pkl", ".pickle"))]

    model, tok = g.load_baseline(tmp_path / "run", device="cpu")
    x = torch.tensor([[tok["BOS_None"], *g.encode_piece(tok, pieces[0])[:20]]])
    run.model.eval()
    with torch.inference_mode():
        assert torch.allclose(model(input_ids=x).logits, run.model(input_ids=x).logits, atol=1e-5)


# ----------------------------------------------------------------------------- generation
def _steered_model(tokenizer, favourites: list[str]):
    """A tiny GPT-2 whose next token is uniform over `favourites`, whatever the context."""
    torch.manual_seed(0)
    model = g.make_gpt2_for(tokenizer, 100_000, 512).eval()
    with torch.no_grad():
        model.transformer.ln_f.weight.zero_()
        model.transformer.ln_f.bias.zero_()
        model.transformer.ln_f.bias[0] = 100.0
        model.lm_head.weight[:, 0] = 0.0  # tied with the input embedding; fine for this test
        for name in favourites:
            model.lm_head.weight[tokenizer[name], 0] = 1.0
    return model


def test_generate_stops_after_the_requested_bars(tokenizer):
    model = _steered_model(
        tokenizer, ["Bar_None", "Position_0", "Program_0", "Pitch_60", "Velocity_79", "Duration_1.0.8"]
    )
    sample = g.generate_baseline(model, tokenizer, n_bars=4, batch_size=2, max_length=500, seed=0)
    assert len(sample.scores) == 2
    assert sample.n_bars == [4, 4]
    assert sample.hit_max_length == [False, False]
    for ids, score in zip(sample.token_ids, sample.scores):
        assert sum(i == tokenizer["Bar_None"] for i in ids) == 4
        assert isinstance(score, symusic.Score)
    assert sample.seconds >= sample.generate_seconds > 0


def test_generate_stops_at_max_length(tokenizer):
    torch.manual_seed(0)
    model = g.make_gpt2_for(tokenizer, 100_000, 128).eval()
    sample = g.generate_baseline(model, tokenizer, n_bars=32, batch_size=1, max_length=20, seed=0)
    assert sample.n_new_tokens == 19
    assert sample.hit_max_length == [True]
    assert sample.n_bars[0] < 32
    assert isinstance(sample.score, symusic.Score)
