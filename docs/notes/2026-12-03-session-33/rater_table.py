"""The simulated raters' runs of session 33 (runs/s33/rater_*.json) as one table. Session 33.
    python docs/notes/2026-12-03-session-33/rater_table.py"""
import glob
import json

print("| taste | reward model, held-out pairs | figures | tuned wins (200 blind pairs) | held-out NLL | self-similarity | hidden taste | minutes |")
print("|---|---|---|---|---|---|---|---|")
for f in sorted(glob.glob("runs/s33/rater_*.json")):
    d = json.load(open(f))
    rm = d.get("reward_model") or d.get("fit") or {}
    if "heldout_accuracy" not in rm:
        rm = next((v for v in d.values() if isinstance(v, dict) and "heldout_accuracy" in v), {})
    nll = d["heldout_nll"]
    lo, hi = d["tuned_win_rate_ci95"]
    print(f"| {d['taste']} | {rm.get('heldout_accuracy')} | {rm.get('figures')} | {d['tuned_win_rate']} ({lo:.2f}-{hi:.2f}) | "
          f"{100 * (nll['tuned'] / nll['base'] - 1):+.1f} % | {d['self_similarity']['base']:.3f} -> {d['self_similarity']['tuned']:.3f} | "
          f"{d['hidden_taste_mean']['base']:.2f} -> {d['hidden_taste_mean']['tuned']:.2f} | {d['minutes']} |")
