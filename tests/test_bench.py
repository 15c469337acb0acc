"""The benchmark harness at tiny sizes: both systems measured in one run, ratios printed."""

from __future__ import annotations

import argparse

import pytest

pytest.importorskip("transformers")

from tunesmith.evaluation.bench import format_bench, run_bench  # noqa: E402
from tunesmith.model import ModelConfig  # noqa: E402
from tunesmith.tokenizer import Tokenizer  # noqa: E402


@pytest.fixture(scope="module")
def bench():
    tok = Tokenizer()
    config = ModelConfig(vocab_size=tok.vocab_size, block_size=256, n_layer=1, n_head=2, n_embd=32)
    return run_bench(
        model_config=config,
        runs=2,
        warmup=1,
        batches=(2,),
        throughput_runs=1,
        bars=4,
        train_batch=2,
        train_seq=32,
        train_steps=1,
        baseline_positions=256,
        progress=False,
    )


def test_bench_measures_both_systems_in_one_run(bench):
    lat = bench["latency_batch1_seconds"]
    assert lat["tunesmith"]["runs"] == 2 and lat["baseline"]["runs"] == 2
    assert lat["tunesmith"]["median"] > 0 and lat["baseline"]["median"] > 0
    assert bench["latency_ratio"] == pytest.approx(lat["baseline"]["median"] / lat["tunesmith"]["median"])
    assert 0.9 <= bench["baseline"]["params_ratio"] <= 1.1  # the same parameter count
    assert bench["throughput"]["2"]["ratio"] > 0
    assert bench["training"]["ratio"] > 0
    assert "random-init" in bench["tunesmith"]["what"] and "random-init" in bench["baseline"]["what"]
    # an untrained baseline is asked for the REMI length of the same music, not its runaway length
    assert lat["baseline"]["tokens_median"] <= lat["baseline"]["remi_tokens_of_tunesmith_takes_median"] + 1


def test_bench_prints_the_ratios(bench):
    text = format_bench(bench)
    assert "compose latency, batch 1" in text and "throughput, batch 2" in text and "training" in text
    assert text.count("x\n") >= 3 and "ratios > 1: tunesmith faster" in text


def test_bench_cli_rejects_bad_arguments():
    from tunesmith.cli import bench as verb

    parser = argparse.ArgumentParser()
    verb.add_arguments(parser)
    with pytest.raises(ValueError, match="runs"):
        verb.run(parser.parse_args(["--runs", "0"]))
    with pytest.raises(ValueError, match="batches"):
        verb.run(parser.parse_args(["--batches", "0"]))


def test_benchmarks_run_script_has_a_quick_mode():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
    spec = importlib.util.spec_from_file_location("bench_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert callable(module.main)
