"""The quality-diversity curve: maximum likelihood with a swept temperature against any other
system (an adversarially or reward-tuned model), on held-out real music (Caccia et al., "Language
GANs falling short", ICLR 2020: a tuned system is only better if it lies above this curve).

    python scripts/quality_diversity.py --model ml=runs/default3 --model adv=runs/adv \
        --style folk --temperatures 0.6,0.7,0.8,0.9,1.0,1.1,1.2,1.4 --seeds 0,1,2 \
        --json runs/qd.json --plot runs/qd.png

For every model, temperature and seed: one take per held-out real piece (test split, the same
pieces for every system) under that piece's header (`evaluation.musicality.compose_like`: key,
meter, bars, tempo; form and cadence as compose's defaults), at the given top-p and a rhythm
temperature equal to the temperature (one knob swept). Quality: a fresh classifier's two-sample
accuracy against the real pieces (`metrics.c2st`, 5-fold, lower is better, 0.5 = cannot tell),
with the realism measures of `metrics.musicality`. Diversity: 1 - the mean share of a take's
melodic interval 4-grams found in another take of the same run (`tune_decoding.self_similarity`;
a collapsed model scores near 0). Coverage: held-out NLL per note of the same real pieces
(`evaluation.likelihood`, temperature 1). Each point's confidence interval is the spread over
seeds (mean +/- 1.96 standard errors); the table says, at every temperature, which system is
better on both axes and whether the intervals separate.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from tune_decoding import self_similarity  # noqa: E402

from tunesmith.evaluation.musicality import (  # noqa: E402
    MusicalityConfig,
    c2st_accuracy,
    compose_like,
    measure,
    real_pieces,
)
from tunesmith.paths import atomic_write_text  # noqa: E402


def _ci(values: list[float]) -> tuple[float, float]:
    """(mean, half-width of a 95 % interval over seeds)."""
    a = np.asarray(values, float)
    if len(a) < 2:
        return float(a.mean()), math.nan
    return float(a.mean()), float(1.96 * a.std(ddof=1) / math.sqrt(len(a)))


def controls_and_copying(takes, requests) -> dict:
    """Share of takes whose every requested control holds (`metrics.constraints.check_all`), and
    the copy guard's view against the shipped model's training set (`rights`): share flagged
    close or copy, median similarity score."""
    from tunesmith.metrics.constraints import check_all
    from tunesmith.rights.check import check_piece, default_index_path
    from tunesmith.rights.index import load_index

    index = load_index(default_index_path("model"))
    results = [check_piece(t, index, top=1) for t in takes]
    return {
        "controls_hold": float(np.mean([not check_all(t, r) for t, r in zip(takes, requests)])),
        "copy_guard_flagged": float(np.mean([r.verdict != "clear" for r in results])),
        "copy_guard_median_score": float(np.median([r.score for r in results])),
    }


def sweep(model, tok, reals, style: str, temps: list[float], seeds: list[int], top_p: float, progress=True) -> list[dict]:
    rows = []
    for t in temps:
        per_seed = []
        for s in seeds:
            cfg = MusicalityConfig(per_style=len(reals), seed=s, temperature=t, top_p=top_p)
            t0 = time.perf_counter()
            requests: list = []
            takes = compose_like(model, tok, reals, style, cfg, requests)
            seconds = round(time.perf_counter() - t0, 1)
            per_seed.append(
                {
                    "seed": s,
                    "c2st": c2st_accuracy(reals, takes, 5, s),
                    "diversity": 1.0 - self_similarity(takes),
                    **measure(takes),
                    **controls_and_copying(takes, requests),
                    "seconds": seconds,
                }
            )
            if progress:
                r = per_seed[-1]
                print(f"  T={t} seed {s}: c2st {r['c2st']:.3f} diversity {r['diversity']:.3f}", flush=True)
        c, c_ci = _ci([r["c2st"] for r in per_seed])
        d, d_ci = _ci([r["diversity"] for r in per_seed])
        rows.append({"temperature": t, "top_p": top_p, "c2st": c, "c2st_ci": c_ci, "diversity": d, "diversity_ci": d_ci,
                     "controls_hold": float(np.mean([r["controls_hold"] for r in per_seed])),
                     "copy_guard_flagged": float(np.mean([r["copy_guard_flagged"] for r in per_seed])),
                     "seeds": per_seed})  # fmt: skip
    return rows


def compare(curves: dict[str, list[dict]], reference: str) -> list[dict]:
    """Per other system and temperature: is it above the reference's curve? A point dominates when
    its classifier accuracy is lower at a diversity at least as high as the reference's at the
    temperature whose diversity is nearest (interpolated along the reference curve)."""
    ref = sorted(curves[reference], key=lambda r: r["diversity"])
    xs = np.array([r["diversity"] for r in ref])
    ys = np.array([r["c2st"] for r in ref])
    cis = np.array([r["c2st_ci"] for r in ref])
    out = []
    for name, rows in curves.items():
        if name == reference:
            continue
        for r in rows:
            if r["diversity"] < xs.min() or r["diversity"] > xs.max():
                ref_c, ref_ci = math.nan, math.nan  # outside the reference's range: no comparison
            else:
                ref_c, ref_ci = float(np.interp(r["diversity"], xs, ys)), float(np.interp(r["diversity"], xs, cis))
            gap = ref_c - r["c2st"] if math.isfinite(ref_c) else math.nan
            out.append({"system": name, "temperature": r["temperature"], "diversity": r["diversity"], "c2st": r["c2st"],
                        "reference_c2st_at_same_diversity": ref_c, "improvement": gap,
                        "separated": bool(math.isfinite(gap) and gap > (r["c2st_ci"] + ref_ci))})  # fmt: skip
    return out


def plot(curves: dict[str, list[dict]], real_diversity: float, real_vs_real: float, path: str, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    for name, rows in curves.items():
        x = [r["diversity"] for r in rows]
        y = [r["c2st"] for r in rows]
        ax.errorbar(x, y, xerr=[r["diversity_ci"] for r in rows], yerr=[r["c2st_ci"] for r in rows], marker="o",
                    capsize=2, label=name)  # fmt: skip
        for r in rows:
            ax.annotate(f"{r['temperature']:g}", (r["diversity"], r["c2st"]), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")  # fmt: skip
    ax.axvline(real_diversity, color="grey", ls=":", label="real music's diversity")
    ax.axhline(real_vs_real, color="grey", ls="--", label="real vs real")
    ax.set_xlabel("diversity (1 - interval 4-gram self-similarity)")
    ax.set_ylabel("classifier two-sample accuracy (lower = more real)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    tmp = Path(path).with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=120)
    tmp.replace(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", action="append", required=True, help="NAME=PATH; the first is the reference (maximum likelihood)")
    ap.add_argument("--style", default="folk")
    ap.add_argument("--split", default="test", choices=("test", "valid"))
    ap.add_argument("--per-style", type=int, default=120)
    ap.add_argument("--temperatures", default="0.6,0.7,0.8,0.9,1.0,1.1,1.2,1.4")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--top-p", type=float, default=0.95)
    ap.add_argument("--nll", type=int, default=120, help="held-out pieces for the NLL (0: skip)")
    ap.add_argument("--json", default=None)
    ap.add_argument("--plot", default=None)
    args = ap.parse_args(argv)

    from tunesmith.corpus import load_corpus
    from tunesmith.evaluation.likelihood import canonical_view, tunesmith_nll
    from tunesmith.inference import load_numpy_model
    from tunesmith.model import load_model
    from tunesmith.pretrained import DEFAULT_MODEL_DIR

    corpus = load_corpus(None)
    held = {args.style: list(corpus.filter(split=args.split, style=args.style))}
    reals = real_pieces(held, args.style, args.per_style, 0)
    a, b = reals[::2], reals[1::2]
    temps = [float(x) for x in args.temperatures.split(",")]
    seeds = [int(x) for x in args.seeds.split(",")]
    out: dict = {
        "style": args.style,
        "split": args.split,
        "n_real": len(reals),
        "real": measure(reals),
        "real_diversity": 1.0 - self_similarity(reals),
        "real_vs_real_c2st": c2st_accuracy(a, b, 5, 0),
        "models": {},
        "curves": {},
        "nll_per_note": {},
    }
    for spec in args.model:
        name, _, path = spec.partition("=")
        folder = DEFAULT_MODEL_DIR if path == "default" else path
        out["models"][name] = str(path)
        print(f"[{name}] {path}", flush=True)
        model, tok, _ = load_numpy_model(folder)
        out["curves"][name] = sweep(model, tok, reals, args.style, temps, seeds, args.top_p)
        if args.nll:
            tmodel, ttok = load_model(folder)[:2]
            views = []
            for p in reals[: args.nll]:
                try:
                    views.append(canonical_view(p, ttok))
                except ValueError:
                    continue
            out["nll_per_note"][name] = tunesmith_nll(tmodel, ttok, views)["per_note_joint"]
            print(f"  NLL/note {out['nll_per_note'][name]:.3f}", flush=True)
    reference = args.model[0].partition("=")[0]
    out["comparison"] = compare(out["curves"], reference) if len(out["curves"]) > 1 else []
    lines = [f"{'system':8s} {'T':>4s} {'c2st':>13s} {'diversity':>13s} controls copy-flagged"]
    for name, rows in out["curves"].items():
        for r in rows:
            lines.append(f"{name:8s} {r['temperature']:4g} {r['c2st']:.3f}±{r['c2st_ci']:.3f} {r['diversity']:.3f}±{r['diversity_ci']:.3f} "
                         f"{r['controls_hold']:.3f} {r['copy_guard_flagged']:.3f}")  # fmt: skip
    lines.append(f"real: diversity {out['real_diversity']:.3f}, real-vs-real c2st {out['real_vs_real_c2st']:.3f}")
    for c in out["comparison"]:
        lines.append(f"{c['system']} T={c['temperature']:g}: c2st {c['c2st']:.3f} vs reference {c['reference_c2st_at_same_diversity']:.3f} "
                     f"at the same diversity; {'above the curve, intervals separate' if c['separated'] else 'not separated'}")  # fmt: skip
    print("\n".join(lines))
    if args.json:
        atomic_write_text(args.json, json.dumps(out, indent=1) + "\n")
    if args.plot:
        plot(out["curves"], out["real_diversity"], out["real_vs_real_c2st"], args.plot,
             f"{args.style}, {args.split} split, {len(reals)} real pieces, top-p {args.top_p}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
