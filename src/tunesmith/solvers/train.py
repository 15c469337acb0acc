"""Train the composer: pieces -> token windows -> a small GPT, with checkpoints and resume.

    from tunesmith.config import load_config
    from tunesmith.solvers.train import train
    result = train(load_config("configs/small.toml"), "models/mine")

Data: the corpus' train split (optionally one style set, optionally only pieces whose license
lets the model ship), each example a bar-aligned window of one piece that fits the block,
transposed by a random interval (respelled key and chords), and in fill-in-the-middle order
for a fraction `fim_rate` of examples. The loss skips the header (it is given at compose time).

Every random choice of step k comes from (seed, k) alone, so a run is deterministic, and a run
resumed from a checkpoint at step k continues exactly as the uninterrupted run would.

Several processes (DistributedDataParallel; gloo on the CPU, NCCL with CUDA):

    torchrun --nproc-per-node 2 -m tunesmith.cli.train --config default --out models/mine

Each rank encodes its share (examples r, r + N, ...) of the same batch of step k, so N ranks
take the one-process step (up to float rounding; dropout masks differ per rank), and a
checkpoint resumes under any number of processes. Only rank 0 writes files.

Files in the output folder (safetensors + JSON only, never pickle; all written atomically):
- model.safetensors / model.json: the best weights so far (lowest validation loss), with the
  model config, tokenizer vocabulary, training config and data provenance (sources, licenses,
  piece counts);
- checkpoint.safetensors: the latest weights and AdamW state, with the step, the early-stopping
  state and the history in its metadata; `resume=True` continues from it;
- train_log.json: losses per evaluation;
- MODEL_CARD.md (when the run ends): what the model is, how it was trained, its data and
  licenses, and what they mean for sharing it (tunesmith.solvers.model_card).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tunesmith.config import TrainConfig
from tunesmith.licenses import may_ship
from tunesmith.model import GPT, load_model, model_tensors, read_safetensors, save_model, write_safetensors
from tunesmith.paths import atomic_write_text
from tunesmith.score import ChordSymbol, KeySignature, Note, Piece, Tempo, TimeSignature, Track
from tunesmith.tokenizer import LAYOUTS, PITCH_MAX, PITCH_MIN, Tokenizer, transpose_piece

CHECKPOINT_FILE = "checkpoint.safetensors"
CHECKPOINT_FORMAT = "tunesmith-checkpoint"


class TrainingInterrupted(Exception):
    """Raised by the `interrupt_at` test hook (a stand-in for a crash after step k)."""


# ------------------------------------------------------------------ data
@dataclass
class _Item:
    piece: Piece
    bar_costs: list[int]  # tokens per bar in the plain encoding
    header: int  # tokens before the first bar
    n_voices: int
    single_meter: bool
    low: int
    high: int


class TokenData:
    """Pieces ready for windowing: each piece is analysed once; examples are encoded on demand."""

    def __init__(self, pieces: Sequence[Piece], tokenizer: Tokenizer, block_size: int,
                 fixed_register_styles: Sequence[str] = ()):  # fmt: skip
        self.tok = tokenizer
        self.block_size = block_size
        self.fixed_register_styles = frozenset(fixed_register_styles)  # their pieces are never transposed
        self.items: list[_Item] = []
        self.skipped: Counter[str] = Counter()
        for piece in pieces:
            try:
                ids = tokenizer.encode(piece)
            except ValueError as exc:
                self.skipped[str(exc).split(":")[-1].strip()[:60]] += 1
                continue
            bars = [i for i, t in enumerate(ids) if t == tokenizer.bar_id]
            if not bars or all(tokenizer.pitch_base > t or t >= tokenizer.dur_base for t in ids):
                self.skipped["no notes"] += 1
                continue
            costs = [b - a for a, b in zip(bars, bars[1:])] + [len(ids) - 1 - bars[-1]]
            pitches = [n.pitch for t in piece.tracks if not t.is_drum for n in t.notes] or [60]
            layout = "satb" if tokenizer.layout_id("satb") in ids[:10] else "lead"
            meters = {(ts.numerator, ts.denominator) for ts in piece.time_signatures}
            self.items.append(
                _Item(piece, costs, bars[0], len(LAYOUTS[layout]), len(meters) <= 1, min(pitches), max(pitches))
            )
        self.weights = np.array([sum(it.bar_costs) + it.header for it in self.items], dtype=np.float64)
        if len(self.items):
            self.weights /= self.weights.sum()

    def __len__(self) -> int:
        return len(self.items)

    def window(self, item: _Item, start: int, fim: bool) -> tuple[int, int]:
        """The longest bar window from `start` that fits the block (end exclusive)."""
        budget = self.block_size + 1 - item.header - 1 - 2 * item.n_voices - (3 + 2 * item.n_voices if fim else 0)
        end, used = start, 0
        while end < len(item.bar_costs) and used + item.bar_costs[end] <= budget:
            used += item.bar_costs[end]
            end += 1
        return start, max(end, start + 1)

    def encode(self, item: _Item, start: int, semitones: int, fim_span: tuple[float, float] | None) -> list[int]:
        piece = item.piece
        if semitones and item.low + semitones >= PITCH_MIN and item.high + semitones <= PITCH_MAX:
            piece = transpose_piece(piece, semitones)
        s, e = self.window(item, start, fim_span is not None)
        while True:
            fim = None
            n = e - s
            if fim_span is not None and n >= 2 and item.single_meter:
                a = int(fim_span[0] * n)
                b = min(n, a + 1 + int(fim_span[1] * (n - a)))
                fim = (a, max(a + 1, b))
            ids = self.tok.encode(piece, start_bar=s, end_bar=e, fim=fim)
            if len(ids) <= self.block_size + 1 or e - s <= 1:
                return ids[: self.block_size + 1]
            e -= 1

    def random_spec(
        self, rng: np.random.Generator, fim_rate: float, transpose: int
    ) -> tuple[int, int, int, tuple[float, float] | None]:
        """The random choices of one example, (item index, start bar, semitones, FIM span),
        without encoding it: cheap, so every rank draws the whole batch's choices from one
        stream and encodes only its own share."""
        index = int(rng.choice(len(self.items), p=self.weights))
        start = int(rng.integers(0, len(self.items[index].bar_costs)))
        # start windows at the beginning more often: openings (and pickups) matter at compose time
        if rng.random() < 0.5:
            start = 0
        semitones = int(rng.integers(-transpose, transpose + 1)) if transpose else 0
        if self.items[index].piece.style in self.fixed_register_styles:
            semitones = 0  # drawn all the same: the other examples' draws stay as they were
        fim = (float(rng.random()), float(rng.random())) if rng.random() < fim_rate else None
        return index, start, semitones, fim

    def random_example(self, rng: np.random.Generator, fim_rate: float, transpose: int) -> list[int]:
        index, start, semitones, fim = self.random_spec(rng, fim_rate, transpose)
        return self.encode(self.items[index], start, semitones, fim)

    def batch(
        self, seed: int, step: int, batch_size: int, fim_rate: float, transpose: int, rank: int = 0, world: int = 1
    ) -> list[list[int]]:
        """Rank `rank`'s share (examples rank, rank + world, ...) of step `step`'s batch: the
        choices come from (seed, step) alone, so the union over the ranks is the one-process
        batch of that step, whatever the world size."""
        rng = np.random.default_rng([seed, step])
        specs = [self.random_spec(rng, fim_rate, transpose) for _ in range(batch_size)]
        return [self.encode(self.items[i], s, t, f) for i, s, t, f in specs[rank::world]]

    def fixed_examples(self, n: int, seed: int, fim_rate: float) -> list[list[int]]:
        """`n` deterministic windows (no transposition) for validation: every piece from its
        start first, then later windows; every k-th in FIM order."""
        rng = random.Random(seed)
        out: list[list[int]] = []
        k = max(1, round(1 / fim_rate)) if fim_rate > 0 else 0
        round_ = 0
        while len(out) < n and self.items:
            for item in self.items:
                if len(out) >= n:
                    break
                start = 0 if round_ == 0 else rng.randrange(len(item.bar_costs))
                fim = (rng.random(), rng.random()) if k and len(out) % k == k - 1 else None
                out.append(self.encode(item, start, 0, fim))
            round_ += 1
            if round_ > 50:
                break
        return out


def collate(seqs: list[list[int]], tokenizer: Tokenizer) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and targets (B, T) padded to the longest sequence; -1 = no loss (padding, header)."""
    T = max(len(s) for s in seqs) - 1
    x = torch.full((len(seqs), T), tokenizer.pad_id, dtype=torch.long)  # (B, T)
    y = torch.full((len(seqs), T), -1, dtype=torch.long)  # (B, T)
    structural = {tokenizer.bar_id, tokenizer.fill_id}
    for i, s in enumerate(seqs):
        n = len(s) - 1
        x[i, :n] = torch.tensor(s[:-1])
        y[i, :n] = torch.tensor(s[1:])
        header = next((j for j, t in enumerate(s) if t in structural), 1)
        y[i, : max(0, header - 1)] = -1  # the header is conditioning: given, not predicted
    return x, y


# ------------------------------------------------------------------ corpus
def load_pieces(config: TrainConfig) -> tuple[list[Piece], list[Piece], dict[str, Any]]:
    """(train pieces, valid pieces, provenance) as the config asks."""
    if config.synthetic:
        pieces = synthetic_pieces(config.synthetic, seed=config.seed)
        source = {"corpus": "synthetic"}
    else:
        try:
            from tunesmith.corpus import load_corpus
        except ImportError as exc:  # pragma: no cover - the corpus layer ships with the package
            raise ValueError(f"the corpus layer is not available: {exc}") from None
        corpus = load_corpus(config.corpus or None)
        # build only the pieces that can be selected (from the index columns; select_pieces
        # below still decides): materialising the whole corpus cost ~0.8 GB at peak
        wanted = corpus.filter(
            split={config.train_split, config.valid_split},
            style=config.styles or None,
            shippable=True if config.shippable_only else None,
        )
        pieces = list(wanted)
        source = {
            # the corpus version's name, not where it lies on this machine (no absolute paths in artifacts)
            "corpus": Path(str(getattr(corpus, "path", "") or config.corpus)).name,
            "manifest_created": corpus.manifest.get("created", ""),
        }
        # sources whose license an override changed at build time (`corpus build --override`): the
        # model's provenance keeps the change in sight, not only the new license
        relabelled = {name: {"from": r["relabelled_from"], "to": r.get("license")}
                      for name, r in (corpus.manifest.get("sources") or {}).items()
                      if isinstance(r, dict) and r.get("relabelled_from")}  # fmt: skip
        if relabelled:
            source["relabelled"] = relabelled
    return select_pieces(pieces, config, source)


def select_pieces(
    pieces: Sequence[Piece], config: TrainConfig, source: dict[str, Any] | None = None
) -> tuple[list[Piece], list[Piece], dict[str, Any]]:
    def keep(p: Piece) -> bool:
        if config.styles and p.style not in config.styles:
            return False
        return not (config.shippable_only and not may_ship(p.license))

    train = [p for p in pieces if p.split == config.train_split and keep(p)]
    valid = [p for p in pieces if p.split == config.valid_split and keep(p)]
    return train, valid, provenance(train, valid, config, source or {})


def provenance(train: Sequence[Piece], valid: Sequence[Piece], config: TrainConfig, source: dict) -> dict[str, Any]:
    """Where the training data came from: per source its license(s) and piece counts."""
    sources: dict[str, dict[str, Any]] = {}
    for split, pieces in (("train", train), ("valid", valid)):
        for p in pieces:
            s = sources.setdefault(p.source or "unknown", {"licenses": Counter(), "train": 0, "valid": 0})
            s["licenses"][p.license] += 1
            s[split] += 1
    return {
        **source,
        "shippable_only": config.shippable_only,
        "styles": config.styles or "all",
        "pieces": {"train": len(train), "valid": len(valid)},
        "licenses": dict(Counter(p.license for p in train)),
        "all_licenses_may_ship": all(may_ship(p.license) for p in train),
        "style_counts": dict(Counter(p.style for p in train)),
        # 0: the model never learns chord symbols, and its takes are written without them (`api.chords_unlearned`)
        "pieces_with_chords": sum(1 for p in train if p.chords),
        "sources": {k: {**v, "licenses": dict(v["licenses"])} for k, v in sorted(sources.items())},
    }


# ------------------------------------------------------------------ training
WARMUP_BUDGET_SHARE = 0.05


def lr_at(step: int, config: TrainConfig, time_fraction: float = 0.0) -> float:
    """Linear warmup, then cosine decay to min_lr at max_steps or at the end of the time
    budget (`time_fraction` of it spent), whichever comes first: a run stopped by its
    budget has still annealed, so a wall-time-matched comparison is fair to both sides. The
    warm-up counts steps, and ends by the first `WARMUP_BUDGET_SHARE` of a time budget at the
    latest: the small config's 200 warm-up steps had outlasted a band's 7-minute run (103 steps),
    which never reached its learning rate."""
    if config.warmup_steps and step <= config.warmup_steps:
        warm = step / config.warmup_steps
        if time_fraction > 0:
            warm = max(warm, time_fraction / WARMUP_BUDGET_SHARE)
        if warm < 1.0:
            return config.lr * warm
    span = max(1, config.max_steps - config.warmup_steps)
    progress = min(1.0, max((step - config.warmup_steps) / span, time_fraction))
    return config.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (config.lr - config.min_lr)


@torch.no_grad()
def evaluate(model: GPT, examples: list[list[int]], tokenizer: Tokenizer, batch_size: int) -> float:
    """Mean cross-entropy per predicted token over `examples` (eval mode)."""
    total, count = _evaluate_sums(model, examples, tokenizer, batch_size)
    return total / max(1, count)


@torch.no_grad()
def _evaluate_sums(
    model: GPT, examples: list[list[int]], tokenizer: Tokenizer, batch_size: int, device: torch.device | None = None
) -> tuple[float, int]:
    """(summed cross-entropy, predicted tokens) over `examples` (eval mode, no graph)."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(examples), batch_size):
        x, y = collate(examples[i : i + batch_size], tokenizer)
        if device is not None:
            x, y = x.to(device), y.to(device)
        logits, _ = model(x, targets=y)
        losses = torch.nn.functional.cross_entropy(
            logits.view(-1, logits.size(-1)), y.view(-1), ignore_index=-1, reduction="sum"
        )
        total += float(losses)
        count += int((y >= 0).sum())
        del logits
    model.train(was_training)
    return total, count


def _optimizer_tensors(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    state = opt.state_dict()
    tensors = {}
    for idx, st in state["state"].items():
        for name, value in st.items():
            tensors[f"optim.{idx}.{name}"] = value if torch.is_tensor(value) else torch.tensor(value)
    return tensors, {"param_groups": state["param_groups"]}


def _load_optimizer(opt: torch.optim.Optimizer, tensors: dict[str, torch.Tensor], groups: list[dict]) -> None:
    state: dict[int, dict[str, torch.Tensor]] = {}
    for key, value in tensors.items():
        if key.startswith("optim."):
            _, idx, name = key.split(".", 2)
            state.setdefault(int(idx), {})[name] = value
    opt.load_state_dict({"state": state, "param_groups": groups})


def save_checkpoint(out: Path, model: GPT, opt: torch.optim.Optimizer, info: dict[str, Any]) -> None:
    tensors = {f"model.{k}": v for k, v in model_tensors(model).items()}
    opt_tensors, opt_info = _optimizer_tensors(opt)
    tensors.update(opt_tensors)
    write_safetensors(out / CHECKPOINT_FILE, tensors, {**info, **opt_info, "format": CHECKPOINT_FORMAT})


def load_checkpoint(out: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    return read_checkpoint(out, CHECKPOINT_FILE, CHECKPOINT_FORMAT, "training")


def read_checkpoint(
    out: Path, name: str, fmt: str, what: str
) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """(tensors, info) of the checkpoint `name` in `out` whose metadata says format `fmt`;
    FileNotFoundError when there is none, ValueError when it is another kind of file.
    Shared by the maximum-likelihood and the policy-gradient solvers."""
    file = out / name
    if not file.is_file():
        model = " (its model was written, its checkpoint not yet: start again with --force)" if (out / "model.safetensors").is_file() else ""
        raise FileNotFoundError(f"nothing to resume: no {name} in {out}{model}")
    tensors, meta = read_safetensors(file)
    try:
        info = json.loads(meta.get("tunesmith", "null"))
    except json.JSONDecodeError:
        info = None
    if not isinstance(info, dict) or info.get("format") != fmt:
        raise ValueError(f"{file}: not a tunesmith {what} checkpoint")
    return tensors, info


# ------------------------------------------------------------------ distributed (torchrun)
@dataclass
class _Dist:
    """Where this process stands among the training processes (one process: rank 0 of 1)."""

    rank: int = 0
    world: int = 1
    device: torch.device = torch.device("cpu")
    owns_group: bool = False  # train() created the process group (and destroys it at the end)

    @property
    def active(self) -> bool:
        return self.world > 1

    @property
    def main(self) -> bool:
        return self.rank == 0

    def all_reduce(self, values: list[float], op: str = "sum") -> list[float]:
        """`values` reduced over the ranks (float64 on the CPU for gloo, on the device for nccl)."""
        import torch.distributed as dist

        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(t, op=dist.ReduceOp.MAX if op == "max" else dist.ReduceOp.SUM)
        return t.tolist()


def _init_distributed() -> _Dist:
    """Under `torchrun` (WORLD_SIZE > 1 in the environment) join the process group: gloo on the
    CPU, NCCL when CUDA is available (one GPU per rank, LOCAL_RANK). A group the caller already
    initialised is used as it is. Otherwise: one process, on the CPU, as always."""
    import os

    import torch.distributed as dist

    owns = False
    if dist.is_available() and not dist.is_initialized() and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if backend == "nccl":
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
        dist.init_process_group(backend=backend)
        owns = True
    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        if owns:
            dist.destroy_process_group()
        return _Dist()
    device = torch.device("cpu")
    if dist.get_backend() == "nccl":
        device = torch.device("cuda", torch.cuda.current_device())
    return _Dist(dist.get_rank(), dist.get_world_size(), device, owns)


def _step_seed(seed: int, step: int, rank: int) -> int:
    """The torch seed (dropout) of `step` on `rank`: rank 0 keeps the one-process seed."""
    base = seed * 1_000_003 + step
    if rank == 0:
        return base
    return int(np.random.SeedSequence([seed, step, rank]).generate_state(1)[0])


def _step(
    net: torch.nn.Module,
    model: GPT,
    opt: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    metric: torch.Tensor | None,
    dist: _Dist,
    grad_clip: float,
) -> float:
    """One optimisation step on this rank's share (x, y) of the batch; the batch's mean loss.
    `net` is `model`, or `model` wrapped in DistributedDataParallel."""
    logits, loss = net(x, targets=y, metric=metric)
    train_loss = None
    if dist.active:
        # the loss of the whole batch: summed over every rank's tokens, divided by their count
        # (DDP averages the ranks' gradients, hence the factor `world`)
        n_local = int((y >= 0).sum())
        total, n_all = dist.all_reduce([float(loss.detach()) * n_local, n_local])
        train_loss = total / max(1.0, n_all)
        loss = loss * (n_local * dist.world / max(1.0, n_all)) if n_local else logits.sum() * 0.0
    del logits
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if grad_clip:
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    opt.step()
    return loss.item() if train_loss is None else train_loss


def _init_weights(model: GPT, source: str) -> dict[str, Any]:
    """Load the weights of model folder `source` ("default": the shipped model) into `model`
    (fine-tuning); returns what the provenance records: the folder's name and the weights' sha256."""
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    path = Path(DEFAULT_MODEL_DIR) if source == "default" else Path(source)
    start, _, _ = load_model(path)
    if start.config.to_dict() != model.config.to_dict():
        raise ValueError(f"{source}: its shape differs from the config's model; fine-tune with the same shape")
    model.load_state_dict(start.state_dict())
    return _init_source(source)


def _init_source(source: str) -> dict[str, Any]:
    """What the provenance records of the model folder `source` a fine-tune starts from: the
    folder's name (not where it lies) and its weights' sha256."""
    from tunesmith.pretrained import DEFAULT_MODEL_DIR, file_sha256

    path = Path(DEFAULT_MODEL_DIR) if source == "default" else Path(source)
    file = path / "model.safetensors" if path.is_dir() else path
    return {"model": "default" if source == "default" else path.name, "sha256": file_sha256(file)}


INDEX_STEM = "similarity_index"  # tunesmith.rights.check.INDEX_NAME: what `compose --model` and `check` read


def _write_training_index(out: Path, pieces: Sequence[Piece], prov: dict[str, Any], config: TrainConfig,
                          say: Callable[[str], None]) -> None:  # fmt: skip
    """The copy guard's similarity index of the pieces this run trains on, beside the model.
    A fine-tune (`init_from`) also learned its base's works, which this run cannot index: it gets
    none (its takes say so) rather than one that would call a copy of a base work clear."""
    from tunesmith.rights.check import DEFAULT_CALIBRATION, default_index_path
    from tunesmith.rights.index import SimilarityIndex, load_index

    stem = out / INDEX_STEM
    for suffix in (".npz", ".json"):  # never an index of another run's works beside these weights
        stem.with_suffix(suffix).unlink(missing_ok=True)
    if config.init_from:
        say(f"note: no copy-guard index written (the model also learned {config.init_from}'s works); "
            "build one with scripts/build_similarity_index.py")  # fmt: skip
        return
    info = {"name": f"{out.name}-training-set", "against": "model", "corpus_version": prov.get("corpus"),
            "selection": "the train split's pieces this model was trained on (tunesmith train)"}  # fmt: skip
    try:
        index = SimilarityIndex.build(pieces, info=info)
    except ValueError:  # no piece with a melody (chords only): nothing a take could copy note for note
        return
    # A few works say little about which figures are common: `check --against FOLDER` lends them
    # the shipped model's training set's statistics (`SimilarityIndex.with_reference`), but a saved
    # index loses which works only lend (index_file keeps no "reference" column), and its takes would
    # then name works this model never learned; so the index holds this run's works alone, under the
    # shipped index's thresholds
    try:
        reference_cal = load_index(default_index_path("model").with_suffix(".npz")).info.get("calibration")
    except (FileNotFoundError, ValueError):
        reference_cal = None
    index.info["calibration"] = {**(reference_cal or DEFAULT_CALIBRATION), "note": "thresholds of the model index"}
    index.save(stem)


def train(
    config: TrainConfig,
    out_dir: str | Path,
    *,
    pieces: tuple[Sequence[Piece], Sequence[Piece]] | None = None,
    resume: bool = False,
    max_minutes: float | None = None,
    progress: bool = True,
    interrupt_at: int | None = None,
    log: Callable[[str], None] | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Train (or resume) and return a summary: steps, best validation loss, why it stopped.
    A folder that holds a model already is refused (FileExistsError) unless `resume` or `force`.

    `pieces=(train, valid)` uses those pieces instead of loading the corpus. `interrupt_at=k`
    raises TrainingInterrupted after step k (testing resume). Ctrl-C writes a checkpoint first.

    Under `torchrun --nproc-per-node N` (or in a process group the caller initialised) the N
    processes train one model with DistributedDataParallel: rank r encodes examples r, r + N,
    ... of each step's batch (the batch itself depends on (seed, step) only), the loss is the
    mean over the whole batch's predicted tokens, validation is split over the ranks and
    summed, the time budget is the slowest rank's, and only rank 0 writes files. A checkpoint
    resumes under any number of processes.
    """
    dist = _init_distributed()
    try:
        return _train(config, out_dir, dist, pieces, resume, max_minutes, progress, interrupt_at, log, force)
    finally:
        if dist.owns_group:
            import torch.distributed as tdist

            tdist.destroy_process_group()


def _train(config, out_dir, dist, pieces, resume, max_minutes, progress, interrupt_at, log, force) -> dict[str, Any]:
    out = Path(out_dir)
    from tunesmith.solvers.model_folder import check_out_folder

    # a folder holding a model is continued (resume) or replaced (force), never silently overwritten:
    # a new run had replaced a 600-step model whose takes named its sha256
    check_out_folder(out, resume=resume, force=force, what="train")
    if dist.main:
        if force:
            from tunesmith.solvers.model_folder import clear_run

            clear_run(out)  # the folder never mixes two runs
        out.mkdir(parents=True, exist_ok=True)
    progress = progress and dist.main
    from tunesmith.progress import progress_bar
    from tunesmith.progress import say as say_beside_bar

    say = log or (lambda msg: say_beside_bar(msg) if progress else None)
    if not dist.main:
        say = lambda msg: None  # noqa: E731
    if config.threads:
        torch.set_num_threads(config.threads)
    if config.batch_size < dist.world:
        raise ValueError(f"batch_size {config.batch_size} is smaller than the {dist.world} training processes")
    tokenizer = Tokenizer()
    if pieces is not None:
        train_pieces, valid_pieces = list(pieces[0]), list(pieces[1])
        prov = provenance(train_pieces, valid_pieces, config, {"corpus": "given pieces"})
    else:
        train_pieces, valid_pieces, prov = load_pieces(config)
    train_data = TokenData(train_pieces, tokenizer, config.block_size, config.fixed_register_styles)
    valid_data = TokenData(valid_pieces, tokenizer, config.block_size)
    del train_pieces, valid_pieces  # the TokenData keep the pieces they use
    if not len(train_data):
        raise ValueError("no training pieces: check the corpus, the styles and --shippable-only")
    if not len(valid_data):
        say("warning: no validation pieces; validating on training windows")
        valid_data = train_data
    prov["pieces"]["train_used"] = len(train_data)
    prov["pieces"]["valid_used"] = len(valid_data)
    prov["skipped"] = dict(train_data.skipped)
    if dist.main and not (resume and (out / f"{INDEX_STEM}.npz").is_file()):
        # written before the first step, so that every model.safetensors of this run (an interrupted
        # one too) has its copy guard: a trained folder had none, and its takes went out labelled
        # "no similarity index beside the model" (checked: false) while the card said every take
        # says which works it resembles; `check --model FOLDER` refused the folder
        _write_training_index(out, [it.piece for it in train_data.items], prov, config, say)
    valid_examples = valid_data.fixed_examples(max(1, config.eval_examples), config.seed, config.fim_rate)
    if valid_data is not train_data:
        del valid_data  # only its fixed windows are needed from here on

    torch.manual_seed(config.seed)
    model = GPT(config.model_config(tokenizer.vocab_size))
    if config.init_from and not resume:
        prov["initialised_from"] = _init_weights(model, config.init_from)
        say(f"starting from the weights of {prov['initialised_from']['model']}")
    step, best, bad, history = 0, math.inf, 0, []
    trained_seconds = 0.0  # time in training steps only (not validation), kept across --resume
    checkpoint_info: dict[str, Any] = {}
    opt_tensors: dict[str, torch.Tensor] = {}
    if resume:
        tensors, checkpoint_info = load_checkpoint(out)
        if checkpoint_info["model_config"] != model.config.to_dict():
            raise ValueError("the checkpoint's model shape differs from the config's; resume with the same config")
        model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")}, strict=False)
        opt_tensors = {k: v for k, v in tensors.items() if k.startswith("optim.")}
        del tensors
    model.to(dist.device)
    opt = model.configure_optimizer(config.lr, config.weight_decay, (config.beta1, config.beta2))
    if resume:
        _load_optimizer(opt, opt_tensors, checkpoint_info["param_groups"])
        del opt_tensors
        info = checkpoint_info
        step, best, bad, history = info["step"], info["best_val"], info["bad_evals"], info["history"]
        # the weights this run started from, as its first leg recorded them: the provenance is built
        # again on resume, and fine-tunes resumed across sessions had lost it (their cards said they
        # were trained from scratch by configs/default.toml; session 56)
        start = (info.get("provenance") or {}).get("initialised_from")
        if start is None and config.init_from:
            # (a checkpoint written before that: the starting folder's weights as they are now)
            start = {**_init_source(config.init_from), "recorded_at_resume": True}
        if start is not None:
            prov["initialised_from"] = start
        trained_seconds = float(info.get("train_seconds", 0.0))
        best = math.inf if best is None else best
        say(f"resuming at step {step} (best validation loss {best:.4f})")
    net: torch.nn.Module = model
    if dist.active:
        from torch.nn.parallel import DistributedDataParallel

        ids = [dist.device.index] if dist.device.type == "cuda" else None
        net = DistributedDataParallel(model, device_ids=ids)
        say(f"training in {dist.world} processes ({dist.device.type})")
    minutes = config.max_minutes if max_minutes is None else max_minutes
    budget_seconds = minutes * 60 if minutes else math.inf
    if resume and trained_seconds >= budget_seconds:
        # the budget counts the run's training time across --resume (the learning rate anneals over
        # it): a resume under a budget already spent had taken one step and stopped "by max_minutes"
        # seconds later, without saying why
        raise ValueError(f"--max-minutes {minutes:g}: the run in {out} has trained {trained_seconds / 60:.1f} minutes "
                         "already (the budget counts across --resume); give a larger one to go on")  # fmt: skip
    base_info = {
        "model_config": model.config.to_dict(),
        "tokenizer": tokenizer.to_dict(),
        "train_config": config.to_dict(),
        "provenance": prov,
    }

    def checkpoint() -> None:
        if not dist.main:
            return
        save_checkpoint(
            out,
            model,
            opt,
            {
                **base_info,
                "step": step,
                "best_val": None if best == math.inf else best,
                "bad_evals": bad,
                "history": history,
                "train_seconds": trained_seconds,
            },
        )
        atomic_write_text(out / "train_log.json", json.dumps({"history": history, "provenance": prov}, indent=1) + "\n")

    def validate() -> float:
        if not dist.active:
            return evaluate(model, valid_examples, tokenizer, config.batch_size)
        total, count = _evaluate_sums(
            model, valid_examples[dist.rank :: dist.world], tokenizer, config.batch_size, dist.device
        )
        total, count = dist.all_reduce([total, count])
        return total / max(1.0, count)

    reason = "max_steps"
    net.train()
    bar = progress_bar(total=config.max_steps, initial=step, disable=not progress, desc="train", unit="step")
    try:
        while step < config.max_steps:
            step += 1
            step_start = time.monotonic()
            torch.manual_seed(_step_seed(config.seed, step, dist.rank))
            seqs = train_data.batch(
                config.seed, step, config.batch_size, config.fim_rate, config.transpose, dist.rank, dist.world
            )
            x, y = collate(seqs, tokenizer)
            metric = model.metric_features(x) if model.config.metric else None
            if dist.device.type != "cpu":
                x, y = x.to(dist.device, non_blocking=True), y.to(dist.device, non_blocking=True)
                metric = None if metric is None else metric.to(dist.device, non_blocking=True)
            lr = lr_at(step, config, trained_seconds / budget_seconds)
            for group in opt.param_groups:
                group["lr"] = lr
            train_loss = _step(net, model, opt, x, y, metric, dist, config.grad_clip)
            bar.update(1)
            bar.set_postfix(loss=f"{train_loss:.3f}", lr=f"{lr:.1e}")
            elapsed = time.monotonic() - step_start
            if dist.active:  # every rank keeps the same clock: the schedule and the budget agree
                elapsed = dist.all_reduce([elapsed], op="max")[0]
            trained_seconds += elapsed
            out_of_time = trained_seconds >= budget_seconds
            if step % config.eval_every == 0 or step == config.max_steps or out_of_time:
                val = validate()
                history.append(
                    {
                        "step": step,
                        "train_loss": round(train_loss, 5),
                        "val_loss": round(val, 5),
                        "lr": lr,
                        "train_seconds": round(trained_seconds, 1),
                    }
                )
                improved = val < best - 1e-4
                if improved:
                    best, bad = val, 0
                    if dist.main:
                        save_model(out, model, tokenizer, {**base_info, "step": step, "val_loss": val})
                else:
                    bad += 1
                say(f"step {step}: train {train_loss:.4f}  valid {val:.4f}{'  (best)' if improved else ''}")
                checkpoint()
                if config.patience and bad >= config.patience:
                    reason = "early_stopping"
                    break
                if out_of_time:
                    reason = "max_minutes"
                    break
            if interrupt_at is not None and step >= interrupt_at:
                raise TrainingInterrupted(f"interrupted after step {step}")
    except KeyboardInterrupt:
        checkpoint()
        say(f"interrupted: checkpoint at step {step} written; continue with --resume")
        raise
    finally:
        bar.close()
    # no evaluation improved (e.g. NaN): keep the last weights
    if dist.main and not (out / "model.safetensors").is_file():
        save_model(out, model, tokenizer, {**base_info, "step": step, "val_loss": None})
    if dist.main:  # the card of the weights now in the folder (a resumed run rewrites it)
        from tunesmith.solvers.model_card import write_trained_card

        write_trained_card(out, json.loads((out / "model.json").read_text(encoding="utf-8")))
    if dist.active:
        import torch.distributed as tdist

        tdist.barrier()  # every file is written when any rank returns
    return {
        "steps": step,
        "best_val_loss": best,
        "stopped": reason,
        "train_seconds": trained_seconds,
        "out": str(out),
        "history": history,
        "world_size": dist.world,
    }


# ------------------------------------------------------------------ synthetic data
_PROGRESSIONS = {
    "major": [
        ["I", "IV", "V7", "I"],
        ["I", "vi", "ii7", "V7"],
        ["I", "V", "vi", "IV"],
        ["ii7", "V7", "Imaj7", "Imaj7"],
    ],
    "minor": [["i", "iv", "V7", "i"], ["i", "VI", "III", "VII"], ["iim7b5", "V7", "i", "i"]],
}
_DEGREES = {"I": (0, ""), "ii7": (2, "m7"), "IV": (5, ""), "V": (7, ""), "V7": (7, "7"), "vi": (9, "m"),
            "Imaj7": (0, "maj7"), "i": (0, "m"), "iv": (5, "m"), "VI": (8, ""), "III": (3, ""), "VII": (10, ""),
            "iim7b5": (2, "m7b5")}  # fmt: skip
_NAMES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_TRIADS = {"": (0, 4, 7), "m": (0, 3, 7), "7": (0, 4, 7, 10), "m7": (0, 3, 7, 10), "maj7": (0, 4, 7, 11),
           "m7b5": (0, 3, 6, 10)}  # fmt: skip


def synthetic_pieces(n: int, seed: int = 0) -> list[Piece]:
    """`n` small, learnable pieces for tests and smoke runs: lead sheets (folk / pop / jazz)
    whose melodies arpeggiate a cycling chord progression in a fixed rhythm, and four-voice
    chorales in block chords. Splits are assigned 80/10/10; licenses are public domain."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        style = ("folk", "pop", "jazz", "chorale")[i % 4]
        mode = rng.choice(["major", "minor"])
        tonic = rng.randrange(12)
        meter = (6, 8) if style == "folk" and rng.random() < 0.5 else ((3, 4) if rng.random() < 0.2 else (4, 4))
        bar_len = meter[0] * 4 / meter[1]
        n_bars = rng.choice([4, 8, 8, 16])
        prog = rng.choice(_PROGRESSIONS[mode])
        chords, tracks = [], []
        step = 0.5 if meter == (6, 8) else (1 / 3 if style == "jazz" and rng.random() < 0.3 else 0.5)
        voices = {"S": [], "A": [], "T": [], "B": []} if style == "chorale" else {"M": []}
        for b in range(n_bars):
            degree, quality = _DEGREES[prog[b % len(prog)]]
            root = (tonic + degree) % 12
            onset = b * bar_len
            chords.append(ChordSymbol(onset, _NAMES[root] + quality))
            tones = _TRIADS[quality]
            if style == "chorale":
                for v, base in zip("SATB", (72, 64, 55, 43)):
                    k = {"S": 2, "A": 1, "T": 0, "B": 0}[v]
                    pitch = base + (root + tones[k % len(tones)] - base) % 12
                    voices[v].append(Note(pitch, onset, bar_len / 2))
                    pitch2 = base + (root + tones[(k + 1) % len(tones)] - base) % 12
                    voices[v].append(Note(pitch2, onset + bar_len / 2, bar_len / 2))
            else:
                t, k = 0.0, 0
                while t < bar_len - 1e-9:
                    d = step if (k + b) % 5 else 2 * step
                    d = min(d, bar_len - t)
                    pitch = 60 + (root + tones[k % len(tones)]) % 12 + (12 if k % 4 == 3 else 0)
                    voices["M"].append(Note(pitch, onset + t, d))
                    t += d
                    k += 1
        roles = {"M": "melody", "S": "soprano", "A": "alto", "T": "tenor", "B": "bass"}
        r = rng.random()
        split = "train" if r < 0.8 else ("valid" if r < 0.9 else "test")
        tracks = [Track(roles[v].title(), roles[v], notes=notes) for v, notes in voices.items()]
        out.append(
            Piece(
                piece_id=f"synthetic-{seed}-{i}",
                work_id=f"synthetic-{seed}-{i}",
                style=style,
                source="synthetic",
                license="public-domain",
                tracks=tracks,
                chords=chords if style != "chorale" else [],
                keys=[KeySignature(0.0, _NAMES[tonic], mode)],
                time_signatures=[TimeSignature(0.0, *meter)],
                tempos=[Tempo(0.0, rng.choice([80, 100, 120, 140]))],
                split=split,
            )
        )
    return out


__all__ = [
    "TokenData",
    "TrainingInterrupted",
    "collate",
    "evaluate",
    "load_checkpoint",
    "load_model",
    "load_pieces",
    "lr_at",
    "provenance",
    "select_pieces",
    "synthetic_pieces",
    "train",
]
