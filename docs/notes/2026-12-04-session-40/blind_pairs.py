"""A tuned model's win rate against the base by a simulated rater, over many blind pairs: the
rater runs' 200 pairs give a 95 % interval of +-0.065, about the size of the effects compared.
Rated as `scripts/tuning_experiments.py rater` rates (the rater's scale from the base's pool at
seed 3, the same ceiling), on takes drawn at other seeds. Session 40.
    python docs/notes/2026-12-04-session-40/blind_pairs.py TASTE N DIR [DIR ...]"""

import math
import sys

import numpy as np

sys.path.insert(0, "scripts")
import tuning_experiments as te  # noqa: E402


def main():
    taste, n, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    utility = te.TASTES[taste]
    model, tok, _ = te.load("default")
    pool = [t.piece for t in te.takes_of(model, tok, "folk", 200, 8, 3).takes]
    scale = te._scale_for_ceiling([utility(p) for p in pool], 0.84)
    base = [t.piece for seed in (21, 22, 23) for t in te.takes_of(model, tok, "folk", n // 3, 8, seed).takes]
    for d in dirs:
        tuned_model, tok2, _ = te.load(d)
        tuned = [t.piece for seed in (21, 22, 23) for t in te.takes_of(tuned_model, tok2, "folk", n // 3, 8, seed).takes]
        rng = np.random.default_rng(5)
        wins = [te.rater_prefers(x, y, rng, scale, utility) for x, y in zip(tuned, base)]
        k, m = sum(wins), len(wins)
        half = 1.96 * math.sqrt((k / m) * (1 - k / m) / m)
        # the expected win rate, without the rater's coin: mean sigmoid(scale x taste difference)
        p = np.mean([1 / (1 + math.exp(-scale * (utility(x) - utility(y)))) for x, y in zip(tuned, base)])
        print(f"{d}: wins {k / m:.3f} ({k / m - half:.3f}-{k / m + half:.3f}) of {m} blind pairs; expected {p:.3f};"
              f" taste {np.mean([utility(x) for x in tuned]):.2f} vs base {np.mean([utility(y) for y in base]):.2f}",
              flush=True)


if __name__ == "__main__":
    main()
