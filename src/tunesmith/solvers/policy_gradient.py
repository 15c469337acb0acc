"""Fine-tune a composer by reward: one sampling loop, one KL to a frozen reference, one update.

Both the reinforcement-learning tuner (`tunesmith tune`: rules, criteria, preferences) and the
adversarial one (`tunesmith adversarial`: a discriminator's score) run `tune()`: only the reward
differs. A reward is a function of a piece (`tunesmith.rewards`).

Each round:

1. Sample. `prompts_per_round` compose requests (styles, keys, bars from the config, every other
   control at compose's defaults) get `takes_per_prompt` takes each from `sampling.generate`, the
   very loop `compose` runs: the Constrainer's masks apply, so every hard control holds in every
   take of the tuned model too. The policy's log-probabilities are then recomputed in torch (the
   numpy sampler gives no gradient): the automaton is replayed over each take to rebuild the exact
   masked distribution each token was drawn from (allowed set, rest penalty, temperature). Tokens
   the grammar forced (one allowed choice) have log-probability 0 and get no credit.
2. Observe. Stateful rewards (the discriminator) learn from the round's takes first (its accuracy
   on held-out real pieces and on these fresh takes, which it has not seen, is logged).
3. Score. r(x) = reward(piece) for each take.
4. KL. The trainer owns a frozen copy of the starting model (TRL's convention). Per token, on the
   sampled (free) tokens: kl_t = log pi(a_t) - log ref(a_t) (both masked alike); per take
   KL = sum_t kl_t, and the return is R = r - kl_coef * KL. That sampled estimate is unbiased
   but noisy: its mean over one round's takes can be negative. What the progress bar and the
   history report as `kl` is the exact KL instead: at each free position, the sum over every
   token the grammar allows of pi(a) (log pi(a) - log ref(a)), summed over the take (never
   negative; 0 exactly when the policy is the reference); `kl_sampled` keeps the estimate.
5. Update: REINFORCE with a leave-one-out baseline (RLOO, Ahmadian et al. 2024): a take's
   advantage is its return minus the mean return of the other takes of the same request.
   Credit is per sequence: the rewards are judgements of the whole piece (a cadence, a motif,
   a discriminator's verdict), so there is no honest per-token signal to hand out, and a per-token
   critic or Monte-Carlo rollouts per token would cost a learned value model or many times the
   sampling on a 2-core CPU. The leave-one-out baseline is unbiased, needs no extra network, and
   compares takes of the same request, so request difficulty cancels. The loss is
   -sum_i A_i * sum_t log pi(a_it) / (number of free tokens), plus, optionally, `ml_coef` times
   the maximum-likelihood loss on corpus windows (keeps the model close to real music).

With `method = "dpo"` step 5 is replaced by direct preference optimisation on each request's
best-vs-worst takes by the reward (`solvers.dpo`); sampling, the reference, checkpoints and the
log are the same.

Checkpoints: after every round, `checkpoint.safetensors` (policy, optimizer, stateful rewards,
history; written atomically) and the tuned model (`model.safetensors`, a normal tunesmith model
whose JSON carries `tuning`: base, config, rewards, history). Every random choice of round k
comes from (seed, k), so a run resumed after a kill continues exactly as if it had never stopped.
A resume must bring the same config, base and rewards (names, weights, the criteria or preference
file's content: the checkpoint keeps their signature); a new run never writes over a folder that
holds one (`check_out_folder`; `force` clears the old run first, snapshots included). Every model
folder written (the tuned model, round-NNNN snapshots, a DPO model) is a normal one
(`write_model_folder`: decoding defaults, the base's similarity index, a model card).

Here: the update (`policy_gradient_step`) and the loop (`tune`). Their parts live beside it and are
re-exported: the config in `tune_config`, the round's takes and log-probabilities in `rollout`, the
closing degrees in `ending_policy`, checkpoints and resume in `tune_checkpoint`.
"""

from __future__ import annotations

import copy
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from tunesmith.model import GPT, load_model
from tunesmith.paths import atomic_write_text, shown_path
from tunesmith.score import Piece
from tunesmith.solvers.ending_policy import EndingPolicy, _drawn_degree  # noqa: F401
from tunesmith.solvers.model_folder import (  # noqa: F401  (CHECKPOINT_FILE: the CLI reads it here)
    CHECKPOINT_FILE,
    TUNE_LOG,
    base_folder,
    check_out_folder,
    clear_run,
    write_model_folder,
)
from tunesmith.solvers.rollout import (  # noqa: F401  (re-exported: tests, the CLI and dpo read them here)
    Rollout,
    exact_kl,
    policy_and_reference,
    replay_masks,
    replay_masks_cached,
    sample_round,
    token_logprobs,
)
from tunesmith.solvers.tune_checkpoint import (  # noqa: F401
    CHECKPOINT_FORMAT,
    EXTENDABLE_FIELDS,
    _state_tensors,
    check_resumed_config,
    inherited_info,
    load_checkpoint,
    save_checkpoint,
)
from tunesmith.solvers.tune_config import TuneConfig


class TuningInterrupted(Exception):
    """Raised by the `interrupt_at` test hook (a stand-in for a kill after round k)."""


# ------------------------------------------------------------------ the reference and the update
def frozen_copy(model: GPT) -> GPT:
    """The reference: a deep copy in eval mode whose parameters never take gradients."""
    ref = copy.deepcopy(model)
    ref.eval()
    for p in ref.parameters():
        p.requires_grad_(False)
    return ref


def rloo_advantages(returns: torch.Tensor, groups: Sequence[int]) -> torch.Tensor:
    """Return minus the mean return of the other takes of the same request (leave-one-out)."""
    g = torch.as_tensor(list(groups))
    adv = torch.zeros_like(returns)
    for k in g.unique():
        idx = (g == k).nonzero().squeeze(-1)
        r = returns[idx]
        n = len(idx)
        adv[idx] = r - (r.sum() - r) / max(1, n - 1) if n > 1 else r - r
    return adv


@dataclass
class StepStats:
    reward: float
    kl: float
    loss: float
    ml_loss: float | None
    free_tokens: int
    kl_sampled: float | None = None  # the penalty's estimate on the sampled tokens (may be < 0)


def policy_gradient_step(
    policy: GPT,
    reference: GPT,
    opt: torch.optim.Optimizer,
    rollout: Rollout,
    rewards: torch.Tensor,
    config: TuneConfig,
    ml_batch: tuple[torch.Tensor, torch.Tensor] | None = None,
    endings: EndingPolicy | None = None,
) -> StepStats:
    """One update: REINFORCE with a leave-one-out baseline on R = r - kl_coef * KL (see the module
    docstring), plus `ml_coef` x the cross-entropy of `ml_batch` if given; the drawn closing
    degrees (`endings`) count as one more choice of each take, in the KL and in the update."""
    exact = config.kl_estimator == "exact"
    logp, free, ref_logp, kl_live = policy_and_reference(policy, reference, rollout, config.temperature, kl_grad=exact)
    kl_reported = kl_live.detach()
    kl_sampled = ((logp.detach() - ref_logp) * free).sum(-1)  # (B,): the estimate on the sampled tokens
    end_lp = None
    if endings is not None:
        end_lp, end_ref = endings.logprobs(rollout)
        kl_sampled = kl_sampled + (end_lp.detach() - end_ref).to(kl_sampled.dtype)
        kl_reported = kl_reported + endings.exact_kl(rollout).to(kl_reported.dtype)
    kl = kl_reported if exact else kl_sampled  # the penalty (`TuneConfig.kl_estimator`)
    returns = rewards - config.kl_coef * kl
    adv = rloo_advantages(returns, rollout.groups)
    if end_lp is not None:
        endings.step(end_lp, adv)
    n_free = int(free.sum())
    loss = -(adv.unsqueeze(-1) * logp).sum() / max(1, n_free)
    if exact:  # the exact KL of the states visited also pulls the policy back directly (its own gradient)
        loss = loss + config.kl_coef * kl_live.sum() / max(1, n_free)
    ml_loss = None
    if ml_batch is not None and config.ml_coef > 0:
        _, ml = policy(ml_batch[0], targets=ml_batch[1])
        ml_loss = float(ml.detach())
        loss = loss + config.ml_coef * ml
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if config.grad_clip:
        torch.nn.utils.clip_grad_norm_(policy.parameters(), config.grad_clip)
    opt.step()
    return StepStats(float(rewards.mean()), float(kl_reported.mean()), float(loss.detach()), ml_loss, n_free,
                     float(kl_sampled.mean()))  # fmt: skip


# ------------------------------------------------------------------ the round's rewards
def _scored(reward: Callable, pieces: Sequence[Piece]) -> tuple[list[float], dict[str, Any]]:
    """Each piece's reward, and the round's mean of each part of a combined reward ("reward_parts")
    and of each metric of a criteria file ("criteria_metrics"): the log shows which moved, not the
    total alone; and how many takes the reward or each part scored NaN ("reward_nan_takes", counted
    as 0). An infinite reward is refused."""
    values, sums, metrics, counts, nan = [], {}, {}, {}, {}
    for p in pieces:
        value = float(reward(p))
        if math.isinf(value):
            raise ValueError(f"the reward gave {value} for a take; a reward is a finite number, or NaN where it has none")
        values.append(value)
        for name in (["reward"] if math.isnan(value) else []) + sorted(getattr(reward, "last_nan", None) or ()):
            nan[name] = nan.get(name, 0) + 1
        for name, v in (getattr(reward, "last", None) or {}).items():
            sums[name] = sums.get(name, 0.0) + v
            fn = reward.parts[name][0] if hasattr(reward, "parts") else None
            for metric, m in (getattr(fn, "last", None) or {}).items():
                if isinstance(m, float) and math.isfinite(m):
                    key = (name, metric)
                    metrics[key] = metrics.get(key, 0.0) + m
                    counts[key] = counts.get(key, 0) + 1
    out: dict[str, Any] = {}
    if sums:
        out["reward_parts"] = {n: round(v / len(pieces), 5) for n, v in sums.items()}
    if metrics:
        grouped: dict[str, dict[str, float]] = {}
        for (name, metric), v in metrics.items():
            grouped.setdefault(name, {})[metric] = round(v / counts[(name, metric)], 5)
        out["criteria_metrics"] = grouped
    if nan:
        out["reward_nan_takes"] = nan  # how many takes each part (or the whole reward) could not score
    return values, out


# ------------------------------------------------------------------ data
def _windows(pieces: Sequence[Piece], tokenizer, block_size: int):
    from tunesmith.solvers.train import TokenData

    return TokenData(pieces, tokenizer, block_size)


def corpus_pieces(styles: Sequence[str], shippable_only: bool = False) -> tuple[list[Piece], list[Piece]]:
    """(train, valid) pieces of `styles` from the corpus cache."""
    from tunesmith.corpus import load_corpus
    from tunesmith.licenses import may_ship

    train, valid = [], []
    for p in load_corpus():
        if p.style not in styles or (shippable_only and not may_ship(p.license)):
            continue
        if p.split == "train":
            train.append(p)
        elif p.split == "valid":
            valid.append(p)
    return train, valid


# ------------------------------------------------------------------ the loop
def tune(
    base: str | Path | tuple,
    reward: Callable[[Piece], float] | str | Sequence[str],
    out_dir: str | Path,
    config: TuneConfig | dict[str, Any] | None = None,
    *,
    pieces: tuple[Sequence[Piece], Sequence[Piece]] | None = None,
    resume: bool = False,
    progress: bool = True,
    interrupt_at: int | None = None,
    log: Callable[[str], None] | None = None,
    method: str = "policy-gradient",
    force: bool = False,
) -> dict[str, Any]:
    """Fine-tune `base` (a model folder, "default", or (GPT, tokenizer, info)) toward `reward`
    and write the tuned model to `out_dir` (`tunesmith.tune`; the CLI's `tune`). `reward`: a function
    of a Piece, or what `--reward` takes, one spec or several ("rules", "criteria.toml:0.5",
    "preferences"); `config`: a TuneConfig or a dict of its fields. `pieces=(train, valid)`: real music for held-out NLL,
    maximum-likelihood steps and stateful rewards (default: the corpus' shippable pieces of the styles).
    `out_dir` must not hold a model or a run already (FileExistsError), unless `resume` (continue
    its checkpoint: the same config, base and rewards) or `force` (remove the old run first).
    Returns a summary (rounds, last reward, KL, NLL, seconds per round, takes per second). A run
    that fails before it saved anything leaves no folder it made."""
    out = Path(out_dir)
    made = not out.exists()
    try:
        return _tune(base, reward, out, config, pieces=pieces, resume=resume, progress=progress,
                     interrupt_at=interrupt_at, log=log, method=method, force=force)  # fmt: skip
    except BaseException:
        if made and out.is_dir() and not any(out.iterdir()):
            out.rmdir()  # an empty --out had been left, as if a run were there to resume
        raise


def _tune(base, reward, out: Path, config, *, pieces, resume, progress, interrupt_at, log, method, force) -> dict[str, Any]:
    from tunesmith import pretrained
    from tunesmith.progress import progress_bar
    from tunesmith.progress import say as say_beside_bar
    from tunesmith.rewards import signature, signature_changes
    from tunesmith.solvers.train import collate, evaluate

    if isinstance(config, dict):
        config = TuneConfig.from_dict(config)
    config = config or TuneConfig()
    if isinstance(reward, str) or (isinstance(reward, Sequence) and not callable(reward)):
        from tunesmith.rewards import resolve

        reward = resolve([reward] if isinstance(reward, str) else list(reward))
    check_out_folder(out, resume=resume, force=force)
    if out.is_dir():
        from tunesmith.paths import remove_stale_temps

        remove_stale_temps(out)  # half files of a run killed while it wrote
    say = log or (lambda msg: say_beside_bar(msg) if progress else None)
    if config.threads:
        torch.set_num_threads(config.threads)
    if isinstance(base, tuple):
        policy, tokenizer, base_info = base
        base_record = {"id": base_info.get("name") or "given", "sha256": base_info.get("sha256")}
    else:
        policy, tokenizer, base_info = pretrained.load(str(base), torch=True)
        base_record = {"id": shown_path(base), "sha256": base_info.get("sha256")}  # no machine path
    bdir = base_folder(base_info)
    if bdir is not None and out.resolve() == bdir.resolve():
        raise ValueError(f"{out}: is the base model's folder; write the tuned model to another --out")
    if force:
        clear_run(out)
    out.mkdir(parents=True, exist_ok=True)
    reward_signature = signature(reward)
    policy.eval()  # no dropout: the numpy sampler and the torch log-probs must see one model
    reference = frozen_copy(policy)
    # the corpus' shippable pieces by default, as the CLI has them: a tuned model says it learned from
    # its base's data only (`inherited_info`), and from Python the default had been every license,
    # research-only songs included, for the held-out NLL and the maximum-likelihood steps
    train_pieces, valid_pieces = (
        (list(pieces[0]), list(pieces[1])) if pieces is not None else corpus_pieces(config.styles, shippable_only=True)
    )
    bs = policy.config.block_size
    train_data = _windows(train_pieces, tokenizer, bs) if train_pieces else None
    valid_data = _windows(valid_pieces, tokenizer, bs) if valid_pieces else None
    valid_examples = (
        valid_data.fixed_examples(config.eval_examples, config.seed, 0.0) if valid_data and len(valid_data) else []
    )

    stateful = reward.stateful() if hasattr(reward, "stateful") else (
        {"reward": reward} if hasattr(reward, "observe") or hasattr(reward, "state_dict") else {})  # fmt: skip
    stateful = dict(stateful)
    endings = None
    if config.method == "reinforce" and config.ending_lr > 0:
        if getattr(policy, "decoding", None) is None:
            policy.decoding = {}
        endings = EndingPolicy(config.styles, policy.decoding, config.ending_lr)
        stateful["closing_degrees"] = endings  # checkpointed with the stateful rewards
    opt = torch.optim.AdamW([p for p in policy.parameters() if p.requires_grad], lr=config.lr,
                            weight_decay=config.weight_decay, betas=(0.9, 0.95))  # fmt: skip
    round_, history = 0, []
    if resume:
        from tunesmith.solvers.train import _load_optimizer

        tensors, info = load_checkpoint(out)
        check_resumed_config(out, TuneConfig.from_dict(info["tune_config"]), config, info["round"])
        if info.get("base", {}).get("sha256") != base_record.get("sha256"):
            raise ValueError(f"{out}: the checkpoint tunes another base model")
        if "reward_signature" not in info:
            import sys

            print(f"tunesmith: warning: {out}: the checkpoint predates the record of its rewards, so they cannot "
                  f"be checked; resuming with the rewards given now: {_reward_list(reward_signature)}",
                  file=sys.stderr)  # fmt: skip
        else:
            changes = signature_changes(info["reward_signature"], reward_signature)
            if changes:
                raise ValueError(f"{out}: the checkpoint was made with other rewards ({'; '.join(changes)}); "
                                 f"resume with the same --reward set: {_reward_list(info['reward_signature'])}")  # fmt: skip
        policy.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")}, strict=False)
        _load_optimizer(opt, tensors, info["param_groups"])
        for name, obj in stateful.items():
            if hasattr(obj, "load_state_dict"):
                prefix = f"reward.{name}."
                state = {k[len(prefix) :]: v for k, v in tensors.items() if k.startswith(prefix)}
                state.update(info.get("reward_state", {}).get(name, {}))
                obj.load_state_dict(state)
        round_, history = info["round"], info["history"]
        say(f"resumed at round {round_}")

    def describe_reward() -> dict:
        return (
            reward.describe() if hasattr(reward, "describe") else {"function": getattr(reward, "__name__", str(reward))}
        )

    def tuning_record() -> dict:
        algorithm = (
            f"online DPO (beta {config.dpo_beta}): each request's best take against its worst by the reward, "
            "log-ratios to the frozen base" if config.method == "dpo" else
            "REINFORCE, leave-one-out baseline, per-sequence credit, KL penalty to the frozen base on the sampled tokens"
        )  # fmt: skip
        return {"method": method, "algorithm": algorithm, "base": base_record,
                "config": config.to_dict(), "reward": describe_reward(), "rounds_done": round_,
                "last": history[-1] if history else None}  # fmt: skip

    def save_model_folder(folder: Path) -> None:
        record = tuning_record()
        write_model_folder(folder, policy, tokenizer, inherited_info(base_info) | {"tuning": record},
                           base_info=base_info, base_id=base_record["id"], card=_tune_card(record))  # fmt: skip

    def save_all() -> None:
        if endings is not None:
            endings.publish(policy.decoding)
        # the checkpoint first: a run killed between the two files can be resumed (killed after the
        # model and before its first checkpoint, a run could be neither resumed nor started again)
        save_checkpoint(out, policy, opt, stateful, {"round": round_, "history": history, "tune_config": config.to_dict(),
                                                       "base": base_record, "reward_signature": reward_signature})  # fmt: skip
        save_model_folder(out)
        atomic_write_text(out / TUNE_LOG, json.dumps({"tuning": tuning_record(), "history": history}, indent=1) + "\n")

    bar = progress_bar(total=config.rounds, initial=round_, disable=not progress, desc=method, unit="round")
    first_round = round_ + 1  # this run's first round (after a resume, the one after the files' last)
    nll = history[-1].get("heldout_nll") if history else None
    try:
        while round_ < config.rounds:
            round_ += 1
            t0 = time.perf_counter()
            torch.manual_seed(config.seed * 1_000_003 + round_)
            if endings is not None:
                endings.publish(policy.decoding)
            rollout = sample_round(policy, tokenizer, config, round_)
            pieces_now = [t.piece for t in rollout.takes]
            observed: dict[str, Any] = {}
            for name, obj in stateful.items():
                if hasattr(obj, "observe"):
                    observed[name] = obj.observe(pieces_now, round_)
            values, parts = _scored(reward, pieces_now)
            blind = sorted(k for k, n in parts.get("reward_nan_takes", {}).items() if n == len(pieces_now))
            if blind and round_ == first_round:
                # a reward that scores nothing would tune toward the reference alone, silently
                raise ValueError(f"round {round_}: the reward {', '.join(repr(b) for b in blind)} gave no number (NaN) "
                                 f"for any of the {len(pieces_now)} takes; nothing was tuned")  # fmt: skip
            r = torch.tensor([0.0 if math.isnan(v) else v for v in values])
            ml = None
            if config.ml_coef > 0 and train_data is not None and len(train_data):
                rng = np.random.default_rng([config.seed, round_, 2])
                ml = collate([train_data.random_example(rng, 0.0, 0) for _ in range(config.ml_batch)], tokenizer)
            dpo_entry: dict[str, Any] = {}
            if config.method == "dpo":
                from tunesmith.solvers.dpo import dpo_step

                dstats, kl_mean = dpo_step(policy, reference, opt, rollout, r, config)
                free = sum(int(np.sum(~np.asarray(t.forced))) for t in rollout.takes)
                stats = StepStats(float(r.mean()), kl_mean, dstats.loss, None, free)
                dpo_entry = {"dpo_pairs": dstats.pairs, "dpo_margin": round(dstats.margin, 5),
                             "dpo_accuracy": round(dstats.accuracy, 4)}  # fmt: skip
            else:
                stats = policy_gradient_step(policy, reference, opt, rollout, r, config, ml, endings)
            if not math.isfinite(stats.loss):
                # a broken update must not be written over a good model: stop here, loudly
                raise FloatingPointError(f"round {round_}: the loss is not finite; the model was not updated on disk")
            if valid_examples and config.eval_every and (round_ % config.eval_every == 0 or round_ == config.rounds):
                nll = evaluate(policy, valid_examples, tokenizer, 8)
                policy.eval()
            seconds = time.perf_counter() - t0
            entry = {"round": round_, "reward": round(stats.reward, 5), "kl": round(stats.kl, 5),
                     "kl_sampled": None if stats.kl_sampled is None else round(stats.kl_sampled, 5),
                     "loss": round(stats.loss, 5), "ml_loss": stats.ml_loss, "heldout_nll": nll,
                     "free_tokens": stats.free_tokens, "takes": len(rollout.takes),
                     "sample_seconds": round(rollout.seconds, 3), "round_seconds": round(seconds, 3),
                     **parts, **dpo_entry}  # fmt: skip
            for name, obs in observed.items():
                entry[name if name not in entry else f"{name}_state"] = obs  # a bare stateful reward is "reward"
            history.append(entry)
            save_all()
            if config.snapshot_every and round_ % config.snapshot_every == 0:
                # a normal model folder per snapshot (decoding, copy guard, card): realism can be
                # measured, and takes composed, round by round afterwards
                save_model_folder(out / f"round-{round_:04d}")
            post = {"reward": f"{stats.reward:.3f}", "kl": f"{stats.kl:.3f}"}
            if nll is not None:
                post["nll"] = f"{nll:.3f}"
            for obs in observed.values():
                if isinstance(obs, dict) and "accuracy" in obs:
                    post["D_acc"] = f"{obs['accuracy']:.2f}"
            bar.update(1)
            bar.set_postfix(post)
            if interrupt_at is not None and round_ >= interrupt_at and round_ < config.rounds:
                raise TuningInterrupted(f"interrupted after round {round_}")
    except KeyboardInterrupt:
        # Not saved now: the interrupted round may have stopped inside its update, and the files
        # hold the last round that finished (saving here had labelled round N the weights of N-1,
        # and --resume went on at N+1, skipping a round)
        done = history[-1]["round"] if history else 0
        kept = f"the files hold round {done}" if done else "nothing was saved yet"
        say(f"interrupted in round {round_}: {kept}; continue with --resume")
        raise
    finally:
        bar.close()
    if not (out / "model.safetensors").is_file():
        save_all()
    secs = [h["round_seconds"] for h in history]
    takes_per_s = [h["takes"] / h["sample_seconds"] for h in history if h.get("sample_seconds")]
    return {
        "rounds": round_,
        "out": str(out),
        "last": history[-1] if history else None,
        "minutes_per_round": round(float(np.mean(secs)) / 60, 4) if secs else None,
        "takes_per_second": round(float(np.mean(takes_per_s)), 3) if takes_per_s else None,
        "history": history,
    }


def _reward_list(sig: dict[str, dict]) -> str:
    """`--reward` specs of a reward signature: "rules:1, good.toml:0.5"."""
    return ", ".join(f"{n}:{v.get('weight', 1.0):g}" for n, v in sig.items())


def _tune_card(tuning: dict) -> list[str]:
    last = tuning.get("last") or {}
    return [
        "# Fine-tuned tunesmith model",
        "",
        f"Tuned from `{tuning['base']['id']}` (sha256 {str(tuning['base'].get('sha256'))[:12]}) by {tuning['method']}: "
        f"{tuning['algorithm']}.",
        "",
        f"- rounds: {tuning['rounds_done']} of {tuning['config']['rounds']}; styles {', '.join(tuning['config']['styles'])}",
        f"- reward: `{json.dumps(tuning['reward'], default=str)}`",
        f"- KL coefficient {tuning['config']['kl_coef']}, ML coefficient {tuning['config']['ml_coef']}, lr {tuning['config']['lr']}",
        f"- last round: reward {last.get('reward')}, KL {last.get('kl')}, held-out NLL {last.get('heldout_nll')}",
        "",
        "The hard controls (meter, bars, key, range, chords, in-scale) are masks applied while sampling, "
        "so they hold for this model exactly as for its base. Training data: the base model's (below).",
        "",
    ]


__all__ = [
    "Rollout",
    "TuneConfig",
    "TuningInterrupted",
    "frozen_copy",
    "load_checkpoint",
    "load_model",
    "policy_gradient_step",
    "replay_masks",
    "rloo_advantages",
    "sample_round",
    "token_logprobs",
    "tune",
]
