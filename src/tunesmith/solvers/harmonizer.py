"""Training the harmonizer (`tunesmith.harmonizer`): maximum likelihood of each unit's chord label.

    examples = build_examples(pieces)                      # pieces with a melody and chord symbols
    net, report = train_harmonizer(train, valid, HarmonizerTrainConfig(), progress=True)
    prior = transition_prior(label_sequences)              # from the training units + progressions

The loss is the cross-entropy of every unit that has a known chord (units before the first
chord, or under a chord outside the label set, are left out). Training stops at `epochs` or
when the validation loss has not improved for `patience` epochs, and keeps the best weights.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from tunesmith.harmonizer import (
    N_LABELS,
    QUALITY_NAMES,
    STYLE_COLUMNS,
    STYLE_SLOTS,
    HarmonizerConfig,
    piece_key,
    unit_features,
    unit_labels,
    units_for,
    voice_labels,
)
from tunesmith.score import Piece


class HarmonizerNet(nn.Module):
    """The harmonizer's network for training; `tunesmith.harmonizer.numpy_forward` runs the same
    weights at inference. Linear -> GELU -> bidirectional GRU -> Linear -> GELU -> Linear."""

    def __init__(self, config: HarmonizerConfig):
        super().__init__()
        self.config = config
        h = config.hidden
        self.inp = nn.Sequential(nn.Linear(config.n_features, h), nn.GELU(), nn.Dropout(config.dropout))
        self.rnn = nn.GRU(h, h, num_layers=config.layers, batch_first=True, bidirectional=True,
                          dropout=config.dropout if config.layers > 1 else 0.0)  # fmt: skip
        self.head = nn.Sequential(nn.Dropout(config.dropout), nn.Linear(2 * h, h), nn.GELU(), nn.Linear(h, config.n_labels))

    def forward(self, x: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        # x: (B, T, F) -> logits (B, T, L)
        z = self.inp(x)
        if lengths is not None:
            packed = nn.utils.rnn.pack_padded_sequence(z, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, _ = self.rnn(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        else:
            out, _ = self.rnn(z)
        return self.head(out)

    def numpy_params(self) -> dict[str, np.ndarray]:
        """The weights as numpy arrays by their names (what `Harmonizer` runs and saves)."""
        return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in self.state_dict().items()}


@dataclass
class HarmonizerTrainConfig:
    """How the harmonizer trains (saved with it)."""

    epochs: int = 40
    batch_size: int = 16
    lr: float = 2e-3
    weight_decay: float = 0.01
    patience: int = 6
    seed: int = 0
    max_units: int = 512  # longer pieces are cut into windows of this many units
    transition_smoothing: float = 0.5  # add-k on the label bigram counts
    # share of training windows shown as style "other": what is learnt of harmony in one style
    # serves the others (pop has 121 shippable songs with chords, folk 807)
    style_dropout: float = 0.0

    def __post_init__(self) -> None:
        if not (1 <= self.epochs <= 10_000 and 1 <= self.batch_size <= 4096 and 0 < self.lr < 1):
            raise ValueError(f"harmonizer training config out of range: {self}")
        if not (self.patience >= 1 and self.max_units >= 8 and self.transition_smoothing > 0
                and 0 <= self.style_dropout <= 1):  # fmt: skip
            raise ValueError(f"harmonizer training config out of range: {self}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Example:
    piece_id: str
    x: np.ndarray  # (T, F)
    y: np.ndarray  # (T,) -1 = no label


def build_examples(pieces, *, with_melody: bool = True, unit: str = "half") -> list[Example]:
    """One example per piece that has chord symbols (and, if `with_melody`, a melody); with
    `unit` "beat" (chorales) the label is the chord the four parts sound on each beat."""
    out = []
    for piece in pieces:
        if unit == "half" and not piece.chords:
            continue
        melody = piece.melody()
        if with_melody and (melody is None or not melody.notes):
            continue
        key = piece_key(piece)
        units = units_for(piece, unit)
        y = unit_labels(piece, units, key) if unit == "half" else voice_labels(piece, units, key)
        if (y >= 0).sum() < 2:
            continue
        x = unit_features(piece, units, key) if with_melody else np.zeros((len(units), 0), np.float32)
        out.append(Example(piece.piece_id, x, y))
    return out


def transition_prior(sequences, smoothing: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(log P(next | label) (L, L), log P(first) (L,)) from label sequences (-1 breaks a run).

    Labels are relative to the key, and counted as they are (not pooled by root motion: in a key,
    V-I and ii-V are different functions though both move by a fourth). Add-`smoothing`."""
    trans = np.full((N_LABELS, N_LABELS), smoothing)
    start = np.full(N_LABELS, smoothing)
    for seq in sequences:
        prev = -1
        for lab in seq:
            lab = int(lab)
            if lab < 0:
                prev = -1
                continue
            if prev < 0:
                start[lab] += 1
            else:
                trans[prev, lab] += 1
            prev = lab
    trans /= trans.sum(1, keepdims=True)
    start /= start.sum()
    return np.log(trans), np.log(start)


def _windows(examples: list[Example], max_units: int) -> list[Example]:
    out = []
    for ex in examples:
        for a in range(0, len(ex.y), max_units):
            out.append(Example(ex.piece_id, ex.x[a : a + max_units], ex.y[a : a + max_units]))
    return out


def _batch(examples: list[Example]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    T = max(len(e.y) for e in examples)
    F = examples[0].x.shape[1]
    x = np.zeros((len(examples), T, F), np.float32)
    y = np.full((len(examples), T), -1, np.int64)
    for i, e in enumerate(examples):
        x[i, : len(e.y)] = e.x
        y[i, : len(e.y)] = e.y
    lengths = torch.tensor([len(e.y) for e in examples])
    return torch.from_numpy(x), torch.from_numpy(y), lengths


@torch.no_grad()
def evaluate(net: HarmonizerNet, examples: list[Example], batch_size: int = 32) -> dict[str, float]:
    """Mean cross-entropy per labelled unit, label accuracy and root accuracy (argmax per unit)."""
    net.eval()
    loss = n = right = root = 0.0
    nq = len(QUALITY_NAMES)
    for i in range(0, len(examples), batch_size):
        x, y, lengths = _batch(examples[i : i + batch_size])
        logits = net(x, lengths)
        mask = y >= 0
        if not mask.any():
            continue
        lg, yy = logits[mask], y[mask]
        loss += nn.functional.cross_entropy(lg, yy, reduction="sum").item()
        pred = lg.argmax(-1)
        right += (pred == yy).sum().item()
        root += (pred // nq == yy // nq).sum().item()
        n += mask.sum().item()
    return {"loss": loss / max(n, 1), "label_accuracy": right / max(n, 1), "root_accuracy": root / max(n, 1),
            "units": int(n)}  # fmt: skip


def train_harmonizer(
    train: list[Example],
    valid: list[Example],
    config: HarmonizerTrainConfig | None = None,
    net_config: HarmonizerConfig | None = None,
    *,
    progress: bool = False,
) -> tuple[HarmonizerNet, dict[str, Any]]:
    """Train a HarmonizerNet; returns it (best validation loss) and a report of every epoch."""
    config = config or HarmonizerTrainConfig()
    net_config = net_config or HarmonizerConfig()
    if not train:
        raise ValueError("no training examples: pieces need a melody and chord symbols")
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    net = HarmonizerNet(net_config)
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    windows = _windows(train, config.max_units)
    steps_per_epoch = math.ceil(len(windows) / config.batch_size)
    total = steps_per_epoch * config.epochs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=total, pct_start=0.1)
    best, best_state, history, stale = math.inf, None, [], 0
    t0 = time.perf_counter()
    bar = None
    if progress:
        from tunesmith.progress import progress_bar

        bar = progress_bar(total=config.epochs, desc="harmonizer", unit="epoch")
    for epoch in range(config.epochs):
        net.train()
        order = rng.permutation(len(windows))
        # similar lengths together: less padding, same gradient
        chunks = [order[i : i + config.batch_size * 8] for i in range(0, len(order), config.batch_size * 8)]
        run_loss = run_n = 0.0
        for chunk in chunks:
            chunk = sorted(chunk, key=lambda k: len(windows[k].y))
            for i in range(0, len(chunk), config.batch_size):
                x, y, lengths = _batch([windows[k] for k in chunk[i : i + config.batch_size]])
                if config.style_dropout:
                    hide = torch.from_numpy(rng.random(len(x)) < config.style_dropout)
                    x[hide, :, STYLE_COLUMNS] = 0.0
                    x[hide, :, STYLE_COLUMNS.stop - 1] = 1.0
                logits = net(x, lengths)
                loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-1)
                if not torch.isfinite(loss):
                    raise FloatingPointError(f"harmonizer loss is {loss.item()} at epoch {epoch}")
                opt.zero_grad(set_to_none=True)
                loss.backward()
                nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                if sched.last_epoch < total - 1:
                    sched.step()
                run_loss += loss.item()
                run_n += 1
        val = evaluate(net, valid) if valid else {"loss": run_loss / max(run_n, 1)}
        history.append({"epoch": epoch + 1, "train_loss": round(run_loss / max(run_n, 1), 4),
                        **{f"valid_{k}": round(v, 4) for k, v in val.items()}})  # fmt: skip
        if bar is not None:
            bar.set_postfix(valid_loss=f"{val['loss']:.3f}", root=f"{val.get('root_accuracy', 0):.3f}")
            bar.update(1)
        if val["loss"] < best - 1e-4:
            best, stale = val["loss"], 0
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        else:
            stale += 1
            if stale >= config.patience:
                break
    if bar is not None:
        bar.close()
    if best_state is not None:
        net.load_state_dict(best_state)
    net.eval()
    report = {"history": history, "best_valid_loss": round(best, 4), "seconds": round(time.perf_counter() - t0, 1),
              "train_pieces": len(train), "valid_pieces": len(valid), "train_config": config.to_dict()}  # fmt: skip
    return net, report


def label_sequences(pieces: list[Piece], unit: str = "half") -> list[np.ndarray]:
    """Each chord-bearing piece's unit labels (with or without a melody): for the transition prior."""
    return [ex.y for ex in build_examples(pieces, with_melody=False, unit=unit)]


def style_transition_priors(pieces: list[Piece], smoothing: float = 0.5, unit: str = "half") -> tuple[np.ndarray, np.ndarray]:
    """(S, L, L) and (S, L): `transition_prior` per style of `STYLE_SLOTS` (the last: all pooled).

    A style's prior is its own counts plus the pooled counts at a tenth of their weight, so a
    style with few pieces still has every common move."""
    by_style: dict[str, list[Piece]] = {}
    for p in pieces:
        by_style.setdefault(p.style if p.style in STYLE_SLOTS[:-1] else "other", []).append(p)
    seqs = {s: label_sequences(ps, unit) for s, ps in by_style.items()}
    pooled = [q for v in seqs.values() for q in v]
    lt_all, ls_all = transition_prior(pooled, smoothing)
    trans, start = [], []
    for slot in STYLE_SLOTS[:-1]:
        own = seqs.get(slot, [])
        if not own:
            trans.append(lt_all)
            start.append(ls_all)
            continue
        t_own, s_own = transition_prior(own, smoothing)
        mix_t = np.log(0.9 * np.exp(t_own) + 0.1 * np.exp(lt_all))
        mix_s = np.log(0.9 * np.exp(s_own) + 0.1 * np.exp(ls_all))
        trans.append(mix_t)
        start.append(mix_s)
    trans.append(lt_all)
    start.append(ls_all)
    return np.stack(trans), np.stack(start)


__all__ = ["Example", "HarmonizerNet", "HarmonizerTrainConfig", "build_examples", "evaluate", "label_sequences", "style_transition_priors",
           "train_harmonizer", "transition_prior"]  # fmt: skip
