"""A round of the tuner (`Rollout`): its takes, drawn by `sampling.generate` under every hard
control, and their log-probabilities recomputed in torch under the very masked distribution each
token was drawn from (the automaton replayed over the take), for the policy and the frozen
reference, with the exact KL between them. Split from policy_gradient.py (session 40), which
re-exports it all; the module docstring there says how a round uses it."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from tunesmith.model import GPT
from tunesmith.solvers.tune_config import TuneConfig


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
