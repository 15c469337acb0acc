"""Direct preference optimisation (DPO): the second route from preferences to a tuned model.

Rafailov et al. 2023, "Direct Preference Optimization: your language model is secretly a reward
model". For a pair (chosen y_w, rejected y_l) of the same request, with the frozen reference the
trainer owns (the same one the policy-gradient route uses):

    margin = beta * [(log pi(y_w) - log ref(y_w)) - (log pi(y_l) - log ref(y_l))]
    loss   = -log sigmoid(margin)

log pi(y) sums the log-probabilities of the take's free tokens under the same masked distribution
the take was drawn from (`policy_gradient.token_logprobs`: forced tokens carry no choice). The KL
to the reference is implicit in beta (0.1 as in NotaGen, 2025); the trainer still logs its
sampled-token estimate, as the policy-gradient route does.

Where the pairs come from, two ways:

- Online, inside `policy_gradient.tune` (`TuneConfig.method = "dpo"`): each round samples
  `takes_per_prompt` takes of every request from the current policy, scores them with the reward
  (rules, criteria, a preference model, a discriminator: any reward function), and pairs the best
  take of each request with its worst, as NotaGen pairs the top and bottom of its candidates
  (Guo et al. 2024 call sampling the pairs from the current policy "online DPO"). Takes whose
  scores tie make no pair.
- Offline, from people's judgements: `pairs_from_store` turns the ratings store's pairs (explicit
  or from stars) into (chosen, rejected) token sequences, re-encoded from the stored pieces and
  scored without masks (`sequence_logprobs`; the masks of a take written elsewhere are unknown,
  and in a difference of log-ratios they mostly cancel).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch.nn import functional as F


@dataclass
class DPOStats:
    loss: float
    margin: float  # mean beta-scaled log-ratio margin of the pairs (> 0: chosen favoured)
    accuracy: float  # share of pairs whose margin is positive
    pairs: int


def dpo_loss(
    policy_chosen: torch.Tensor,
    policy_rejected: torch.Tensor,
    ref_chosen: torch.Tensor,
    ref_rejected: torch.Tensor,
    beta: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean loss, margins (P,)) of P pairs from their sequence log-probabilities (module docstring)."""
    margins = beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected))
    return -F.logsigmoid(margins).mean(), margins


def best_and_worst(rewards: Sequence[float], groups: Sequence[int]) -> list[tuple[int, int]]:
    """(chosen, rejected) take indices: per group (request), the highest-rewarded take against the
    lowest; groups whose rewards all tie give no pair."""
    by_group: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        by_group.setdefault(int(g), []).append(i)
    pairs = []
    for idx in by_group.values():
        hi = max(idx, key=lambda i: rewards[i])
        lo = min(idx, key=lambda i: rewards[i])
        if rewards[hi] > rewards[lo]:
            pairs.append((hi, lo))
    return pairs


def dpo_step(policy, reference, opt, rollout, rewards: torch.Tensor, config) -> tuple[DPOStats, float]:
    """One DPO update on the round's best-vs-worst pairs; returns (stats, mean KL of the round's
    takes to the reference: `policy_gradient.exact_kl`). No pair (every request tied): no update."""
    from tunesmith.solvers.policy_gradient import policy_and_reference

    pairs = best_and_worst([float(r) for r in rewards], rollout.groups)
    logp, _, ref_logp, exact = policy_and_reference(policy, reference, rollout, config.temperature)
    kl = float(exact.mean())
    if not pairs:
        return DPOStats(0.0, 0.0, 0.0, 0), kl
    seq, ref_seq = logp.sum(-1), ref_logp.sum(-1)  # (B,)
    w = torch.tensor([p[0] for p in pairs])
    lo = torch.tensor([p[1] for p in pairs])
    loss, margins = dpo_loss(seq[w], seq[lo], ref_seq[w], ref_seq[lo], config.dpo_beta)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    if config.grad_clip:
        torch.nn.utils.clip_grad_norm_(policy.parameters(), config.grad_clip)
    opt.step()
    m = margins.detach()
    return DPOStats(float(loss.detach()), float(m.mean()), float((m > 0).float().mean()), len(pairs)), kl


# ------------------------------------------------------------------ offline pairs (people's judgements)
def sequence_logprobs(model, token_lists: Sequence[Sequence[int]], skip: Sequence[int]) -> torch.Tensor:
    """(B,) sum of log-probabilities of each sequence's tokens after its first `skip[b]` (the
    header the request fixed), unmasked. Gradients flow unless called under no_grad."""
    B = len(token_lists)
    T = max(len(t) for t in token_lists) - 1
    x = torch.zeros((B, T), dtype=torch.long)
    y = torch.full((B, T), -1, dtype=torch.long)
    for b, ids in enumerate(token_lists):
        ids = torch.tensor(list(ids))
        x[b, : len(ids) - 1] = ids[:-1]
        y[b, skip[b] - 1 : len(ids) - 1] = ids[skip[b] :]
    logits, _ = model(x, targets=y)  # (B, T, V)
    logp = F.log_softmax(logits, dim=-1)
    picked = logp.gather(-1, y.clamp_min(0).unsqueeze(-1)).squeeze(-1)
    return torch.where(y >= 0, picked, torch.zeros_like(picked)).sum(-1)


def pairs_from_store(store, tokenizer, block_size: int, rater: str | None = None) -> list[tuple[list[int], list[int], int]]:
    """(chosen ids, rejected ids, header length) per judged pair in the ratings store (explicit
    pairs, and pairs from one rater's stars), each take's stored piece encoded by `tokenizer`;
    takes too long for the model's block are left out."""
    out = []
    cache: dict[str, list[int] | None] = {}

    def ids_of(tid: str) -> list[int] | None:
        if tid not in cache:
            try:
                ids = tokenizer.encode(store.piece(tid))
            except ValueError:
                ids = None
            cache[tid] = ids if ids is not None and len(ids) <= block_size else None
        return cache[tid]

    for _rater, preferred, other in store.pairs(rater):
        a, b = ids_of(preferred), ids_of(other)
        if a is None or b is None:
            continue
        header = next(i for i, t in enumerate(a) if t == tokenizer.bar_id or t == tokenizer.pickup_id)
        out.append((a, b, header))
    return out


def dpo_offline(policy, reference, pairs, *, beta: float = 0.1, lr: float = 2e-5, epochs: int = 3,
                batch: int = 8, seed: int = 0, grad_clip: float = 1.0) -> list[DPOStats]:  # fmt: skip
    """Epochs of DPO over stored pairs (`pairs_from_store`); the reference never changes. Returns
    the stats of every batch."""
    opt = torch.optim.AdamW([p for p in policy.parameters() if p.requires_grad], lr=lr, betas=(0.9, 0.95))
    g = torch.Generator().manual_seed(seed)
    history = []
    policy.eval()  # no dropout: the margins compare like with like
    for _ in range(epochs):
        order = torch.randperm(len(pairs), generator=g).tolist()
        for k in range(0, len(order), batch):
            chunk = [pairs[i] for i in order[k : k + batch]]
            seqs = [c[0] for c in chunk] + [c[1] for c in chunk]
            skip = [c[2] for c in chunk] * 2
            lp = sequence_logprobs(policy, seqs, skip)
            with torch.no_grad():
                ref = sequence_logprobs(reference, seqs, skip)
            n = len(chunk)
            loss, margins = dpo_loss(lp[:n], lp[n:], ref[:n], ref[n:], beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if grad_clip:
                torch.nn.utils.clip_grad_norm_(policy.parameters(), grad_clip)
            opt.step()
            m = margins.detach()
            history.append(DPOStats(float(loss.detach()), float(m.mean()), float((m > 0).float().mean()), n))
    return history


@torch.no_grad()
def dpo_margins(policy, reference, pairs, *, beta: float = 0.1, batch: int = 8) -> DPOStats:
    """The DPO loss, mean margin and share of pairs ranked right by `policy` against `reference`
    over all `pairs`, as they stand now: a batch's own stats are taken before its step, so after one
    epoch of one batch they said margin 0 and accuracy 0 of weights that had moved."""
    policy.eval()
    losses, margins = [], []
    for k in range(0, len(pairs), batch):
        chunk = pairs[k : k + batch]
        seqs = [c[0] for c in chunk] + [c[1] for c in chunk]
        skip = [c[2] for c in chunk] * 2
        lp, ref = sequence_logprobs(policy, seqs, skip), sequence_logprobs(reference, seqs, skip)
        n = len(chunk)
        loss, m = dpo_loss(lp[:n], lp[n:], ref[:n], ref[n:], beta)
        losses.append(float(loss) * n)
        margins.append(m)
    m = torch.cat(margins) if margins else torch.zeros(0)
    return DPOStats(sum(losses) / max(1, len(m)), float(m.mean()) if len(m) else 0.0,
                    float((m > 0).float().mean()) if len(m) else 0.0, len(m))  # fmt: skip


__all__ = ["DPOStats", "best_and_worst", "dpo_loss", "dpo_margins", "dpo_offline", "dpo_step", "pairs_from_store",
           "sequence_logprobs"]
