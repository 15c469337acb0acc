"""The baseline "anyone would try": miditok REMI tokens + a Hugging Face GPT-2.

tunesmith's Compose and Measure claims are checked against this baseline: a
`GPT2LMHeadModel` of a chosen parameter count, built from a config (never downloaded),
trained on the same split for the same wall time, then used to

- compose: `generate_baseline` samples with `model.generate` (KV cache, nucleus sampling)
  until the stream holds `n_bars` complete bars, the counterpart of "compose one 32-bar
  lead sheet";
- measure: `heldout_nll` gives the held-out negative log-likelihood per token, and also
  per note and per bar, which is what compares across tokenizations.

Tokenizer choice (see `build_remi_tokenizer`): REMI with miditok's defaults (pitch 21..108,
8 positions per beat for the first 4 beats then 4, 32 velocity bins, time signatures on,
no chord tokens, no rests) plus tempo tokens, a wider time-signature list (cut time and
9/8, common in folk and jazz), and `use_programs=True` so that a multi-track piece
(melody + chords, SATB) is ONE token stream with Program tokens: one stream is what a
GPT-2 models and what "count the Bar tokens" needs. miditok merges tracks that share a
program in that mode. Chord tokens stay off: miditok detects them from the notes (it does
not read chord symbols), so they add tokens, not information. A lead sheet's chord symbols
reach the model as notes: `tunesmith.convert.to_symusic` plays them on a block-chord track.
Velocities stay on (miditok's default) although tunesmith pieces mostly have one velocity:
about one token in five; `build_remi_tokenizer(use_velocities=False)` drops them.

Per-note and per-bar NLL divide by the source Piece's notes and bars (not by the chord-track
notes), so they compare with tunesmith's own figures on the same pieces.

Only the `dev` extra's `transformers` is needed on top of tunesmith's dependencies.
Models are saved with safetensors + JSON (`config.json`, `model.safetensors`,
`tokenizer.json`, `train_log.json`); nothing is pickled.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import miditok
import symusic
import torch

from tunesmith.paths import atomic_write_text
from tunesmith.score import Piece, pitch_class_of

TPQ = 480  # ticks per quarter of the symusic Scores we build
# miditok's default list plus cut time (2/2, 3/2, 4/2) and 9/8.
TIME_SIGNATURE_RANGE: dict[int, list[int]] = {8: [3, 6, 9, 12], 4: [1, 2, 3, 4, 5, 6], 2: [2, 3, 4]}
GPT2_ASPECT = 64.0  # GPT-2 small's width / depth (768 / 12); make_gpt2 prefers shapes near it

PieceLike = Any  # a tunesmith Piece or a symusic.Score (symusic.Score is a factory, not a type)


# ----------------------------------------------------------------------------- tokenizer
def build_remi_tokenizer(use_programs: bool = True, **overrides: Any) -> miditok.REMI:
    """A REMI tokenizer with a FRESH `TokenizerConfig`.

    miditok's tokenizer mutates the config it is given (it rewrites special tokens,
    turns `one_token_stream_for_programs` off when programs are off, ...), so sharing one
    config between two tokenizers silently changes the first one. Always build a new one.
    `overrides` go to `TokenizerConfig` (e.g. `use_velocities=False`).
    """
    params: dict[str, Any] = {
        "use_tempos": True,
        "use_time_signatures": True,
        "time_signature_range": {k: list(v) for k, v in TIME_SIGNATURE_RANGE.items()},
        "use_programs": use_programs,
    }
    params.update(overrides)
    return miditok.REMI(miditok.TokenizerConfig(**params))


def _special_ids(tokenizer: miditok.MusicTokenizer) -> dict[str, int]:
    return {
        "pad": tokenizer.pad_token_id,
        "bos": tokenizer["BOS_None"],
        "eos": tokenizer["EOS_None"],
        "bar": tokenizer["Bar_None"],
    }


# ----------------------------------------------------------------------------- pieces
_LETTER_FIFTHS = {"F": -1, "C": 0, "G": 1, "D": 2, "A": 3, "E": 4, "B": 5}
_MODE_FIFTHS = {
    "major": 0,
    "lydian": 1,
    "mixolydian": -1,
    "dorian": -2,
    "minor": -3,
    "aeolian": -3,
    "phrygian": -4,
    "locrian": -5,
}


def _key_fifths(tonic: str, mode: str) -> int:
    """Sharps (+) or flats (-) of the key signature for `tonic` `mode`."""
    pitch_class_of(tonic)  # validates the name
    fifths = _LETTER_FIFTHS[tonic[0].upper()]
    for accidental in tonic[1:]:
        fifths += 7 if accidental == "#" else -7
    fifths += _MODE_FIFTHS.get(mode, 0)
    while fifths > 7:
        fifths -= 12
    while fifths < -7:
        fifths += 12
    return fifths


def pieces_to_symusic(piece: Piece, tpq: int = TPQ) -> symusic.Score:
    """A tunesmith `Piece` as a `symusic.Score` (ticks, `tpq` = 480 per quarter beat).

    Uses `tunesmith.convert.to_symusic` (the project's converter: chord symbols become an
    extra block-chord track, so the baseline hears the harmony of a lead sheet), and falls
    back to `_own_to_symusic` (tracks, tempos, meters, keys; chord symbols not realised)
    when that is not importable or another `tpq` is asked for.
    """
    if tpq == TPQ:
        try:
            from tunesmith.convert import to_symusic
        except ImportError:
            pass
        else:
            return to_symusic(piece)
    return _own_to_symusic(piece, tpq)


def _own_to_symusic(piece: Piece, tpq: int = TPQ) -> symusic.Score:
    """Small converter: note times are `round(beats * tpq)`; programs, drum flags, tempos,
    time and key signatures copied; chord symbols not realised."""
    score = symusic.Score(tpq)

    def tick(beats: float) -> int:
        return int(round(beats * tpq))

    for tr in piece.tracks:
        track = symusic.Track(tr.name, tr.program, tr.is_drum)
        for n in sorted(tr.notes, key=lambda n: (n.onset, n.pitch)):
            start = tick(n.onset)
            track.notes.append(symusic.Note(start, max(1, tick(n.onset + n.duration) - start), n.pitch, n.velocity))
        score.tracks.append(track)
    for t in sorted(piece.tempos, key=lambda t: t.onset):
        score.tempos.append(symusic.Tempo(tick(t.onset), qpm=float(t.qpm)))
    for ts in sorted(piece.time_signatures, key=lambda ts: ts.onset):
        score.time_signatures.append(symusic.TimeSignature(tick(ts.onset), ts.numerator, ts.denominator))
    for k in sorted(piece.keys, key=lambda k: k.onset):
        try:
            fifths = _key_fifths(k.tonic, k.mode)
        except ValueError:
            continue
        score.key_signatures.append(
            symusic.KeySignature(tick(k.onset), fifths, 1 if k.mode in ("minor", "aeolian") else 0)
        )
    return score


def to_score(piece: PieceLike) -> symusic.Score:
    """A Piece converted, a Score as is."""
    if isinstance(piece, symusic.Score):
        return piece
    if isinstance(piece, Piece):
        return pieces_to_symusic(piece)
    raise TypeError(f"expected a tunesmith Piece or a symusic.Score, not {type(piece).__name__}")


def encode_piece(tokenizer: miditok.MusicTokenizer, piece: PieceLike) -> list[int]:
    """REMI ids of one piece, without BOS/EOS ([] for a piece with no playable note)."""
    tokens = tokenizer.encode(to_score(piece))
    if isinstance(tokens, list):  # one sequence per track: only with use_programs=False
        if len(tokens) != 1:
            raise ValueError("a multi-track piece needs a one-stream tokenizer (use_programs=True)")
        tokens = tokens[0]
    return list(tokens.ids)


def _piece_counts(piece: PieceLike, ids: Sequence[int], bar_id: int) -> tuple[int, int]:
    """(notes, bars) of the source piece, so per-note/per-bar NLL compares across tokenizations."""
    if isinstance(piece, Piece):
        return piece.n_notes, piece.n_bars
    return int(piece.note_num()), sum(1 for i in ids if i == bar_id)


# ----------------------------------------------------------------------------- model
def gpt2_param_count(vocab_size: int, n_positions: int, n_embd: int, n_layer: int) -> int:
    """Parameters of a `GPT2LMHeadModel` with tied input/output embeddings."""
    d = n_embd
    return (vocab_size + n_positions) * d + n_layer * (12 * d * d + 13 * d) + 2 * d


def _n_head(n_embd: int) -> int:
    if n_embd % 64 == 0 and n_embd >= 128:
        return n_embd // 64  # GPT-2's head size
    if n_embd % 32 == 0:
        return n_embd // 32
    return max(1, n_embd // 16)


def choose_gpt2_shape(
    n_params_target: int, vocab_size: int, n_positions: int = 1024, tolerance: float = 0.10
) -> tuple[int, int, int]:
    """(n_layer, n_embd, n_head) whose parameter count is within `tolerance` of the target.

    Widths are multiples of 64 from 256 up (32 from 64, 16 below); among the shapes within
    tolerance the one whose width/depth is closest to GPT-2's 64 wins, with the relative
    error as a penalty, so that 2M gives 4 x 192 and 10M gives 5 x 384 (vocab ~500).
    """
    best: tuple[float, int, int] | None = None
    for n_layer in range(1, 49):
        for n_embd in [*range(16, 64, 16), *range(64, 256, 32), *range(256, 4097, 64)]:
            err = abs(gpt2_param_count(vocab_size, n_positions, n_embd, n_layer) - n_params_target) / n_params_target
            if err > tolerance:
                continue
            score = abs(math.log(n_embd / n_layer / GPT2_ASPECT)) + 5.0 * err
            if best is None or score < best[0]:
                best = (score, n_layer, n_embd)
    if best is None:
        smallest = gpt2_param_count(vocab_size, n_positions, 16, 1)
        raise ValueError(
            f"no GPT-2 shape within {tolerance:.0%} of {n_params_target:,} parameters "
            f"(vocab {vocab_size}, {n_positions} positions; the smallest is {smallest:,})"
        )
    _, n_layer, n_embd = best
    return n_layer, n_embd, _n_head(n_embd)


def make_gpt2(
    n_params_target: int,
    vocab_size: int,
    n_positions: int = 1024,
    *,
    tolerance: float = 0.10,
    bos_token_id: int | None = None,
    eos_token_id: int | None = None,
    pad_token_id: int | None = None,
    **config_overrides: Any,
):
    """A randomly initialised `GPT2LMHeadModel` of about `n_params_target` parameters.

    The actual count is `sum(p.numel() for p in model.parameters())` (tied embeddings
    counted once) and is also stored as `model.config.n_params`. Dropout etc. stay at
    GPT-2's defaults unless overridden.
    """
    from transformers import GPT2Config, GPT2LMHeadModel

    n_layer, n_embd, n_head = choose_gpt2_shape(n_params_target, vocab_size, n_positions, tolerance)
    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=n_positions,
        n_embd=n_embd,
        n_layer=n_layer,
        n_head=n_head,
        bos_token_id=bos_token_id,
        eos_token_id=eos_token_id,
        pad_token_id=pad_token_id,
        **config_overrides,
    )
    model = GPT2LMHeadModel(config)
    model.config.n_params = count_params(model)
    return model


def count_params(model: torch.nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def make_gpt2_for(tokenizer: miditok.MusicTokenizer, n_params_target: int, n_positions: int = 1024, **kwargs: Any):
    """`make_gpt2` with the tokenizer's vocabulary and special token ids."""
    ids = _special_ids(tokenizer)
    return make_gpt2(
        n_params_target,
        len(tokenizer),
        n_positions,
        bos_token_id=ids["bos"],
        eos_token_id=ids["eos"],
        pad_token_id=ids["pad"],
        **kwargs,
    )


# ----------------------------------------------------------------------------- NLL
@torch.inference_mode()
def heldout_nll(
    model,
    tokenizer: miditok.MusicTokenizer,
    pieces: Iterable[PieceLike],
    *,
    stride: int | None = None,
    encoded: Sequence[list[int]] | None = None,
) -> dict[str, float | int]:
    """Held-out negative log-likelihood in nats.

    Each piece is scored on its own as `BOS ids EOS`; every token after BOS (EOS
    included) is predicted once. Pieces longer than the model's context are scored with a
    sliding window (Hugging Face's perplexity recipe): windows of `n_positions` tokens
    moving by `stride` (default half a window), each token predicted with at least
    `n_positions - stride` tokens of context.

    `per_token` depends on the tokenization; `per_note` and `per_bar` divide the same
    total by the source pieces' note and bar counts (Piece.n_notes, Piece.n_bars; for a
    Score, its note count and its Bar tokens), which is what compares across tokenizers.
    """
    ids_special = _special_ids(tokenizer)
    device = next(model.parameters()).device
    window = int(model.config.n_positions)
    stride = stride or max(1, window // 2)
    if not 0 < stride < window:
        raise ValueError(f"stride must be between 1 and the context length - 1 ({window - 1}), not {stride}")
    was_training = model.training
    model.eval()
    total, n_tokens, n_notes, n_bars, n_pieces = 0.0, 0, 0, 0, 0
    pieces = list(pieces)
    for i, piece in enumerate(pieces):
        body = list(encoded[i]) if encoded is not None else encode_piece(tokenizer, piece)
        notes, bars = _piece_counts(piece, body, ids_special["bar"])
        seq = torch.tensor([ids_special["bos"], *body, ids_special["eos"]], dtype=torch.long, device=device)
        scored_until = 1  # tokens [0, scored_until) already predicted (BOS is never predicted)
        start = 0
        while scored_until < len(seq):
            stop = min(start + window, len(seq))
            chunk = seq[start:stop].unsqueeze(0)
            logits = model(input_ids=chunk).logits[0, :-1].float()
            targets = chunk[0, 1:]
            nll = torch.nn.functional.cross_entropy(logits, targets, reduction="none")
            first_new = scored_until - start - 1  # index into targets of the first unscored token
            total += float(nll[first_new:].double().sum())
            n_tokens += len(targets) - first_new
            scored_until = stop
            start += stride
        n_notes += notes
        n_bars += bars
        n_pieces += 1
    if was_training:
        model.train()
    return {
        "per_token": total / max(1, n_tokens),
        "per_note": total / max(1, n_notes),
        "per_bar": total / max(1, n_bars),
        "total": total,
        "n_tokens": n_tokens,
        "n_notes": n_notes,
        "n_bars": n_bars,
        "n_pieces": n_pieces,
    }


# ----------------------------------------------------------------------------- training
@dataclass
class BaselineRun:
    model: Any
    tokenizer: miditok.MusicTokenizer
    log: dict[str, Any] = field(default_factory=dict)
    out_dir: Path | None = None


def _lr_at(progress: float, lr: float, warmup: float, min_ratio: float = 0.1) -> float:
    """Linear warm-up over the first `warmup` of the run, then cosine decay to `min_ratio` * lr.

    `progress` is the fraction of the run done (of the time budget, or of `max_steps`).
    """
    progress = min(1.0, max(0.0, progress))
    if progress < warmup:
        return lr * max(progress / warmup, 0.01)
    decay = (progress - warmup) / max(1e-9, 1.0 - warmup)
    return lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * decay)))


def _default_device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def train_baseline(
    pieces_train: Iterable[PieceLike],
    pieces_valid: Iterable[PieceLike],
    *,
    out_dir: str | Path | None,
    n_params: int = 2_000_000,
    max_minutes: float = 2.0,
    seed: int = 0,
    batch_size: int = 16,
    seq_len: int = 512,
    n_positions: int = 1024,
    lr: float = 1e-3,
    weight_decay: float = 0.1,
    warmup: float = 0.05,
    eval_every_minutes: float | None = None,
    max_steps: int | None = None,
    tokenizer: miditok.MusicTokenizer | None = None,
    device: str | None = None,
    progress: bool = True,
) -> BaselineRun:
    """Train a GPT-2 on REMI tokens for a wall-time budget and save it (safetensors + JSON).

    Training data: each piece becomes `BOS ids EOS`; all pieces are concatenated and
    random windows of `seq_len` tokens are sampled (the usual causal-LM packing). AdamW
    (betas 0.9/0.95, weight decay on matrices only), gradient clipping 1.0, linear warm-up
    over the first `warmup` of the run, then cosine decay to lr/10; "the run" is the time
    budget (or `max_steps` when that comes first), so the schedule fits any budget.

    `max_minutes` counts training steps only; the validation passes (every
    `eval_every_minutes`, default a quarter of the budget, and at the end) are timed apart and
    reported in the log as `eval_seconds`. `max_steps` stops earlier (tests).
    """
    device = device or _default_device()
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    tokenizer = tokenizer or build_remi_tokenizer()
    ids = _special_ids(tokenizer)

    t0 = time.perf_counter()
    train_list, valid_list = list(pieces_train), list(pieces_valid)
    train_ids = [encode_piece(tokenizer, p) for p in train_list]
    valid_ids = [encode_piece(tokenizer, p) for p in valid_list]
    encode_seconds = time.perf_counter() - t0
    stream = [t for body in train_ids if body for t in (ids["bos"], *body, ids["eos"])]
    if len(stream) < 2:
        raise ValueError("the training pieces hold no tokens")
    seq_len = min(seq_len, n_positions, len(stream))
    data = torch.tensor(stream, dtype=torch.long)

    model = make_gpt2_for(tokenizer, n_params, n_positions).to(device)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=lr,
        betas=(0.9, 0.95),
    )

    budget = max_minutes * 60.0
    eval_every = (eval_every_minutes * 60.0) if eval_every_minutes else max(budget / 4, 1.0)
    curve: list[dict[str, float]] = []
    train_losses: list[float] = []
    eval_seconds = 0.0

    def evaluate(step: int, train_seconds: float) -> None:
        nonlocal eval_seconds
        if not valid_list:
            return
        t = time.perf_counter()
        nll = heldout_nll(model, tokenizer, valid_list, encoded=valid_ids)
        eval_seconds += time.perf_counter() - t
        recent = train_losses[-50:]
        curve.append(
            {
                "step": step,
                "train_seconds": round(train_seconds, 3),
                "train_loss": float(sum(recent) / len(recent)) if recent else float("nan"),
                "valid_per_token": nll["per_token"],
                "valid_per_note": nll["per_note"],
                "valid_per_bar": nll["per_bar"],
            }
        )

    from tunesmith.progress import progress_bar

    bar = progress_bar(total=int(math.ceil(budget)), unit="s", desc="gpt2 baseline", disable=not progress)
    model.train()
    step, train_seconds, next_eval = 0, 0.0, eval_every
    high = len(data) - seq_len + 1
    while train_seconds < budget and (max_steps is None or step < max_steps):
        t = time.perf_counter()
        progress = max(train_seconds / budget, step / max_steps if max_steps else 0.0)
        for group in optimizer.param_groups:
            group["lr"] = _lr_at(progress, lr, warmup)
        starts = torch.randint(0, high, (batch_size,), generator=gen)
        batch = torch.stack([data[s : s + seq_len] for s in starts.tolist()]).to(device)
        loss = model(input_ids=batch, labels=batch).loss
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        train_losses.append(float(loss.detach()))
        step += 1
        if device.startswith("cuda"):
            torch.cuda.synchronize()
        train_seconds += time.perf_counter() - t
        shown = min(int(train_seconds), bar.total)
        if shown > bar.n:  # at most once a second
            bar.set_postfix(step=step, loss=f"{sum(train_losses[-10:]) / len(train_losses[-10:]):.3f}", refresh=False)
            bar.update(shown - bar.n)
        if train_seconds >= next_eval:
            evaluate(step, train_seconds)
            next_eval += eval_every
    bar.close()
    if not curve or curve[-1]["step"] != step:
        evaluate(step, train_seconds)

    log: dict[str, Any] = {
        "baseline": "gpt2_remi",
        "n_params_target": n_params,
        "n_params": count_params(model),
        "n_layer": model.config.n_layer,
        "n_embd": model.config.n_embd,
        "n_head": model.config.n_head,
        "n_positions": model.config.n_positions,
        "vocab_size": len(tokenizer),
        "seed": seed,
        "batch_size": batch_size,
        "seq_len": seq_len,
        "lr": lr,
        "weight_decay": weight_decay,
        "warmup": warmup,
        "max_minutes": max_minutes,
        "max_steps": max_steps,
        "device": device,
        "steps": step,
        "train_seconds": train_seconds,
        "eval_seconds": eval_seconds,
        "encode_seconds": encode_seconds,
        "train_pieces": len(train_list),
        "valid_pieces": len(valid_list),
        "train_tokens": len(stream),
        "tokens_seen": step * batch_size * seq_len,
        "first_train_loss": train_losses[0] if train_losses else None,
        "final_train_loss": (sum(train_losses[-20:]) / len(train_losses[-20:])) if train_losses else None,
        "valid_curve": curve,
        "train_loss_curve": train_losses[:: max(1, len(train_losses) // 200)],
    }
    run = BaselineRun(model=model, tokenizer=tokenizer, log=log)
    if out_dir is not None:
        run.out_dir = save_baseline(model, tokenizer, out_dir, log)
    return run


def save_baseline(
    model, tokenizer: miditok.MusicTokenizer, out_dir: str | Path, log: dict[str, Any] | None = None
) -> Path:
    """`config.json` + `model.safetensors` (Hugging Face), `tokenizer.json` (miditok), `train_log.json`."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save(out, filename="tokenizer.json")
    if log is not None:
        atomic_write_text(out / "train_log.json", json.dumps(log, indent=1, allow_nan=True))
    return out


def load_baseline(out_dir: str | Path, device: str | None = None):
    """(model, tokenizer) saved by `save_baseline`; local files only."""
    from transformers import GPT2LMHeadModel

    out = Path(out_dir)
    tokenizer = miditok.REMI(params=out / "tokenizer.json")
    model = GPT2LMHeadModel.from_pretrained(out, local_files_only=True, use_safetensors=True)
    return model.to(device or _default_device()).eval(), tokenizer


# ----------------------------------------------------------------------------- generation
@dataclass
class BaselineSample:
    scores: list[symusic.Score]
    token_ids: list[list[int]]  # REMI ids kept (BOS and anything from the (n_bars+1)-th Bar on dropped)
    n_bars: list[int]  # Bar tokens in each kept stream (== requested unless max length was hit)
    seconds: float  # wall time: generate + decode to Scores
    generate_seconds: float
    n_new_tokens: int  # generated positions (the longest sequence of the batch)
    hit_max_length: list[bool]

    @property
    def score(self) -> symusic.Score:
        return self.scores[0]


def _bar_stopping_criteria(bar_id: int, n_bars: int):
    from transformers import StoppingCriteria

    class EnoughBars(StoppingCriteria):
        """Done once a sequence has started bar n_bars + 1, i.e. holds n_bars complete bars."""

        def __call__(self, input_ids: torch.LongTensor, scores, **kwargs) -> torch.BoolTensor:
            return (input_ids == bar_id).sum(dim=-1) > n_bars

    return EnoughBars()


@torch.inference_mode()
def generate_baseline(
    model,
    tokenizer: miditok.MusicTokenizer,
    n_bars: int = 32,
    batch_size: int = 1,
    *,
    top_p: float = 0.95,
    top_k: int = 0,
    temperature: float = 1.0,
    max_length: int | None = None,
    allow_eos: bool = False,
    seed: int | None = None,
) -> BaselineSample:
    """Sample `batch_size` pieces of `n_bars` bars with `model.generate`.

    Plain library use: `do_sample`, nucleus `top_p` (top-k off), `use_cache=True`, a
    stopping criterion that ends a sequence once it starts bar `n_bars + 1` (that Bar token
    is dropped), and the special tokens PAD/BOS/MASK suppressed; EOS too unless
    `allow_eos` (a trained model would otherwise end a 16-bar chorale before 32 bars).
    `max_length` (default the model's `n_positions`) caps the tokens, BOS included; a
    sequence that reaches it has fewer bars, reported in `n_bars` / `hit_max_length`.
    The wall time covers generate and decoding to symusic Scores.
    """
    ids = _special_ids(tokenizer)
    device = next(model.parameters()).device
    max_length = min(max_length or model.config.n_positions, model.config.n_positions)
    suppress = [ids["pad"], ids["bos"]] + [tokenizer[t] for t in ("MASK_None",) if t in tokenizer.vocab]
    if not allow_eos:
        suppress.append(ids["eos"])
    if seed is not None:
        torch.manual_seed(seed)
    model.eval()
    prompt = torch.full((batch_size, 1), ids["bos"], dtype=torch.long, device=device)

    t0 = time.perf_counter()
    out = model.generate(
        input_ids=prompt,
        attention_mask=torch.ones_like(prompt),
        do_sample=True,
        top_p=top_p,
        top_k=top_k,
        temperature=temperature,
        use_cache=True,
        max_length=max_length,
        stopping_criteria=[_bar_stopping_criteria(ids["bar"], n_bars)],
        suppress_tokens=suppress,
        bos_token_id=ids["bos"],
        eos_token_id=ids["eos"],
        pad_token_id=ids["pad"],
    )
    if device.type == "cuda":
        torch.cuda.synchronize()
    t1 = time.perf_counter()

    scores, kept_ids, bars, hit_max = [], [], [], []
    for row in out.tolist():
        body = row[1:]
        kept: list[int] = []
        n = 0
        ended = False
        for tok in body:
            if tok == ids["bar"]:
                if n == n_bars:
                    ended = True
                    break
                n += 1
            if tok in (ids["eos"], ids["pad"]):
                ended = True
                break
            kept.append(tok)
        kept_ids.append(kept)
        bars.append(n)
        hit_max.append(not ended)
        # decode() mutates what it is given: pass a copy. It cannot decode an empty stream.
        scores.append(tokenizer.decode(list(kept)) if kept else symusic.Score(tokenizer.time_division))
    t2 = time.perf_counter()
    return BaselineSample(
        scores=scores,
        token_ids=kept_ids,
        n_bars=bars,
        seconds=t2 - t0,
        generate_seconds=t1 - t0,
        n_new_tokens=out.shape[1] - 1,
        hit_max_length=hit_max,
    )
