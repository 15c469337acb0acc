"""The closing degree a take draws under a tonic cadence, as a choice of the policy too
(`EndingPolicy`: per style, logits over the degrees, learning from the same advantages under the
same KL leash). Split from policy_gradient.py (session 40), which re-exports it."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from tunesmith.solvers.rollout import Rollout


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
