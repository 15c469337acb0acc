"""The composer's network: a small decoder-only transformer (nanoGPT style, one readable file).

    tokens -> token embedding + position embedding -> n_layer x [LN -> causal self-attention -> +,
    LN -> MLP -> +] -> LN -> linear head (tied to the token embedding) -> next-token logits

`forward(idx, targets)` trains on whole sequences; `forward(idx, cache=KVCache)` decodes
incrementally: keys and values of earlier positions are kept in a preallocated cache so each
new token costs one pass over that token only. The shipped size (4 layers, width 192, block
1024) is about 2.1 M parameters, 8.3 MB in float32. Sampling runs the same weights in numpy
(`tunesmith.inference`), which needs no torch at all.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
import torch.nn as nn
from torch.nn import functional as F

from tunesmith.inference import (  # noqa: F401  (re-exported: one definition of each)
    MODEL_FILE,
    MODEL_FORMAT,
    ModelConfig,
    NumpyDecoder,
    read_model_file,
    read_safetensors_file,
)


class KVCache:
    """Keys and values of the positions decoded so far, for every layer, preallocated.

    k, v: (n_layer, B, n_head, max_len, head_dim); `length` positions are filled.
    """

    def __init__(self, config: ModelConfig, batch_size: int, max_len: int | None = None, dtype=torch.float32):
        max_len = max_len or config.block_size
        if max_len > config.block_size:
            raise ValueError(f"cache length {max_len} exceeds the model's block size {config.block_size}")
        head_dim = config.n_embd // config.n_head
        shape = (config.n_layer, batch_size, config.n_head, max_len, head_dim)
        self.k = torch.zeros(shape, dtype=dtype)
        self.v = torch.zeros(shape, dtype=dtype)
        self.length = 0
        self.max_len = max_len

    def reorder(self, index: torch.Tensor) -> None:
        """Keep only batch rows `index` (in that order)."""
        self.k = self.k[:, index]
        self.v = self.v[:, index]
        if hasattr(self, "trackers"):
            self.trackers = [self.trackers[int(i)] for i in index]


ATTENTION_BLOCK = 128  # queries per block in `causal_attention_blocks`


class _BlockCausalAttention(torch.autograd.Function):
    """softmax(q k^T / sqrt(hd) + causal mask), dropped out with probability p, times v; one
    block of queries at a time (see `causal_attention_blocks`). Saves for backward only the
    attention weights of the blocks (the causal half of the T x T matrix) and the dropout
    mask as booleans, where PyTorch's generic path keeps three full float (T, T) matrices."""

    @staticmethod
    def forward(ctx, q, k, v, p: float, block: int):  # q, k, v: (B, nh, T, hd)
        T, hd = q.size(-2), q.size(-1)
        scale = 1.0 / math.sqrt(hd)
        keep_scale = 1.0 / (1.0 - p)
        out = torch.empty_like(q)  # (B, nh, T, hd)
        probs, keeps = [], []
        for s in range(0, T, block):
            e = min(T, s + block)
            att = torch.matmul(q[:, :, s:e], k[:, :, :e].transpose(-2, -1)).mul_(scale)  # (B, nh, e-s, e)
            future = torch.ones(e - s, e - s, dtype=torch.bool, device=q.device).triu_(1)  # (e-s, e-s)
            att[..., s:e].masked_fill_(future, float("-inf"))
            att = torch.softmax(att, dim=-1)  # (B, nh, e-s, e)
            keep = torch.empty_like(att, dtype=torch.bool).bernoulli_(1.0 - p)  # (B, nh, e-s, e)
            out[:, :, s:e] = torch.matmul(att * keep * keep_scale, v[:, :, :e])  # (B, nh, e-s, hd)
            probs.append(att)
            keeps.append(keep)
        ctx.save_for_backward(q, k, v, *probs, *keeps)
        ctx.p, ctx.block = p, block
        return out

    @staticmethod
    def backward(ctx, grad):  # grad: (B, nh, T, hd)
        q, k, v, *saved = ctx.saved_tensors
        n = len(saved) // 2
        probs, keeps = saved[:n], saved[n:]
        T, hd = q.size(-2), q.size(-1)
        scale = 1.0 / math.sqrt(hd)
        keep_scale = 1.0 / (1.0 - ctx.p)
        dq, dk, dv = torch.empty_like(q), torch.zeros_like(k), torch.zeros_like(v)
        for i, s in enumerate(range(0, T, ctx.block)):
            e = min(T, s + ctx.block)
            att, keep, g = probs[i], keeps[i], grad[:, :, s:e]  # (B, nh, e-s, e), ..., (B, nh, e-s, hd)
            dropped = att * keep * keep_scale  # (B, nh, e-s, e)
            dv[:, :, :e] += torch.matmul(dropped.transpose(-2, -1), g)
            del dropped
            d_att = torch.matmul(g, v[:, :, :e].transpose(-2, -1)).mul_(keep).mul_(keep_scale)  # (B, nh, e-s, e)
            d_att = att * (d_att - (d_att * att).sum(-1, keepdim=True))  # softmax backward
            d_att.mul_(scale)
            dq[:, :, s:e] = torch.matmul(d_att, k[:, :, :e])
            dk[:, :, :e] += torch.matmul(d_att.transpose(-2, -1), q[:, :, s:e])
        return dq, dk, dv, None, None


def causal_attention_blocks(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, dropout_p: float, block: int = ATTENTION_BLOCK
) -> torch.Tensor:
    """Causal self-attention with dropout, the same function as
    `F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p, is_causal=True)`, computed one
    block of queries at a time: queries s..e-1 against keys 0..e-1 only.

    Why: on the CPU, attention dropout rules out PyTorch's flash kernel, and its fallback builds,
    softmaxes and drops out the whole (T, T) matrix, half of which the causal mask throws away,
    and keeps three float copies of it for backward. Blocks skip most of that half (and stay in
    cache), and backward keeps the weights and a boolean dropout mask only. Each weight is
    dropped with the same probability as before; only the random draws differ.

    q, k, v: (B, nh, T, hd) -> (B, nh, T, hd)
    """
    if not 0.0 <= dropout_p < 1.0:
        raise ValueError(f"dropout_p must be in [0, 1), not {dropout_p}")
    return _BlockCausalAttention.apply(q, k, v, float(dropout_p), int(block))


class CausalSelfAttention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        self.dropout = config.dropout
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)  # q, k, v at once
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        B, T, C = x.shape  # (B, T, C)
        hd = C // self.n_head
        q, k, v = self.c_attn(x).split(C, dim=2)  # 3 x (B, T, C)
        q = q.view(B, T, self.n_head, hd).transpose(1, 2)  # (B, nh, T, hd)
        k = k.view(B, T, self.n_head, hd).transpose(1, 2)  # (B, nh, T, hd)
        v = v.view(B, T, self.n_head, hd).transpose(1, 2)  # (B, nh, T, hd)
        if cache is None:
            drop = self.dropout if self.training else 0.0
            if drop > 0.0 and q.device.type == "cpu":
                y = causal_attention_blocks(q, k, v, drop)  # (B, nh, T, hd)
            else:
                y = F.scaled_dot_product_attention(q, k, v, dropout_p=drop, is_causal=True)  # (B, nh, T, hd)
        else:
            start = cache.length
            stop = start + T
            cache.k[layer, :, :, start:stop] = k
            cache.v[layer, :, :, start:stop] = v
            k_all = cache.k[layer, :, :, :stop]  # (B, nh, S, hd), S = stop
            v_all = cache.v[layer, :, :, :stop]  # (B, nh, S, hd)
            if T == 1:
                y = F.scaled_dot_product_attention(q, k_all, v_all)  # (B, nh, 1, hd): sees every cached position
            else:
                # query i (absolute position start + i) sees keys 0 .. start + i
                mask = torch.ones(T, stop, dtype=torch.bool).tril(diagonal=start)  # (T, S)
                y = F.scaled_dot_product_attention(q, k_all, v_all, attn_mask=mask)  # (B, nh, T, hd)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # (B, T, C)
        return self.resid_dropout(self.c_proj(y))  # (B, T, C)


class MLP(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.gelu(self.c_fc(x), approximate="tanh")  # (B, T, 4C)
        return self.dropout(self.c_proj(h))  # (B, T, C)


class Block(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, layer: int = 0) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), cache, layer)  # (B, T, C)
        x = x + self.mlp(self.ln_2(x))  # (B, T, C)
        return x


class GPT(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        if not isinstance(config, ModelConfig):
            raise TypeError("GPT needs a ModelConfig")
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.block_size, config.n_embd)
        if config.metric:  # metrical embeddings (tunesmith.token_meter): beat, bars left, phrase
            from tunesmith.token_meter import N_BEAT, N_LEFT, N_PHRASE

            self.wmb = nn.Embedding(N_BEAT, config.n_embd)
            self.wml = nn.Embedding(N_LEFT, config.n_embd)
            self.wmp = nn.Embedding(N_PHRASE, config.n_embd)
        self.drop = nn.Dropout(config.dropout)
        self.h = nn.ModuleList(Block(config) for _ in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # weight tying
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("c_proj.weight"):  # GPT-2's scaled init of the residual projections
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_params(self) -> int:
        return sum(p.numel() for p in self.parameters())  # tied weights are counted once

    def new_cache(self, batch_size: int, max_len: int | None = None) -> KVCache:
        dtype = self.wte.weight.dtype
        return KVCache(self.config, batch_size, max_len, dtype=dtype)

    def forward(
        self,
        idx: torch.Tensor,
        targets: torch.Tensor | None = None,
        cache: KVCache | None = None,
        metric: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """idx (B, T) token ids -> (logits, loss).

        With `targets` (B, T) (-1 = ignore): logits (B, T, V) and the mean cross-entropy.
        Without: logits of the last position only, (B, 1, V). With `cache`, idx holds the
        next T tokens after the `cache.length` already decoded, and the cache advances by T.
        `metric` (B, T, 3): the tokens' metrical features (`token_meter.metric_features`);
        computed here from idx when the model uses them and none are given.
        """
        B, T = idx.shape  # (B, T)
        start = cache.length if cache is not None else 0
        if start + T > self.config.block_size:
            raise ValueError(f"sequence of {start + T} tokens exceeds the block size {self.config.block_size}")
        pos = torch.arange(start, start + T, dtype=torch.long, device=idx.device)  # (T,)
        x = self.wte(idx) + self.wpe(pos)  # (B, T, C)
        if self.config.metric:
            if metric is None:
                metric = self._metric_of(idx, cache)
            x = x + self.wmb(metric[..., 0]) + self.wml(metric[..., 1]) + self.wmp(metric[..., 2])  # (B, T, C)
        x = self.drop(x)
        for layer, block in enumerate(self.h):
            x = block(x, cache, layer)  # (B, T, C)
        if cache is not None:
            cache.length += T
        if targets is not None:
            x = self.ln_f(x)  # (B, T, C)
            logits = self.lm_head(x)  # (B, T, V)
            loss = F.cross_entropy(
                logits.view(B * T, -1),  # (B*T, V)
                targets.reshape(B * T),  # (B*T,)
                ignore_index=-1,
            )
            return logits, loss
        x = self.ln_f(x[:, [-1], :])  # (B, 1, C)
        return self.lm_head(x), None  # (B, 1, V)

    @staticmethod
    def _metric_of(idx: torch.Tensor, cache: KVCache | None) -> torch.Tensor:
        """(B, T, 3) metrical features of idx; with a cache, of idx after the cached tokens."""
        from tunesmith.token_meter import MeterTracker
        from tunesmith.tokenizer import Tokenizer

        tok = Tokenizer()
        rows = idx.tolist()
        if cache is None:
            trackers = [MeterTracker(tok) for _ in rows]
        else:
            if not hasattr(cache, "trackers"):
                cache.trackers = [MeterTracker(tok) for _ in rows]
            trackers = cache.trackers
        feats = [[tr.push(t) for t in row] for tr, row in zip(trackers, rows)]
        return torch.tensor(feats, dtype=torch.long, device=idx.device)  # (B, T, 3)

    def metric_features(self, idx: torch.Tensor) -> torch.Tensor:
        """(B, T, 3) metrical features of whole sequences idx (B, T), exactly those `forward`
        computes when none are given; for training batches, where they are computed with the
        batch (on the CPU) instead of inside the step. Trailing padding is not pushed token by
        token: a pad moves no tracker, so every trailing pad has the features of the first."""
        from tunesmith.token_meter import MeterTracker
        from tunesmith.tokenizer import Tokenizer

        tok = Tokenizer()
        pad = tok.pad_id
        B, T = idx.shape  # (B, T)
        out = torch.empty((B, T, 3), dtype=torch.long)  # (B, T, 3)
        for b, row in enumerate(idx.tolist()):
            n = T
            while n > 0 and row[n - 1] == pad:
                n -= 1
            tr = MeterTracker(tok)
            feats = [tr.push(t) for t in row[:n]]
            if n < T:
                feats += [tr.push(pad)] * (T - n)
            out[b] = torch.tensor(feats, dtype=torch.long)
        return out.to(idx.device)

    def configure_optimizer(
        self, lr: float, weight_decay: float, betas: tuple[float, float] = (0.9, 0.95)
    ) -> torch.optim.AdamW:
        """AdamW with weight decay on matrices only (not on biases, LayerNorms)."""
        params = [p for p in self.parameters() if p.requires_grad]
        decay = [p for p in params if p.dim() >= 2]
        no_decay = [p for p in params if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
        return torch.optim.AdamW(groups, lr=lr, betas=betas)


# ---------------------------------------------------------------------------- files


def read_safetensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Tensors and string metadata of a safetensors file; ValueError if it is not one."""
    import safetensors.torch

    return read_safetensors_file(path, safetensors.torch.load)


def write_safetensors(path: str | Path, tensors: dict[str, torch.Tensor], info: dict) -> None:
    """Write tensors + `info` (as JSON in the metadata) atomically (temp file + os.replace)."""
    import safetensors.torch

    from tunesmith.paths import atomic_write_bytes

    clean = {k: v.detach().to("cpu").contiguous().clone() for k, v in tensors.items()}
    data = safetensors.torch.save(
        clean, metadata={"format": info.get("format", MODEL_FORMAT), "tunesmith": json.dumps(info)}
    )
    atomic_write_bytes(Path(path), data)


def model_tensors(model: GPT) -> dict[str, torch.Tensor]:
    """The model's weights without the tied head (safetensors refuses shared storage)."""
    return {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}


def save_model(path: str | Path, model: GPT, tokenizer, extra: dict | None = None) -> Path:
    """Write a model folder: model.safetensors (weights; config, tokenizer vocabulary and
    `extra` such as training provenance in its metadata) and model.json (the same metadata,
    for people). Returns the safetensors path."""
    folder = Path(path)
    info = {
        "format": MODEL_FORMAT,
        "version": 1,
        "model_config": model.config.to_dict(),
        "tokenizer": tokenizer.to_dict(),
        **(extra or {}),
    }
    target = folder / MODEL_FILE
    write_safetensors(target, model_tensors(model), info)
    from tunesmith.paths import atomic_write_text

    readable = {k: v for k, v in info.items() if k != "tokenizer"}
    readable["tokenizer"] = {k: v for k, v in info["tokenizer"].items() if k != "vocab"}
    readable["tokenizer"]["vocab_size"] = len(info["tokenizer"]["vocab"])
    atomic_write_text(folder / "model.json", json.dumps(readable, indent=1) + "\n")
    return target


def load_model(path: str | Path):
    """(model in eval mode, tokenizer, info) from a model folder or its model.safetensors.

    Only safetensors and JSON are read (never pickle). ValueError when the file is not a
    tunesmith model; FileNotFoundError when there is none.
    """
    import safetensors.torch

    file, weights, config, tokenizer, info = read_model_file(path, safetensors.torch.load)
    model = GPT(config)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    missing = [k for k in missing if k != "lm_head.weight"]
    if missing or unexpected:
        raise ValueError(
            f"{file}: weights do not match the config (missing {missing[:3]}, unexpected {unexpected[:3]})"
        )
    from tunesmith.inference import read_decoding

    model.decoding = read_decoding(file.parent)
    model.eval()
    return model, tokenizer, info
