"""Training throughput in N processes (torchrun, DistributedDataParallel) against one process.

    from tunesmith.evaluation.ddp_bench import measure_ddp_scaling
    measure_ddp_scaling(model_config, batch=8, seq=1024, steps=3, world=2)

Both sides run the training step of `tunesmith train` (`solvers.train._step`: forward with the
metrical features computed from the tokens, the whole batch's loss, backward, gradient clipping,
AdamW) on the same global batch of random token windows: one process takes all `batch`
windows; under `torchrun --nproc-per-node N` each rank takes its share and DDP all-reduces the
gradients. Each process uses `threads` torch threads. tokens/s = batch x seq x steps / wall
time of the steps (after one warm-up step; ranks synchronised before and after).

Run as a module it is one such measurement (what torchrun starts); it prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any


def _measure(spec: dict[str, Any]) -> dict[str, Any] | None:
    import torch

    from tunesmith.model import GPT, ModelConfig
    from tunesmith.solvers.train import _init_distributed, _step

    torch.set_num_threads(int(spec["threads"]))
    dist = _init_distributed()
    try:
        config = ModelConfig.from_dict(spec["model_config"])
        batch, seq, steps = int(spec["batch"]), int(spec["seq"]), int(spec["steps"])
        torch.manual_seed(int(spec.get("seed", 0)))
        model = GPT(config).train()
        opt = model.configure_optimizer(1e-4, 0.1)
        g = torch.Generator().manual_seed(int(spec.get("seed", 0)))
        windows = torch.randint(0, config.vocab_size, (batch, seq + 1), generator=g)[dist.rank :: dist.world]
        net: torch.nn.Module = model
        if dist.active:
            from torch.nn.parallel import DistributedDataParallel

            net = DistributedDataParallel(model)

        def step() -> None:
            x, y = windows[:, :-1], windows[:, 1:]
            metric = model.metric_features(x) if config.metric else None
            _step(net, model, opt, x, y, metric, dist, 1.0)

        def barrier() -> None:
            if dist.active:
                import torch.distributed as tdist

                tdist.barrier()

        step()  # warm-up
        barrier()
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        barrier()
        dt = time.perf_counter() - t0
        if not dist.main:
            return None
        return {
            "processes": dist.world,
            "threads_per_process": torch.get_num_threads(),
            "tokens_per_second": batch * seq * steps / dt,
            "seconds_per_step": dt / steps,
            "batch": batch,
            "seq": seq,
            "steps": steps,
        }
    finally:
        if dist.owns_group:
            import torch.distributed as tdist

            tdist.destroy_process_group()


def _run(spec: dict[str, Any], world: int, timeout: float) -> dict[str, Any]:
    payload = json.dumps(spec)
    module = [sys.executable, "-m", "tunesmith.evaluation.ddp_bench", payload]
    if world > 1:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc-per-node={world}",
               "-m", "tunesmith.evaluation.ddp_bench", payload]  # fmt: skip
    else:
        cmd = module
    env = {**os.environ, "OMP_NUM_THREADS": str(spec["threads"])}
    for name in ("WORLD_SIZE", "RANK", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(name, None)  # a fresh measurement, not a rank of the caller's group
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        raise RuntimeError(f"{' '.join(cmd[:6])}...: exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    return json.loads(lines[-1])


def measure_ddp_scaling(
    model_config: Any,
    *,
    batch: int = 8,
    seq: int = 1024,
    steps: int = 3,
    world: int = 2,
    threads: int = 1,
    seed: int = 0,
    timeout: float = 1800.0,
) -> dict[str, Any]:
    """tokens/s of one process and of `world` processes under torchrun on the same global
    batch, measured one after the other in this run; `ratio` > 1: the processes are faster."""
    if world < 2:
        raise ValueError("world must be at least 2 processes")
    if batch < world:
        raise ValueError(f"batch {batch} is smaller than {world} processes")
    cfg = model_config.to_dict() if hasattr(model_config, "to_dict") else dict(model_config)
    spec = {"model_config": cfg, "batch": batch, "seq": seq, "steps": steps, "threads": threads, "seed": seed}
    one = _run(spec, 1, timeout)
    many = _run(spec, world, timeout)
    return {
        "one_process": one,
        "processes": many,
        "world": world,
        "ratio": many["tokens_per_second"] / one["tokens_per_second"],
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tunesmith.evaluation.ddp_bench", description=__doc__)
    parser.add_argument("spec", help="JSON: model_config, batch, seq, steps, threads, seed")
    args = parser.parse_args(argv)
    result = _measure(json.loads(args.spec))
    if result is not None:
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
