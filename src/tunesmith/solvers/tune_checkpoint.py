"""What the tuner keeps between rounds: the checkpoint (policy, optimizer, stateful rewards,
history; `save_checkpoint`, `load_checkpoint`), what a resume may change of the config
(`check_resumed_config`), and what a tuned model keeps of its base's record (`inherited_info`).
Split from policy_gradient.py (session 40), which re-exports it all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from tunesmith.model import GPT, model_tensors, write_safetensors
from tunesmith.solvers.model_folder import CHECKPOINT_FILE
from tunesmith.solvers.tune_config import TuneConfig

CHECKPOINT_FORMAT = "tunesmith-pg-checkpoint"


# What a resume may change: how long the run goes on (a finished run is extended by resuming it
# with more rounds: each round draws from (seed, round), so 40 rounds then 20 more are the
# 60-round run) and how it reports; nothing that shapes an update.
EXTENDABLE_FIELDS = ("rounds", "eval_every", "eval_examples", "snapshot_every", "threads")


def check_resumed_config(out: Path, saved: TuneConfig, config: TuneConfig, rounds_done: int) -> None:
    """Refuse a resume whose config differs from the checkpoint's in a field that shapes the
    updates (ValueError naming each), or that asks for fewer rounds than are done."""
    was, now = saved.to_dict(), config.to_dict()
    diff = "; ".join(f"{k} {was[k]!r} in the checkpoint, {now[k]!r} now" for k in now
                     if was.get(k) != now[k] and k not in EXTENDABLE_FIELDS)  # fmt: skip
    if diff:
        raise ValueError(f"{out}: the checkpoint was made with another tune config ({diff}); resume with the same "
                         f"one (only {', '.join(EXTENDABLE_FIELDS)} may change)")  # fmt: skip
    if config.rounds < rounds_done:
        raise ValueError(f"{out}: the run has done {rounds_done} rounds; to extend it, --rounds must be at least that "
                         f"(the checkpoint's config says {saved.rounds})")  # fmt: skip


def inherited_info(base_info: dict[str, Any]) -> dict[str, Any]:
    """What a tuned model keeps of its base's record (training provenance, decoding, name): all
    but what `save_model` writes afresh (format, shape, tokenizer) and what names the base's file."""
    fresh = ("format", "version", "model_config", "tokenizer", "path", "sha256")
    return {k: v for k, v in base_info.items() if k not in fresh}


def _state_tensors(prefix: str, state: dict[str, Any]) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    tensors, plain = {}, {}
    for k, v in state.items():
        if torch.is_tensor(v):
            tensors[f"{prefix}{k}"] = v
        else:
            plain[k] = v
    return tensors, plain


def save_checkpoint(out: Path, policy: GPT, opt, stateful: dict[str, Any], info: dict[str, Any]) -> None:
    from tunesmith.solvers.train import _optimizer_tensors

    tensors = {f"model.{k}": v for k, v in model_tensors(policy).items()}
    opt_tensors, opt_info = _optimizer_tensors(opt)
    tensors.update(opt_tensors)
    reward_plain = {}
    for name, obj in stateful.items():
        if hasattr(obj, "state_dict"):
            t, plain = _state_tensors(f"reward.{name}.", obj.state_dict())
            tensors.update(t)
            reward_plain[name] = plain
    write_safetensors(out / CHECKPOINT_FILE, tensors,
                      {**info, **opt_info, "reward_state": reward_plain, "format": CHECKPOINT_FORMAT})  # fmt: skip


def load_checkpoint(out: Path) -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    from tunesmith.solvers.train import read_checkpoint

    return read_checkpoint(out, CHECKPOINT_FILE, CHECKPOINT_FORMAT, "tuning")
