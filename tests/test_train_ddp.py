"""Training in several processes (DistributedDataParallel, gloo on the CPU), as under `torchrun`.

Two ranks train the tiny synthetic config: one step of two ranks equals the one-process
full-batch step, eight steps equal eight one-process steps (float tolerance: the ranks' sums
are added in another order), a two-rank run killed after step 6 and resumed from its step-4
checkpoint ends bit for bit where the uninterrupted two-rank run ends, and a one-process
checkpoint resumed by two ranks continues the one-process run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from tunesmith.config import load_config
from tunesmith.model import read_safetensors
from tunesmith.solvers.train import TrainingInterrupted, synthetic_pieces, train

ROOT = Path(__file__).resolve().parents[1]
TEST_TOML = ROOT / "configs" / "test.toml"
STEPS, EVAL_EVERY, CUT = 8, 4, 6

# one rank, as torchrun starts it (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT in the environment)
WORKER = r"""
import faulthandler, json, os, sys
from dataclasses import replace
from pathlib import Path

import torch
import torch.distributed as dist

from tunesmith.config import load_config
from tunesmith.solvers.train import TrainingInterrupted, synthetic_pieces, train

faulthandler.dump_traceback_later(float(sys.argv[6]), exit=True)  # a hang shows where, then ends
torch.set_num_threads(1)
cfg = load_config(sys.argv[1])
out = Path(sys.argv[2])
steps, every, cut = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ps = synthetic_pieces(60, seed=3)
pieces = [p for p in ps if p.split == "train"], [p for p in ps if p.split == "valid"]
runs = {}
# the first run joins the group itself, as `tunesmith train` does under torchrun (and leaves it)
runs["one-step"] = train(replace(cfg, max_steps=1), out / "ddp-1", pieces=pieces, progress=False)
# a new group on its own port: re-using the first group's port races with its store's teardown
# (a rank that finished first could reach the old store and wait forever)
os.environ["MASTER_PORT"] = sys.argv[7]
dist.init_process_group("gloo")  # the rest share one group the caller made
full = replace(cfg, max_steps=steps, eval_every=every)
runs["full"] = train(full, out / "ddp-full", pieces=pieces, progress=False)
try:
    train(full, out / "ddp-cut", pieces=pieces, progress=False, interrupt_at=cut)
except TrainingInterrupted:
    pass
runs["resumed"] = train(full, out / "ddp-cut", pieces=pieces, progress=False, resume=True)
runs["mixed"] = train(full, out / "mixed", pieces=pieces, progress=False, resume=True)
dist.destroy_process_group()
if os.environ["RANK"] == "0":
    (out / "runs.json").write_text(json.dumps(runs, default=str))
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _weights(folder: Path, name: str = "checkpoint.safetensors") -> dict[str, torch.Tensor]:
    return {k: v for k, v in read_safetensors(folder / name)[0].items() if k.startswith(("model.", "optim."))}


def _close(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor], atol: float) -> float:
    assert a.keys() == b.keys()
    worst = max(float((a[k].double() - b[k].double()).abs().max()) for k in a if a[k].is_floating_point())
    assert worst <= atol, f"largest difference {worst:.3g} > {atol}"
    return worst


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def _losses(result: dict) -> list[dict]:
    return [{k: v for k, v in h.items() if k != "train_seconds"} for h in result["history"]]


def _run_ranks(out: Path, world: int = 2, timeout: float = 600.0) -> None:
    """Run WORKER as `world` ranks; about 15 s of CPU in all, but minutes of wall on a loaded
    machine, hence the generous timeout (a hung rank prints its stack before it is ended)."""
    env = {
        **os.environ,
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(_free_port()),
        "WORLD_SIZE": str(world),
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    args = [str(TEST_TOML), str(out), str(STEPS), str(EVAL_EVERY), str(CUT), str(timeout - 30), str(_free_port())]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, *args],
            env={**env, "RANK": str(r), "LOCAL_RANK": str(r)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for r in range(world)
    ]
    deadline = time.monotonic() + timeout
    errors = []
    try:
        for r, p in enumerate(procs):
            try:
                _, err = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
                errors.append(f"rank {r} timed out after {timeout:.0f} s:\n{err[-3000:]}")
                continue
            if p.returncode:
                errors.append(f"rank {r} exited {p.returncode}:\n{err[-3000:]}")
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert not errors, "\n".join(errors)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    torch.set_num_threads(1)
    cfg = load_config(TEST_TOML)
    ps = synthetic_pieces(60, seed=3)
    pieces = [p for p in ps if p.split == "train"], [p for p in ps if p.split == "valid"]
    full = replace(cfg, max_steps=STEPS, eval_every=EVAL_EVERY)
    # one process: the references, and a checkpoint at step 4 for the two ranks to resume
    ref = {
        "one-step": train(replace(cfg, max_steps=1), out / "one-1", pieces=pieces, progress=False),
        "full": train(full, out / "one-full", pieces=pieces, progress=False),
    }
    with pytest.raises(TrainingInterrupted):
        train(full, out / "mixed", pieces=pieces, progress=False, interrupt_at=CUT)
    _run_ranks(out)
    ddp = json.loads((out / "runs.json").read_text())
    return out, ref, ddp


def test_two_ranks_take_the_one_process_full_batch_step(runs):
    out, ref, ddp = runs
    assert ddp["one-step"]["world_size"] == 2 and ref["one-step"]["world_size"] == 1
    _close(_weights(out / "ddp-1"), _weights(out / "one-1"), atol=1e-5)
    # the logged training and validation losses are the whole batch's, not one rank's
    a, b = ddp["one-step"]["history"][0], ref["one-step"]["history"][0]
    assert a["train_loss"] == pytest.approx(b["train_loss"], abs=1e-4)
    assert a["val_loss"] == pytest.approx(b["val_loss"], abs=1e-4)
    assert a["lr"] == b["lr"]


def test_two_ranks_follow_the_one_process_run(runs):
    out, ref, ddp = runs
    _close(_weights(out / "ddp-full"), _weights(out / "one-full"), atol=1e-4)
    assert [h["step"] for h in ddp["full"]["history"]] == [h["step"] for h in ref["full"]["history"]]
    for a, b in zip(ddp["full"]["history"], ref["full"]["history"]):
        assert a["val_loss"] == pytest.approx(b["val_loss"], abs=1e-3)


def test_two_rank_run_resumed_equals_the_uninterrupted_one(runs):
    out, _, ddp = runs
    assert _losses(ddp["resumed"]) == _losses(ddp["full"])
    for name in ("checkpoint.safetensors", "model.safetensors"):
        a, b = read_safetensors(out / "ddp-cut" / name)[0], read_safetensors(out / "ddp-full" / name)[0]
        assert _same(a, b), name


def test_one_process_checkpoint_resumes_under_two_ranks(runs):
    out, ref, ddp = runs
    assert ddp["mixed"]["steps"] == STEPS
    _close(_weights(out / "mixed"), _weights(out / "one-full"), atol=1e-4)


def test_only_rank_zero_writes(runs):
    out, _, _ = runs
    files = sorted(p.name for p in (out / "ddp-full").iterdir())
    assert files == ["MODEL_CARD.md", "checkpoint.safetensors", "model.json", "model.safetensors",
                     "similarity_index.json", "similarity_index.npz", "train_log.json"]  # fmt: skip
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
