"""Model: config checks, shapes, causality, KV cache == full forward, numpy decoder == torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tunesmith.model import GPT, ModelConfig, NumpyDecoder
from tunesmith.tokenizer import Tokenizer


@pytest.fixture(scope="module")
def model() -> GPT:
    torch.manual_seed(0)
    return GPT(ModelConfig(vocab_size=Tokenizer().vocab_size, block_size=64, n_layer=2, n_head=2, n_embd=32)).eval()


@pytest.mark.parametrize(
    "bad",
    [
        {"vocab_size": 0},
        {"vocab_size": 10, "n_embd": 30, "n_head": 4},
        {"vocab_size": 10, "dropout": 1.0},
        {"vocab_size": 10, "n_layer": 2.5},
        {"vocab_size": 10, "block_size": -1},
    ],
)
def test_config_is_checked(bad):
    with pytest.raises(ValueError):
        ModelConfig(**bad)


def test_config_round_trip():
    cfg = ModelConfig(vocab_size=100, n_layer=3)
    assert ModelConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="unknown"):
        ModelConfig.from_dict(cfg.to_dict() | {"colour": 1})


def test_forward_shapes_and_loss(model):
    idx = torch.randint(0, model.config.vocab_size, (3, 20))
    logits, loss = model(idx, targets=idx)
    assert logits.shape == (3, 20, model.config.vocab_size)
    assert loss.ndim == 0 and torch.isfinite(loss)
    assert abs(loss.item() - np.log(model.config.vocab_size)) < 1.0  # near uniform at init
    logits, loss = model(idx)
    assert logits.shape == (3, 1, model.config.vocab_size) and loss is None
    targets = idx.clone()
    targets[:, 10:] = -1  # ignored positions
    _, partial = model(idx, targets=targets)
    assert torch.isfinite(partial)


def test_too_long_is_an_error(model):
    with pytest.raises(ValueError, match="block size"):
        model(torch.zeros(1, model.config.block_size + 1, dtype=torch.long))


def test_causal(model):
    a = torch.randint(0, model.config.vocab_size, (1, 16))
    b = a.clone()
    b[0, 10:] = (b[0, 10:] + 1) % model.config.vocab_size
    la, _ = model(a, targets=a)
    lb, _ = model(b, targets=b)
    assert torch.allclose(la[0, :10], lb[0, :10], atol=1e-5)
    assert not torch.allclose(la[0, 10:], lb[0, 10:])


def test_kv_cache_matches_full_forward(model):
    idx = torch.randint(0, model.config.vocab_size, (2, 30))
    with torch.inference_mode():
        full, _ = model(idx, targets=idx)  # (2, 30, V)
        cache = model.new_cache(2)
        out = [model(idx[:, :7], cache=cache)[0][:, -1]]  # a chunk, then one at a time
        for t in range(7, 30):
            out.append(model(idx[:, t : t + 1], cache=cache)[0][:, -1])
    assert cache.length == 30
    assert torch.allclose(out[0], full[:, 6], atol=1e-4)
    for k, t in enumerate(range(7, 30), start=1):
        assert torch.allclose(out[k], full[:, t], atol=1e-4)


def test_numpy_decoder_matches_torch(model):
    idx = torch.randint(0, model.config.vocab_size, (2, 25))
    with torch.inference_mode():
        full, _ = model(idx, targets=idx)
    dec = NumpyDecoder(model)
    dec.reset(2)
    first = dec.step(idx[:, :5].numpy())
    np.testing.assert_allclose(first, full[:, 4].numpy(), atol=1e-4)
    chunk = dec.step(idx[:, 5:8].numpy())  # a chunk after a prefix (masked attention)
    np.testing.assert_allclose(chunk, full[:, 7].numpy(), atol=1e-4)
    for t in range(8, 25):
        np.testing.assert_allclose(dec.step(idx[:, t : t + 1].numpy()), full[:, t].numpy(), atol=1e-4)
    with pytest.raises(ValueError):
        dec.step(np.zeros((2, 100), dtype=np.int64))



@pytest.mark.parametrize("metric", [False, True])
def test_numpy_decoder_left_padded_rows_match_torch(metric):
    """Prompts of different lengths in one batch (takes with and without a pickup): each row's
    logits equal the torch model's on that row alone, pads hidden; a finished row running past
    the block (fed on while others decode) neither fails nor disturbs the rest."""
    torch.manual_seed(1)
    cfg = ModelConfig(vocab_size=Tokenizer().vocab_size, block_size=24, n_layer=2, n_head=2, n_embd=32, metric=metric)
    gpt = GPT(cfg).eval()
    rng = np.random.default_rng(3)
    lengths = (7, 4, 9)
    seqs = [rng.integers(1, cfg.vocab_size, size=n + 12) for n in lengths]  # prompt + 12 fed one at a time
    pads = [max(lengths) - n for n in lengths]
    dec = NumpyDecoder(gpt)
    dec.reset(3, cfg.block_size, pads)
    feed = np.array([[s[0]] * pad + list(s[:n]) for s, n, pad in zip(seqs, lengths, pads)])
    got = [dec.step(feed)]
    for j in range(12):
        got.append(dec.step(np.array([[s[n + j]] for s, n in zip(seqs, lengths)])))
    for r, (s, n) in enumerate(zip(seqs, lengths)):
        with torch.inference_mode():
            full, _ = gpt(torch.as_tensor(s[None, :]), targets=torch.as_tensor(s[None, :]))
        for j, logits in enumerate(got):
            np.testing.assert_allclose(logits[r], full[0, n - 1 + j].numpy(), atol=1e-4)
    more = dec.step(np.ones((3, 5), dtype=np.int64))  # the 4-token row passes its block: clipped
    assert np.isfinite(more).all()
    with pytest.raises(ValueError, match="pads must be 3 counts"):
        dec.reset(3, cfg.block_size, [1, 2])

def test_shipped_size_is_small():
    # the size configs/small.toml trains: must stay well under 20 MB in float32
    cfg = ModelConfig(vocab_size=Tokenizer().vocab_size, block_size=1024, n_layer=4, n_head=4, n_embd=192)
    n = GPT(cfg).num_params()
    assert n * 4 < 20e6, n


def test_optimizer_groups(model):
    opt = model.configure_optimizer(lr=1e-3, weight_decay=0.1)
    decays = sorted(g["weight_decay"] for g in opt.param_groups)
    assert decays == [0.0, 0.1]
    n_opt = sum(p.numel() for g in opt.param_groups for p in g["params"])
    assert n_opt == model.num_params()


def test_numpy_loading_composes_exactly_like_torch_loading(tmp_path):
    """The CLI loads models without torch (tunesmith.inference); the takes must be identical."""
    from tunesmith.inference import NumpyModel, load_numpy_model
    from tunesmith.model import load_model, save_model
    from tunesmith.sampling import ComposeRequest, generate
    from tunesmith.tokenizer import Tokenizer

    tok = Tokenizer()
    torch.manual_seed(3)
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, n_layer=2, n_head=2, n_embd=32, block_size=512))
    save_model(tmp_path, model, tok, {"provenance": {}})
    torch_model, tok_a, _ = load_model(tmp_path)
    numpy_model, tok_b, info = load_numpy_model(tmp_path)
    assert isinstance(numpy_model, NumpyModel) and info["model_config"] == torch_model.config.to_dict()
    for request in (ComposeRequest(style="jazz", bars=4, seed=5), ComposeRequest(style="chorale", bars=3, seed=6)):
        a = generate(torch_model, tok_a, request, n=2)
        b = generate(numpy_model, tok_b, request, n=2)
        assert [t.tokens for t in a] == [t.tokens for t in b]
        assert all(np.allclose(x.logprobs, y.logprobs, atol=1e-5) for x, y in zip(a, b))


def test_numpy_loading_refuses_what_is_not_a_model(tmp_path):
    from tunesmith.inference import load_numpy_model

    (tmp_path / "model.safetensors").write_bytes(b"\x80\x04 pickle, not safetensors")
    with pytest.raises(ValueError, match="not a safetensors file"):
        load_numpy_model(tmp_path)
    with pytest.raises(FileNotFoundError, match="no tunesmith model"):
        load_numpy_model(tmp_path / "nowhere")


def test_composing_from_the_command_line_never_imports_torch(tmp_path):
    """Importing torch costs ~1 s per command; compose and co-create decode in numpy."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tunesmith.cli import main\n"
        f"main(['compose', '--style', 'jazz', '--bars', '4', '--no-audio', '--no-svg', '--out', {str(tmp_path / 'x')!r}])\n"
        f"main(['continue', {str(tmp_path / 'x.mid')!r}, '--bars', '2', '--no-audio', '--no-svg', '--out', {str(tmp_path / 'c')!r}])\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr


def test_blockwise_causal_attention_with_dropout_is_the_same_function():
    """Training attention on the CPU (dropout > 0) runs in query blocks with its own backward:
    without dropout it is SDPA's causal attention, values and gradients; with dropout its
    gradients are autograd's for the same mask; each weight is kept with probability 1 - p."""
    import math

    from torch.nn import functional as F

    from tunesmith.model import causal_attention_blocks

    torch.manual_seed(0)
    for T, block in ((40, 128), (300, 128), (130, 16)):
        q, k, v = (torch.randn(2, 3, T, 8, dtype=torch.float64, requires_grad=True) for _ in range(3))
        a = causal_attention_blocks(q, k, v, 0.0, block)
        b = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        assert torch.allclose(a, b, atol=1e-12)
        ga = torch.autograd.grad(a.pow(2).sum(), (q, k, v))
        gb = torch.autograd.grad(b.pow(2).sum(), (q, k, v))
        assert all(torch.allclose(x, y, atol=1e-10) for x, y in zip(ga, gb))

    def reference(q, k, v, p, block):  # plain autograd, the same random draws in the same order
        T, outs = q.size(-2), []
        for s in range(0, T, block):
            e = min(T, s + block)
            att = q[:, :, s:e] @ k[:, :, :e].transpose(-2, -1) / math.sqrt(q.size(-1))
            att = att.masked_fill(~torch.ones(e - s, e, dtype=torch.bool).tril(diagonal=s), float("-inf")).softmax(-1)
            keep = torch.empty_like(att, dtype=torch.bool).bernoulli_(1 - p)
            outs.append((att * keep / (1 - p)) @ v[:, :, :e])
        return torch.cat(outs, dim=2)

    q, k, v = (torch.randn(2, 2, 100, 8, dtype=torch.float64, requires_grad=True) for _ in range(3))
    w = torch.randn(2, 2, 100, 8, dtype=torch.float64)
    torch.manual_seed(7)
    a = causal_attention_blocks(q, k, v, 0.3, 32)
    torch.manual_seed(7)
    b = reference(q, k, v, 0.3, 32)
    assert torch.allclose(a, b, atol=1e-12)
    ga = torch.autograd.grad((a * w).sum(), (q, k, v))
    gb = torch.autograd.grad((b * w).sum(), (q, k, v))
    assert all(torch.allclose(x, y, atol=1e-10) for x, y in zip(ga, gb))
    # the dropout rate: v = identity rows make the output the dropped attention weights
    T = 64
    q, k = torch.randn(1, 1, T, T), torch.randn(1, 1, T, T)
    out = causal_attention_blocks(q, k, torch.eye(T).view(1, 1, T, T), 0.25, 16)
    kept = (out[0, 0].tril() > 0).sum().item() / (T * (T + 1) / 2)
    assert abs(kept - 0.75) < 0.03


def test_training_attention_on_the_cpu_uses_the_blockwise_path(monkeypatch):
    import tunesmith.model as m

    calls = []
    real = m.causal_attention_blocks
    monkeypatch.setattr(m, "causal_attention_blocks", lambda *a, **k: calls.append(1) or real(*a, **k))
    tok = Tokenizer()
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=64, n_layer=1, n_head=2, n_embd=16, dropout=0.1))
    x = torch.randint(0, tok.vocab_size, (2, 40))
    model.train()
    _, loss = model(x, targets=x)
    loss.backward()
    assert calls == [1]
    model.eval()
    model(x, targets=x)
    assert calls == [1]  # evaluation: no dropout, PyTorch's fused kernel


def test_metric_features_of_a_padded_batch_are_what_forward_computes():
    from tunesmith.solvers.train import TokenData, collate, synthetic_pieces

    tok = Tokenizer()
    data = TokenData(synthetic_pieces(12, seed=2), tok, 256)
    seqs = data.batch(seed=1, step=3, batch_size=6, fim_rate=0.5, transpose=3)
    x, _ = collate(seqs, tok)
    assert (x == tok.pad_id).any()  # rows of different lengths: trailing padding
    model = GPT(ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=16, metric=True))
    assert torch.equal(model.metric_features(x), GPT._metric_of(x, None))
