"""Benchmarks: tunesmith against the GPT-2 + REMI baseline of the same parameter count, in ONE run.

    from tunesmith.evaluation.bench import run_bench, format_bench
    print(format_bench(run_bench()))

What is measured (wall clock, this process, CPU unless torch says otherwise):

- compose latency: one 32-bar lead sheet (pop, 4/4, C major, melody + chord symbols the model
  writes itself) at batch 1; `runs` runs after `warmup` runs, each with its own seed; median
  and the other quantiles. tunesmith: `sampling.generate` (numpy KV-cache decoder, grammar
  masking). Baseline: `baselines.gpt2_remi.generate_baseline` (Hugging Face `generate`, KV
  cache, nucleus sampling) until 32 bars.
- batched throughput: pieces per second composing `batch` 32-bar lead sheets at once (8, 16),
  one measured batch after a warm-up batch.
- training throughput: tokens per second of forward + backward + AdamW steps on (batch, seq)
  windows of token ids (the values do not change the cost), after one warm-up step. Both
  models train with dropout 0.1 (tunesmith's training configs; GPT-2's defaults), whatever
  the dropout of the loaded model (inference models carry 0).
- training in processes (`ddp_world` >= 2): tokens/s of `ddp_world` processes under torchrun
  (DistributedDataParallel, gloo) against one process, the same global batch, one thread per
  process (`evaluation.ddp_bench`).

Model: the shipped default model when present, else a random-init model of the shipped size
(`systems.default_model_config`: configs/default.toml's [model], 4 x 192, 4 heads, block 1024);
the output says which. Baseline: a GPT-2 built to the same
parameter count (`make_gpt2_for`, within 10%) with random weights, unless a trained baseline
folder is given. An UNTRAINED baseline would rarely emit `Bar` tokens and run to its context
limit, so with random weights each baseline run is asked for exactly as many tokens as the REMI
encoding of the tunesmith take of the same run (the same music in the baseline's tokens):
equal work, not the untrained model's runaway length. A trained baseline stops at 32 bars.
Ratios > 1 mean tunesmith is faster.
"""

from __future__ import annotations

import copy
import dataclasses
import platform
import statistics
import time
from typing import Any

import numpy as np

from tunesmith.paths import shown_path

LEAD_SHEET = {"style": "pop", "key": "C", "mode": "major", "meter": "4/4", "bars": 32, "tempo": 100.0}


def _quantiles(xs: list[float]) -> dict[str, float]:
    a = np.asarray(xs, dtype=float)
    return {
        "median": float(np.median(a)),
        "p10": float(np.percentile(a, 10)),
        "p90": float(np.percentile(a, 90)),
        "min": float(a.min()),
        "max": float(a.max()),
        "runs": len(xs),
    }


def _tunesmith(spec: str | None, config: Any | None) -> tuple[Any, str]:
    from tunesmith.evaluation.systems import default_model_available, load_system, random_tunesmith

    if config is not None:
        return random_tunesmith(config), "random-init model of the given config"
    if spec and spec != "default":
        return load_system(spec), f"model at {spec}"
    if default_model_available():
        return load_system("default"), "the shipped default model (src/tunesmith/models/default)"
    return random_tunesmith(), "random-init model of configs/default.toml's size (no shipped default model yet)"


def _baseline(target_params: int, baseline_dir: str | None, n_positions: int) -> tuple[Any, Any, str, bool]:
    from tunesmith.baselines.gpt2_remi import build_remi_tokenizer, load_baseline, make_gpt2_for

    if baseline_dir:
        model, tok = load_baseline(baseline_dir, device="cpu")
        return model, tok, f"trained GPT-2 baseline at {baseline_dir}", True
    tok = build_remi_tokenizer()
    model = make_gpt2_for(tok, target_params, n_positions).eval()
    return model, tok, "random-init GPT-2 + REMI of the same parameter count", False


def _train_tokens_per_second(step, batch: int, seq: int, steps: int) -> dict[str, float]:
    step()  # warm-up (allocations, first-call dispatch)
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    dt = time.perf_counter() - t0
    return {"tokens_per_second": batch * seq * steps / dt, "seconds_per_step": dt / steps, "batch": batch, "seq": seq}


def run_bench(
    *,
    model: str | None = "default",
    model_config: Any | None = None,
    baseline_dir: str | None = None,
    runs: int = 10,
    warmup: int = 1,
    batches: tuple[int, ...] = (8, 16),
    throughput_runs: int = 1,
    bars: int = 32,
    train_batch: int = 8,
    train_seq: int = 1024,
    train_steps: int = 3,
    baseline_positions: int = 2048,
    seed: int = 0,
    decode_threads: int = 1,
    train_dropout: float = 0.1,
    ddp_world: int = 0,
    ddp_threads: int = 1,
    progress: bool = True,
) -> dict[str, Any]:
    """Measure both systems in this process; returns a JSON-ready dict with the ratios."""
    import torch

    from tunesmith.baselines.gpt2_remi import count_params, encode_piece, generate_baseline
    from tunesmith.evaluation.systems import torch_threads
    from tunesmith.sampling import ComposeRequest, generate

    def say(msg: str) -> None:
        if progress:
            import sys

            print(msg, file=sys.stderr, flush=True)

    ts, ts_note = _tunesmith(model, model_config)
    n_params = ts.n_params
    gpt, remi, gpt_note, trained_baseline = _baseline(n_params, baseline_dir, baseline_positions)
    gpt_params = count_params(gpt)
    request = ComposeRequest(**{**LEAD_SHEET, "bars": bars})
    max_positions = int(gpt.config.n_positions)

    # ---- latency, batch 1 (decoding on `decode_threads` torch threads; tunesmith's numpy decoder uses one)
    with torch_threads(decode_threads):
        say(f"compose latency: {warmup} warm-up + {runs} runs each")
        ts_times, ts_tokens, remi_lengths, gpt_times, gpt_tokens, gpt_bars = [], [], [], [], [], []
        for i in range(warmup + runs):
            t0 = time.perf_counter()
            take = generate(ts.model, ts.tokenizer, request, n=1, seed=seed + i)[0]
            dt = time.perf_counter() - t0
            try:
                remi_len = len(encode_piece(remi, take.piece))
            except Exception:
                remi_len = max_positions - 1
            length = None if trained_baseline else min(max_positions, remi_len + 1)
            t1 = time.perf_counter()
            sample = generate_baseline(gpt, remi, n_bars=bars, batch_size=1, seed=seed + i, max_length=length)
            dt_gpt = time.perf_counter() - t1
            if i >= warmup:
                ts_times.append(dt)
                ts_tokens.append(len(take.tokens))
                remi_lengths.append(remi_len)
                gpt_times.append(dt_gpt)
                gpt_tokens.append(sample.n_new_tokens)
                gpt_bars.append(sample.n_bars[0])
        latency = {
            "tunesmith": {**_quantiles(ts_times), "tokens_median": float(np.median(ts_tokens))},
            "baseline": {
                **_quantiles(gpt_times),
                "tokens_median": float(np.median(gpt_tokens)),
                "bars_median": float(np.median(gpt_bars)),
                "remi_tokens_of_tunesmith_takes_median": float(np.median(remi_lengths)),
            },
        }
        latency["tunesmith"]["seconds_per_token"] = latency["tunesmith"]["median"] / max(
            1.0, latency["tunesmith"]["tokens_median"]
        )
        latency["baseline"]["seconds_per_token"] = latency["baseline"]["median"] / max(
            1.0, latency["baseline"]["tokens_median"]
        )

        # ---- batched throughput
        throughput: dict[str, Any] = {}
        fixed_len = None if trained_baseline else min(max_positions, int(np.median(remi_lengths)) + 1)
        for b in batches:
            say(f"batched throughput: batch {b}")
            generate(ts.model, ts.tokenizer, ComposeRequest(**{**LEAD_SHEET, "bars": 2}), n=b, seed=seed, batch_size=b)
            generate_baseline(gpt, remi, n_bars=1, batch_size=b, seed=seed, max_length=16)  # warm-up at this batch
            ts_rates, gpt_rates = [], []
            for r in range(throughput_runs):
                t0 = time.perf_counter()
                generate(ts.model, ts.tokenizer, request, n=b, seed=seed + 1000 + r, batch_size=b)
                ts_rates.append(b / (time.perf_counter() - t0))
                t0 = time.perf_counter()
                generate_baseline(gpt, remi, n_bars=bars, batch_size=b, seed=seed + 1000 + r, max_length=fixed_len)
                gpt_rates.append(b / (time.perf_counter() - t0))
            throughput[str(b)] = {
                "tunesmith_pieces_per_second": statistics.median(ts_rates),
                "baseline_pieces_per_second": statistics.median(gpt_rates),
                "ratio": statistics.median(ts_rates) / statistics.median(gpt_rates),
                "runs": throughput_runs,
            }

    # ---- training tokens/s (torch's default threads for both)
    say("training throughput")
    seq_ts = min(train_seq, int(ts.model.config.block_size))
    seq_gpt = min(train_seq, max_positions)
    seq = min(seq_ts, seq_gpt)
    g = torch.Generator().manual_seed(seed)
    from tunesmith.model import GPT

    train_config = dataclasses.replace(ts.model.config, dropout=train_dropout)
    ts_train = GPT(train_config).train()
    ts_train.load_state_dict(ts.model.state_dict())
    opt_ts = ts_train.configure_optimizer(1e-4, 0.1)
    x_ts = torch.randint(0, ts.tokenizer.vocab_size, (train_batch, seq + 1), generator=g)

    def step_ts() -> None:
        _, loss = ts_train(x_ts[:, :-1], targets=x_ts[:, 1:])
        opt_ts.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(ts_train.parameters(), 1.0)
        opt_ts.step()

    gpt_train = copy.deepcopy(gpt).train()
    decay = [p for p in gpt_train.parameters() if p.dim() >= 2]
    no_decay = [p for p in gpt_train.parameters() if p.dim() < 2]
    opt_gpt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-4, betas=(0.9, 0.95)
    )
    x_gpt = torch.randint(0, len(remi), (train_batch, seq), generator=g)

    def step_gpt() -> None:
        loss = gpt_train(input_ids=x_gpt, labels=x_gpt).loss
        opt_gpt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(gpt_train.parameters(), 1.0)
        opt_gpt.step()

    training = {
        "tunesmith": _train_tokens_per_second(step_ts, train_batch, seq, train_steps),
        "baseline": _train_tokens_per_second(step_gpt, train_batch, seq, train_steps),
    }
    training["ratio"] = training["tunesmith"]["tokens_per_second"] / training["baseline"]["tokens_per_second"]
    training["dropout"] = {"tunesmith": train_dropout, "baseline": float(getattr(gpt.config, "attn_pdrop", 0.1))}
    if ddp_world >= 2:
        from tunesmith.evaluation.ddp_bench import measure_ddp_scaling

        say(f"training throughput: {ddp_world} processes under torchrun vs one process")
        training["ddp"] = measure_ddp_scaling(
            train_config, batch=train_batch, seq=seq, steps=train_steps, world=ddp_world, threads=ddp_threads, seed=seed
        )

    if model_config is None and model:
        say(f"copy guard: {runs} takes with it and without, after {warmup} warm-up")
        guard = measure_guard_cost(model, runs=runs, warmup=warmup, bars=bars, seed=seed)
    else:
        guard = {"skipped": "a random-init model has no similarity index"}

    return {
        "format": "tunesmith-bench",
        "version": 1,
        "tunesmith": {
            "what": ts_note,
            "n_params": n_params,
            "path": shown_path(ts.path),
            "sha256": ts.sha256,
            "config": ts.model.config.to_dict(),
        },
        "baseline": {
            "what": gpt_note,
            "n_params": gpt_params,
            "shape": f"{gpt.config.n_layer} x {gpt.config.n_embd} ({gpt.config.n_head} heads)",
            "n_positions": max_positions,
            "vocab_size": len(remi),
            "params_ratio": gpt_params / n_params,
        },
        "task": {**LEAD_SHEET, "bars": bars, "runs": runs, "warmup": warmup},
        "latency_batch1_seconds": latency,
        "latency_ratio": latency["baseline"]["median"] / latency["tunesmith"]["median"],
        # the same music did not fit the baseline's context: it generated fewer tokens than equal
        # work needs, so the latency and throughput ratios are lower bounds
        "baseline_capped_at_context": (not trained_baseline)
        and latency["baseline"]["remi_tokens_of_tunesmith_takes_median"] + 1 > max_positions,
        "throughput": throughput,
        "training": training,
        "copy_guard": guard,
        "host": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "torch": torch.__version__,
            "torch_threads_training": torch.get_num_threads(),
            "torch_threads_decoding": decode_threads,
            "device": "cpu",
        },
    }


def measure_guard_cost(model: str | None = "default", *, runs: int = 10, warmup: int = 1, bars: int = 32,
                       seed: int = 0) -> dict[str, Any]:  # fmt: skip
    """What the copy guard adds to a composed take (issue: at most 10 %): `tunesmith.compose` of
    the bench's lead sheet with the guard (check=True: the take checked against the model's
    similarity index, resampled if it copies) and without, the same seeds in turn (each first
    every other run) so that a loaded machine slows both alike; medians after `warmup`.

    `added_share`: the median of the runs' differences (with less without, the same seed, composed
    one after the other) over the median without. Why not the ratio of the two medians (still
    given, `added_share_of_medians`): on a shared two-core machine a take's time wanders by 20-30 %
    between runs, so two medians of 10 differ by that much whatever the guard costs (session 60,
    three runs of the same code: -8.9 %, -7.4 % and +21 %); a run's two takes share its load
    (the same three: -0.2 %, -4.3 %, +8.7 %). `check_share`: the guard's own time as the take
    records it (`provenance["timings"]["check"]`, resamples included) over the median take
    without it (the same three: 2.4-4.4 %), the steadiest of the three: with the guard a take does
    nothing else (the index is loaded once per model).
    {"skipped": why} when the model has no similarity index."""
    from tunesmith import api

    request = {**LEAD_SHEET, "bars": bars}
    spec = model or "default"
    try:
        api.compose(**request, seed=seed, model=spec, check=True)
    except (FileNotFoundError, ValueError) as exc:
        return {"skipped": str(exc)}
    with_guard, without, checks = [], [], []
    for i in range(warmup + runs):
        times = {}
        for check in ((False, True) if i % 2 else (True, False)):  # each goes first every other run
            t0 = time.perf_counter()
            take = api.compose(**request, seed=seed + i, model=spec, check=check)
            times[check] = time.perf_counter() - t0
            if check:
                checked = float(take.provenance.get("timings", {}).get("check", 0.0))
        if i >= warmup:
            without.append(times[False])
            with_guard.append(times[True])
            checks.append(checked)
    out = {"without_guard": _quantiles(without), "with_guard": _quantiles(with_guard), "runs": runs,
           "check_seconds": _quantiles(checks)}  # fmt: skip
    base = out["without_guard"]["median"]
    out["added_share"] = float(np.median(np.subtract(with_guard, without))) / base
    out["added_share_of_medians"] = out["with_guard"]["median"] / base - 1.0
    out["check_share"] = out["check_seconds"]["median"] / base
    return out


def format_bench(r: dict[str, Any]) -> str:
    """Human-readable report with the ratios (> 1: tunesmith faster)."""
    lat = r["latency_batch1_seconds"]
    lines = [
        f"tunesmith: {r['tunesmith']['what']} ({r['tunesmith']['n_params']:,} parameters)",
        f"baseline:  {r['baseline']['what']} ({r['baseline']['n_params']:,} parameters, "
        f"{r['baseline']['shape']}, ratio {r['baseline']['params_ratio']:.2f})",
        f"task: one {r['task']['bars']}-bar {r['task']['style']} lead sheet; {r['task']['runs']} runs after "
        f"{r['task']['warmup']} warm-up; torch threads: decoding {r['host']['torch_threads_decoding']}, "
        f"training {r['host']['torch_threads_training']}",
        "",
        f"{'measure':<34}{'tunesmith':>14}{'baseline':>14}{'ratio':>9}",
        f"{'compose latency, batch 1 (median s)':<34}{lat['tunesmith']['median']:>14.3f}"
        f"{lat['baseline']['median']:>14.3f}{r['latency_ratio']:>8.2f}x",
        f"{'  tokens per piece (median)':<34}{lat['tunesmith']['tokens_median']:>14.0f}{lat['baseline']['tokens_median']:>14.0f}",
        f"{'  ms per token':<34}{1000 * lat['tunesmith']['seconds_per_token']:>14.2f}"
        f"{1000 * lat['baseline']['seconds_per_token']:>14.2f}",
    ]
    for b, t in r["throughput"].items():
        lines.append(
            f"{f'throughput, batch {b} (pieces/s)':<34}{t['tunesmith_pieces_per_second']:>14.3f}"
            f"{t['baseline_pieces_per_second']:>14.3f}{t['ratio']:>8.2f}x"
        )
    tr = r["training"]
    label = f"training (tokens/s, {tr['tunesmith']['batch']}x{tr['tunesmith']['seq']})"
    lines.append(
        f"{label:<34}"
        f"{tr['tunesmith']['tokens_per_second']:>14.0f}{tr['baseline']['tokens_per_second']:>14.0f}{tr['ratio']:>8.2f}x"
    )
    if "ddp" in tr:
        d = tr["ddp"]
        label = f"training, {d['world']} processes vs 1"
        lines.append(
            f"{label:<34}{d['processes']['tokens_per_second']:>14.0f}{d['one_process']['tokens_per_second']:>14.0f}"
            f"{d['ratio']:>8.2f}x  (torchrun, {d['processes']['threads_per_process']} thread per process)"
        )
    guard = r.get("copy_guard")
    if guard and "skipped" in guard:
        lines.append(f"copy guard: not measured ({guard['skipped']})")
    elif guard:
        lines.append(f"{'compose take, with / without guard':<34}{guard['with_guard']['median']:>14.3f}"
                     f"{guard['without_guard']['median']:>14.3f}{1 + guard['added_share']:>8.2f}x"
                     f"  (the guard's check: {100 * guard['check_share']:.1f} % of a take; with less without, "
                     f"the median of the runs' differences: {100 * guard['added_share']:.1f} %; target <= 10 %)")  # fmt: skip
    if r.get("baseline_capped_at_context"):
        lines.append(
            f"note: the REMI form of the same music needs {lat['baseline']['remi_tokens_of_tunesmith_takes_median']:.0f} "
            f"tokens, over the baseline's {r['baseline']['n_positions']}-token context: it stopped at the context, so "
            "the compose ratios are lower bounds"
        )
    lines.append("ratios > 1: tunesmith faster")
    return "\n".join(lines)
