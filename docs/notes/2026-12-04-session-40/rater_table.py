"""The simulated raters' table from `scripts/tuning_experiments.py rater --json` files. Session 40.
    python docs/notes/2026-12-04-session-40/rater_table.py runs/s40/rater_*.json"""

import json
import sys

print("| run | pairs (stages) | reward model, held-out | tuned wins (95 % CI) | hidden taste base -> tuned |"
      " held-out NLL base -> tuned | self-similarity base -> tuned | minutes |")
print("|---|---|---|---|---|---|---|---|")
for path in sys.argv[1:]:
    with open(path) as f:
        d = json.load(f)
    rm = d["reward_model"]
    stages = "+".join(str(s["pairs"]) for s in d.get("rating_stages", [])) or str(d["pairs"])
    if d.get("rating_stages"):
        stages += f"+{d['pairs'] - sum(s['pairs'] for s in d['rating_stages'])}"
    lo, hi = d["tuned_win_rate_ci95"]
    t, nll, ss = d["hidden_taste_mean"], d["heldout_nll"], d["self_similarity"]
    print(f"| {d['taste']} s{d['scale']['tune_seed']} r{d['scale'].get('rating_rounds', 1)} | {stages} |"
          f" {rm['heldout_accuracy']:.3f} / {rm.get('heldout_accuracy_ensemble', float('nan')):.3f} |"
          f" **{d['tuned_win_rate']:.3f}** ({lo:.2f}-{hi:.2f}) | {t['base']:.2f} -> {t['tuned']:.2f} |"
          f" {nll['base']:.3f} -> {nll['tuned']:.3f} ({100 * (nll['tuned'] / nll['base'] - 1):+.1f} %) |"
          f" {ss['base']:.3f} -> {ss['tuned']:.3f} | {d['minutes']} |")
