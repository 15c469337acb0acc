"""How to fine-tune (`TuneConfig`): the tuner's settings, checked at construction, and the compose
request each prompt of a round sends. Split from policy_gradient.py (session 40), which re-exports it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

from tunesmith.config import check_field_types
from tunesmith.sampling.request import MODEL_MODES
from tunesmith.score import STYLES

# the most a tune config may ask (rounds of a run, requests and takes a round, examples a batch,
# held-out examples)
TUNE_MAXIMA = {"rounds": 100_000, "prompts_per_round": 1_024, "takes_per_prompt": 64, "ml_batch": 4_096,
               "eval_examples": 100_000}


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
        # bounded before any work: `tune(..., {"rounds": 10**12})` from the API had run until killed
        for name, most in TUNE_MAXIMA.items():
            need(getattr(self, name) <= most, name, f"must be at most {most:,}")
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
        from tunesmith.config import known_fields

        return cls(**known_fields(cls, d, "tune config"))
