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
"""

from __future__ import annotations

import copy
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from tunesmith.config import check_field_types
from tunesmith.model import GPT, load_model, model_tensors, write_safetensors
from tunesmith.paths import atomic_write_text, shown_path
from tunesmith.sampling.request import MODEL_MODES
from tunesmith.score import STYLES, Piece
from tunesmith.solvers.model_folder import (
    CHECKPOINT_FILE,
    TUNE_LOG,
    base_folder,
    check_out_folder,
    clear_run,
    write_model_folder,
)

CHECKPOINT_FORMAT = "tunesmith-pg-checkpoint"


class TuningInterrupted(Exception):
    """Raised by the `interrupt_at` test hook (a stand-in for a kill after round k)."""


# ------------------------------------------------------------------ config
@dataclass
class TuneConfig:
    """How to fine-tune. Checked at construction (ValueError names the field); saved with the
    tuned model and in every checkpoint."""

    rounds: int = 40
    prompts_per_round: int = 4  # compose requests per round
    takes_per_prompt: int = 4  # takes of each request (the leave-one-out baseline needs >= 2)
    styles: list[str] = field(default_factory=lambda: ["folk"])
    keys: list[str] = field(default_factory=lambda: ["C", "G", "D", "F", "A", "Bb", "E", "Eb"])
    modes: list[str] = field(default_factory=lambda: ["major"])
    bars: int = 8
    # "" = the style's default (compose's); several, comma-separated ("4/4,4/4,6/8"): each prompt
    # draws one (a meter given twice is drawn twice as often), so that a tuned model learns in the
    # meters its style is written in, not only the default one
    meter: str = ""
    cadence: str = ""  # "" = the style's default; "free" lets the model end as it likes
    in_scale: bool = False
    rest_penalty: float = 2.0
    temperature: float = 1.0
    top_p: float = 1.0  # < 1 makes the samples slightly off-policy (the gradient ignores top-p)
    lr: float = 2e-5
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    kl_coef: float = 0.05  # beta: return = reward - beta * sum_t KL_t
    # which KL the penalty uses: "sampled" (log pi(a_t) - log ref(a_t) on the sampled tokens, as
    # before) or "exact" (the KL over every allowed token at each visited position, never
    # negative, lower variance; its own gradient is added to the loss as well)
    kl_estimator: str = "sampled"
    ml_coef: float = 0.0  # weight of a maximum-likelihood loss on corpus windows (0: none)
    ml_batch: int = 8
    eval_every: int = 5  # rounds between held-out NLL evaluations (0: never)
    eval_examples: int = 32
    seed: int = 0
    threads: int = 1  # torch threads (0: torch's default)
    # "reinforce": the policy-gradient update above; "dpo": direct preference optimisation on each
    # request's best-vs-worst takes by the reward (`solvers.dpo`), beta `dpo_beta`
    method: str = "reinforce"
    dpo_beta: float = 0.1
    snapshot_every: int = 0  # rounds between copies of the tuned model in out/round-NNNN (0: none)
    # The closing degree a take draws under a tonic cadence (`sampling.FINAL_DEGREE_SHARES`) is a
    # choice of the policy too: its logits per style learn from the same advantages (plain SGD at
    # `ending_lr`; 0: kept as the base's), under the same KL leash, and ship in the tuned model's
    # decoding.json ("closing_degrees").
    ending_lr: float = 0.5

    def __post_init__(self) -> None:
        need = check_field_types(self, "tune config")
        for f in fields(self):
            if f.type == "list[str]":
                need(bool(getattr(self, f.name)), f.name, "must be a non-empty list of strings")
        for name in ("rounds", "prompts_per_round", "ml_batch", "bars"):
            need(getattr(self, name) > 0, name, "must be positive")
        for name in ("eval_every", "eval_examples", "seed", "threads", "snapshot_every"):
            need(getattr(self, name) >= 0, name, "must be >= 0")
        need(self.takes_per_prompt >= 2, "takes_per_prompt", "must be at least 2 (the baseline is leave-one-out)")
        need(all(s in STYLES for s in self.styles), "styles", f"each one of {', '.join(STYLES)}")
        need(self.cadence in ("", "free", "tonic", "home"), "cadence", 'must be "", "free", "tonic" or "home"')
        need(0.0 < self.temperature <= 10.0, "temperature", "must be in (0, 10]")
        need(0.0 < self.top_p <= 1.0, "top_p", "must be in (0, 1]")
        need(0.0 < self.lr <= 1.0, "lr", "must be in (0, 1]")
        need(self.method in ("reinforce", "dpo"), "method", 'must be "reinforce" or "dpo"')
        need(self.kl_estimator in ("sampled", "exact"), "kl_estimator", 'must be "sampled" or "exact"')
        # a church mode is composed by moving the header family's degrees to the mode's at decoding
        # time (`sampling.MODE_MOVES`), which the policy's log-probabilities do not replay
        need(all(m in MODEL_MODES for m in self.modes), "modes", f"each one of {', '.join(MODEL_MODES)} (the modes models learn)")
        need(self.dpo_beta > 0.0, "dpo_beta", "must be positive")
        for name in ("weight_decay", "grad_clip", "kl_coef", "ml_coef", "rest_penalty", "ending_lr"):
            need(getattr(self, name) >= 0.0, name, "must be >= 0")
        for i in range(len(self.styles)):  # every request must be valid before any work
            for meter in self.meter_choices():
                self.request(i, self.keys[0], self.modes[0], meter=meter)

    def meter_choices(self) -> list[str]:
        """The meters a prompt draws from ([""]: the style's default)."""
        return [m.strip() for m in self.meter.split(",")] if self.meter else [""]

    def request(self, i: int, key: str, mode: str, seed: int | None = None, meter: str | None = None):
        """The compose request of prompt i: compose's defaults plus the config's controls (`meter`:
        one of `meter_choices()`; None: the first)."""
        import dataclasses

        from tunesmith.api import compose_request

        style = self.styles[i % len(self.styles)]
        meter = self.meter_choices()[0] if meter is None else meter
        req = compose_request(style, key=key, mode=mode, meter=meter or None, bars=self.bars,
                              in_scale=self.in_scale, temperature=self.temperature, top_p=self.top_p,
                              rest_penalty=self.rest_penalty, seed=seed)  # fmt: skip
        if self.cadence:
            req = dataclasses.replace(req, cadence=self.cadence)
        # on-policy: the takes come from the policy's own distribution (`token_logprobs` scores
        # them without the decoding-time tonal and rhythm feedback, interval offsets or a chorale's
        # modulation tilt)
        # and every take under the one form the request resolves to (no form drawn per take:
        # `replay_masks` rebuilds the automaton from the request)
        return dataclasses.replace(req, tonal_feedback=0.0, rhythm_feedback=0.0, interval_feedback=0.0, modulation="none",
                                   form=req.resolved_form())  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TuneConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"tune config: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**d)


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


# ------------------------------------------------------------------ sampling with log-probs
@dataclass
class Rollout:
    """The takes of one round, with what the update needs."""

    takes: list  # sampling.Take
    requests: list  # the ComposeRequest of each take
    groups: list[int]  # prompt index of each take (the baseline's group)
    seconds: float = 0.0
    tokenizer: Any = None  # the model's tokenizer (the automaton is replayed with it)


def sample_round(policy, tokenizer, config: TuneConfig, round_: int) -> Rollout:
    """The round's takes, drawn by `sampling.generate` (every hard control masked in)."""
    from tunesmith.sampling import generate, single_thread_blas  # noqa: F401

    rng = np.random.default_rng([config.seed, round_, 1])
    meters = config.meter_choices()
    takes, requests, groups = [], [], []
    t0 = time.perf_counter()
    for i in range(config.prompts_per_round):
        key = config.keys[int(rng.integers(len(config.keys)))]
        mode = config.modes[int(rng.integers(len(config.modes)))]
        seed = int(rng.integers(2**31))
        # one meter: nothing drawn (the rounds of such a config stay as they were)
        meter = meters[int(rng.integers(len(meters)))] if len(meters) > 1 else meters[0]
        req = config.request(round_ * config.prompts_per_round + i, key, mode, seed, meter=meter)
        got = generate(policy, tokenizer, req, n=config.takes_per_prompt, seed=seed, batch_size=config.takes_per_prompt)
        takes += got
        requests += [req] * len(got)
        groups += [i] * len(got)
    return Rollout(takes, requests, groups, time.perf_counter() - t0, tokenizer)


def replay_masks(tokenizer, request, tokens: Sequence[int], block_size: int, ending: dict | None = None):
    """Per position of `tokens`: (allowed ids, (early-end token, penalty) or None), None for the
    prompt. Replays the very automaton `generate` sampled under, with the ending the take drew
    (`ending`: its meta, which holds `Constrainer.drawn_ending`: closing degree, the last note's
    least length, a four-part final chord's third and bass approach)."""
    from tunesmith.sampling import Constrainer, compose_tables, prompt_ids

    if request.pickup is None and (ending or {}).get("pickup"):  # the pickup the take drew
        request = replace(request, pickup=float(ending["pickup"]))
    told = (ending or {}).get("header_key")  # the key its header told (`sampling.decode.header_key`)
    told = (str(told[0]), int(told[1])) if told else None
    tables = compose_tables(tokenizer, request, block_size, told)
    n_prompt = len(prompt_ids(tokenizer, request, key=told[0] if told else None))
    auto = Constrainer(tables, n_prompt)
    auto.replay_ending(ending or {})
    out: list = [None] * n_prompt
    for tok in tokens[n_prompt:]:
        allowed = auto.allowed()
        early = auto.early_end()
        out.append((allowed, early))
        auto.advance(int(tok))
    return out


def token_logprobs(
    model: GPT, takes: Sequence, requests: Sequence, temperature: float = 1.0, tokenizer=None, full: bool = False
):
    """(log-probs (B, T), free mask (B, T)) of each take's tokens under `model`'s masked
    distribution, position t being the token t+1 of the take (so T = longest take - 1).
    Gradients flow unless called under no_grad. Forced tokens are masked out (no credit).
    `tokenizer`: the model's own (default: this tunesmith's current one). `full`: also return the
    whole masked log-distribution (B, T, V), -inf on the tokens the grammar forbids."""
    if tokenizer is None:
        from tunesmith.tokenizer import Tokenizer

        tokenizer = Tokenizer()
    V = model.config.vocab_size
    B = len(takes)
    T = max(len(t.tokens) for t in takes) - 1
    x = torch.zeros((B, T), dtype=torch.long)
    y = torch.zeros((B, T), dtype=torch.long)
    bias = torch.full((B, T, V), -math.inf)
    free = torch.zeros((B, T), dtype=torch.bool)
    for b, (take, req) in enumerate(zip(takes, requests)):
        ids = take.tokens
        x[b, : len(ids) - 1] = torch.tensor(ids[:-1])
        y[b, : len(ids) - 1] = torch.tensor(ids[1:])
        masks = replay_masks_cached(model, take, req, tokenizer)
        for pos, m in enumerate(masks):
            if m is None or pos == 0:
                continue
            allowed, early = m
            if len(allowed) <= 1:
                continue  # forced: no choice, no credit
            row = bias[b, pos - 1]
            row[torch.as_tensor(allowed, dtype=torch.long)] = 0.0
            if early is not None:
                row[early[0]] -= early[1]
            free[b, pos - 1] = True
    logits, _ = model(x, targets=torch.where(free, y, torch.full_like(y, -1)))  # (B, T, V)
    z = (logits + bias) / temperature
    z = torch.where(free.unsqueeze(-1), z, torch.zeros_like(z))  # forced/pad rows: finite, unused
    log_dist = F.log_softmax(z, dim=-1)  # (B, T, V)
    logp = log_dist.gather(-1, y.unsqueeze(-1)).squeeze(-1)  # (B, T)
    logp = torch.where(free, logp, torch.zeros_like(logp))
    return (logp, free, log_dist) if full else (logp, free)


def policy_and_reference(policy: GPT, reference: GPT, rollout: Rollout, temperature: float, kl_grad: bool = False):
    """(policy log-probs (B, T) with gradients, free mask, reference log-probs, exact KL per take
    (B,)) of a round's takes: what the policy-gradient and the DPO updates both start from. The
    exact KL carries gradients to the policy with `kl_grad` (the "exact" KL estimator)."""
    tok = rollout.tokenizer
    logp, free, log_dist = token_logprobs(policy, rollout.takes, rollout.requests, temperature, tok, full=True)
    with torch.no_grad():
        ref_logp, _, ref_log_dist = token_logprobs(reference, rollout.takes, rollout.requests, temperature, tok, full=True)
    kl = exact_kl(log_dist if kl_grad else log_dist.detach(), ref_log_dist, free)
    return logp, free, ref_logp, kl


def exact_kl(log_dist: torch.Tensor, ref_log_dist: torch.Tensor, free: torch.Tensor) -> torch.Tensor:
    """Per take, sum over its free positions of KL(policy || reference) over the tokens the
    grammar allows there: sum_a p(a) (log p(a) - log ref(a)). (B,). Never negative, unlike the
    sampled estimate log p(a_t) - log ref(a_t) that the penalty uses (whose mean over a few takes
    can fall below 0 by chance); this is what the progress bar and the history report as KL."""
    allowed = torch.isfinite(log_dist) & torch.isfinite(ref_log_dist)
    diff = torch.where(allowed, log_dist - ref_log_dist, torch.zeros_like(log_dist))
    per_pos = (log_dist.exp() * diff).sum(-1).clamp_min(0.0)  # (B, T); clamp: rounding only
    return (per_pos * free).sum(-1)


def replay_masks_cached(model, take, request, tokenizer):
    """`replay_masks` once per take (the policy and the reference share it)."""
    cached = take.meta.get("_masks")
    if cached is None:
        cached = replay_masks(tokenizer, request, take.tokens, model.config.block_size, take.meta)
        take.meta["_masks"] = cached
    return cached


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


def _drawn_degree(take) -> str | None:
    """The closing degree a take drew and kept (None: none drawn, or a half close overrode it)."""
    return None if take.meta.get("half_close") else take.meta.get("closing_degree")


class EndingPolicy:
    """Per style, logits over the closing degrees a take draws (root / third / fifth / other),
    starting from the base model's shares; the frozen reference keeps those. Checkpointed with the
    stateful rewards (`state_dict`); written into the policy's decoding defaults before each round
    so that `sampling.generate` draws from them."""

    def __init__(self, styles: Sequence[str], decoding: dict, lr: float):
        from tunesmith.sampling import FINAL_DEGREE_SHARES

        self.lr = lr
        self.names: dict[str, list[str]] = {}
        self.reference: dict[str, torch.Tensor] = {}
        self.logits: dict[str, torch.Tensor] = {}
        for style in styles:
            base = FINAL_DEGREE_SHARES.get(style)
            if not base:
                continue
            given = (decoding.get(style) or {}).get("closing_degrees") or base
            names = list(base)
            p = torch.tensor([max(float(given.get(n, 0.0)), 1e-6) for n in names], dtype=torch.float64)
            self.names[style] = names
            self.reference[style] = torch.log(p / p.sum())
            self.logits[style] = self.reference[style].clone().requires_grad_(True)

    def shares(self, style: str) -> dict[str, float]:
        q = torch.softmax(self.logits[style].detach(), 0)
        return {n: round(float(v), 6) for n, v in zip(self.names[style], q)}

    def publish(self, decoding: dict) -> None:
        for style in self.logits:
            decoding.setdefault(style, {})["closing_degrees"] = self.shares(style)

    def logprobs(self, rollout: Rollout) -> tuple[torch.Tensor, torch.Tensor]:
        """(log-prob under the policy, under the reference) of each take's drawn closing degree
        (0, 0 for a take that drew none, or whose half close overrode it)."""
        lp, ref = [], []
        for take, req in zip(rollout.takes, rollout.requests):
            degree = _drawn_degree(take)
            if degree is None or req.style not in self.logits:
                lp.append(torch.zeros((), dtype=torch.float64))
                ref.append(torch.zeros((), dtype=torch.float64))
                continue
            k = self.names[req.style].index(degree)
            lp.append(torch.log_softmax(self.logits[req.style], 0)[k])
            ref.append(torch.log_softmax(self.reference[req.style], 0)[k])
        return torch.stack(lp), torch.stack(ref)

    def exact_kl(self, rollout: Rollout) -> torch.Tensor:
        """KL(policy || reference) of the closing-degree choice, per take (0 for one that drew none)."""
        out = []
        for take, req in zip(rollout.takes, rollout.requests):
            if _drawn_degree(take) is None or req.style not in self.logits:
                out.append(torch.zeros((), dtype=torch.float64))
                continue
            lp = torch.log_softmax(self.logits[req.style].detach(), 0)
            ref = torch.log_softmax(self.reference[req.style], 0)
            out.append((lp.exp() * (lp - ref)).sum())
        return torch.stack(out)

    def step(self, lp: torch.Tensor, adv: torch.Tensor) -> None:
        """One SGD step on -mean(advantage * log-prob of the drawn degree)."""
        live = list(self.logits.values())
        if not live or self.lr == 0 or not lp.requires_grad:
            return
        loss = -(adv.detach().to(lp.dtype) * lp).mean()
        grads = torch.autograd.grad(loss, live, allow_unused=True)
        with torch.no_grad():
            for t, g in zip(live, grads):
                if g is not None:
                    t -= self.lr * g

    def state_dict(self) -> dict:
        return {style: t.detach().clone() for style, t in self.logits.items()}

    def load_state_dict(self, state: dict) -> None:
        for style in self.logits:
            if style in state:
                self.logits[style] = state[style].to(torch.float64).clone().requires_grad_(True)

    def describe(self) -> dict:
        return {"function": "closing degrees", "shares": {s: self.shares(s) for s in self.logits}}


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


# ------------------------------------------------------------------ checkpoints
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


def _scored(reward: Callable, pieces: Sequence[Piece]) -> tuple[list[float], dict[str, Any]]:
    """Each piece's reward, and the round's mean of each part of a combined reward ("reward_parts")
    and of each metric of a criteria file ("criteria_metrics"): the log shows which moved, not the
    total alone."""
    values, sums, metrics, counts = [], {}, {}, {}
    for p in pieces:
        values.append(float(reward(p)))
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
    return values, out


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
    Returns a summary (rounds, last reward, KL, NLL, seconds per round, takes per second)."""
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
    out = Path(out_dir)
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
